"""Exports of the Golden Dome subgraphs: each parsed back holds exactly what was asked for."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.term import Node

from graph.errors import ValidationFailedError
from graph.export import export, export_iri, export_name, filename_for, ontology_graph
from graph.export.edges import node_id
from graph.namespaces import ONTOLOGY_IRI, SG, entity
from graph.stores.memory import MemoryStore
from graph.subgraph import ego_subgraph
from tests.ontology.owl import check_owl_dl, is_consistent

RDF_FORMATS = {"turtle": "turtle", "rdfxml": "xml", "jsonld": "json-ld", "ntriples": "nt"}
DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def store(golden_dome: MemoryStore) -> MemoryStore:
    return golden_dome


@pytest.fixture(scope="module")
def ontology(store: MemoryStore) -> Graph:
    return ontology_graph(store)


def nodes(graph: Graph) -> set[Node]:
    """The named resources of ``graph`` (a stated link's axiom annotation is a blank node, not one)."""
    found = set(graph.subjects()) | {o for p, o in graph.predicate_objects() if p != RDF.type}
    return {node for node in found if not isinstance(node, Literal | BNode)}


def links(graph: Graph) -> set[tuple[str, str, str]]:
    return {
        (node_id(s), str(p), node_id(o)) for s, p, o in graph if p != RDF.type and not isinstance(o, Literal)
    }


def canonical(graph: Graph) -> set[tuple[Node, Node, Node]]:
    """The triples of ``graph``, blank nodes labelled canonically: a parser names them anew."""
    return set(to_canonical_graph(graph))


@pytest.mark.parametrize("depth", [1, 2])
@pytest.mark.parametrize("format", list(RDF_FORMATS))
def test_rdf_exports_hold_the_subgraph_and_its_declarations_only(
    store: MemoryStore, ontology: Graph, depth: int, format: str
) -> None:
    subgraph = ego_subgraph(store, "canada", depth)
    name = export_name("canada", depth)
    parsed = Graph().parse(
        data=export(subgraph, format, ontology=ontology, name=name), format=RDF_FORMATS[format]
    )

    assert canonical(subgraph) <= canonical(parsed)
    header = export_iri(name)
    declared = {s for s, kind in parsed.subject_objects(RDF.type) if kind in DECLARATION_TYPES}
    for subject, predicate, value in canonical(parsed) - canonical(subgraph):
        if subject == header:
            assert predicate in (RDF.type, RDFS.label, RDFS.comment)
        elif subject in declared:
            assert str(subject).startswith(("https://w3id.org/stancegraph/ontology#", "http://")), subject
            # Declarations, names, definitions and the axioms that cannot contradict the data.
            assert predicate in (RDF.type, RDFS.label, RDFS.subClassOf, RDFS.domain, RDFS.range) or str(
                predicate
            ).endswith("#definition")
        else:
            assert (predicate, value) == (RDF.type, OWL.NamedIndividual) and subject in nodes(subgraph)
    # Every class and property the subgraph uses is declared; every resource is a named individual.
    used = set(subgraph.predicates()) | set(subgraph.objects(None, RDF.type))
    built_in = (str(RDF), str(RDFS), str(OWL))
    assert {term for term in used if not str(term).startswith(built_in)} <= declared
    # A stated link's axiom annotation names its property: a property, not an individual.
    for node in nodes(subgraph) - set(subgraph.objects(None, OWL.annotatedProperty)):
        assert (node, RDF.type, OWL.NamedIndividual) in parsed
    assert set(parsed.subjects(RDF.type, OWL.Ontology)) == {header}
    assert not set(parsed.triples((None, OWL.imports, None)))
    assert str(ONTOLOGY_IRI) in str(parsed.value(header, RDFS.comment))


def test_the_turtle_export_is_owl_2_dl_and_consistent(store: MemoryStore, ontology: Graph) -> None:
    turtle = export(ego_subgraph(store, "canada", 2), "turtle", ontology=ontology, name="canada-depth2")
    assert check_owl_dl(turtle) == []
    assert is_consistent(turtle)


def test_the_rdfxml_export_reads_as_the_same_owl_document(store: MemoryStore, ontology: Graph) -> None:
    subgraph = ego_subgraph(store, "canada", 1)
    rdfxml = export(subgraph, "rdfxml", ontology=ontology, name="canada-depth1")
    as_turtle = Graph().parse(data=rdfxml, format="xml").serialize(format="turtle")
    assert check_owl_dl(as_turtle) == []


def test_inferences_arrive_as_whole_axiom_annotations(store: MemoryStore, ontology: Graph) -> None:
    # At depth 3 the proposal's measures (two hops from Canada) are expanded, and with them the analyst's
    # inferences arrive: OWL axiom annotations (blank nodes) giving reasons.
    subgraph = ego_subgraph(store, "canada", 3)
    axioms = set(subgraph.subjects(RDF.type, OWL.Axiom))
    assert axioms
    for axiom in axioms:
        assert {subgraph.value(axiom, p) is not None for p in (OWL.annotatedSource, OWL.annotatedTarget)} == {
            True
        }
    turtle = export(subgraph, "turtle", ontology=ontology, name="canada-depth3")
    assert check_owl_dl(turtle) == []


@pytest.mark.parametrize("depth", [1, 2])
def test_graphml_holds_resources_as_nodes_and_links_as_edges(store: MemoryStore, depth: int) -> None:
    subgraph = ego_subgraph(store, "canada", depth)
    network = nx.read_graphml(io.BytesIO(export(subgraph, "graphml")))
    # Blank nodes (the axiom annotations of stated links) get canonical ids: compared by count.
    blank = {node for node in network if node.startswith("_:")}
    assert set(network) - blank == {str(node) for node in nodes(subgraph)}
    assert len(blank) == len({term for triple in subgraph for term in triple if isinstance(term, BNode)})
    edges = {(s, data["predicate"], o) for s, o, data in network.edges(data=True)}
    named = {edge for edge in links(subgraph) if not edge[0].startswith("_:")}
    assert {edge for edge in edges if not edge[0].startswith("_:")} == named
    assert len(edges) == len(links(subgraph))
    canada = network.nodes[str(entity("canada"))]
    assert canada["label"] == "Canada" and "sg:Nation" in canada["type"]
    position = network.nodes[str(entity("canada-in-talks-to-join-golden-dome"))]
    assert position["sg:stanceValue"] == 0  # typed: an int, so Gephi ranks by it


@pytest.mark.parametrize("depth", [1, 2])
def test_csv_lists_every_link_with_labels(store: MemoryStore, depth: int) -> None:
    subgraph = ego_subgraph(store, "canada", depth)
    rows = list(csv.DictReader(io.StringIO(export(subgraph, "csv").decode("utf-8"))))
    assert {(row["source"], row["predicate"], row["target"]) for row in rows} == links(subgraph)
    assert len(rows) == len(links(subgraph))
    holder = next(
        row for row in rows if row["predicate"] == str(SG.holder) and row["target"] == str(entity("canada"))
    )
    assert holder["target_label"] == "Canada"


def test_plain_rdf_export_without_ontology_is_the_subgraph(store: MemoryStore) -> None:
    subgraph = ego_subgraph(store, "canada", 1)
    assert canonical(Graph().parse(data=export(subgraph, "ntriples"), format="nt")) == canonical(subgraph)


def test_names_and_formats() -> None:
    assert filename_for("canada", 2, "turtle") == "canada-depth2.ttl"
    assert filename_for("canada", 2, "application/rdf+xml") == "canada-depth2.owl"
    assert filename_for(None, None, "csv") == "construct.csv"
    assert export_iri(export_name("canada", 2)) == URIRef("https://w3id.org/stancegraph/export/canada-depth2")
    with pytest.raises(ValidationFailedError, match="pdf"):
        export(Graph(), "pdf")


@pytest.mark.parametrize("format", ["turtle", "rdfxml", "ntriples"])
def test_engine_written_exports_are_the_same_bytes_every_time(
    store: MemoryStore, ontology: Graph, format: str
) -> None:
    first = export(ego_subgraph(store, "canada", 2), format, ontology=ontology, name="canada-depth2")
    assert export(ego_subgraph(store, "canada", 2), format, ontology=ontology, name="canada-depth2") == first


def test_literals_and_blank_nodes_survive_the_engine_writer() -> None:
    note = BNode()
    graph = Graph()
    graph.add((entity("p"), SG.stanceValue, Literal(2)))
    graph.add((entity("p"), RDFS.label, Literal("position", lang="en")))
    graph.add((entity("p"), SG.hedgeCue, Literal('say "perhaps"\n')))
    graph.add((entity("p"), SG.validAt, Literal("2025-01-01", datatype=XSD.date)))
    graph.add((entity("p"), RDFS.seeAlso, note))
    graph.add((note, RDFS.comment, Literal("a note")))
    for format in ("turtle", "ntriples", "rdfxml"):
        parsed = Graph().parse(data=export(graph, format), format=RDF_FORMATS[format])
        assert isomorphic(parsed, graph), format
