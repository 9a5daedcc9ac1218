"""SPARQLWrapper against our endpoint and the Oxigraph server, cell by cell.

Every return format SPARQLWrapper has, for every query form, by GET and by POST:
SPARQLWrapper sends its ``format``/``output`` names (``n3``, ``json-ld``, ``rdf+xml``
...) and an Accept header of its own. Each cell's outcome (what ``convert()`` gives:
JSON results, an XML document, an rdflib graph, or raw bytes) must be the one the
Oxigraph server's gives, and what we answer must hold the right result.

Where the two differ, on purpose: Oxigraph reads only Accept, and SPARQLWrapper sends
``*/*`` for JSON and RDF on CONSTRUCT and DESCRIBE; we read the names, as Fuseki does
(``json`` is JSON-LD, ``rdf`` is RDF/XML for a graph), so those cells give a graph where
Oxigraph gives its default N-Quads as bytes. A name of the other kind (``turtle`` for
SELECT) is passed over and Accept decides, as with Oxigraph.

Both servers hold the sample data of :mod:`tests.api.support` with standard dataset
semantics (the default graph is the default graph). The data is fictional.
"""

from __future__ import annotations

import csv
import io
import subprocess
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError
from xml.dom.minidom import Document, Element, Text

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from tests.api.support import EX, TRIG, RunningService
from tests.graph.conftest import SERVER_START_SECONDS, free_port, oxigraph_executable

RETURN_FORMATS = [JSON, XML, TURTLE, N3, RDF, RDFXML, CSV, TSV, JSONLD]
METHODS = ["GET", "POST"]
QUERIES = {
    "SELECT": f"PREFIX ex: <{EX}> SELECT ?name WHERE {{ ?person ex:name ?name }}",
    "ASK": f"PREFIX ex: <{EX}> ASK {{ ex:alice ex:knows ex:bob }}",
    "CONSTRUCT": f"PREFIX ex: <{EX}> CONSTRUCT {{ ?s ex:name ?o }} WHERE {{ ?s ex:name ?o }}",
    "DESCRIBE": f"PREFIX ex: <{EX}> DESCRIBE ex:alice",
}
NAMES = {"Alice", "Bob"}  # the default graph's names: g1 and g2 are not in it
NAME, KNOWS = URIRef(EX + "name"), URIRef(EX + "knows")
ALICE, BOB = URIRef(EX + "alice"), URIRef(EX + "bob")
EXPECTED_TRIPLES = {
    "CONSTRUCT": {(ALICE, NAME, Literal("Alice")), (BOB, NAME, Literal("Bob"))},
    "DESCRIBE": {(ALICE, NAME, Literal("Alice")), (ALICE, KNOWS, BOB)},
}

# SPARQLWrapper turns these statuses into exceptions of its own (any other stays an HTTPError).
STATUS_OF = {QueryBadFormed: 400, Unauthorized: 401, EndPointNotFound: 404, URITooLong: 414}
STATUS_OF[EndPointInternalError] = 500

# (return format, form): the outcome we give where Oxigraph, reading only Accept, gives another.
BY_NAME = {
    (JSON, "CONSTRUCT"): "graph",
    (JSON, "DESCRIBE"): "graph",
    (RDF, "CONSTRUCT"): "graph",
    (RDF, "DESCRIBE"): "graph",
}


@dataclass(frozen=True)
class Answer:
    """One cell's answer: HTTP status, media type and what ``convert()`` made of it."""

    status: int
    media_type: str
    converted: Any

    @property
    def outcome(self) -> str:
        if self.status != 200:
            return f"HTTP {self.status}"
        if isinstance(self.converted, dict):
            return "json results"
        if isinstance(self.converted, Document):
            return "xml results"
        if isinstance(self.converted, Graph):
            return "graph"
        return "bytes"


def ask(endpoint: str, return_format: str, form: str, method: str) -> Answer:
    client = SPARQLWrapper(endpoint)
    client.setQuery(QUERIES[form])
    client.setReturnFormat(return_format)
    client.setMethod(method)
    # SPARQLWrapper warns of what it does for odd combinations (Accept */*, a format it did not ask for).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = client.query()
        except HTTPError as error:
            return Answer(error.code, "", None)
        except SPARQLWrapperException as error:
            return Answer(STATUS_OF[type(error)], "", None)
        media_type = result.info()["content-type"].split(";")[0].strip()
        return Answer(200, media_type, result.convert())


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``oxigraph serve`` (standard dataset semantics) on the sample data: its query endpoint."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-matrix")
    command = [oxigraph_executable(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with status {process.returncode}")
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("oxigraph serve did not answer") from None
                time.sleep(0.05)
        trig = {"Content-Type": "application/trig"}
        httpx.post(f"{url}/store", content=TRIG.encode(), headers=trig).raise_for_status()
        yield f"{url}/query"
    finally:
        process.kill()
        process.wait(10)


def _solutions(answer: Answer) -> set[str] | bool:
    """The names of a SELECT answer, or the boolean of an ASK one, from whatever it was given as."""
    data = answer.converted
    if isinstance(data, dict):
        if "boolean" in data:
            return bool(data["boolean"])
        return {row["name"]["value"] for row in data["results"]["bindings"]}
    if isinstance(data, Document):
        booleans = data.getElementsByTagName("boolean")
        if booleans:
            return _text(booleans[0]) == "true"
        return {_text(node) for node in data.getElementsByTagName("literal")}
    text = bytes(data).decode("utf-8")
    if text.strip() in ("true", "false"):  # an ASK answer in CSV or TSV: the bare boolean
        return text.strip() == "true"
    if answer.media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
    else:
        rows = [line.split("\t") for line in text.splitlines()]
    return {value.strip('"') for [value] in rows[1:]}


def _text(element: Element) -> str:
    return "".join(node.data for node in element.childNodes if isinstance(node, Text))


def _triples(answer: Answer) -> set[tuple[Any, Any, Any]]:
    data = answer.converted
    if not isinstance(data, Graph):
        parser = {"text/turtle": "turtle", "application/n-quads": "nquads"}[answer.media_type]
        data = Graph().parse(data=data, format=parser) if parser == "turtle" else _nquads(data)
    return set(data)


def _nquads(data: bytes) -> Graph:
    graph = Graph()
    for line in data.decode("utf-8").splitlines():
        if line.strip():
            graph.parse(data=line, format="nt")
    return graph


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("form", list(QUERIES))
@pytest.mark.parametrize("return_format", RETURN_FORMATS)
def test_sparqlwrapper_cell(
    service: RunningService, oxigraph: str, return_format: str, form: str, method: str
) -> None:
    ours = ask(f"{service.url}/sparql", return_format, form, method)
    theirs = ask(oxigraph, return_format, form, method)
    assert theirs.status == 200, "the Oxigraph server answers every cell"
    expected = BY_NAME.get((return_format, form), theirs.outcome)
    assert ours.outcome == expected, f"ours: {ours.media_type}, Oxigraph: {theirs.media_type}"
    if form in ("SELECT", "ASK"):
        assert _solutions(ours) == (NAMES if form == "SELECT" else True)
        assert _solutions(ours) == _solutions(theirs)
    else:
        assert _triples(ours) == EXPECTED_TRIPLES[form]
        assert _triples(ours) == _triples(theirs)


@pytest.mark.parametrize(
    ("return_format", "form", "media_type"),
    [
        (N3, "CONSTRUCT", "text/turtle"),
        (N3, "DESCRIBE", "text/turtle"),
        (JSONLD, "CONSTRUCT", "application/ld+json"),
        (JSONLD, "DESCRIBE", "application/ld+json"),
        (RDFXML, "CONSTRUCT", "application/rdf+xml"),
        (XML, "DESCRIBE", "application/rdf+xml"),
        (JSON, "CONSTRUCT", "application/ld+json"),
        (TSV, "SELECT", "text/tab-separated-values"),
        (JSONLD, "SELECT", "application/sparql-results+json"),
    ],
)
@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrappers_names_choose_the_format(
    service: RunningService, return_format: str, form: str, media_type: str, method: str
) -> None:
    assert ask(f"{service.url}/sparql", return_format, form, method).media_type == media_type
