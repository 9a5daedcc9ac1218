"""Shared material for the coding tests: the fictional test corpus and a data folder to build from."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

TEST_DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def data_dir_with(tmp_path: Path) -> Callable[..., Path]:
    """Makes a data directory holding the given coding files, with the sources they point to beside it."""

    def make(*codings: Path) -> Path:
        data_dir = tmp_path / "data"
        data_dir.mkdir()
        shutil.copytree(TEST_DATA / "sources", tmp_path / "sources")
        for coding in codings:
            shutil.copy(coding, data_dir / coding.name)
        return data_dir

    return make
