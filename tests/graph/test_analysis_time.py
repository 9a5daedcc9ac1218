"""Trajectories, shifts and disagreements, with exact expected answers.

The corpus is fictional, written for these tests, and says so in its own texts. It is
stored by INSERT DATA as the time contract has a coded corpus stored (documents with
``dcterms:issued``, ``sg:timePrecision``, ``sg:text``, ``sg:sha256``; positions linked
to their document; evidence with quote and offsets), and tells a ministry's course on
a programme: opposed last year (the January text says so: ``sg:validAt``), supportive
in January, supportive but hedged in February (no shift), opposed in April (a shift),
reported for and against by two outlets on one day in May (a disagreement), and once
in an undated text.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from pydantic import TypeAdapter
from rdflib import Literal

from graph.analysis import (
    DatedPosition,
    Disagreement,
    Disagreements,
    Named,
    Shift,
    Shifts,
    Trajectory,
    disagreements,
    shifts,
    trajectory,
)
from graph.errors import NotFoundError, ValidationFailedError
from graph.network.records import PositionRecord, position_records
from graph.read.shapes import Evidence
from graph.stores.memory import MemoryStore

PREFIXES = """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX sgd: <https://w3id.org/stancegraph/id/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
ID = "https://w3id.org/stancegraph/id/"
CONTEXT = 32  # characters of oa:prefix and oa:suffix, as the coding compiler writes them


class Doc(NamedTuple):
    slug: str
    text: str
    issued: str | None = None
    precision: str | None = None


class Stated(NamedTuple):
    slug: str
    document: Doc
    stance: str
    value: int
    quote: str
    hedged: bool = False
    valid_at: str | None = None
    precision: str | None = None


def insert(documents: list[Doc], positions: list[Stated]) -> str:
    """The INSERT DATA of a corpus: one named graph per document, as the contract stores them."""
    graphs: dict[str, list[str]] = {doc.slug: [] for doc in documents}
    for doc in documents:
        lines = graphs[doc.slug]
        lines.append(f"sgd:{doc.slug} a sg:Document ; sg:text {Literal(doc.text).n3()} ;")
        lines.append(f'  sg:sha256 "{hashlib.sha256(doc.text.encode()).hexdigest()}" .')
        if doc.issued:
            lines.append(f'sgd:{doc.slug} dcterms:issued "{doc.issued}"^^xsd:dateTime ;')
            lines.append(f'  sg:timePrecision "{doc.precision}" .')
    for stated in positions:
        doc, lines = stated.document, graphs[stated.document.slug]
        start = doc.text.index(stated.quote)
        end = start + len(stated.quote)
        prefix, suffix = doc.text[max(0, start - CONTEXT) : start], doc.text[end : end + CONTEXT]
        ev = f"sgd:{stated.slug}-ev1"
        lines.append(
            f"sgd:{stated.slug} a sg:Position ; sg:holder sgd:fictional-ministry ;"
            f" sg:target sgd:fictional-shield ; sg:stance sg:{stated.stance} ;"
            f" sg:stanceValue {stated.value} ; sg:hedged {str(stated.hedged).lower()} ;"
            f" prov:wasDerivedFrom sgd:{doc.slug} ; sg:evidence {ev} ."
        )
        if stated.valid_at:
            lines.append(
                f'sgd:{stated.slug} sg:validAt "{stated.valid_at}"^^xsd:dateTime ;'
                f' sg:timePrecision "{stated.precision}" .'
            )
        lines.append(
            f"{ev} a oa:Annotation ; prov:wasDerivedFrom sgd:{doc.slug} ; oa:hasTarget {ev}-target ."
            f" {ev}-target oa:hasSource sgd:{doc.slug} ; oa:hasSelector {ev}-quote, {ev}-pos ."
            f" {ev}-quote a oa:TextQuoteSelector ; oa:exact {Literal(stated.quote).n3()} ;"
            f" oa:prefix {Literal(prefix).n3()} ; oa:suffix {Literal(suffix).n3()} ."
            f' {ev}-pos a oa:TextPositionSelector ; oa:start "{start}"^^xsd:nonNegativeInteger ;'
            f' oa:end "{end}"^^xsd:nonNegativeInteger .'
        )
    body = "\n".join(
        f"GRAPH <https://w3id.org/stancegraph/graph/{slug}> {{\n{chr(10).join(lines)}\n}}"
        for slug, lines in graphs.items()
    )
    entities = (
        'sgd:fictional-ministry a sg:GovernmentBody ; rdfs:label "Ministry of Fictional Affairs"@en .\n'
        'sgd:fictional-shield a sg:Program ; rdfs:label "The Shield"@en .'
    )
    return f"{PREFIXES}INSERT DATA {{\n{entities}\n{body}\n}}"


JAN = Doc(
    "doc-jan",
    "Fictional test text for stancegraph. Last year the Ministry opposed the Shield. "
    "On 10 January the Ministry said it fully supports the Shield.",
    "2025-01-10T00:00:00Z",
    "day",
)
FEB = Doc(
    "doc-feb",
    "Fictional test text for stancegraph. On 12 February the Ministry said it may support the Shield.",
    "2025-02-12T00:00:00Z",
    "day",
)
APR = Doc(
    "doc-apr",
    "Fictional test text for stancegraph. On 3 April the Ministry said it opposes the Shield.",
    "2025-04-03T00:00:00Z",
    "day",
)
MAY_A = Doc(
    "doc-may-a",
    "Fictional test text for stancegraph: The Daily Example reports the Ministry backs the Shield.",
    "2025-05-20T00:00:00Z",
    "day",
)
MAY_B = Doc(
    "doc-may-b",
    "Fictional test text for stancegraph: The Example Times reports the Ministry rejects the Shield.",
    "2025-05-20T09:30:00Z",
    "instant",
)
UNDATED = Doc("doc-undated", "Fictional test text for stancegraph, undated. The Ministry backs the Shield.")

POSITIONS = [
    Stated(
        "p-earlier",
        JAN,
        "opposes",
        -2,
        "Last year the Ministry opposed the Shield",
        False,
        "2024-01-01T00:00:00Z",
        "year",
    ),
    Stated("p-jan", JAN, "supports", 2, "it fully supports the Shield"),
    Stated("p-feb", FEB, "supports", 2, "it may support the Shield", hedged=True),
    Stated("p-apr", APR, "opposes", -2, "it opposes the Shield"),
    Stated("p-may-a", MAY_A, "supports", 1, "the Ministry backs the Shield"),
    Stated("p-may-b", MAY_B, "opposes", -1, "the Ministry rejects the Shield"),
    Stated("p-undated", UNDATED, "supports", 1, "The Ministry backs the Shield"),
]

MINISTRY = Named(
    "fictional-ministry", ID + "fictional-ministry", "Ministry of Fictional Affairs", "GovernmentBody"
)
SHIELD = Named("fictional-shield", ID + "fictional-shield", "The Shield", "Program")


def utc(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


def quote(
    position: str, document: str, text: str, start: int, end: int, prefix: str, suffix: str
) -> Evidence:
    return Evidence(
        id=f"{position}-ev1",
        quote=text,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        document=document,
        garbled=False,
        note=None,
    )


# The points of the trajectory, quotes and offsets as the texts above give them.
EARLIER = DatedPosition(
    "p-earlier",
    "doc-jan",
    utc(2024, 1, 1),
    "year",
    "opposes",
    -2,
    False,
    [
        quote(
            "p-earlier",
            "doc-jan",
            "Last year the Ministry opposed the Shield",
            37,
            78,
            "onal test text for stancegraph. ",
            ". On 10 January the Ministry sai",
        )
    ],
)
JANUARY = DatedPosition(
    "p-jan",
    "doc-jan",
    utc(2025, 1, 10),
    "day",
    "supports",
    2,
    False,
    [
        quote(
            "p-jan",
            "doc-jan",
            "it fully supports the Shield",
            112,
            140,
            "On 10 January the Ministry said ",
            ".",
        )
    ],
)
FEBRUARY = DatedPosition(
    "p-feb",
    "doc-feb",
    utc(2025, 2, 12),
    "day",
    "supports",
    2,
    True,
    [quote("p-feb", "doc-feb", "it may support the Shield", 70, 95, "n 12 February the Ministry said ", ".")],
)
APRIL = DatedPosition(
    "p-apr",
    "doc-apr",
    utc(2025, 4, 3),
    "day",
    "opposes",
    -2,
    False,
    [quote("p-apr", "doc-apr", "it opposes the Shield", 66, 87, "h. On 3 April the Ministry said ", ".")],
)
MAY_FOR = DatedPosition(
    "p-may-a",
    "doc-may-a",
    utc(2025, 5, 20),
    "day",
    "supports",
    1,
    False,
    [
        quote(
            "p-may-a",
            "doc-may-a",
            "the Ministry backs the Shield",
            63,
            92,
            "raph: The Daily Example reports ",
            ".",
        )
    ],
)
MAY_AGAINST = DatedPosition(
    "p-may-b",
    "doc-may-b",
    utc(2025, 5, 20, 9, 30),
    "instant",
    "opposes",
    -1,
    False,
    [
        quote(
            "p-may-b",
            "doc-may-b",
            "the Ministry rejects the Shield",
            63,
            94,
            "raph: The Example Times reports ",
            ".",
        )
    ],
)


@pytest.fixture(scope="module")
def store() -> Iterator[MemoryStore]:
    with MemoryStore() as store:
        store.update(insert([JAN, FEB, APR, MAY_A, MAY_B, UNDATED], POSITIONS))
        yield store


def test_the_quotes_expected_are_the_texts_own() -> None:
    # The expected offsets and context, written out above, index the texts as stored.
    for point, doc in ((EARLIER, JAN), (JANUARY, JAN), (FEBRUARY, FEB), (APRIL, APR), (MAY_FOR, MAY_A)):
        span = point.quotes[0]
        assert isinstance(span["start"], int) and isinstance(span["end"], int)
        assert doc.text[span["start"] : span["end"]] == span["quote"]
        assert doc.text[: span["start"]].endswith(span["prefix"] or "")
        assert doc.text[span["end"] :].startswith(span["suffix"] or "")


def test_trajectory_is_in_time_order_with_quotes_and_the_undated_apart(store: MemoryStore) -> None:
    assert trajectory(store, "fictional-ministry", "fictional-shield") == Trajectory(
        holder=MINISTRY,
        target=SHIELD,
        points=[EARLIER, JANUARY, FEBRUARY, APRIL, MAY_FOR, MAY_AGAINST],
        undated=1,
        undatedPositions=["p-undated"],
    )


def test_trajectory_of_an_unknown_holder_or_target_is_not_found(store: MemoryStore) -> None:
    with pytest.raises(NotFoundError, match="no stakeholder 'atlantis'"):
        trajectory(store, "atlantis", "fictional-shield")
    with pytest.raises(NotFoundError, match="no target 'nothing'"):
        trajectory(store, "fictional-ministry", "nothing")
    with pytest.raises(ValidationFailedError, match="target: must be an id"):
        trajectory(store, "fictional-ministry", "Not An Id")


def test_trajectory_of_a_holder_with_no_position_on_the_target_is_empty(store: MemoryStore) -> None:
    assert trajectory(store, "fictional-shield", "fictional-ministry") == Trajectory(
        holder=SHIELD, target=MINISTRY, points=[], undated=0, undatedPositions=[]
    )


def test_shifts_of_the_store(store: MemoryStore) -> None:
    # Last year to January: the text dates the earlier stance itself, so one document shows a shift.
    # January to February: only the hedging changed, no shift. February to April: a change of side.
    # May: the two outlets disagree, so neither May position starts or ends a shift.
    assert shifts(store) == Shifts(
        shifts=[
            Shift(MINISTRY, SHIELD, EARLIER, JANUARY, change=4, signChanged=True, days=375.0),
            Shift(MINISTRY, SHIELD, FEBRUARY, APRIL, change=-4, signChanged=True, days=50.0),
        ],
        threshold=2,
        windowDays=1.0,
        undated=1,
        contested=2,
    )


def test_disagreements_of_the_store(store: MemoryStore) -> None:
    assert disagreements(store) == Disagreements(
        disagreements=[Disagreement(MINISTRY, SHIELD, MAY_FOR, MAY_AGAINST, days=9.5 / 24)],
        windowDays=1.0,
        undated=1,
    )


def test_answers_become_json_with_iso_times(store: MemoryStore) -> None:
    answer = TypeAdapter(Shifts).dump_python(shifts(store), mode="json")
    first = answer["shifts"][0]
    assert (first["before"]["time"], first["after"]["time"], first["days"]) == (
        "2024-01-01T00:00:00Z",
        "2025-01-10T00:00:00Z",
        375.0,
    )
    assert first["holder"] == {
        "id": "fictional-ministry",
        "iri": ID + "fictional-ministry",
        "label": "Ministry of Fictional Affairs",
        "type": "GovernmentBody",
    }
    assert first["after"]["quotes"][0]["start"] == 112
    assert (answer["undated"], answer["contested"]) == (1, 2)


# --- records built by hand: the rules one at a time ----------------------------------------------


def record(
    position: str, document: str | None, when: datetime.datetime | None, value: int, **fields: object
) -> PositionRecord:
    return PositionRecord(
        position,
        "urn:h",
        "H",
        "urn:t",
        "T",
        value=value,
        document=document,
        reported_at=when,
        **fields,
    )


H, T = Named("urn:h", "urn:h", "H", None), Named("urn:t", "urn:t", "T", None)


def point(
    position: str, document: str, when: datetime.datetime, value: int, hedged: bool = False
) -> DatedPosition:
    return DatedPosition(position, document, when, None, "", value, hedged, [])


def test_a_change_only_of_hedging_is_no_shift() -> None:
    records = [
        record("urn:p1", "urn:a", utc(2025, 1, 1), 2),
        record("urn:p2", "urn:b", utc(2025, 2, 1), 2, hedged=True),
    ]
    assert shifts(records) == Shifts(shifts=[], threshold=2, windowDays=1.0, undated=0, contested=0)


def test_a_change_of_degree_is_a_shift_only_past_the_threshold() -> None:
    records = [record("urn:p1", "urn:a", utc(2025, 1, 1), 2), record("urn:p2", "urn:b", utc(2025, 1, 11), 1)]
    assert shifts(records).shifts == []
    assert shifts(records, threshold=1).shifts == [
        Shift(
            H,
            T,
            point("urn:p1", "urn:a", utc(2025, 1, 1), 2),
            point("urn:p2", "urn:b", utc(2025, 1, 11), 1),
            change=-1,
            signChanged=False,
            days=10.0,
        )
    ]


def test_a_move_to_neutral_is_a_change_of_side() -> None:
    records = [record("urn:p1", "urn:a", utc(2025, 1, 1), 1), record("urn:p2", "urn:b", utc(2025, 1, 2), 0)]
    assert [(s.change, s.signChanged) for s in shifts(records).shifts] == [(-1, True)]


def test_opposite_sources_a_day_apart_are_a_shift_and_within_the_window_a_disagreement() -> None:
    records = [
        record("urn:p1", "urn:a", utc(2025, 5, 20), 1),
        record("urn:p2", "urn:b", utc(2025, 5, 21), -1),
    ]
    assert [(s.before.position, s.after.position) for s in shifts(records).shifts] == [("urn:p1", "urn:p2")]
    assert disagreements(records).disagreements == []
    two_days = datetime.timedelta(days=2)
    assert shifts(records, window=two_days) == Shifts(
        shifts=[], threshold=2, windowDays=2.0, undated=0, contested=2
    )
    assert disagreements(records, window=two_days) == Disagreements(
        disagreements=[
            Disagreement(
                H,
                T,
                point("urn:p1", "urn:a", utc(2025, 5, 20), 1),
                point("urn:p2", "urn:b", utc(2025, 5, 21), -1),
                days=1.0,
            )
        ],
        windowDays=2.0,
        undated=0,
    )


def test_one_source_saying_both_is_no_disagreement_and_neutral_disagrees_with_nobody() -> None:
    same_source = [
        record("urn:p1", "urn:a", utc(2025, 5, 20), 1),
        record("urn:p2", "urn:a", utc(2025, 5, 20), -1),
    ]
    assert disagreements(same_source).disagreements == []
    assert shifts(same_source).shifts == []  # one statement of one source: no change over time
    neutral = [record("urn:p1", "urn:a", utc(2025, 5, 20), 1), record("urn:p2", "urn:b", utc(2025, 5, 20), 0)]
    assert disagreements(neutral).disagreements == []


def test_undated_positions_are_counted_and_left_out() -> None:
    records = [
        record("urn:p1", "urn:a", None, 2),
        record("urn:p2", "urn:b", None, -2),
        record("urn:p3", "urn:c", utc(2025, 1, 1), 2),
        record("urn:p3", "urn:c", utc(2025, 1, 1), 1),  # one position stated twice over counts once
    ]
    assert shifts(records) == Shifts(shifts=[], threshold=2, windowDays=1.0, undated=2, contested=0)
    assert disagreements(records) == Disagreements(disagreements=[], windowDays=1.0, undated=2)


def test_quotes_can_be_given_with_records() -> None:
    quoted = {"urn:p2": [quote("p2", "b", "no", 0, 2, "", "")]}
    records = [record("urn:p1", "urn:a", utc(2025, 1, 1), 2), record("urn:p2", "urn:b", utc(2025, 1, 2), -2)]
    found = shifts(records, quotes=quoted).shifts[0]
    assert (found.before.quotes, found.after.quotes) == ([], quoted["urn:p2"])


def test_bad_parameters_name_themselves() -> None:
    with pytest.raises(ValidationFailedError) as raised:
        shifts([], threshold=0)
    assert raised.value.parameter == "threshold"
    with pytest.raises(ValidationFailedError) as raised:
        disagreements([], window=-datetime.timedelta(hours=1))
    assert raised.value.parameter == "window"


def test_the_seed_answers_that_it_is_undated(golden_dome: MemoryStore) -> None:
    # The embedded article gives no date: nothing is placed on the time axis, and every answer says so.
    path = trajectory(golden_dome, "canada", "canada-joins-golden-dome")
    assert (path.points, path.undated, path.undatedPositions) == (
        [],
        2,
        ["canada-considers-aligning-with-golden-dome", "canada-in-talks-to-join-golden-dome"],
    )
    every = len({record.position for record in position_records(golden_dome)})
    assert every > 0
    assert shifts(golden_dome) == Shifts(shifts=[], threshold=2, windowDays=1.0, undated=every, contested=0)
    assert disagreements(golden_dome) == Disagreements(disagreements=[], windowDays=1.0, undated=every)


def test_records_chosen_by_the_caller_take_their_quotes_from_the_store(store: MemoryStore) -> None:
    # What a route filtering the records first does: the same answer, quotes read for it alone.
    records = position_records(store)
    assert shifts(records, quotes=store) == shifts(store)
    assert disagreements(records, quotes=store) == disagreements(store)
    assert shifts(records).shifts[0].before.quotes == []
