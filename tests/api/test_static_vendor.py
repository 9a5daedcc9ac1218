"""api/static/vendor, the committed copy of the npm files the page imports: those exactly, as npm has them."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from api.routes.web import NODE_MODULES, VENDOR_MODULES

ROOT = NODE_MODULES.parents[2]
INSTALLED = ROOT / "node_modules"


def _package(path: str) -> str:
    """The npm package a file belongs to: ``@scope/name`` or ``name``."""
    parts = PurePosixPath(path).parts
    return "/".join(parts[:2] if parts[0].startswith("@") else parts[:1])


def test_the_copy_holds_the_files_of_the_import_map_and_their_licences() -> None:
    copied = {path.relative_to(NODE_MODULES).as_posix() for path in NODE_MODULES.rglob("*") if path.is_file()}
    licences = {f"{_package(path)}/LICENSE" for path in VENDOR_MODULES.values()}
    assert copied == set(VENDOR_MODULES.values()) | licences, "run `make vendor`"


@pytest.mark.skipif(not INSTALLED.is_dir(), reason="no node_modules (npm ci) to compare the copy with")
def test_the_copy_is_what_npm_installed() -> None:
    stale = [
        path
        for path in [*VENDOR_MODULES.values(), *(f"{_package(p)}/LICENSE" for p in VENDOR_MODULES.values())]
        if (NODE_MODULES / path).read_bytes() != (INSTALLED / path).read_bytes()
    ]
    assert stale == [], "package-lock.json changed since the copy: run `make vendor`"
