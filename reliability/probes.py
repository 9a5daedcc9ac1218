"""The request mix of the load runs, each request with the answer the Golden Dome data must give.

A probe is one kind of request (SPARQL SELECT, ASK and CONSTRUCT, REST resources, named
queries, a subgraph export) and a check of its response against what the article
supports: who supports Canada's participation, which concerns are raised, Canada's
label. A check returns ``None`` when the answer is right and says what is wrong otherwise,
so a load run counts wrong answers, not only failed statuses.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pyoxigraph as ox

PREFIXES = """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX sgd: <https://w3id.org/stancegraph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
SGD = "https://w3id.org/stancegraph/id/"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
CANADA = ox.NamedNode(f"{SGD}canada")

SPARQL_JSON = "application/sparql-results+json"
SPARQL_QUERY = "application/sparql-query"

# What the article says, as the coding records it.
SUPPORTERS = ["Analysts", "Donald Trump", "Experts"]  # the only holders with the stance sg:supports
FAVOURABLE_TO_PARTICIPATION = {"Analysts", "Experts", "Canadian officials"}
CONCERNS = {
    "National sovereignty",
    "Military spending",
    "Geopolitical impacts",
    "National security",
    "Political dynamics, domestic and within the U.S.",
}

Check = Callable[[httpx.Response], str | None]


@dataclass(frozen=True)
class Probe:
    """One request of the mix and the check of its answer."""

    name: str
    kind: str  # sparql, rest, named-query, export
    method: str
    path: str
    check: Check
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] | None = None
    content: bytes | None = None

    def request(self, client: httpx.AsyncClient) -> httpx.Request:
        return client.build_request(
            self.method,
            self.path,
            params=self.params,
            headers=self.headers,
            data=self.data,
            content=self.content,
        )


def _status(response: httpx.Response, expected: int = 200) -> str | None:
    if response.status_code != expected:
        return f"status {response.status_code} (expected {expected}): {response.text[:200]}"
    return None


def _json(response: httpx.Response) -> Any:
    return json.loads(response.content)


def _column(response: httpx.Response, variable: str) -> list[str]:
    """One column of a SPARQL JSON result, as plain values in result order."""
    return [row[variable]["value"] for row in _json(response)["results"]["bindings"] if variable in row]


def _expect(condition: bool, message: str) -> str | None:
    return None if condition else message


def check_supporters(response: httpx.Response) -> str | None:
    labels = _column(response, "label")
    return _status(response) or _expect(labels == SUPPORTERS, f"supporters {labels} != {SUPPORTERS}")


def check_concerns_csv(response: httpx.Response) -> str | None:
    rows = list(csv.DictReader(io.StringIO(response.text)))
    labels = {row["label"] for row in rows}
    return _status(response) or _expect(
        labels == CONCERNS, f"concerns {sorted(labels)} != {sorted(CONCERNS)}"
    )


def check_ask(expected: bool) -> Check:
    def check(response: httpx.Response) -> str | None:
        answer = _json(response).get("boolean") if response.status_code == 200 else None
        return _status(response) or _expect(answer is expected, f"ASK answered {answer}, not {expected}")

    return check


def _turtle_has_canada_label(response: httpx.Response) -> str | None:
    triples = list(ox.parse(response.content, ox.RdfFormat.TURTLE))
    labels = {t.object.value for t in triples if t.subject == CANADA and t.predicate == RDFS_LABEL}
    return _expect("Canada" in labels, f"no rdfs:label 'Canada' for sgd:canada in {len(triples)} triples")


def check_construct(response: httpx.Response) -> str | None:
    return _status(response) or _turtle_has_canada_label(response)


def check_stakeholder(response: httpx.Response) -> str | None:
    if problem := _status(response):
        return problem
    body = _json(response)
    return _expect(
        body.get("id") == "canada" and body.get("label") == "Canada",
        f"stakeholder canada came back as id={body.get('id')!r} label={body.get('label')!r}",
    )


def check_positions_of_experts(response: httpx.Response) -> str | None:
    if problem := _status(response):
        return problem
    items = _json(response)["items"]
    holders = {item["holder"]["id"] for item in items}
    stances = {item["stance"] for item in items}
    return _expect(
        holders == {"experts"} and "supports" in stances,
        f"positions?holder=experts gave holders {holders} and stances {stances}",
    )


def check_supporting_positions(response: httpx.Response) -> str | None:
    if problem := _status(response):
        return problem
    body = _json(response)
    labels = sorted(item["holder"]["label"] for item in body["items"])
    expected = labels == SUPPORTERS and body["total"] == len(SUPPORTERS)
    return _expect(expected, f"supporting positions held by {labels}")


def check_named_supporters(response: httpx.Response) -> str | None:
    if problem := _status(response):
        return problem
    labels = {row["holderLabel"] for row in _json(response)["rows"]}
    return _expect(
        labels == FAVOURABLE_TO_PARTICIPATION,
        f"favourable to Canada joining: {sorted(labels)} != {sorted(FAVOURABLE_TO_PARTICIPATION)}",
    )


def check_named_concerns_csv(response: httpx.Response) -> str | None:
    labels = {row["concernLabel"] for row in csv.DictReader(io.StringIO(response.text))}
    return _status(response) or _expect(labels == CONCERNS, f"concerns raised {sorted(labels)}")


def check_export(response: httpx.Response) -> str | None:
    if problem := _status(response):
        return problem
    disposition = response.headers.get("content-disposition", "")
    return _expect("filename=" in disposition, f"no filename in Content-Disposition {disposition!r}") or (
        _turtle_has_canada_label(response)
    )


SUPPORTERS_QUERY = (
    PREFIXES
    + "SELECT ?label WHERE { ?p sg:holder/rdfs:label ?label ; sg:stance sg:supports } ORDER BY ?label"
)
CONCERNS_QUERY = PREFIXES + "SELECT DISTINCT ?label WHERE { ?c a sg:Concern ; rdfs:label ?label }"
CANADA_QUERY = PREFIXES + "CONSTRUCT { sgd:canada ?p ?o } WHERE { sgd:canada ?p ?o }"

PROBES: tuple[Probe, ...] = (
    Probe(
        "sparql-select-get",
        "sparql",
        "GET",
        "/sparql",
        check_supporters,
        params={"query": SUPPORTERS_QUERY},
        headers={"Accept": SPARQL_JSON},
    ),
    Probe(
        "sparql-select-form-csv",
        "sparql",
        "POST",
        "/sparql",
        check_concerns_csv,
        data={"query": CONCERNS_QUERY},
        headers={"Accept": "text/csv"},
    ),
    Probe(
        "sparql-ask-true",
        "sparql",
        "POST",
        "/sparql",
        check_ask(True),
        content=(PREFIXES + "ASK { sgd:canada a sg:Nation }").encode(),
        headers={"Content-Type": SPARQL_QUERY, "Accept": SPARQL_JSON},
    ),
    Probe(
        "sparql-ask-no-opposition",
        "sparql",
        "GET",
        "/sparql",
        check_ask(False),
        params={"query": PREFIXES + "ASK { ?position sg:stance sg:opposes }"},
        headers={"Accept": SPARQL_JSON},
    ),
    Probe(
        "sparql-construct",
        "sparql",
        "GET",
        "/sparql",
        check_construct,
        params={"query": CANADA_QUERY},
        headers={"Accept": "text/turtle"},
    ),
    Probe("rest-stakeholder", "rest", "GET", "/stakeholders/canada", check_stakeholder),
    Probe(
        "rest-positions-by-holder",
        "rest",
        "GET",
        "/positions",
        check_positions_of_experts,
        params={"holder": "experts"},
    ),
    Probe(
        "rest-positions-by-stance",
        "rest",
        "GET",
        "/positions",
        check_supporting_positions,
        params={"stance": "supports"},
    ),
    Probe(
        "named-query-json",
        "named-query",
        "GET",
        "/queries/supporters-of-participation",
        check_named_supporters,
        params={"participant": "canada"},
    ),
    Probe(
        "named-query-csv",
        "named-query",
        "GET",
        "/queries/concerns-raised",
        check_named_concerns_csv,
        headers={"Accept": "text/csv"},
    ),
    Probe(
        "export-turtle",
        "export",
        "GET",
        "/subgraph",
        check_export,
        params={"focus": "canada", "depth": "2", "format": "turtle"},
    ),
)
"""The mix, in the order the load driver cycles through it."""


def verdict(probe: Probe, response: httpx.Response) -> str | None:
    """The probe's check, with a body the check cannot even read counted as a wrong answer."""
    try:
        return probe.check(response)
    except (ValueError, KeyError, TypeError, SyntaxError, csv.Error) as error:
        return f"unreadable answer ({type(error).__name__}: {error}); status {response.status_code}"
