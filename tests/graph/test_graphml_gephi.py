"""GraphML for Gephi: unique and stable edge ids, typed attributes, a label on every node and edge.

Each file is read by two independent parsers, networkx and python-igraph (igraph's C reader,
on libxml2), and checked against the GraphML schema's identity rules and Gephi's property
names by :mod:`tests.graph.graphml_checks` (lxml and the XSD are not at hand offline, so the
rules are written out there). The subgraphs are the Golden Dome data's; the timeline comes
from the fictional dated corpus of tests/data/corpus.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
from rdflib import Graph

from graph.coding import build_dataset, serialize
from graph.export import export, rdf_to_networkx
from graph.export.edges import links, node_id
from graph.namespaces import entity
from graph.network import build_network, position_records, timeline_network, to_graphml, windowed_networks
from graph.network.graphml import write_graphml
from graph.stores.memory import MemoryStore
from graph.subgraph import cbd, ego_subgraph
from tests.graph.graphml_checks import (
    NS,
    assert_both_parsers_agree,
    edge_ids,
    gephi_problems,
    graphml_problems,
    key_types,
)

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
KINDS = ["two-mode", "congruence", "conflict", "signed"]


@pytest.fixture(scope="module")
def store(golden_dome: MemoryStore) -> MemoryStore:
    return golden_dome


@pytest.fixture(scope="module")
def corpus() -> MemoryStore:
    store = MemoryStore()
    store.load_dataset(serialize(build_dataset(CORPUS, include_ontology=False)), "application/n-quads")
    return store


def triple_ids(document: bytes) -> dict[tuple[str, str, str], str]:
    """Each edge's id by its triple (source, predicate, target)."""
    root = ElementTree.fromstring(document)
    predicate = next(key.get("id") for key in root.findall(f"{NS}key") if key.get("attr.name") == "predicate")
    return {
        (edge.get("source", ""), data.text or "", edge.get("target", "")): edge.get("id", "")
        for edge in root.iter(f"{NS}edge")
        for data in edge.iter(f"{NS}data")
        if data.get("key") == predicate
    }


def blank_in(triple: tuple[str, str, str]) -> bool:
    return any(node.startswith("_:") for node in triple)


def blank(node: str) -> str:
    return "_:" if node.startswith("_:") else node


SUBGRAPHS = [("canada", 1), ("canada", 2), ("canada", 3), ("canada-in-talks-to-join-golden-dome", 2)]


@pytest.mark.parametrize(("focus", "depth"), SUBGRAPHS)
def test_subgraph_exports_keep_the_schemas_rules_and_gephis(
    store: MemoryStore, focus: str, depth: int
) -> None:
    subgraph = ego_subgraph(store, focus, depth)
    document = export(subgraph, "graphml")
    assert graphml_problems(document) == []
    assert gephi_problems(document) == []
    ids = edge_ids(document)
    assert len(ids) == len(set(ids)) == len(links(subgraph))
    read, _ = assert_both_parsers_agree(document)
    # Blank nodes are renamed canonically (for ids that last): compared as "some blank node".
    assert Counter(
        (blank(s), data["predicate"], blank(o)) for s, o, data in read.edges(data=True)
    ) == Counter((blank(node_id(s)), str(p), blank(node_id(o))) for s, p, o in links(subgraph))


def test_a_cbd_export_keeps_the_rules(store: MemoryStore) -> None:
    document = export(cbd(store, "canada"), "graphml")
    assert graphml_problems(document) == gephi_problems(document) == []
    assert_both_parsers_agree(document)


def test_edge_ids_are_their_triples_the_same_in_every_export(store: MemoryStore) -> None:
    one, two = (export(ego_subgraph(store, "canada", depth), "graphml") for depth in (1, 2))
    assert export(ego_subgraph(store, "canada", 1), "graphml") == one  # same input, same file
    # A blank node's canonical label depends on what the subgraph holds around it (a stated link's
    # axiom annotation is one): the triples of named nodes keep their ids.
    first, second = (
        {triple: found for triple, found in triple_ids(document).items() if not blank_in(triple)}
        for document in (one, two)
    )
    assert first and set(first) <= set(second)
    assert all(second[triple] == found for triple, found in first.items())


def test_numbers_and_booleans_are_typed_for_gephi(store: MemoryStore) -> None:
    document = export(ego_subgraph(store, "canada", 2), "graphml")
    types = key_types(document, "node")
    assert {name: types[name] for name in ("sg:stanceValue", "oa:start", "oa:end", "sg:hedged")} == {
        "sg:stanceValue": "int",
        "oa:start": "int",
        "oa:end": "int",
        "sg:hedged": "boolean",
    }
    assert types["label"] == types["oa:exact"] == "string"
    read, other = assert_both_parsers_agree(document)
    position = str(entity("canada-in-talks-to-join-golden-dome"))
    assert read.nodes[position]["sg:stanceValue"] == 0 and read.nodes[position]["sg:hedged"] is True
    vertex = other.vs.find(id=position)
    assert (vertex["sg:stanceValue"], vertex["sg:hedged"]) == (0.0, True)
    hedged = [data["sg:hedged"] for _, data in read.nodes(data=True) if "sg:hedged" in data]
    assert True in hedged and False in hedged
    assert all(isinstance(data["oa:start"], int) for _, data in read.nodes(data=True) if "oa:start" in data)


MIXED = """
# Fictional test data: example.org resources with literals of every kind a key can meet.
PREFIX ex: <http://example.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
ex:a ex:value 1 ; ex:big 5000000000 ; ex:ratio "0.5"^^xsd:double ; ex:flag true ; ex:note "x", "y" ;
     ex:huge 123456789012345678901234567890 ; ex:links ex:b .
ex:b ex:value "abc"^^xsd:integer ; ex:ratio 2 ; ex:flag 1 ; ex:note "z" ; ex:huge 1 .
"""


def test_a_key_of_mixed_values_falls_back_as_documented() -> None:
    document = export(Graph().parse(data=MIXED, format="turtle"), "graphml")
    assert graphml_problems(document) == []
    types = {name.removeprefix("ex:"): kind for name, kind in key_types(document, "node").items()}
    assert types == {
        "value": "string",  # an integer beside an ill-typed one, kept as stored
        "big": "long",  # past 32 bits
        "ratio": "double",  # a double beside an integer: both doubles
        "flag": "string",  # a boolean beside an integer
        "note": "string",  # two values on one node: joined
        "huge": "string",  # past 64 bits, as plain_value gives it
        "iri": "string",
        "label": "string",
    }
    read, _ = assert_both_parsers_agree(document)
    a, b = read.nodes["http://example.org/a"], read.nodes["http://example.org/b"]
    assert (a["ex:value"], b["ex:value"]) == ("1", "abc")
    assert (a["ex:ratio"], b["ex:ratio"]) == (0.5, 2.0)
    assert (a["ex:flag"], b["ex:flag"]) == ("true", "1")
    assert (a["ex:note"], a["ex:big"], b["ex:huge"]) == ("x | y", 5000000000, "1")


@pytest.mark.parametrize("kind", KINDS)
def test_every_network_keeps_the_rules_with_lowercase_booleans(store: MemoryStore, kind: str) -> None:
    network = build_network(store, kind)
    document = to_graphml(network)
    assert graphml_problems(document) == gephi_problems(document) == []
    assert b">True<" not in document and b">False<" not in document
    ids = edge_ids(document)
    assert len(ids) == len(set(ids)) == network.number_of_edges()
    read, _ = assert_both_parsers_agree(document)
    if kind == "two-mode":
        assert (
            key_types(document, "edge")["hedged"] == "boolean"
            and key_types(document, "edge")["value"] == "int"
        )
        assert {data["label"] for *_, data in read.edges(data=True)} >= {"supports"}
    if kind == "congruence":
        assert key_types(document, "edge")["weight"] == "int"
        assert "Canada joins Golden Dome" in {data["label"] for *_, data in read.edges(data=True)}


@pytest.mark.parametrize(("kind", "window"), [("two-mode", "1m"), ("congruence", "3m")])
def test_a_timeline_keeps_gephis_start_and_end(corpus: MemoryStore, kind: str, window: str) -> None:
    series = windowed_networks(position_records(corpus), kind, window=window)
    timeline = timeline_network(series)
    assert timeline.number_of_edges() > 0
    document = to_graphml(timeline)
    assert graphml_problems(document) == gephi_problems(document) == []
    for domain in ("node", "edge"):
        types = key_types(document, domain)
        assert (types["start"], types["end"], types["timeset"], types["windows"]) == (
            "string",
            "string",
            "string",
            "int",
        )
    read, other = assert_both_parsers_agree(document)
    for data in [*(data for _, data in read.nodes(data=True)), *(data for *_, data in read.edges(data=True))]:
        assert data["start"] <= data["end"] and len(data["start"]) == 10  # yyyy-MM-dd, as Gephi parses them
    assert all(edge["start"] for edge in other.es)
    assert len(set(edge_ids(document))) == timeline.number_of_edges()


def test_edges_whose_ends_read_alike_still_get_two_ids() -> None:
    graph: nx.MultiGraph[str] = nx.MultiGraph()
    graph.add_edge("a", "b", key=0)
    graph.add_edge("a", "b", key="0")
    graph.add_edge("b", "a", key=1)
    document = write_graphml(graph)
    assert graphml_problems(document) == []
    assert len(set(edge_ids(document))) == 3
    # Undirected: the ends in text order, so the id does not depend on which was added first.
    flipped: nx.MultiGraph[str] = nx.MultiGraph()
    flipped.add_edge("b", "a", key=1)
    assert edge_ids(write_graphml(flipped)) == [edge_ids(document)[-1]]
    with pytest.raises(ValueError, match="same id"):
        write_graphml(nx.Graph([(1, "1")]))


def test_text_xml_cannot_carry_is_replaced_and_non_finite_numbers_are_text() -> None:
    graph: nx.Graph[str] = nx.Graph()
    graph.add_node("a", note="bell\x07 and tab\t", score=float("inf"))
    graph.add_node("b", score=1.5)
    document = write_graphml(graph)
    assert graphml_problems(document) == []
    read = nx.read_graphml(io.BytesIO(document))
    assert read.nodes["a"]["note"] == "bell\ufffd and tab\t"
    assert (read.nodes["a"]["score"], read.nodes["b"]["score"]) == ("inf", "1.5")


def test_the_checks_catch_what_networkx_writer_gave(store: MemoryStore) -> None:
    # The export as it was: edges keyed by their predicate, written by networkx with its d0, d1 ... keys.
    old: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for source, target, data in rdf_to_networkx(ego_subgraph(store, "canada", 2)).edges(data=True):
        old.add_edge(source, target, key=data["label"], **data)
    old.add_node(str(entity("canada")), hedged=True, a=1, b=2, c=3)
    document = "\n".join(nx.generate_graphml(old)).encode("utf-8")
    problems = graphml_problems(document)
    assert any("edge id 'sg:holder' used twice" in problem for problem in problems)
    assert any("'True' is no boolean" in problem for problem in problems)
    assert any("'d3'" in problem for problem in gephi_problems(document))
