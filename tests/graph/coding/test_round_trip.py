"""The round trip: coding files built into a store, exported back as YAML, built again.

The exported files build the same graphs (isomorphic, per named graph) and say the same as the
committed ones: equal models once the collections RDF keeps unordered are sorted; exported over
the committed file, the very same YAML data (the export then keeps its order). Comments, quoting
and the folding of long texts are not kept.
Imports replace a document's graphs whole, and refuse triples no coding file says.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from graph.coding import build_dataset, serialize
from graph.coding.export import export_coding, export_registry, source_of
from graph.coding.importing import import_coding
from graph.coding.lines import read_yaml
from graph.coding.schema import CodingFile, EntityRegistry
from graph.errors import CodingError, ConflictError, NotFoundError
from graph.namespaces import document_graph
from graph.paths import DATA_DIR
from graph.stores.memory import MemoryStore

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
NQUADS = "application/n-quads"


def canonical(model: BaseModel) -> Any:
    """The model's data with every list but evidence sorted: what the format leaves unordered; without
    a position's ``replaces`` (the store's revision it was exported at, not part of the coding)."""

    def sort(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {name: sort(item, name) for name, item in value.items() if name != "replaces"}
        if isinstance(value, list):
            items = [sort(item) for item in value]
            return items if key == "evidence" else sorted(items, key=json.dumps)
        return value

    return sort(model.model_dump(mode="json"))


def graphs(dataset: Dataset) -> dict[str, Graph]:
    return {str(graph.identifier): graph for graph in dataset.graphs() if len(graph)}


def assert_same_graphs(built: Dataset, again: Dataset) -> None:
    first, second = graphs(built), graphs(again)
    assert sorted(first) == sorted(second)
    for name, graph in first.items():
        assert isomorphic(graph, second[name]), name


def store_of(data_dir: Path) -> MemoryStore:
    store = MemoryStore()
    store.load_dataset(serialize(build_dataset(data_dir, include_ontology=False)), NQUADS)
    return store


def export_folder(store: MemoryStore, slugs: list[str], folder: Path, registry: bool) -> None:
    """What ``export-coding`` writes for each document (its source text beside it) and the registry."""
    folder.mkdir()
    for slug in slugs:
        (folder / f"{slug}.yaml").write_text(export_coding(store, slug), encoding="utf-8")
        source, text = source_of(store, slug)
        (folder / source).parent.mkdir(parents=True, exist_ok=True)
        (folder / source).write_text(text, encoding="utf-8")
    if registry:
        (folder / "entities.yaml").write_text(export_registry(store), encoding="utf-8")


def coding_file(path: Path) -> CodingFile:
    return CodingFile.model_validate(read_yaml(path))


def test_the_seed_comes_back_as_it_was_committed(tmp_path: Path) -> None:
    with store_of(DATA_DIR) as store:
        export_folder(store, ["golden-dome-canada"], tmp_path / "out", registry=False)
    exported, committed = tmp_path / "out" / "golden-dome-canada.yaml", DATA_DIR / "golden-dome-canada.yaml"
    assert_same_graphs(build_dataset(DATA_DIR, False), build_dataset(tmp_path / "out", False))
    assert canonical(coding_file(exported)) == canonical(coding_file(committed))
    assert exported.read_text(encoding="utf-8") != committed.read_text(encoding="utf-8")  # comments: lost
    assert "aliases: [The Canadian government]" in exported.read_text(encoding="utf-8")


def test_each_document_of_the_corpus_comes_back_naming_the_registry(tmp_path: Path) -> None:
    slugs = sorted(path.stem for path in CORPUS.glob("*.yaml") if path.name != "entities.yaml")
    with store_of(CORPUS) as store:
        export_folder(store, slugs, tmp_path / "out", registry=True)
    assert_same_graphs(build_dataset(CORPUS, False), build_dataset(tmp_path / "out", False))
    registry = EntityRegistry.model_validate(read_yaml(tmp_path / "out" / "entities.yaml"))
    committed = EntityRegistry.model_validate(read_yaml(CORPUS / "entities.yaml"))
    assert canonical(registry) == canonical(committed)
    shared = {entry.id for entry in registry.entries()}
    for slug in slugs:
        exported = coding_file(tmp_path / "out" / f"{slug}.yaml")
        assert canonical(exported) == canonical(coding_file(CORPUS / f"{slug}.yaml")), slug
        assert not shared & {entry.id for entry in exported.entries()}, slug  # referred to, not repeated


def test_exported_over_the_committed_file_the_seed_reads_back_as_the_same_yaml() -> None:
    """Over the file it was built from, the export keeps its order: only comments, quoting and
    the folding of long notes differ, and YAML reads both as the same data."""
    committed = DATA_DIR / "golden-dome-canada.yaml"
    with store_of(DATA_DIR) as store:
        exported = export_coding(store, "golden-dome-canada", like=committed)
    assert yaml.safe_load(exported) == yaml.safe_load(committed.read_text(encoding="utf-8"))


def test_an_unknown_document_is_named() -> None:
    with store_of(DATA_DIR) as store, pytest.raises(NotFoundError, match="'atlantis'"):
        export_coding(store, "atlantis")


def test_import_replaces_the_graphs_of_its_document_whole(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    coding = folder / "golden-dome-canada.yaml"
    text = coding.read_text(encoding="utf-8").replace("stance: monitors", "stance: considers")
    coding.write_text(text, encoding="utf-8")
    with store_of(DATA_DIR) as store:
        report = import_coding(store, coding)
        assert (report.slug, report.created) == ("golden-dome-canada", False)
        (tmp_path / "back.yaml").write_text(export_coding(store, "golden-dome-canada"), encoding="utf-8")
    assert canonical(coding_file(tmp_path / "back.yaml")) == canonical(coding_file(coding))
    assert canonical(coding_file(tmp_path / "back.yaml")) != canonical(coding_file(DATA_DIR / coding.name))
    changed = {p.id for p in coding_file(tmp_path / "back.yaml").positions if p.replaces == 1}
    assert changed == {p.id for p in coding_file(coding).positions if p.stance == "considers"} - {
        p.id for p in coding_file(DATA_DIR / coding.name).positions if p.stance == "considers"
    }


def test_import_refuses_triples_no_coding_says_and_writes_nothing() -> None:
    graph = document_graph("golden-dome-canada")
    with store_of(DATA_DIR) as store:
        store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:a> <urn:x:b> 'written by hand' }} }}")
        before = store.get_graph(str(graph), "application/n-triples")
        with pytest.raises(ConflictError, match="1 triple"):
            import_coding(store, DATA_DIR / "golden-dome-canada.yaml")
        assert store.get_graph(str(graph), "application/n-triples") == before
        import_coding(store, DATA_DIR / "golden-dome-canada.yaml", force=True)
        assert b"written by hand" not in store.get_graph(str(graph), "application/n-triples")


def test_import_refuses_a_registry_entity_the_store_lacks(tmp_path: Path) -> None:
    refused = r"herald-2025-03-20\.yaml:\d+: .*'ana-varga'"
    with MemoryStore() as store, pytest.raises(CodingError, match=refused):
        import_coding(store, CORPUS / "herald-2025-03-20.yaml")


def test_import_names_file_and_line_of_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("document:\n  slug: broken\n  title: [unclosed\n", encoding="utf-8")
    with MemoryStore() as store, pytest.raises(CodingError, match=r"broken\.yaml:\d+: YAML syntax error"):
        import_coding(store, broken)


NEW_DOCUMENT = """# Fictional test document: a coding made up for the import tests.
document: {slug: fictional-note, title: A fictional note, source: fictional-note.txt}
stakeholders:
  - {id: STAKEHOLDER, label: Someone, type: Person}
programs:
  - {id: fictional-shield, label: The shield}
positions:
  - id: fictional-note-someone-supports
    holder: STAKEHOLDER
    target: fictional-shield
    stance: supports
    attribution: direct
    evidence: [We back the shield.]
"""


def test_import_creates_a_new_document_but_no_second_definition_of_an_id(tmp_path: Path) -> None:
    (tmp_path / "fictional-note.txt").write_text("A fictional note. We back the shield.\n", encoding="utf-8")
    coding = tmp_path / "fictional-note.yaml"
    coding.write_text(NEW_DOCUMENT.replace("STAKEHOLDER", "canada"), encoding="utf-8")
    with store_of(DATA_DIR) as store:
        before = len(store)
        with pytest.raises(CodingError, match=r"fictional-note\.yaml:4: id 'canada' is already defined"):
            import_coding(store, coding)
        assert len(store) == before
        coding.write_text(NEW_DOCUMENT.replace("STAKEHOLDER", "someone"), encoding="utf-8")
        report = import_coding(store, coding)
        assert report.created and "holder: someone" in export_coding(store, "fictional-note")
