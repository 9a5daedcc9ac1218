"""/subgraph on the Golden Dome data: every export, parsed back, holds exactly the subgraph asked for."""

from __future__ import annotations

import csv
import io

import httpx
import networkx as nx
import pytest
from rdflib import OWL, RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_canonical_graph

from graph.export import export_iri
from graph.namespaces import SG, slug_of
from graph.stores.memory import MemoryStore
from graph.subgraph import cbd, ego_subgraph
from tests.ontology.owl import check_owl_dl

DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def client(golden_dome_client: httpx.Client) -> httpx.Client:
    return golden_dome_client


@pytest.fixture(scope="module")
def store(golden_dome: MemoryStore) -> MemoryStore:
    return golden_dome


@pytest.fixture(scope="module")
def canada(store: MemoryStore) -> Graph:
    return ego_subgraph(store, "canada", depth=2)


def download(client: httpx.Client, format: str, **params: str | int) -> httpx.Response:
    response = client.get("/subgraph", params={"focus": "canada", "depth": 2, "format": format, **params})
    assert response.status_code == 200, response.text
    return response


def links(graph: Graph) -> set[tuple[str, str, str]]:
    """The object-valued triples other than rdf:type between named nodes: what GraphML and CSV carry as
    edges (those of a blank node, a stated link's axiom annotation, carry the label each answer gives it)."""
    return {
        (str(s), str(p), str(o))
        for s, p, o in graph
        if p != RDF.type and not isinstance(o, Literal | BNode) and not isinstance(s, BNode)
    }


def named(edges: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    return {edge for edge in edges if not edge[0].startswith("_:")}


@pytest.mark.parametrize(("format", "rdflib_format"), [("ntriples", "nt"), ("jsonld", "json-ld")])
def test_plain_rdf_exports_hold_exactly_the_subgraph(
    client: httpx.Client,
    canada: Graph,
    format: str,
    rdflib_format: str,
) -> None:
    response = download(client, format)
    assert isomorphic(Graph().parse(data=response.content, format=rdflib_format), canada)


@pytest.mark.parametrize(
    ("format", "rdflib_format", "extension"), [("turtle", "turtle", "ttl"), ("rdfxml", "xml", "owl")]
)
def test_owl_exports_hold_the_subgraph_and_declarations_only(
    client: httpx.Client,
    canada: Graph,
    format: str,
    rdflib_format: str,
    extension: str,
) -> None:
    response = download(client, format)
    assert response.headers["content-disposition"] == f'attachment; filename="canada-depth2.{extension}"'
    document = Graph().parse(data=response.content, format=rdflib_format)
    header = export_iri("canada-depth2")
    assert (header, RDF.type, OWL.Ontology) in document
    assert not set(document.objects(None, OWL.imports))
    # Blank nodes (stated links' axiom annotations) compared by their canonical labels.
    subgraph, exported = set(to_canonical_graph(canada)), set(to_canonical_graph(document))
    assert subgraph <= exported
    declared = {s for s, kind in document.subject_objects(RDF.type) if kind in DECLARATION_TYPES}
    added = exported - subgraph
    assert {s for s, _, _ in added} <= declared | {header}
    assert not any(str(s).startswith("https://w3id.org/stancegraph/id/") for s in declared)


def test_the_turtle_export_is_owl_2_dl(client: httpx.Client) -> None:
    assert check_owl_dl(download(client, "turtle").content) == []


def test_graphml_loads_in_networkx_with_the_subgraphs_edges(client: httpx.Client, canada: Graph) -> None:
    response = download(client, "graphml")
    assert response.headers["content-disposition"] == 'attachment; filename="canada-depth2.graphml"'
    network = nx.read_graphml(io.BytesIO(response.content))
    edges = {(s, data["predicate"], o) for s, o, data in network.edges(data=True)}
    assert named(edges) == links(canada)
    assert network.nodes[str(URIRef("https://w3id.org/stancegraph/id/canada"))]["label"] == "Canada"


def test_csv_is_the_edge_list(client: httpx.Client, canada: Graph) -> None:
    response = download(client, "csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert named({(row["source"], row["predicate"], row["target"]) for row in rows}) == links(canada)
    assert len(rows) == len([t for t in canada if t[1] != RDF.type and not isinstance(t[2], Literal | BNode)])


def test_depth_and_mode_choose_the_subgraph(client: httpx.Client, store: MemoryStore) -> None:
    one_hop = download(client, "ntriples", depth=1)
    assert isomorphic(Graph().parse(data=one_hop.content, format="nt"), ego_subgraph(store, "canada", 1))
    described = download(client, "ntriples", mode="cbd")
    assert described.headers["content-disposition"] == 'attachment; filename="canada-cbd.nt"'
    assert isomorphic(Graph().parse(data=described.content, format="nt"), cbd(store, "canada"))


def test_depth_counts_hops_over_the_rdf_graph(client: httpx.Client) -> None:
    def positions(depth: int) -> set[str | None]:
        response = download(client, "ntriples", focus="canadian-officials", depth=depth)
        graph = Graph().parse(data=response.content, format="nt")
        return {slug_of(str(position)) for position in graph.subjects(RDF.type, SG.Position)}

    # Hop 1: the officials' position and the government they belong to; hop 2: the government's
    # position and the position's target, named; hop 3: the other positions on that target.
    officials, government = (
        "canadian-officials-optimistic-about-joining",
        "canadian-government-assesses-ramifications",
    )
    assert positions(1) == {officials}
    assert positions(2) == {officials, government}
    assert {officials, government, "experts-support-joining", "analysts-support-joining"} <= positions(3)


def test_accept_chooses_the_format_and_turtle_is_the_default(client: httpx.Client) -> None:
    response = client.get("/subgraph", params={"focus": "canada"}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    response = client.get("/subgraph", params={"focus": "canada"})
    assert response.headers["content-type"].startswith("text/turtle")
    response = client.get("/subgraph", params={"focus": "canada"}, headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_bad_requests_name_what_is_wrong(client: httpx.Client) -> None:
    response = client.get("/subgraph", params={"focus": "atlantis"})
    assert response.status_code == 404
    assert "atlantis" in response.json()["message"]
    response = client.get("/subgraph", params={"focus": "canada", "depth": 9})
    assert response.status_code == 422
    assert "depth" in response.json()["message"]
    response = client.get("/subgraph", params={"focus": "canada", "mode": "everything"})
    assert response.status_code == 422
    assert "mode" in response.json()["message"]
    for focus in ("\u0096\u0001", "http://e/a b"):  # not an IRI the engine takes, in either mode
        for mode in ("ego", "cbd"):
            response = client.get("/subgraph", params={"focus": focus, "mode": mode})
            assert response.status_code == 422
            assert "focus" in response.json()["message"]


CONSTRUCT = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
CONSTRUCT { ?position sg:holder ?holder ; sg:target ?target }
WHERE { ?position sg:stance sg:supports ; sg:holder ?holder ; sg:target ?target }
"""


def post(client: httpx.Client, query: str, **params: str) -> httpx.Response:
    return client.post(
        "/subgraph", content=query, params=params, headers={"Content-Type": "application/sparql-query"}
    )


def test_a_construct_query_is_exported(client: httpx.Client, store: MemoryStore) -> None:
    response = post(client, CONSTRUCT, format="ntriples")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="construct.nt"'
    exported = Graph().parse(data=response.content, format="nt")
    expected = Graph().parse(
        data=store.query(CONSTRUCT, graph_media_type="application/n-triples").read(), format="nt"
    )
    assert isomorphic(exported, expected)
    assert len(exported) == 6  # experts, analysts and (issue 16) Trump on the program
    turtle = post(client, CONSTRUCT)
    assert check_owl_dl(turtle.content) == []


def test_only_construct_and_describe_are_exported(client: httpx.Client) -> None:
    response = post(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert response.status_code == 400
    assert "CONSTRUCT" in response.json()["message"]
    response = post(client, "DESCRIBE <https://w3id.org/stancegraph/id/canada>", format="ntriples")
    assert response.status_code == 200


def test_a_construct_goes_through_the_query_policy(client: httpx.Client) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = post(client, query)
    assert response.status_code == 400
    assert "SERVICE" in response.json()["message"]
    response = client.post("/subgraph", content=CONSTRUCT, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
