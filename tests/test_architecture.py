"""The architecture the design promises, checked: graph/ is a library with no web stack."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB_PACKAGES = {"fastapi", "starlette", "uvicorn", "api"}
GRAPH_MODULES = sorted((ROOT / "graph").rglob("*.py"))


@pytest.mark.parametrize("path", GRAPH_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_graph_module_imports_no_web_package(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & WEB_PACKAGES


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
