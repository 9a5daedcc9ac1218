"""``stancegraph schema``: the JSON Schema of a coding file, as committed in ontology/."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from api.cli import app
from graph.paths import ONTOLOGY_DIR

runner = CliRunner()


def test_schema_prints_the_committed_json_schema_of_a_coding_file() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (ONTOLOGY_DIR / "coding.schema.json").read_text(encoding="utf-8")
    schema = json.loads(result.stdout)
    assert schema["title"] == "stancegraph coding file"
    assert schema["required"] == ["document"]
