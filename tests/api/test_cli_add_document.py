"""``stancegraph add-document``: a coding file scaffolded for a new source text, never over another."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()

TEXT = "A fictional report, written for stancegraph's tests: the minister backs the shield.\n"


def _source(folder: Path) -> Path:
    (folder / "sources").mkdir()
    source = folder / "sources" / "Gazette 2025-06-01.txt"
    source.write_text(TEXT, encoding="utf-8")
    return source


def test_the_scaffold_is_written_and_builds(tmp_path: Path) -> None:
    source = _source(tmp_path)
    arguments = ["add-document", str(source), "--title", "Minister backs the shield", "--date", "2025-06"]
    result = runner.invoke(app, [*arguments, "--publisher", "The Gazette", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = tmp_path / "gazette-2025-06-01.yaml"
    assert f"wrote {written}" in result.stdout
    assert "slug: gazette-2025-06-01" in written.read_text(encoding="utf-8")
    built = runner.invoke(app, ["build", "--data-dir", str(tmp_path), "-o", str(tmp_path / "out.nq")])
    assert built.exit_code == 0, built.output
    quads = (tmp_path / "out.nq").read_text(encoding="utf-8")
    assert '"2025-06-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>' in quads
    assert json.dumps(TEXT)[1:-1] in quads  # the text itself travels with the data, N-Quads-escaped


def test_an_existing_coding_file_is_never_overwritten(tmp_path: Path) -> None:
    source = _source(tmp_path)
    arguments = ["add-document", str(source), "--title", "T", "--data-dir", str(tmp_path)]
    assert runner.invoke(app, arguments).exit_code == 0
    coded = tmp_path / "gazette-2025-06-01.yaml"
    coded.write_text(coded.read_text(encoding="utf-8") + "# coded by hand\n", encoding="utf-8")
    again = runner.invoke(app, arguments)
    assert again.exit_code == 1
    assert "gazette-2025-06-01.yaml" in again.stderr
    assert coded.read_text(encoding="utf-8").endswith("# coded by hand\n")


def test_a_bad_date_is_refused_naming_it_and_nothing_is_written(tmp_path: Path) -> None:
    source = _source(tmp_path)
    arguments = [
        "add-document",
        str(source),
        "--title",
        "T",
        "--date",
        "June 2025",
        "--data-dir",
        str(tmp_path),
    ]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 1
    assert "date 'June 2025'" in result.stderr
    assert not list(tmp_path.glob("*.yaml"))


def test_the_registry_schema_is_printed_on_request() -> None:
    result = runner.invoke(app, ["schema", "--registry"])
    assert result.exit_code == 0, result.output
    assert "document" not in json.loads(result.stdout).get("required", [])
