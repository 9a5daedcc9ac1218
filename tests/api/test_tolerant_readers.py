"""Readers tolerate what the store holds: ill-typed or unexpected values never give a 5xx.

A scratch service (a real uvicorn on loopback, its own memory store with the
embedded data, writes allowed) is given the fictional values of
``tests/data/tolerant/ill-typed.ttl``: stance values that are words, fractions,
IRIs or too large, booleans that are not, offsets negative, reversed, past the
text or not numbers, labels typed as integers or IRIs, positions without a holder
or with a blank one, two values where one belongs. Then every GET route the
OpenAPI document lists is asked, in every format it declares: each answers, never
with a 5xx nor a refusal of the valid request, with a body that parses as its
content type; and the bad values are shown as stored (the lexical form, as a
string) or left out.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from api.settings import Settings
from tests.api.support import TOKEN, RunningService, serve

BAD_DATA = Path(__file__).resolve().parent.parent / "data" / "tolerant" / "ill-typed.ttl"
BAD_GRAPH = "https://w3id.org/stancegraph/graph/tolerant-test"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# The write the issue reported: one ill-typed stance value on a seed position.
ISSUE_UPDATE = f"""PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX sgd: <https://w3id.org/stancegraph/id/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA {{ GRAPH <{BAD_GRAPH}> {{
  sgd:canada-in-talks-to-join-golden-dome sg:stanceValue "abc"^^xsd:integer }} }}"""

# Ids the parameterised routes are asked about: seed entities the bad positions hang on, and the bad ones.
IDS: dict[str, tuple[str, ...]] = {
    "stakeholders": (
        "canada",
        "experts",
        "tolerant-numbered",
        "tolerant-iri-labelled",
        "tolerant-unlabelled",
        "tolerant-twice-labelled",
    ),
    "programs": ("golden-dome",),
    "concerns": ("national-security",),
    "measures": ("collaborative-military-drills",),
    "threats": ("missile-threats",),
    "documents": ("golden-dome-canada", "tolerant-document"),
}
POSITIONS = (
    "tolerant-word-value",
    "tolerant-fraction-value",
    "tolerant-huge-value",
    "tolerant-two-values",
    "tolerant-iri-value",
    "tolerant-not-a-number",
    "tolerant-no-holder",
    "tolerant-blank-holder",
    "tolerant-literal-ends",
    "tolerant-labels-position",
)
IDS["positions"] = POSITIONS  # a position's history: the malformed ones too
FOCI = (
    "canada",
    "tolerant-word-value",
    "tolerant-word-value-ev1",
    "tolerant-blank-holder",
    "experts",
    "tolerant-numbered",
    "tolerant-document",
)
# Values for required parameters that are not ids of a collection.
TEXT_VALUES: dict[str, tuple[str, ...]] = {"q": ("tolerant", "5", "canada"), "text": ("tolerant", "5")}
ID_PARAMETERS: dict[str, tuple[str, ...]] = {
    "position": POSITIONS,
    "stakeholder": ("canada", "tolerant-numbered", "tolerant-twice-labelled"),
    "holder": ("canada",),
    "focus": FOCI[:4],
    "from": ("canada",),
    "to": ("tolerant-numbered", "tolerant-blank-holder"),
    "document": ("golden-dome-canada", "tolerant-document"),
}
# The coding routes read what was coded: a document's text, the revisions of a position coded in a
# document graph. Triples written by other means (the tolerant graph) were never coded: a 404 says so.
CODED_ONLY = re.compile(
    r"/documents/tolerant-document/(text|suggestions)|/positions/tolerant-[a-z-]+/history|/agreement"
)
PATH_VALUES: dict[str, tuple[str, ...]] = {
    "slug": tuple(dict.fromkeys(FOCI + POSITIONS[:4])),
    "name": ("positions-of-stakeholder",),
}


@pytest.fixture(scope="module")
def tolerant() -> Iterator[RunningService]:
    """A scratch service on the embedded data, holding the fictional bad values besides."""
    with serve(Settings(store="memory", write_token=TOKEN)) as running, running.client() as client:
        stored = client.post(
            "/store",
            params={"graph": BAD_GRAPH},
            content=BAD_DATA.read_bytes(),
            headers={**AUTH, "Content-Type": "text/turtle"},
        )
        assert stored.status_code in (200, 201, 204), stored.text
        inserted = client.post(
            "/update",
            content=ISSUE_UPDATE,
            headers={**AUTH, "Content-Type": "application/sparql-update"},
        )
        assert inserted.status_code in (200, 204), inserted.text
        yield running


# --- every GET route, every format ---------------------------------------------------------


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _resolve(spec, spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
    return schema


def _enum(spec: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    schema = _resolve(spec, schema)
    if "enum" in schema:
        return list(schema["enum"])
    for option in schema.get("anyOf", ()):
        if found := _enum(spec, option):
            return found
    return []


def _path_values(path: str, name: str) -> tuple[str, ...]:
    if name == "id" or (name == "slug" and path.startswith("/documents/")):
        return IDS[path.strip("/").split("/")[0]]
    return PATH_VALUES.get(name, ())


# Parameters that mean something only beside another: a kernel weighs positions within a window.
NEEDS: dict[str, dict[str, str]] = {"kernel": {"window": "1m"}}


def requests_for(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, str], str]]:
    """(path, query parameters, Accept) for every GET route of ``spec``: each value of each enum
    parameter in turn (the others left to their defaults), each required parameter from the ids
    above, each media type the route declares."""
    for template, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        operation = operations["get"]
        parameters = operation.get("parameters", [])
        paths = [template]
        required: list[dict[str, str]] = [{}]
        optional: list[dict[str, str]] = []
        for parameter in parameters:
            name, choices = parameter["name"], _enum(spec, parameter["schema"])
            if parameter["in"] == "path":
                values = tuple(choices) or _path_values(template, name)
                paths = [path.replace("{" + name + "}", value) for path in paths for value in values]
            elif parameter.get("required"):
                values = TEXT_VALUES.get(name) or ID_PARAMETERS.get(name) or ("canada",)
                required = [{**given, name: value} for given in required for value in values]
            elif choices and name != "format":  # the default value is asked already, by leaving it out
                default = _resolve(spec, parameter["schema"]).get(
                    "default", parameter["schema"].get("default")
                )
                partner = NEEDS.get(name, {})
                optional += [{name: value, **partner} for value in choices if value != default]
        variations = required + [{**required[0], **extra} for extra in optional]
        media_types = list(operation["responses"].get("200", {}).get("content", {})) or ["*/*"]
        for path in paths:
            for params in variations:
                for media_type in media_types:
                    yield path, params, media_type


def parse_body(response: httpx.Response) -> Any:
    """The body parsed as its content type says; raises if it does not parse."""
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    body = response.content
    if media_type == "application/ld+json":
        json.loads(body)
        return Graph().parse(data=body, format="json-ld")
    if media_type in ("application/json", "application/sparql-results+json"):
        return json.loads(body)
    if media_type in ("text/turtle", "application/n-triples", "application/rdf+xml"):
        return Graph().parse(
            data=body,
            format={"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}[
                media_type
            ],
        )
    if media_type == "application/graphml+xml":
        return nx.read_graphml(io.BytesIO(body))
    if media_type == "application/sparql-results+xml":
        return ElementTree.fromstring(body)
    if media_type == "text/tab-separated-values":
        return list(ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV))
    if media_type == "text/csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8"))))
    if media_type == "text/html":
        HTMLParser().feed(body.decode("utf-8"))
        return body.decode("utf-8")
    if media_type in ("text/plain", "application/sparql-query", "text/javascript", "text/css"):
        return body.decode("utf-8")
    raise AssertionError(f"unexpected content type {media_type!r} from {response.request.url}")


def _failures(client: httpx.Client, asked: list[tuple[str, dict[str, str], str]]) -> list[str]:
    failures = []
    for path, params, media_type in asked:
        try:
            response = client.get(path, params=params, headers={"Accept": media_type})
        except httpx.HTTPError as error:  # a server that dropped the connection failed the request
            failures.append(f"GET {path} {params} ({media_type}): {error!r}")
            continue
        # Every request asked is valid, so what the store holds must not turn one down either. Only
        # /store needs a graph named, and a media type a route lists for its errors is not served.
        refused = response.status_code >= 400 and not (
            path == "/store"
            or response.status_code == 406
            or (response.status_code in (404, 422) and CODED_ONLY.match(path))
        )
        if response.status_code >= 500 or refused:
            failures.append(
                f"{response.status_code} GET {response.request.url} ({media_type}): {response.text[:300]}"
            )
            continue
        try:
            parse_body(response)
        except Exception as error:  # noqa: BLE001 - every unparsable body is listed, then the test fails
            failures.append(f"unparsable {media_type} from GET {response.request.url}: {error!r}")
    return failures


def test_every_get_route_answers_in_every_format_with_a_body_that_parses(tolerant: RunningService) -> None:
    # As the write token's admin: a route that says who is asking (/coders/me) answers it too.
    with tolerant.client(headers=AUTH) as client:
        asked = [*requests_for(client.get("/openapi.json").json()), ("/", {}, "text/html")]
        assert len(asked) > 300  # every route, every format: the enumeration itself did not shrink
        assert _failures(client, asked) == []


def test_a_data_file_holding_bad_values_is_served(tmp_path: Path) -> None:
    # The same values read from --data files at start rather than written later.
    from graph.dataset import embedded_nquads

    corpus = tmp_path / "corpus.nq"
    corpus.write_bytes(embedded_nquads())
    settings = Settings(store="memory", data=[corpus, BAD_DATA], union_default_graph=True)
    with serve(settings) as running, running.client() as client:
        asked = [
            (path, {}, media_type)
            for path in (
                "/positions",
                "/stakeholders/canada",
                "/programs/golden-dome",
                "/network/two-mode",
                "/documents/golden-dome-canada",
                "/queries/stance-distribution",
                "/id/canada",
            )
            for media_type in (
                "application/json",
                "text/html" if path.startswith("/id/") else "application/ld+json",
            )
        ]
        assert _failures(client, asked) == []
        values = {
            item["id"]: item["value"]
            for item in client.get("/positions", params={"limit": 1000}).json()["items"]
        }
        assert values["tolerant-word-value"] == "abc"


# --- the bad values, shown as stored or left out ---------------------------------------------


def _positions(client: httpx.Client, **params: str) -> dict[str, dict[str, Any]]:
    page = client.get("/positions", params={"limit": "1000", **params}).json()
    assert page["total"] == len(page["items"])
    return {item["id"]: item for item in page["items"]}


def test_positions_show_values_as_stored(tolerant: RunningService) -> None:
    with tolerant.client() as client:
        listed = _positions(client)
    assert listed["tolerant-word-value"]["value"] == "abc"
    assert (listed["tolerant-fraction-value"]["value"], listed["tolerant-fraction-value"]["hedged"]) == (
        "1.5",
        "x",
    )
    assert listed["tolerant-fraction-value"]["hedgeCues"] == ["7"]
    # Past the engine's 64-bit integers, and not numbers JSON can hold: their text.
    assert listed["tolerant-huge-value"]["value"] == "123456789012345678901234567890"
    assert listed["tolerant-not-a-number"]["value"] == "NaN"
    assert listed["tolerant-not-a-number"]["hedged"] is True  # "1"^^xsd:boolean is well-formed
    iri_valued = listed["tolerant-iri-value"]
    assert (iri_valued["value"], iri_valued["hedged"]) == ("http://example.org/two", "http://example.org/yes")
    assert (iri_valued["regarding"], iri_valued["evidence"]) == (None, [])  # literals where entities belong
    assert listed["tolerant-huge-value"]["attribution"] == "direct"  # a literal where a concept belongs
    assert listed["canada-in-talks-to-join-golden-dome"]["value"] in (0, "abc")  # two values: one of them
    assert listed["tolerant-two-values"]["value"] in (2, -2)
    # No IRI to list them by: a position with no holder, a blank or literal holder, a blank position.
    assert {"tolerant-no-holder", "tolerant-blank-holder", "tolerant-literal-ends"}.isdisjoint(listed)
    assert all(item["iri"].startswith("https://w3id.org/stancegraph/id/") for item in listed.values())


def test_evidence_offsets_are_shown_as_stored(tolerant: RunningService) -> None:
    with tolerant.client() as client:
        listed = _positions(client, holder="canada")
        document = client.get("/documents/golden-dome-canada").json()
    [span] = listed["tolerant-word-value"]["evidence"]
    # "-5"^^xsd:nonNegativeInteger: Oxigraph keeps it as the integer -5; either way its text is "-5".
    assert (str(span["start"]), span["end"], span["garbled"]) == ("-5", "abc", "maybe")
    spans = {span["id"]: span for span in document["evidence"]}
    assert (spans["tolerant-reversed-ev1"]["start"], spans["tolerant-reversed-ev1"]["end"]) == (50, 10)
    assert spans["tolerant-reversed-ev1"]["quote"] == "12"
    assert spans["tolerant-past-end-ev1"]["end"] == 1000000015
    assert document["text"] is not None and len(document["text"]) < 1000000000
    assert len(spans) == len(document["evidence"])  # a span with two documents or offsets comes once


def test_labels_are_shown_as_stored(tolerant: RunningService, golden_dome_client: httpx.Client) -> None:
    with tolerant.client() as client:
        labels = {slug: client.get(f"/stakeholders/{slug}").json() for slug in IDS["stakeholders"]}
        found = client.get("/search", params={"q": "5"}).json()["items"]
        measure = client.get("/measures/collaborative-military-drills").json()
        threat = client.get("/threats/missile-threats").json()
    assert labels["tolerant-numbered"]["label"] == "5"
    assert labels["tolerant-numbered"]["aliases"] == []  # a blank node names nothing
    assert labels["tolerant-iri-labelled"]["label"] == "http://example.org/label"
    assert labels["tolerant-unlabelled"]["label"] == "tolerant-unlabelled"  # its id
    assert labels["tolerant-twice-labelled"]["label"] == "Tolerant group"  # English first, then in order
    assert [(hit["id"], hit["matched"]) for hit in found] == [("tolerant-numbered", "5")]
    assert threat["label"] == "Missile threats"  # the English label before the integer one
    # The literal status "proposed" names no concept: the stated one stays.
    assert (
        measure["status"]
        == golden_dome_client.get("/measures/collaborative-military-drills").json()["status"]
    )


def test_networks_list_unusable_values_but_leave_them_out_of_the_arithmetic(tolerant: RunningService) -> None:
    with tolerant.client() as client:
        two_mode = client.get("/network/two-mode").json()
        graphml = nx.read_graphml(
            io.BytesIO(client.get("/network/two-mode", params={"format": "graphml"}).content)
        )
        congruence = client.get("/network/congruence").json()
    values = {link["position"]: link["value"] for link in two_mode["links"]}
    assert (values["tolerant-word-value"], values["tolerant-fraction-value"]) == ("abc", "1.5")
    assert values["tolerant-huge-value"] == "123456789012345678901234567890"
    edge_values = {data["position"]: data["value"] for _, _, data in graphml.edges(data=True)}
    assert edge_values["https://w3id.org/stancegraph/id/tolerant-word-value"] == "abc"
    assert not any(node["id"] in ("Canada", "Golden Dome") for node in two_mode["nodes"])  # literal ends
    # The experts oppose Golden Dome only with "1.5": that is no opposition to anyone's support.
    assert all(link["weight"] > 0 for link in congruence["links"])
    from graph.network import PositionRecord, congruence_network, two_mode_network

    records = [
        PositionRecord("urn:1", "urn:a", "A", "urn:t", "T", value="abc"),
        PositionRecord("urn:2", "urn:b", "B", "urn:t", "T", value="abc"),
    ]
    assert list(congruence_network(records).edges) == []
    assert sorted(congruence_network(records).nodes) == ["urn:a", "urn:b"]
    assert {data["value"] for _, _, data in two_mode_network(records).edges(data=True)} == {"abc"}


def test_named_queries_and_pages_show_values_as_stored(tolerant: RunningService) -> None:
    with tolerant.client() as client:
        rows = client.get("/queries/stance-distribution").json()["rows"]
        page = client.get("/id/canada", headers={"Accept": "text/html"}).text
        jsonld = Graph().parse(
            data=client.get(
                "/positions", params={"holder": "canada"}, headers={"Accept": "application/ld+json"}
            ).content,
            format="json-ld",
        )
    assert {"abc", "NaN", "1.5"} <= {row["value"] for row in rows}
    assert "<dd>abc</dd>" in page or ">abc<" in page
    assert "characters -5–abc" in page
    # JSON-LD reads the text back as the literal stored: "abc"^^xsd:integer.
    stored = {
        str(value)
        for value in jsonld.objects(predicate=URIRef("https://w3id.org/stancegraph/ontology#stanceValue"))
    }
    assert "abc" in stored
