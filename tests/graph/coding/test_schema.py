"""The coding format's models and their published JSON Schema, which editors validate files with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from rdflib import Graph

from graph.coding import STANCES, CodingFile, json_schema, json_schema_text
from graph.coding.schema import SECTIONS
from graph.namespaces import SG
from graph.paths import DATA_DIR, ONTOLOGY_DIR, ONTOLOGY_FILE

TEST_DATA = Path(__file__).resolve().parents[2] / "data"
SCHEMA_FILE = ONTOLOGY_DIR / "coding.schema.json"


def _schema_errors(path: Path) -> list[str]:
    """What the JSON Schema says of the YAML file at ``path``, as an editor reads it (JSON data)."""
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    return sorted(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(data)
    )


def test_the_committed_schema_is_the_one_the_models_generate() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text(), "run: stancegraph schema > " + str(
        SCHEMA_FILE
    )


def test_the_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize(
    "path", [DATA_DIR / "golden-dome-canada.yaml", TEST_DATA / "good" / "mini-article.yaml"]
)
def test_good_codings_validate_against_the_schema(path: Path) -> None:
    assert _schema_errors(path) == []


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("invalid-stance", "positions/0/stance: 'adores' is not one of"),
        ("value-out-of-range", "positions/0/value: 5 is greater than the maximum of 2"),
        ("missing-key", "threats/0: 'label' is a required property"),
        ("several-problems", "positions/0/attribution: 'hearsay' is not one of"),
    ],
)
def test_the_schema_refuses_what_the_models_refuse(name: str, found: str) -> None:
    errors = _schema_errors(TEST_DATA / "broken" / f"{name}.yaml")
    assert any(error.startswith(found) for error in errors), errors


def test_sections_are_the_coding_files_lists_of_entities() -> None:
    assert list(CodingFile.model_fields) == ["document", *SECTIONS, "positions", "inferred"]


def test_stance_defaults_match_the_ontology() -> None:
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    defaults = {
        str(stance).rsplit("#", 1)[1]: value.toPython()
        for stance, value in ontology.subject_objects(SG.defaultValue)
    }
    assert defaults == STANCES
