"""The coding format's models and their published JSON Schema, which editors validate files with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from rdflib import Graph

from graph.coding import STANCES, CodingFile, json_schema, json_schema_text, registry_json_schema
from graph.coding.schema import SECTIONS
from graph.namespaces import SG
from graph.paths import DATA_DIR, ONTOLOGY_DIR, ONTOLOGY_FILE

TEST_DATA = Path(__file__).resolve().parents[2] / "data"
SCHEMA_FILE = ONTOLOGY_DIR / "coding.schema.json"


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's schema check reads it: YAML 1.2, where a date is text, not a timestamp."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CORPUS = TEST_DATA / "corpus"
CORPUS_DOCUMENTS = sorted(path for path in CORPUS.glob("*.yaml") if path.name != "entities.yaml")


def _schema_errors(path: Path, schema: dict[str, Any] | None = None) -> list[str]:
    """What the JSON Schema says of the YAML file at ``path``, as an editor reads it (JSON data)."""
    published = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema or published)
    data: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=_EditorLoader)
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
    "path",
    [DATA_DIR / "golden-dome-canada.yaml", TEST_DATA / "good" / "mini-article.yaml", *CORPUS_DOCUMENTS],
    ids=lambda path: path.stem,
)
def test_good_codings_validate_against_the_schema(path: Path) -> None:
    assert _schema_errors(path) == []


def test_the_registry_validates_against_its_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(registry_json_schema())
    assert _schema_errors(CORPUS / "entities.yaml", registry_json_schema()) == []
    assert _schema_errors(CORPUS_DOCUMENTS[0], registry_json_schema()) != []  # a document is no registry


@pytest.mark.parametrize(
    ("date", "valid"),
    [
        ("2025", True),
        ("2025-03", True),
        ("2025-03-14", True),
        ("2025-03-14T09:30:00Z", True),
        ("2025-03-14T09:30:00+01:00", True),
        ("2025-03-14T09:30", False),
        ("March 2025", False),
    ],
)
def test_the_schema_tells_editors_the_date_forms(date: str, valid: bool, tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(f"document: {{slug: f, title: T, source: f.txt, date: '{date}'}}\n", encoding="utf-8")
    assert (_schema_errors(path) == []) is valid


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
