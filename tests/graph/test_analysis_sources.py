"""Corroboration: independent sources counted, copies and near-copies once, with exact answers.

The corpus is fictional, written for these tests, and says so in its own texts: a
wire story carried word for word by two outlets (one text, one hash), reprinted with
an edit by a third (a near-copy), the same stance heard by an outlet's own reporter
(an independent source quoting the same words in a text of its own), and a leaked
memo with the opposite stance.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rapidfuzz import fuzz, utils

from graph.analysis import NEAR_COPY_THRESHOLD, Corroboration, corroborated, corroboration, source_counts
from graph.errors import ValidationFailedError
from graph.network.records import PositionRecord, position_records
from graph.read.shapes import Evidence
from graph.stores.memory import MemoryStore
from tests.graph.test_analysis_time import Doc, Stated, insert

ID = "https://w3id.org/stancegraph/id/"
WIRE = (
    "Fictional test text for stancegraph, a wire story. Speaking on Monday, a spokesperson said "
    "the Ministry fully supports the Shield and will fund it next year."
)
WIRE_A = Doc("doc-wire-a", WIRE, "2025-03-03T00:00:00Z", "day")
WIRE_B = Doc("doc-wire-b", WIRE, "2025-03-04T00:00:00Z", "day")
WIRE_C = Doc(
    "doc-wire-c",
    "Fictional test text for stancegraph, the wire story reprinted. Speaking on Monday, a spokesperson "
    "said the Ministry fully supports the Shield and will fund it from next year.",
    "2025-03-05T00:00:00Z",
    "day",
)
OWN = Doc(
    "doc-own",
    "Fictional test text for stancegraph, an outlet's own reporting. Our reporter heard that "
    "the Ministry fully supports the Shield, though critics in parliament disagree.",
    "2025-03-06T00:00:00Z",
    "day",
)
MEMO = Doc(
    "doc-memo", "Fictional test text for stancegraph. A leaked memo shows the Ministry opposes the Shield."
)

SUPPORTS = "the Ministry fully supports the Shield"
POSITIONS = [
    Stated("p-wire-a", WIRE_A, "supports", 2, SUPPORTS),
    Stated("p-wire-a-funds", WIRE_A, "supports", 1, "will fund it next year"),  # one document counts once
    Stated("p-wire-b", WIRE_B, "supports", 2, SUPPORTS),
    Stated("p-wire-c", WIRE_C, "supports", 2, SUPPORTS),
    Stated("p-own", OWN, "supports", 2, SUPPORTS),
    Stated("p-memo", MEMO, "opposes", -1, "the Ministry opposes the Shield"),
]
FOR = [["doc-own"], ["doc-wire-a", "doc-wire-b", "doc-wire-c"]]


@pytest.fixture(scope="module")
def store() -> Iterator[MemoryStore]:
    with MemoryStore() as store:
        store.update(insert([WIRE_A, WIRE_B, WIRE_C, OWN, MEMO], POSITIONS))
        yield store


def context(doc: Doc, quote: str) -> str:
    start = doc.text.index(quote)
    return utils.default_process(doc.text[max(0, start - 32) : start + len(quote) + 32])


def test_the_corpus_tells_near_copies_from_independent_quotes() -> None:
    # What the rule rests on, for this corpus: the reprint is above the threshold, the own report below.
    assert fuzz.ratio(context(WIRE_A, SUPPORTS), context(WIRE_C, SUPPORTS)) >= NEAR_COPY_THRESHOLD
    assert fuzz.ratio(context(WIRE_A, SUPPORTS), context(OWN, SUPPORTS)) < NEAR_COPY_THRESHOLD


def test_copies_and_near_copies_count_once(store: MemoryStore) -> None:
    def supported(position: str) -> Corroboration:
        return Corroboration(position, "fictional-ministry", "fictional-shield", 1, 2, FOR)

    assert corroboration(store) == {
        ID + "p-memo": Corroboration(
            "p-memo", "fictional-ministry", "fictional-shield", -1, 1, [["doc-memo"]]
        ),
        ID + "p-own": supported("p-own"),
        ID + "p-wire-a": supported("p-wire-a"),
        ID + "p-wire-a-funds": supported("p-wire-a-funds"),
        ID + "p-wire-b": supported("p-wire-b"),
        ID + "p-wire-c": supported("p-wire-c"),
    }


def test_records_chosen_by_the_caller_take_quotes_and_hashes_from_the_store(store: MemoryStore) -> None:
    assert corroboration(position_records(store), quotes=store) == corroboration(store)


def test_a_stricter_threshold_keeps_the_reprint_apart(store: MemoryStore) -> None:
    found = corroboration(store, threshold=100)
    assert (found[ID + "p-own"].sources, found[ID + "p-own"].documents) == (
        3,
        [["doc-own"], ["doc-wire-a", "doc-wire-b"], ["doc-wire-c"]],
    )


def test_min_sources_keeps_what_enough_sources_support(store: MemoryStore) -> None:
    records = position_records(store)
    counts = source_counts(corroboration(store))
    assert [record.position.removeprefix(ID) for record in corroborated(records, counts, 2)] == [
        "p-own",
        "p-wire-a",
        "p-wire-a-funds",
        "p-wire-b",
        "p-wire-c",
    ]
    assert len(corroborated(records, counts, 1)) == 6
    assert corroborated(records, counts, 3) == []
    rows = [{"position": ID + "p-memo"}, {"position": ID + "p-own"}]
    assert corroborated(rows, counts, 2, key=lambda row: row["position"]) == [{"position": ID + "p-own"}]
    with pytest.raises(ValidationFailedError) as raised:
        corroborated(records, counts, 0)
    assert raised.value.parameter == "min_sources"


# --- records built by hand ------------------------------------------------------------------------


def record(position: str, document: str | None, value: int = 1, target: str = "urn:t") -> PositionRecord:
    return PositionRecord(position, "urn:h", "H", target, "T", value=value, document=document)


def said(text: str, prefix: str = "", suffix: str = "") -> list[Evidence]:
    return [
        Evidence(
            id="e",
            quote=text,
            prefix=prefix,
            suffix=suffix,
            start=0,
            end=1,
            document=None,
            garbled=False,
            note=None,
        )
    ]


def test_same_hash_counts_once_and_other_documents_apart() -> None:
    records = [record("urn:p1", "urn:a"), record("urn:p2", "urn:b"), record("urn:p3", "urn:c")]
    found = corroboration(records, hashes={"urn:a": "AB", "urn:b": "ab", "urn:c": "cd"})
    assert {position: (c.sources, c.documents) for position, c in found.items()} == {
        "urn:p1": (2, [["urn:a", "urn:b"], ["urn:c"]]),
        "urn:p2": (2, [["urn:a", "urn:b"], ["urn:c"]]),
        "urn:p3": (2, [["urn:a", "urn:b"], ["urn:c"]]),
    }


def test_near_copies_chain_into_one_source() -> None:
    # A is a near-copy of B, B of C, though A and C differ more than the threshold allows.
    a = "The Ministry said on Monday that it fully supports the Shield and the plan of the agency"
    b = "The Ministry said on Monday that it fully supports the Shield and the plan of the new agency"
    c = "The Ministry said on Tuesday that it fully supports the Shield and the plan of the new agency"
    assert [
        round(fuzz.ratio(utils.default_process(x), utils.default_process(y)))
        for x, y in ((a, b), (b, c), (a, c))
    ] == [98, 96, 94]
    quotes = {"urn:p1": said(a), "urn:p2": said(b), "urn:p3": said(c)}
    records = [record("urn:p1", "urn:a"), record("urn:p2", "urn:b"), record("urn:p3", "urn:c")]
    found = corroboration(records, quotes=quotes, threshold=95)
    assert (found["urn:p1"].sources, found["urn:p1"].documents) == (1, [["urn:a", "urn:b", "urn:c"]])


def test_sign_target_and_missing_documents_keep_groups_apart() -> None:
    records = [
        record("urn:p1", "urn:a", value=2),
        record("urn:p2", "urn:a", value=0),  # neutral: a sign of its own
        record("urn:p3", "urn:b", value=1, target="urn:other"),
        record("urn:p4", None, value=1),  # no document: a source of its own, naming none
        PositionRecord("urn:p5", "urn:h", "H", "urn:t", "T", value="abc", document="urn:a"),
    ]
    found = corroboration(records)
    assert {position: (c.sign, c.sources, c.documents) for position, c in found.items()} == {
        "urn:p1": (1, 2, [[], ["urn:a"]]),
        "urn:p2": (0, 1, [["urn:a"]]),
        "urn:p3": (1, 1, [["urn:b"]]),
        "urn:p4": (1, 2, [[], ["urn:a"]]),
    }


def test_threshold_is_checked() -> None:
    with pytest.raises(ValidationFailedError) as raised:
        corroboration([], threshold=-1)
    assert raised.value.parameter == "threshold"
