"""The SPARQL 1.1 Protocol at /sparql, through a real uvicorn on loopback."""

from __future__ import annotations

import io
import json
import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.query import Result

from tests.api.support import EX, RunningService

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
NAMES = "PREFIX ex: <http://example.org/> SELECT ?name WHERE { ?person ex:name ?name } ORDER BY ?name"
CONSTRUCT = "PREFIX ex: <http://example.org/> CONSTRUCT { ?s ex:name ?o } WHERE { ?s ex:name ?o }"

RESULT_PARSERS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_PARSERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def names(response: httpx.Response) -> list[str]:
    parser = RESULT_PARSERS[media_type(response)]
    result = Result.parse(io.BytesIO(response.content), format=parser)
    return [str(row[0]) for row in result]


def graph_of(response: httpx.Response) -> Graph:
    data = Dataset()
    data.parse(data=response.content, format=GRAPH_PARSERS[media_type(response)])
    graph = Graph()
    for s, p, o, _ in data.quads():
        graph.add((s, p, o))
    return graph


# --- the three ways to send a query -------------------------------------------------------


def test_get_answers_sparql_json_by_default(service: RunningService) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": NAMES})
    assert response.status_code == 200
    assert media_type(response) == "application/sparql-results+json"
    assert names(response) == ["Alice", "Bob"]


def test_post_form(service: RunningService) -> None:
    response = httpx.post(f"{service.url}/sparql", data={"query": NAMES})
    assert response.status_code == 200
    assert names(response) == ["Alice", "Bob"]


def test_post_direct(service: RunningService) -> None:
    response = httpx.post(
        f"{service.url}/sparql",
        content=NAMES.encode(),
        headers={"Content-Type": "application/sparql-query; charset=utf-8"},
    )
    assert response.status_code == 200
    assert names(response) == ["Alice", "Bob"]


def test_post_other_content_type_is_415(service: RunningService) -> None:
    response = httpx.post(f"{service.url}/sparql", content=NAMES, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert "application/sparql-query" in response.json()["message"]


def test_two_query_parameters_are_400(service: RunningService) -> None:
    response = httpx.get(f"{service.url}/sparql", params=[("query", NAMES), ("query", NAMES)])
    assert response.status_code == 400


# --- result formats and negotiation --------------------------------------------------------


@pytest.mark.parametrize("accept", list(RESULT_PARSERS))
def test_select_in_every_results_format(service: RunningService, accept: str) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": NAMES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert media_type(response) == accept
    assert names(response) == ["Alice", "Bob"]


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask(service: RunningService, accept: str) -> None:
    query = "PREFIX ex: <http://example.org/> ASK { ex:alice ex:knows ex:bob }"
    response = httpx.get(f"{service.url}/sparql", params={"query": query}, headers={"Accept": accept})
    assert media_type(response) == accept
    assert Result.parse(io.BytesIO(response.content), format=RESULT_PARSERS[accept]).askAnswer is True


@pytest.mark.parametrize("accept", list(GRAPH_PARSERS))
def test_construct_in_every_rdf_format(service: RunningService, accept: str) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert media_type(response) == accept
    assert {str(o) for o in graph_of(response).objects()} == {"Alice", "Bob"}


def test_describe(service: RunningService) -> None:
    query = "DESCRIBE <http://example.org/alice>"
    response = httpx.get(f"{service.url}/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    assert media_type(response) == "text/turtle"
    assert (URIRef(EX + "alice"), URIRef(EX + "knows"), URIRef(EX + "bob")) in graph_of(response)


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
        ("text/*", "text/csv"),
        ("*/*", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("image/png, text/csv;q=0.2", "text/csv"),
    ],
)
def test_accept_with_q_values(service: RunningService, accept: str, chosen: str) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": NAMES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert media_type(response) == chosen


def test_construct_negotiates_among_rdf_formats(service: RunningService) -> None:
    accept = "application/rdf+xml;q=0.3, application/n-triples;q=0.9, text/turtle;q=0.5"
    response = httpx.get(f"{service.url}/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert media_type(response) == "application/n-triples"


@pytest.mark.parametrize(
    ("format_param", "chosen"),
    [("csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values")],
)
def test_format_parameter_wins_over_accept(service: RunningService, format_param: str, chosen: str) -> None:
    response = httpx.get(
        f"{service.url}/sparql",
        params={"query": NAMES, "format": format_param},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert media_type(response) == chosen


def test_format_parameter_for_a_graph(service: RunningService) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": CONSTRUCT, "format": "jsonld"})
    assert media_type(response) == "application/ld+json"


def test_unservable_accept_is_406_naming_what_can_be_served(service: RunningService) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": NAMES}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    body = response.json()
    assert body["error"] == "not-acceptable"
    assert "application/sparql-results+json" in body["message"]
    assert "text/turtle" in body["message"]


def test_results_format_for_a_construct_is_406(service: RunningService) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert "CONSTRUCT" in response.json()["message"]


def test_unknown_format_parameter_is_406(service: RunningService) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": NAMES, "format": "yaml"})
    assert response.status_code == 406


# --- errors --------------------------------------------------------------------------------


def test_malformed_query_is_400_with_line_and_column(service: RunningService) -> None:
    query = "SELECT ?s\nWHERE { ?s ?p }"
    response = httpx.get(f"{service.url}/sparql", params={"query": query})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "syntax"
    assert body["line"] == 2
    assert isinstance(body["column"], int)
    assert "Traceback" not in response.text


def test_body_that_is_not_utf8_is_400(service: RunningService) -> None:
    response = httpx.post(
        f"{service.url}/sparql",
        content=b"SELECT * { ?s ?p '\xff' }",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "target", "body", "field"),
    [
        (
            "GET",
            "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%27%FF%FE%27%20%7D",
            b"",
            "'query' field of the query string",
        ),
        ("POST", "/sparql", b"query=ASK%20%7B%20%3Fs%20%3Fp%20%27%FF%27%20%7D", "'query' field of the form"),
        (
            "POST",
            "/sparql?default-graph-uri=http%3A%2F%2Fe%2F%C3",
            b"query=ASK%20%7B%7D",
            "'default-graph-uri'",
        ),
        ("GET", "/search?q=canad%E1", b"", "'q' field of the query string"),
        ("GET", "/stakeholders?limit=1&%FF=1", b"", "a field name of the query string"),
    ],
)
def test_percent_encoded_bytes_that_are_not_utf8_are_400_naming_the_field(
    service: RunningService, method: str, target: str, body: bytes, field: str
) -> None:
    # Starlette would decode them to U+FFFD and run a query the client never sent.
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    response = httpx.request(method, httpx.URL(service.url + target), content=body, headers=headers)
    assert response.status_code == 400
    assert field in response.json()["message"]
    assert "not valid UTF-8" in response.json()["message"]


def test_nesting_past_the_limit_is_400_naming_it(service: RunningService) -> None:
    query = "ASK " + "{ " * 5000 + "}" * 5000
    response = httpx.post(
        f"{service.url}/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400
    assert "200 deep" in response.json()["message"]


# --- queries waiting on the engine together ------------------------------------------------


def test_each_of_many_concurrent_queries_gets_its_own_answer(service: RunningService) -> None:
    def ask(number: int) -> int:
        query = f"SELECT ?n WHERE {{ BIND({number} AS ?n) }}"
        response = httpx.get(f"{service.url}/sparql", params={"query": query}, timeout=30)
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(ask, range(200))) == list(range(200))


def test_a_query_longer_than_the_engine_socket_buffer_is_answered(service: RunningService) -> None:
    # Too long to be written to the engine from the event loop without waiting: a thread sends it.
    query = "ASK { ?s ?p ?o } # " + "x" * 2_000_000
    response = httpx.post(
        f"{service.url}/sparql",
        content=query,
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert response.status_code == 200
    assert response.json()["boolean"] is True


# --- the protocol's dataset ----------------------------------------------------------------


def test_default_graph_uri_chooses_the_default_graph(service: RunningService) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": NAMES, "default-graph-uri": EX + "g2"})
    assert names(response) == ["Dave", "Erin"]


def test_several_default_graph_uris_merge(service: RunningService) -> None:
    params = [("query", NAMES), ("default-graph-uri", EX + "g1"), ("default-graph-uri", EX + "g2")]
    assert names(httpx.get(f"{service.url}/sparql", params=params)) == ["Carol", "Dave", "Erin"]


def test_default_graph_uri_in_a_form(service: RunningService) -> None:
    response = httpx.post(f"{service.url}/sparql", data={"query": NAMES, "default-graph-uri": EX + "g1"})
    assert names(response) == ["Carol"]


def test_default_graph_uri_with_a_direct_post(service: RunningService) -> None:
    response = httpx.post(
        f"{service.url}/sparql",
        params={"default-graph-uri": EX + "g1"},
        content=NAMES,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert names(response) == ["Carol"]


def test_named_graph_uri_limits_graph_patterns(service: RunningService) -> None:
    query = "PREFIX ex: <http://example.org/> SELECT ?name { GRAPH ?g { ?s ex:name ?name } } ORDER BY ?name"
    everything = httpx.get(f"{service.url}/sparql", params={"query": query})
    assert names(everything) == ["Carol", "Dave", "Erin"]
    only_g1 = httpx.get(f"{service.url}/sparql", params={"query": query, "named-graph-uri": EX + "g1"})
    assert names(only_g1) == ["Carol"]


def test_a_default_graph_uri_that_names_no_graph_is_empty(service: RunningService) -> None:
    response = httpx.get(
        f"{service.url}/sparql", params={"query": NAMES, "default-graph-uri": EX + "nothing"}
    )
    assert response.status_code == 200
    assert names(response) == []


def test_from_a_local_graph_is_allowed(service: RunningService) -> None:
    query = "PREFIX ex: <http://example.org/> SELECT ?name FROM ex:g1 WHERE { ?s ex:name ?name }"
    assert names(httpx.get(f"{service.url}/sparql", params={"query": query})) == ["Carol"]


# --- row cap -------------------------------------------------------------------------------


def test_row_cap_cuts_and_says_so(start_service) -> None:  # type: ignore[no-untyped-def]
    capped = start_service(max_result_rows=1)
    response = httpx.get(f"{capped.url}/sparql", params={"query": NAMES})
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == "true"
    assert len(json.loads(response.content)["results"]["bindings"]) == 1


def test_uncut_result_has_no_truncation_header(service: RunningService) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": NAMES})
    assert "x-result-truncated" not in response.headers


# --- service description, health, docs ----------------------------------------------------


def test_service_description_without_a_query(service: RunningService) -> None:
    response = httpx.get(f"{service.url}/sparql")
    assert response.status_code == 200
    assert media_type(response) == "text/turtle"
    description = Graph().parse(data=response.text, format="turtle")
    endpoints = {str(o) for o in description.objects(None, SD.endpoint)}
    assert endpoints == {f"{service.url}/sparql", f"{service.url}/update"}
    assert (None, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) in description
    assert (None, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV")) in description
    # The sample service runs with the union default graph off.
    assert (None, SD.feature, SD.UnionDefaultGraph) not in description


def test_service_description_by_conneg(service: RunningService) -> None:
    response = httpx.get(f"{service.url}/sparql", headers={"Accept": "application/ld+json"})
    assert media_type(response) == "application/ld+json"
    description = Graph().parse(data=response.text, format="json-ld")
    assert (None, SD.endpoint, URIRef(f"{service.url}/sparql")) in description


def test_union_default_graph_is_described_when_on(start_service) -> None:  # type: ignore[no-untyped-def]
    union = start_service(union_default_graph=True)
    description = Graph().parse(data=httpx.get(f"{union.url}/sparql").text, format="turtle")
    assert (None, SD.feature, SD.UnionDefaultGraph) in description
    assert names(httpx.get(f"{union.url}/sparql", params={"query": NAMES})) == [
        "Alice",
        "Bob",
        "Carol",
        "Dave",
        "Erin",
    ]


def test_health(service: RunningService) -> None:
    assert httpx.get(f"{service.url}/health").json() == {"status": "ok", "store": "memory"}


def test_openapi_documents_every_route(service: RunningService) -> None:
    schema = httpx.get(f"{service.url}/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/sparql"])
    assert {"get", "head", "put", "post", "delete"} <= set(paths["/store"])
    assert "post" in paths["/update"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
    parameters = {p["name"] for p in paths["/sparql"]["get"]["parameters"]}
    assert {"query", "default-graph-uri", "named-graph-uri", "format"} <= parameters
    assert "application/sparql-query" in paths["/sparql"]["post"]["requestBody"]["content"]
    assert "text/csv" in paths["/sparql"]["get"]["responses"]["200"]["content"]


def test_docs_work_offline(service: RunningService) -> None:
    for page in ("/docs", "/redoc"):
        html = httpx.get(f"{service.url}{page}").text
        sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
        assert sources, f"{page} references no assets"
        off_host = [s for s in sources if re.match(r"(https?:)?//", s) and not s.startswith(service.url)]
        assert off_host == [], f"{page} loads {off_host}"
        for source in sources:
            assert httpx.get(f"{service.url}{source}").status_code == 200, source
    assert "cdn" not in httpx.get(f"{service.url}/docs").text.lower()
