"""Real SPARQL clients reading our endpoint: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from tests.api.support import EX, RunningService

NAMES = "PREFIX ex: <http://example.org/> SELECT ?name WHERE { ?person ex:name ?name } ORDER BY ?name"
CONSTRUCT = "PREFIX ex: <http://example.org/> CONSTRUCT { ?s ex:name ?o } WHERE { ?s ex:name ?o }"


def wrapper(service: RunningService, query: str, return_format: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(f"{service.url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setMethod(method)
    return client


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_json(service: RunningService, method: str) -> None:
    result = wrapper(service, NAMES, JSON, method).queryAndConvert()
    assert [row["name"]["value"] for row in result["results"]["bindings"]] == ["Alice", "Bob"]


def test_sparqlwrapper_select_xml(service: RunningService) -> None:
    document = wrapper(service, NAMES, XML).queryAndConvert()
    assert [node.firstChild.data for node in document.getElementsByTagName("literal")] == ["Alice", "Bob"]


def test_sparqlwrapper_select_csv(service: RunningService) -> None:
    text = wrapper(service, NAMES, CSV).queryAndConvert().decode()
    assert text.split() == ["name", "Alice", "Bob"]


def test_sparqlwrapper_ask(service: RunningService) -> None:
    query = "PREFIX ex: <http://example.org/> ASK { ex:alice ex:knows ex:bob }"
    assert wrapper(service, query, JSON).queryAndConvert()["boolean"] is True


@pytest.mark.parametrize("return_format", [XML, TURTLE])
def test_sparqlwrapper_construct(service: RunningService, return_format: str) -> None:
    graph = wrapper(service, CONSTRUCT, return_format).queryAndConvert()
    if not isinstance(graph, Graph):
        graph = Graph().parse(data=graph, format="turtle")
    assert (URIRef(EX + "alice"), URIRef(EX + "name"), Literal("Alice")) in graph


def test_sparqlwrapper_with_a_default_graph(service: RunningService) -> None:
    client = wrapper(service, NAMES, JSON)
    client.addDefaultGraph(EX + "g2")
    result = client.queryAndConvert()
    assert [row["name"]["value"] for row in result["results"]["bindings"]] == ["Dave", "Erin"]


def test_rdflib_sparqlstore_reads_our_endpoint(service: RunningService) -> None:
    store = SPARQLStore(f"{service.url}/sparql")
    graph = Graph(store=store)
    rows = graph.query(NAMES)
    assert [str(row[0]) for row in rows] == ["Alice", "Bob"]
    assert (URIRef(EX + "alice"), URIRef(EX + "knows"), URIRef(EX + "bob")) in graph
    assert set(graph.objects(URIRef(EX + "bob"), URIRef(EX + "name"))) == {Literal("Bob")}
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None
    assert len(constructed) == 2
    store.close()


def test_rdflib_sparqlstore_with_post(service: RunningService) -> None:
    store = SPARQLStore(f"{service.url}/sparql", method="POST_FORM")
    rows = Graph(store=store).query("ASK { ?s ?p ?o }")
    assert rows.askAnswer is True
    store.close()
