"""The architecture the design promises, checked: graph/ is a library with no web stack, no module in
graph/ or api/ needs a test-only package, and none grows past 400 lines without a stated reason."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB_PACKAGES = {"fastapi", "starlette", "uvicorn", "api"}
# The test extra's packages: a plain install has none of them (tests/ontology/owl.py uses the first two).
TEST_PACKAGES = {
    "jpype",
    "igraph",
    "SPARQLWrapper",
    "pyhornedowl",
    "pytest",
    "playwright",
    "schemathesis",
    "oxigraph",
    "psutil",
}
GRAPH_MODULES = sorted((ROOT / "graph").rglob("*.py"))
PACKAGE_MODULES = sorted(path for package in ("graph", "api") for path in (ROOT / package).rglob("*.py"))

MAX_LINES = 400
# Modules allowed past MAX_LINES, each with its reason. An entry whose module is gone or back under
# the limit fails the test too, so the list only shrinks.
LONG_MODULES: dict[str, str] = {}


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _imported_packages(path: Path) -> set[str]:
    """The top-level names of the absolute imports of a module."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    return imported


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("path", GRAPH_MODULES, ids=_name)
def test_graph_module_imports_no_web_package(path: Path) -> None:
    assert not _imported_packages(path) & WEB_PACKAGES


def test_no_package_module_imports_a_test_only_package() -> None:
    offenders = {_name(path): sorted(_imported_packages(path) & TEST_PACKAGES) for path in PACKAGE_MODULES}
    assert {name: packages for name, packages in offenders.items() if packages} == {}


def test_no_module_is_over_400_lines_without_a_reason() -> None:
    long = {_name(path): _lines(path) for path in PACKAGE_MODULES if _lines(path) > MAX_LINES}
    assert {name: lines for name, lines in long.items() if name not in LONG_MODULES} == {}


def test_every_long_module_listed_is_still_long() -> None:
    stale = [name for name in LONG_MODULES if not (ROOT / name).is_file() or _lines(ROOT / name) <= MAX_LINES]
    assert stale == [], "remove them from LONG_MODULES"


def test_importing_every_graph_module_loads_no_web_package() -> None:
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in GRAPH_MODULES
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in {sorted(WEB_PACKAGES)!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"
