"""A folder as one corpus: the entity registry, ids unique across files, scoped entities, dated texts."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from rdflib import DCTERMS, PROV, RDF, RDFS, XSD, Dataset, Literal, URIRef

from graph.coding import ENTITIES_GRAPH, build, build_dataset, load_corpus, serialize
from graph.errors import CodingError
from graph.namespaces import OA, SG, document_graph, entity, inferred_graph
from graph.read.documents import document_detail
from graph.stores.memory import MemoryStore

TEST_DATA = Path(__file__).resolve().parents[2] / "data"
CORPUS = TEST_DATA / "corpus"
BROKEN = TEST_DATA / "broken"

# Each broken corpus (a folder of tests/data/broken) and its exact problems; {dir} is the folder.
BROKEN_CORPORA = {
    "clash-id": [
        "{dir}/beta.yaml:8: duplicate id 'ruritania-weighs-joining' (first defined at {dir}/alpha.yaml:8)",
    ],
    "clash-label": [
        "{dir}/alpha.yaml:13: duplicate id 'shield' (first defined at {dir}/entities.yaml:3); "
        "one id has one label: 'Shield' there, 'The Shield programme' here; "
        "a document names a registry entity by its id, without defining it again",
        "{dir}/beta.yaml:8: duplicate id 'ruritania' (first defined at {dir}/alpha.yaml:8); "
        "one id has one label: 'Ruritania' there, 'Kingdom of Ruritania' here",
    ],
    "scoped-reference": [
        "{dir}/beta.yaml:13: position 'beta-critics-worry': holder: 'critics' is defined in another "
        "document ({dir}/alpha.yaml:8) and scoped to it: move it to the registry ({dir}/entities.yaml) "
        "to share it",
        "{dir}/beta.yaml:14: position 'beta-critics-worry': target: 'cost' is defined in another "
        "document ({dir}/alpha.yaml:16) and scoped to it: move it to the registry ({dir}/entities.yaml) "
        "to share it",
        "{dir}/beta.yaml:21: position 'beta-officials-worry': holder: 'alpha-officials' is an "
        "unidentified holder of another document ({dir}/alpha.yaml:11), scoped to it: "
        "code this document's own",
    ],
    "registry-unidentified": [
        "{dir}/entities.yaml:5: stakeholder 'some-officials': an unidentified holder is scoped to the "
        "document that leaves it unidentified: define it there, not in the registry",
    ],
}
DOCUMENTS = {  # slug -> (dcterms:issued, sg:timePrecision), as README.md lists them
    "herald-2025-01-10": ("2025-01-10T00:00:00Z", "day"),
    "courier-2025-02": ("2025-02-01T00:00:00Z", "month"),
    "herald-2025-03-20": ("2025-03-20T14:30:00Z", "instant"),
    "wire-herald-2025-04-02": ("2025-04-02T00:00:00Z", "day"),
    "wire-courier-2025-04-02": ("2025-04-02T00:00:00Z", "day"),
    "herald-2025-05-06": ("2025-05-06T00:00:00Z", "day"),
    "courier-2025-05-06": ("2025-05-06T00:00:00Z", "day"),
    "leaflet-undated": None,
}


def test_every_broken_corpus_is_covered() -> None:
    assert {path.name for path in BROKEN.iterdir() if path.is_dir()} == set(BROKEN_CORPORA)


@pytest.mark.parametrize("case", sorted(BROKEN_CORPORA))
def test_a_broken_corpus_names_both_places_and_writes_nothing(case: str, tmp_path: Path) -> None:
    folder = BROKEN / case
    output = tmp_path / "stancegraph.nq"
    with pytest.raises(CodingError) as caught:
        build(folder, output)
    expected = [line.format(dir=folder) for line in BROKEN_CORPORA[case]]
    assert str(caught.value).splitlines() == expected
    assert f"{caught.value.file}:{caught.value.line}: " + caught.value.problem.splitlines()[0] == expected[0]
    assert not output.exists()


def test_ids_of_evidence_and_documents_are_ids_of_the_corpus_too(tmp_path: Path) -> None:
    folder = tmp_path / "broken" / "case"  # its codings name ../../sources
    shutil.copytree(BROKEN / "clash-id", folder)
    shutil.copytree(TEST_DATA / "sources", tmp_path / "sources")
    (folder / "beta.yaml").write_text(
        "document:\n  slug: beta\n  title: T\n  source: ../../sources/mini-article.txt\n"
        "threats:\n  - {id: ruritania-weighs-joining-ev1, label: Drones}\n  - {id: alpha, label: Alpha}\n",
        encoding="utf-8",
    )
    with pytest.raises(CodingError) as caught:
        load_corpus(folder)
    assert str(caught.value).splitlines() == [
        f"{folder}/beta.yaml:6: duplicate id 'ruritania-weighs-joining-ev1' (first defined at "
        f"{folder}/alpha.yaml:14, as evidence 1 of position 'ruritania-weighs-joining')",
        f"{folder}/beta.yaml:7: duplicate id 'alpha' "
        f"(first defined at {folder}/alpha.yaml:3, as document 'alpha')",
    ]


def test_every_file_that_is_no_yaml_mapping_is_told_before_anything_else(tmp_path: Path) -> None:
    (tmp_path / "entities.yaml").write_text("- a list\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text("document: [unclosed\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        "positions: []\n", encoding="utf-8"
    )  # read later, once a and the registry are
    with pytest.raises(CodingError) as caught:
        load_corpus(tmp_path)
    assert [line.split(": ", 1)[0] for line in str(caught.value).splitlines()] == [
        f"{tmp_path}/entities.yaml:1",
        f"{tmp_path}/a.yaml:2",
    ]
    assert "the entity registry is a mapping with keys stakeholders, programs" in str(caught.value)


def test_the_registry_holds_entities_only_and_names_its_own(tmp_path: Path) -> None:
    (tmp_path / "entities.yaml").write_text(
        "stakeholders:\n  - {id: varga, label: Varga, type: Person, member_of: herald-staff}\n"
        "positions: []\n",
        encoding="utf-8",
    )
    with pytest.raises(CodingError) as caught:
        load_corpus(tmp_path)
    assert str(caught.value).splitlines() == [
        f"{tmp_path}/entities.yaml:2: stakeholder 'varga': member_of: unknown id 'herald-staff' "
        "(expected a stakeholder)",
        f"{tmp_path}/entities.yaml:3: unknown top-level key 'positions' (expected one of stakeholders, "
        "programs, participation_proposals, concerns, measures, threats)",
    ]


@pytest.fixture(scope="module")
def corpus() -> Dataset:
    return build_dataset(CORPUS, include_ontology=False)


def test_the_corpus_compiles_to_a_graph_per_document_and_one_for_the_registry(corpus: Dataset) -> None:
    graphs = {str(graph.identifier) for graph in corpus.graphs() if len(graph)}
    assert graphs == {str(ENTITIES_GRAPH), *(str(document_graph(slug)) for slug in DOCUMENTS)}
    assert str(ENTITIES_GRAPH) == "https://w3id.org/stancegraph/graph/entities"


def test_registry_entities_live_in_their_graph_with_one_label_each(corpus: Dataset) -> None:
    registry = corpus.graph(ENTITIES_GRAPH)
    varga = entity("ana-varga")
    assert (varga, RDF.type, SG.Person) in registry
    assert (varga, SG.memberOf, entity("ruritanian-government")) in registry
    assert (varga, SG.mentionedIn, None) not in registry
    labels: dict[object, set[object]] = {}
    for subject, _, label, _ in corpus.quads((None, RDFS.label, None)):
        labels.setdefault(subject, set()).add(label)
    assert [subject for subject, found in labels.items() if len(found) > 1] == []
    # Each document says which registry entities it names; the Herald's observers are its own.
    mentioned = {
        doc for doc in DOCUMENTS if (varga, SG.mentionedIn, entity(doc)) in corpus.graph(document_graph(doc))
    }
    assert mentioned == {"herald-2025-01-10", "courier-2025-02", "herald-2025-03-20"}
    observers = entity("herald-2025-01-10-observers")
    assert {str(graph.identifier) for graph in corpus.graphs() if (observers, RDF.type, None) in graph} == {
        str(document_graph("herald-2025-01-10"))
    }


def test_documents_carry_their_text_hash_and_time(corpus: Dataset) -> None:
    for slug, time in DOCUMENTS.items():
        graph, document = corpus.graph(document_graph(slug)), entity(slug)
        data = (CORPUS / "sources" / f"{slug}.txt").read_bytes()
        assert graph.value(document, SG.text) == Literal(data.decode("utf-8"))
        assert str(graph.value(document, SG.sha256)) == hashlib.sha256(data).hexdigest()
        issued = [(str(value), value.datatype) for value in graph.objects(document, DCTERMS.issued)]
        precision = [str(value) for value in graph.objects(document, SG.timePrecision)]
        if time is None:
            assert (issued, precision) == ([], [])
        else:
            assert (issued, precision) == ([(time[0], XSD.dateTime)], [time[1]])
    herald = entity("herald-2025-01-10")
    assert corpus.graph(document_graph("herald-2025-01-10")).value(herald, DCTERMS.source) == URIRef(
        "https://example.org/herald/2025-01-10/varga-backs-shield"
    )


def test_the_wire_copies_are_one_text(corpus: Dataset) -> None:
    digests = {
        str(corpus.graph(document_graph(slug)).value(entity(slug), SG.sha256))
        for slug in ("wire-herald-2025-04-02", "wire-courier-2025-04-02")
    }
    assert len(digests) == 1


def test_positions_are_derived_from_their_document_and_dated_when_the_text_says(corpus: Dataset) -> None:
    dated = {}
    for slug in DOCUMENTS:
        graph = corpus.graph(document_graph(slug))
        for position in graph.subjects(RDF.type, SG.Position):
            assert list(graph.objects(position, PROV.wasDerivedFrom)) == [entity(slug)]
            for valid_at in graph.objects(position, SG.validAt):
                dated[str(position)] = (str(valid_at), str(graph.value(position, SG.timePrecision)))
    assert dated == {str(entity("herald-2025-03-20-varga-opposes-joining")): ("2025-03-18T00:00:00Z", "day")}


def test_the_built_file_serves_its_texts_and_spans_from_the_store(tmp_path: Path) -> None:
    """Built from a folder outside the package: the store alone gives the text its spans index."""
    folder = tmp_path / "elsewhere"
    shutil.copytree(CORPUS, folder)
    output = tmp_path / "corpus.nq"
    build(folder, output)
    shutil.rmtree(folder)  # nothing is read from the folder any more
    store = MemoryStore()
    store.load_dataset(output.read_bytes(), "application/n-quads")
    for slug in DOCUMENTS:
        detail = document_detail(store, entity(slug))
        assert detail["text"] == (CORPUS / "sources" / f"{slug}.txt").read_text(encoding="utf-8")
        assert detail["evidence"]
        assert all(
            detail["text"][span["start"] : span["end"]] == span["quote"] for span in detail["evidence"]
        )
    dated = document_detail(store, entity("herald-2025-03-20"))
    assert (dated["issued"], dated["timePrecision"], dated["publisher"]) == (
        "2025-03-20T14:30:00Z",
        "instant",
        "The Ruritanian Herald",
    )


def test_a_text_that_is_not_its_recorded_hash_is_not_served() -> None:
    store = MemoryStore()
    store.load_dataset(serialize(build_dataset(CORPUS, include_ontology=False)), "application/n-quads")
    herald = entity("herald-2025-05-06")
    store.update(
        f"DELETE {{ GRAPH ?g {{ {herald.n3()} <{SG.text}> ?text }} }} "
        f'INSERT {{ GRAPH ?g {{ {herald.n3()} <{SG.text}> "An edited text." }} }} '
        f"WHERE {{ GRAPH ?g {{ {herald.n3()} <{SG.text}> ?text }} }}"
    )
    detail = document_detail(store, herald)
    assert detail["text"] is None and len(detail["sha256"]) == 64


def test_a_document_may_infer_links_between_registry_entities(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    coding = folder / "courier-2025-02.yaml"
    coding.write_text(
        coding.read_text(encoding="utf-8") + "\ninferred:\n  - subject: shield\n    promoted_by: ana-varga\n"
        "    note: The text does not say she promotes it.\n",
        encoding="utf-8",
    )
    dataset = build_dataset(folder, include_ontology=False)
    assert (entity("shield"), SG.promotedBy, entity("ana-varga")) in dataset.graph(
        inferred_graph("courier-2025-02")
    )
    assert (entity("shield"), SG.mentionedIn, entity("courier-2025-02")) in dataset.graph(
        document_graph("courier-2025-02")
    )


def test_the_readme_lists_every_document_position_and_date(corpus: Dataset) -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `") or line.startswith("| |")]
    listed = {name for row in rows for name in re.findall(r"`([a-z0-9-]+)`", row)}
    positions = {
        str(position).rsplit("/", 1)[1]
        for slug in DOCUMENTS
        for position in corpus.graph(document_graph(slug)).subjects(RDF.type, SG.Position)
    }
    assert set(DOCUMENTS) | positions <= listed
    evidence = sum(
        1
        for slug in DOCUMENTS
        for _ in corpus.graph(document_graph(slug)).subjects(RDF.type, OA.TextQuoteSelector)
    )
    assert f"{len(DOCUMENTS)} documents, {len(positions)} positions" in readme
    assert f"{evidence} evidence quotes" in readme
    for slug, time in DOCUMENTS.items():
        [row] = [row for row in rows if row.startswith(f"| `{slug}` |")]
        assert (time[1] if time else "none") in row
