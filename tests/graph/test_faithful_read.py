"""What the coder wrote reaches the reader (issue 16): notes, statuses, reasons, counts, honest notes.

Asserted on the seed (the embedded Golden Dome coding, data/golden-dome-canada.yaml, and its
source text), by label and exact text.
"""

from __future__ import annotations

import pytest

from graph.dataset import load_embedded
from graph.namespaces import entity
from graph.network import conflict_network, position_records
from graph.network.coverage import conflict_note
from graph.queries import run_query
from graph.read import KindName, PositionFilter, describe, list_entities, positions
from graph.read.documents import document_detail
from graph.stores.memory import MemoryStore

UNIDENTIFIED_NOTE = (
    'The article says the government assesses the collaboration "amid concerns about national sovereignty, '
    'military spending, and broader geopolitical impacts" without saying whose concerns they are. They may '
    "or may not be the government's; recorded as unidentified rather than guessed."
)
CONTENTIOUS_NOTE = (
    'The article calls the program "contentious" without saying who contests it; no opposing '
    "position is coded because the text reports none (the author's framing is coded as a position)."
)
VOICE = "The article’s authorial voice"


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    seeded = MemoryStore()
    load_embedded(seeded)
    return seeded


def _notes_by_label(store: MemoryStore, kind: KindName) -> dict[str, list[str]]:
    items = list_entities(store, kind, limit=1000)["items"]
    return {item["label"]: item["notes"] for item in items}


def test_the_coders_notes_reach_lists_and_details(store: MemoryStore) -> None:
    holders = _notes_by_label(store, "stakeholder")
    assert holders["Unidentified holders of the concerns"] == [UNIDENTIFIED_NOTE]
    assert holders["Canada"] == []
    assert _notes_by_label(store, "program") == {"Golden Dome": [CONTENTIOUS_NOTE]}
    assert describe(store, "program", "golden-dome")["notes"] == [CONTENTIOUS_NOTE]
    detail = describe(store, "stakeholder", "unidentified-concern-holders")
    assert detail["notes"] == [UNIDENTIFIED_NOTE]
    garbled = (
        "Second recommendation (garbled in the source: “second,, specifically focused on missile defenses”)"
    )
    assert _notes_by_label(store, "measure")[garbled][0].startswith(
        'The source reads "second,, specifically focused on missile defenses should be prioritized"'
    )
    assert _notes_by_label(store, "threat")["Unpredictable nations"][0].startswith(
        '"rising global threats,particularly from unpredictable nations"'
    )


def test_a_positions_note_is_on_the_position(store: MemoryStore) -> None:
    canada = {item["id"]: item for item in positions(store, PositionFilter(holder="canada"))["items"]}
    assert canada["canada-in-talks-to-join-golden-dome"]["notes"] == [
        'The headline states the exploration plainly; the body hedges it ("reportedly", "perhaps").'
    ]
    assert canada["canada-considers-aligning-with-golden-dome"]["notes"][0].startswith(
        "The second headline states the evaluation plainly"
    )


def test_measures_are_listed_with_their_status(store: MemoryStore) -> None:
    items = list_entities(store, "measure", limit=1000)["items"]
    statuses = {item["label"]: item.get("status") for item in items}
    assert statuses["Collaborative military drills"] == "underReview"
    assert statuses["Intelligence exchange"] == "underReview"
    assert statuses["Tactical innovation"] == "underReview"
    assert statuses["Synchronized intelligence sharing"] == "recommended"
    assert list(statuses.values()).count("recommended") == 6
    assert all("status" not in item for item in list_entities(store, "concern")["items"])


@pytest.mark.parametrize(
    "concern", ["national-security", "national-sovereignty", "military-spending", "geopolitical-impacts"]
)
def test_a_concerns_page_and_the_concern_filter_agree(store: MemoryStore, concern: str) -> None:
    page = describe(store, "concern", concern)
    filtered = positions(store, PositionFilter(concern=concern))
    assert [p["id"] for p in page["positions"]] == [p["id"] for p in filtered["items"]]
    assert page["positionCount"] == filtered["total"]


def test_national_security_lists_the_position_that_regards_it(store: MemoryStore) -> None:
    security = describe(store, "concern", "national-security")
    by_holder = {p["holder"]["label"]: p for p in security["positions"]}
    assert set(by_holder) == {"Canadian officials", VOICE}
    officials = by_holder["Canadian officials"]
    assert officials["regarding"] is not None
    assert (officials["target"]["label"], officials["regarding"]["label"]) == (
        "Canada joins Golden Dome",
        "National security",
    )
    assert officials["evidence"][0]["quote"] == (
        "Canadian officials express optimism that national security could be substantially improved "
        "through this partnership, potentially leading to a more cohesive defense structure between "
        "Canada and the U.S."
    )
    listed = {item["label"]: item["positionCount"] for item in list_entities(store, "concern")["items"]}
    assert listed["National security"] == 2


def test_a_stance_filter_follows_the_stance_hierarchy(store: MemoryStore) -> None:
    proposed = positions(store, PositionFilter(stance="proposes"), limit=1000)["items"]
    assert len(proposed) == 6
    assert {p["stance"] for p in proposed} == {"recommends"}
    assert {p["holder"]["label"] for p in proposed} == {VOICE}
    assert "Synchronized intelligence sharing" in {p["target"]["label"] for p in proposed}
    assert positions(store, PositionFilter(stance="proposes", exact_stance=True))["total"] == 0
    recommended = positions(store, PositionFilter(stance="recommends", exact_stance=True))["total"]
    assert recommended == positions(store, PositionFilter(stance="recommends"))["total"] == 6
    # Experts and analysts on joining, and Trump, who promotes the program itself.
    assert positions(store, PositionFilter(stance="supports"))["total"] == 3


def test_an_inferred_link_says_why(store: MemoryStore) -> None:
    links = run_query(store, "measures-addressing")
    reasons = {
        (str(row["measureLabel"]), str(row["addressedLabel"]), str(row["basis"])): row.get("reason")
        for row in links
    }
    assert str(
        reasons[
            (
                "Enhancing communication channels between Canadian and U.S. military establishments",
                "National security",
                "inferred",
            )
        ]
    ) == (
        'The text says the measure "can facilitate quicker response times during crises"; that this '
        "serves national security is the analyst's reading."
    )
    inferred = [reason for (_, _, basis), reason in reasons.items() if basis == "inferred"]
    assert inferred and all(inferred)
    stated = [reason for (_, _, basis), reason in reasons.items() if basis == "stated"]
    assert stated and not any(str(reason or "") for reason in stated)


def test_an_entitys_inferred_link_says_why_and_a_stated_one_has_no_reason(store: MemoryStore) -> None:
    dome = describe(store, "program", "golden-dome")
    (initiator,) = dome["initiatedBy"]
    assert (initiator["label"], initiator["inferred"]) == ("Donald Trump", True)
    assert initiator["reason"] == (
        'The text says the program "was initiated during Donald Trump’s governance" and calls it "Trump’s"; '
        'that he initiated it himself is a reading. (That he promoted it is stated: "originally promoted by '
        'former President Trump".)'
    )
    assert [(link["label"], link["inferred"], link["reason"]) for link in dome["promotedBy"]] == [
        ("Donald Trump", False, None)
    ]
    concern = describe(store, "concern", "national-security")
    security = {link["label"]: link for link in concern["addressedBy"]}
    assert security["Intelligence exchange"]["reason"] == (
        "The text links intelligence exchange to missile threats only; its bearing on national security is "
        "inferred."
    )


def test_the_article_has_its_37_evidence_spans_and_no_more(store: MemoryStore) -> None:
    # 32 before the article's framing, Trump's promotion, the varied reactions and the political
    # dynamics were coded (issue 16); the 19 quotes of its stated links are counted apart.
    (row,) = run_query(store, "source-documents")
    spans = document_detail(store, entity("golden-dome-canada"))["evidence"]
    assert int(str(row["evidenceSpans"])) == len(spans) == 37
    assert int(str(row["linkEvidenceSpans"])) == 19
    # The /inferred graph is derived from the article too, and is not an evidence span.
    assert len({span["id"] for span in spans}) == 37


def test_the_seed_document_invents_no_metadata(store: MemoryStore) -> None:
    detail = describe(store, "document", "golden-dome-canada")
    assert (detail["issued"], detail["author"], detail["publisher"]) == (None, None, None)


def test_the_empty_conflict_note_says_what_was_coded_and_what_is_missing(store: MemoryStore) -> None:
    records = position_records(store)
    assert conflict_note(records) == (
        "no two coded positions take opposite sides on one target (25 positions coded, "
        "3 concerns with no identified holder); absence of coded opposition is not consensus"
    )
    assert conflict_network(records).number_of_edges() == 0
