"""Dated positions read from a store, as the time contract of issue 13 stores them, and their networks over
time written for Gephi's timeline.

The triples are a fictional corpus made for these tests: three reports on a plan, by invented holders
alpha, beta, gamma and delta; nothing in them comes from a real source.
"""

from __future__ import annotations

import datetime

import networkx as nx
import pytest

from graph.network import (
    build_network,
    position_records,
    timeline_network,
    to_graphml,
    to_node_link,
    windowed_networks,
)
from graph.stores import Store
from graph.stores.memory import MemoryStore

SGD = "https://w3id.org/stancegraph/id/"
UTC = datetime.UTC

# Fictional: documents dated to the day, to the month, not at all, with a garbled date and with an
# xsd:date (which the contract never stores); positions dated by their document or by the text.
FICTIONAL_CORPUS = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX sgd: <https://w3id.org/stancegraph/id/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA { GRAPH <https://w3id.org/stancegraph/graph/fictional-plan-reports> {
  sgd:jan-report a sg:Document ; sg:timePrecision "day" ;
                 dcterms:issued "2025-01-10T00:00:00Z"^^xsd:dateTime .
  sgd:feb-report a sg:Document ; sg:timePrecision "month" ;
                 dcterms:issued "2025-02-01T00:00:00Z"^^xsd:dateTime .
  sgd:undated-report a sg:Document .
  sgd:garbled-report a sg:Document ; dcterms:issued "early March"^^xsd:dateTime ; sg:timePrecision "day" .
  sgd:date-report a sg:Document ; dcterms:issued "2025-03-05"^^xsd:date ; sg:timePrecision "day" .
  sgd:alpha rdfs:label "Alpha" . sgd:beta rdfs:label "Beta" . sgd:gamma rdfs:label "Gamma" .
  sgd:delta rdfs:label "Delta" . sgd:plan rdfs:label "The plan" .
  sgd:p1 sg:holder sgd:alpha ; sg:target sgd:plan ; sg:stance sg:supports ; sg:stanceValue 1 ;
         prov:wasDerivedFrom sgd:jan-report ; sg:evidence sgd:p1-evidence .
  sgd:p1-evidence prov:wasDerivedFrom sgd:jan-report .
  sgd:p2 sg:holder sgd:beta ; sg:target sgd:plan ; sg:stance sg:supports ; sg:stanceValue 1 ;
         prov:wasDerivedFrom sgd:feb-report .
  sgd:p3 sg:holder sgd:alpha ; sg:target sgd:plan ; sg:stance sg:opposes ; sg:stanceValue -1 ;
         prov:wasDerivedFrom sgd:feb-report ;
         sg:validAt "2025-03-20T00:00:00Z"^^xsd:dateTime ; sg:timePrecision "day" .
  sgd:p4 sg:holder sgd:gamma ; sg:target sgd:plan ; sg:stance sg:supports ; sg:stanceValue 1 ;
         prov:wasDerivedFrom sgd:undated-report .
  sgd:p5 sg:holder sgd:gamma ; sg:target sgd:plan ; sg:stance sg:supports ; sg:stanceValue 1 ;
         prov:wasDerivedFrom sgd:garbled-report .
  sgd:p6 sg:holder sgd:delta ; sg:target sgd:plan ; sg:stance sg:supports ; sg:stanceValue 1 ;
         prov:wasDerivedFrom sgd:date-report .
  sgd:p7 sg:holder sgd:beta ; sg:target sgd:plan ; sg:stance sg:supports ; sg:stanceValue 1 ;
         prov:wasDerivedFrom sgd:jan-report ;
         sg:validAt "last spring"^^xsd:dateTime ; sg:timePrecision "year" .
} }
"""

JANUARY_10 = datetime.datetime(2025, 1, 10, tzinfo=UTC)
FEBRUARY_1 = datetime.datetime(2025, 2, 1, tzinfo=UTC)
MARCH_20 = datetime.datetime(2025, 3, 20, tzinfo=UTC)
# position: document, reported_at, valid_at, time_precision
EXPECTED_TIMES = {
    "p1": ("jan-report", JANUARY_10, None, "day"),
    "p2": ("feb-report", FEBRUARY_1, None, "month"),
    "p3": ("feb-report", FEBRUARY_1, MARCH_20, "day"),  # the text dates the stance itself
    "p4": ("undated-report", None, None, None),
    "p5": ("garbled-report", None, None, None),  # an ill-typed date is no date
    "p6": ("date-report", None, None, None),  # xsd:date is not the contract's
    "p7": ("jan-report", JANUARY_10, None, "day"),  # an unreadable validAt: dated by its document
}


def sgd(slug: str) -> str:
    return SGD + slug


@pytest.fixture(scope="module")
def corpus() -> MemoryStore:
    store = MemoryStore()
    store.update(FICTIONAL_CORPUS)
    return store


def times_of(
    store: Store,
) -> dict[str, tuple[str | None, datetime.datetime | None, datetime.datetime | None, str | None]]:
    return {
        record.position.removeprefix(SGD): (
            record.document.removeprefix(SGD) if record.document else None,
            record.reported_at,
            record.valid_at,
            record.time_precision,
        )
        for record in position_records(store)
    }


def test_records_carry_their_document_and_times_as_the_contract_stores_them(corpus: MemoryStore) -> None:
    assert times_of(corpus) == EXPECTED_TIMES  # and evidence, derived from a document too, is no position
    times = {record.position.removeprefix(SGD): record.time for record in position_records(corpus)}
    assert times == {
        "p1": JANUARY_10,
        "p2": FEBRUARY_1,
        "p3": MARCH_20,
        "p4": None,
        "p5": None,
        "p6": None,
        "p7": JANUARY_10,
    }


def test_every_store_reads_the_same_times(store: Store) -> None:
    store.update(FICTIONAL_CORPUS)
    assert times_of(store) == EXPECTED_TIMES


def test_monthly_windows_over_the_stored_corpus(corpus: MemoryStore) -> None:
    result = windowed_networks(
        position_records(corpus), "congruence", start="2025-01-01", end="2025-03-31", window="1m", step="1m"
    )
    assert result.undated == 3  # p4, p5, p6
    assert [
        (
            window.start.date().isoformat(),
            window.positions,
            sorted(window.network.nodes),
            list(window.network.edges),
        )
        for window in result.windows
    ] == [
        ("2025-01-01", 2, [sgd("alpha"), sgd("beta")], [(sgd("alpha"), sgd("beta"))]),  # p1, p7
        ("2025-02-01", 1, [sgd("beta")], []),  # p2
        ("2025-03-01", 1, [sgd("alpha")], []),  # p3, dated by the text
    ]
    conflict = windowed_networks(position_records(corpus), "conflict", start="2025-01-01", end="2025-03-31")
    assert [list(window.network.edges(data="weight")) for window in conflict.windows] == [
        [(sgd("alpha"), sgd("beta"), 1)]  # alpha's later opposition against beta's support
    ]


def test_a_network_over_a_date_range_says_how_many_positions_it_left_out(corpus: MemoryStore) -> None:
    january = build_network(corpus, "two-mode", start="2025-01-01", end="2025-01-31")
    assert sorted(key for *_, key in january.edges(keys=True)) == [sgd("p1"), sgd("p7")]
    assert january.graph["undated"] == 3
    edge = january.edges[sgd("alpha"), sgd("plan"), sgd("p1")]
    assert (edge["document"], edge["time"]) == (sgd("jan-report"), "2025-01-10T00:00:00Z")
    assert to_node_link(january)["graph"]["undated"] == 3
    # With no time option the network is the one it always was: every position, no count.
    everything = build_network(corpus, "two-mode")
    assert everything.number_of_edges() == 7
    assert "undated" not in everything.graph
    assert build_network(corpus, "congruence", duplicates="range").graph.get("undated") is None
    month = build_network(corpus, "two-mode", duplicates="month")
    assert (month.number_of_edges(), month.graph["undated"]) == (4, 3)  # p1, p2, p3, p7: all differ


def test_the_timeline_graphml_plays_the_windows_in_gephi(corpus: MemoryStore) -> None:
    # Two-month windows moving a month: January-February and February-March.
    result = windowed_networks(
        position_records(corpus), "congruence", start="2025-01-01", end="2025-03-31", window="2m"
    )
    assert [(w.start.month, w.end.month) for w in result.windows] == [(1, 3), (2, 4)]
    read = nx.parse_graphml(to_graphml(timeline_network(result)))
    alpha, beta = read.nodes[sgd("alpha")], read.nodes[sgd("beta")]
    assert (alpha["start"], alpha["end"], alpha["windows"]) == ("2025-01-01", "2025-03-31", 2)
    assert alpha["timeset"] == "<[2025-01-01, 2025-03-31]>"  # overlapping windows make one run
    assert (beta["start"], beta["end"]) == ("2025-01-01", "2025-03-31")
    tie = read.edges[sgd("alpha"), sgd("beta")]
    assert (tie["start"], tie["end"], tie["windows"], tie["weight"]) == ("2025-01-01", "2025-02-28", 1, 1)
    assert tie["weights"] == "<[2025-01-01, 2025-02-28, 1]>"
    assert (read.graph["kind"], read.graph["undated"], read.graph["start"], read.graph["end"]) == (
        "congruence",
        3,
        "2025-01-01",
        "2025-03-31",
    )


def test_a_timeline_shows_the_gaps_of_what_comes_and_goes(corpus: MemoryStore) -> None:
    # Monthly two-mode windows: each edge is a position, present in the month of its time.
    result = windowed_networks(
        position_records(corpus), "two-mode", start="2025-01-01", end="2025-03-31", window="1m"
    )
    timeline = timeline_network(result)
    assert timeline.is_multigraph()
    edges = {
        key.removeprefix(SGD): (data["start"], data["end"])
        for *_, key, data in timeline.edges(keys=True, data=True)
    }
    assert edges == {
        "p1": ("2025-01-01", "2025-01-31"),
        "p7": ("2025-01-01", "2025-01-31"),
        "p2": ("2025-02-01", "2025-02-28"),
        "p3": ("2025-03-01", "2025-03-31"),
    }
    # Alpha speaks in January and March, not in February: the interval spans it, the timeset does not.
    alpha = timeline.nodes[sgd("alpha")]
    assert (alpha["start"], alpha["end"]) == ("2025-01-01", "2025-03-31")
    assert alpha["timeset"] == "<[2025-01-01, 2025-01-31]; [2025-03-01, 2025-03-31]>"
    assert timeline.nodes[sgd("plan")]["timeset"] == "<[2025-01-01, 2025-03-31]>"
    assert nx.parse_graphml(to_graphml(timeline)).number_of_edges() == 4
    assert timeline_network(windowed_networks([], "two-mode")).number_of_nodes() == 0
