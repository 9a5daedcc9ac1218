"""REST shows what the coder wrote (issue 16), through a real uvicorn on loopback.

On the seed (the embedded Golden Dome coding and its source text), by label and exact text; the
document metadata on the fictional dated corpus of tests/data/corpus, since the article has none.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter
from rdflib import SKOS, Graph, Literal
from rdflib.namespace import DCTERMS

from api.settings import Settings
from graph.coding.build import build
from graph.namespaces import SGD
from graph.read import Listed, Page
from tests.api.support import serve

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
CONTENTIOUS_NOTE = (
    'The article calls the program "contentious" without saying who contests it; no opposing '
    "position is coded because the text reports none (the author's framing is coded as a position)."
)
UNIDENTIFIED_NOTE = (
    'The article says the government assesses the collaboration "amid concerns about national sovereignty, '
    'military spending, and broader geopolitical impacts" without saying whose concerns they are. They may '
    "or may not be the government's; recorded as unidentified rather than guessed."
)
HEADLINE_NOTE = 'The headline states the exploration plainly; the body hedges it ("reportedly", "perhaps").'
JSON_LD = {"Accept": "application/ld+json"}


@pytest.fixture(scope="module")
def client(golden_dome_client: httpx.Client) -> httpx.Client:
    return golden_dome_client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    data = tmp_path_factory.mktemp("corpus") / "corpus.nq"
    build(CORPUS, data)
    settings = Settings(store="memory", data=[data], union_default_graph=True)
    with serve(settings) as running, running.client() as client:
        yield client


def get(client: httpx.Client, url: str, **params: str | int | bool) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def by_label(url: str, client: httpx.Client, key: str) -> dict[str, Any]:
    return {item["label"]: item.get(key) for item in get(client, url, limit=1000)["items"]}


def test_notes_reach_every_list_and_detail(client: httpx.Client) -> None:
    assert by_label("/stakeholders", client, "notes")["Unidentified holders of the concerns"] == [
        UNIDENTIFIED_NOTE
    ]
    assert get(client, "/stakeholders/unidentified-concern-holders")["notes"] == [UNIDENTIFIED_NOTE]
    assert by_label("/programs", client, "notes") == {"Golden Dome": [CONTENTIOUS_NOTE]}
    assert get(client, "/programs/golden-dome")["notes"] == [CONTENTIOUS_NOTE]
    threats = by_label("/threats", client, "notes")
    assert threats["Unpredictable nations"][0].startswith('"rising global threats,particularly from')
    assert get(client, "/threats/unpredictable-nations")["notes"] == threats["Unpredictable nations"]
    measures = by_label("/measures", client, "notes")
    (garbled,) = [notes for label, notes in measures.items() if label.startswith("Second recommendation")]
    assert garbled[0].startswith('The source reads "second,, specifically focused on missile defenses')
    assert get(client, "/measures/second-recommendation-garbled")["notes"] == garbled
    assert measures["Intelligence exchange"] == []


def test_a_positions_note_is_on_it_in_every_answer(client: httpx.Client) -> None:
    listed = {p["id"]: p for p in get(client, "/positions", holder="canada")["items"]}
    assert listed["canada-in-talks-to-join-golden-dome"]["notes"] == [HEADLINE_NOTE]
    assert listed["canada-considers-aligning-with-golden-dome"]["notes"][0].startswith(
        "The second headline states the evaluation plainly"
    )
    canada = {p["id"]: p for p in get(client, "/stakeholders/canada")["positions"]}
    assert canada["canada-in-talks-to-join-golden-dome"]["notes"] == [HEADLINE_NOTE]


def as_rdf(client: httpx.Client, url: str) -> Graph:
    response = client.get(url, headers=JSON_LD)
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format="json-ld")


def test_notes_are_editorial_notes_in_json_ld(client: httpx.Client) -> None:
    program = as_rdf(client, "/programs/golden-dome")
    notes = {str(note) for note in program.objects(SGD["golden-dome"], SKOS.editorialNote)}
    assert notes == {CONTENTIOUS_NOTE}
    listed = as_rdf(client, "/positions?holder=canada")
    position = SGD["canada-in-talks-to-join-golden-dome"]
    assert {str(note) for note in listed.objects(position, SKOS.editorialNote)} == {HEADLINE_NOTE}


def test_measures_are_listed_with_their_status(client: httpx.Client) -> None:
    statuses = by_label("/measures", client, "status")
    assert {label for label, status in statuses.items() if status == "underReview"} == {
        "Collaborative military drills",
        "Intelligence exchange",
        "Tactical innovation",
    }
    assert list(statuses.values()).count("recommended") == 6
    assert "status" not in get(client, "/stakeholders", limit=1)["items"][0]
    adapter: TypeAdapter[Any] = TypeAdapter(Page[Listed])
    for url in ("/measures", "/stakeholders"):  # the declared model, exactly: status only where it belongs
        body = get(client, url)
        assert adapter.dump_python(adapter.validate_python(body, strict=True), exclude_unset=True) == body


def test_a_concern_lists_what_the_concern_filter_finds(client: httpx.Client) -> None:
    page = get(client, "/concerns/national-security")
    filtered = get(client, "/positions", concern="national-security")
    assert [p["id"] for p in page["positions"]] == [p["id"] for p in filtered["items"]]
    assert {p["holder"]["label"] for p in page["positions"]} == {
        "Canadian officials",
        "The article’s authorial voice",
    }
    assert page["positionCount"] == filtered["total"] == 2
    assert by_label("/concerns", client, "positionCount")["National security"] == 2


def test_a_stance_filter_follows_the_stance_hierarchy(client: httpx.Client) -> None:
    proposed = get(client, "/positions", stance="proposes", limit=1000)
    assert proposed["total"] == 6
    assert {p["stance"] for p in proposed["items"]} == {"recommends"}
    assert "Synchronized intelligence sharing" in {p["target"]["label"] for p in proposed["items"]}
    assert get(client, "/positions", stance="proposes", exact=True)["total"] == 0
    assert get(client, "/positions", stance="recommends", exact=True)["total"] == 6
    response = client.get("/positions", params={"stance": "proposes", "exact": "perhaps"})
    assert response.status_code == 422 and "exact" in response.json()["message"]


def test_an_inferred_link_carries_its_reason(client: httpx.Client) -> None:
    rows = get(client, "/queries/measures-addressing", measure="enhancing-communication-channels")["rows"]
    assert [(row["addressedLabel"], row["basis"], row["reason"]) for row in rows] == [
        (
            "National security",
            "inferred",
            'The text says the measure "can facilitate quicker response times during crises"; that this '
            "serves national security is the analyst's reading.",
        )
    ]
    exchange = get(client, "/queries/measures-addressing", measure="intelligence-exchange")["rows"]
    stated = [row for row in exchange if row["basis"] == "stated"]
    assert [row["addressedLabel"] for row in stated] == ["Missile threats"]
    assert not stated[0].get("reason")


def test_a_link_in_a_detail_carries_its_reason(client: httpx.Client) -> None:
    exchange = get(client, "/measures/intelligence-exchange")
    assert {link["label"]: (link["inferred"], link["reason"]) for link in exchange["addresses"]} == {
        "Missile threats": (False, None),
        "National security": (
            True,
            "The text links intelligence exchange to missile threats only; its bearing on national "
            "security is inferred.",
        ),
    }


def test_the_article_counts_its_37_evidence_spans(client: httpx.Client) -> None:
    # 32 before issue 16 coded what the article said and the graph lacked; its links' quotes apart.
    (row,) = get(client, "/queries/source-documents")["rows"]
    assert (row["evidenceSpans"], row["linkEvidenceSpans"]) == (37, 19)
    assert len(get(client, "/documents/golden-dome-canada")["evidence"]) == 37


def test_a_document_shows_the_date_author_and_publisher_its_coding_gives(corpus: httpx.Client) -> None:
    herald = get(corpus, "/documents/herald-2025-01-10")
    assert (herald["title"], herald["publisher"], herald["author"]) == (
        "Varga Backs Joining Shield",
        "The Ruritanian Herald",
        "Mira Kovač",
    )
    assert (herald["issued"], herald["timePrecision"]) == ("2025-01-10T00:00:00Z", "day")
    assert herald["url"] == "https://example.org/herald/2025-01-10/varga-backs-shield"
    graph = as_rdf(corpus, "/documents/herald-2025-01-10")
    document = SGD["herald-2025-01-10"]
    assert (document, DCTERMS.publisher, Literal("The Ruritanian Herald")) in graph
    assert (document, DCTERMS.creator, Literal("Mira Kovač")) in graph
    undated = get(corpus, "/documents/leaflet-undated")
    assert (undated["publisher"], undated["author"], undated["issued"]) == ("Farmers’ Union", None, None)
