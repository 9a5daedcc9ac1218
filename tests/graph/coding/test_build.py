"""Building a folder of codings: written whole or not at all, sorted N-Quads or TriG."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Dataset

from graph.coding import build, load_coding, serialize
from graph.errors import CodingError

TEST_DATA = Path(__file__).resolve().parents[2] / "data"
BROKEN = sorted((TEST_DATA / "broken").glob("*.yaml"))
GOOD = TEST_DATA / "good" / "mini-article.yaml"


def _problems(error: CodingError, folder: Path) -> set[str]:
    """The lines of ``error`` with the folder of the files left out: ``name.yaml:line: problem``."""
    return {line.removeprefix(f"{folder}/") for line in str(error).splitlines()}


@pytest.mark.parametrize("broken", BROKEN, ids=lambda path: path.stem)
def test_build_of_broken_file_writes_nothing(
    broken: Path, tmp_path: Path, data_dir_with: Callable[..., Path]
) -> None:
    data_dir = data_dir_with(GOOD, broken)
    output = tmp_path / "out" / "stancegraph.nq"
    with pytest.raises(CodingError) as caught:
        build(data_dir, output)
    assert caught.value.file == str(data_dir / broken.name)
    with pytest.raises(CodingError) as loaded:
        load_coding(broken)
    # Beside the good file, the broken one has its own problems, and the ids both define are told too.
    assert _problems(loaded.value, broken.parent) <= _problems(caught.value, data_dir)
    assert not output.parent.exists() or list(output.parent.iterdir()) == []


def test_build_error_leaves_previous_output_untouched(
    tmp_path: Path, data_dir_with: Callable[..., Path]
) -> None:
    data_dir = data_dir_with(TEST_DATA / "broken" / "unknown-id.yaml")
    output = tmp_path / "stancegraph.nq"
    output.write_bytes(b"previous build\n")
    with pytest.raises(CodingError):
        build(data_dir, output)
    assert output.read_bytes() == b"previous build\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "sources", "stancegraph.nq"]


def test_build_writes_sorted_nquads_or_trig(tmp_path: Path, data_dir_with: Callable[..., Path]) -> None:
    data_dir = data_dir_with(GOOD)
    first, second, trig = tmp_path / "a.nq", tmp_path / "b.nq", tmp_path / "c.trig"
    count = build(data_dir, first)
    build(data_dir, second)
    build(data_dir, trig)
    assert first.read_bytes() == second.read_bytes()  # rebuilding the same data gives the same bytes
    lines = first.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == count
    assert len(list(parse(path=trig, format=RdfFormat.TRIG))) == count
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.nq", "b.nq", "c.trig", "data", "sources"]


def test_serialize_refuses_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format 'turtle'"):
        serialize(Dataset(), "turtle")
