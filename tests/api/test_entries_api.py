"""Documents and entities edited and retracted over HTTP (real uvicorn, httpx): each change recorded,
each refusal naming why with the store fingerprint unchanged, a retraction refused while anything
still needs what it would remove.

Coders, tokens and documents are fictional, made up for these tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from reliability.corpus import store_fingerprint
from tests.api.support import RunningService
from tests.api.test_coding_api import TEXT, bearer, create
from tests.api.test_coding_api import service as coding_service

service = coding_service  # the coding API's service: a fictional document, coders of each role
NOTE = "fictional-ledger"


@pytest.fixture
def client(service: RunningService) -> Iterator[httpx.Client]:
    with service.client() as opened:
        yield opened


def _new_document(client: httpx.Client, slug: str) -> None:
    made = client.post(
        "/documents",
        json={"document": {"slug": slug, "title": "A ledger (fictional)"}, "text": TEXT},
        headers=bearer("ana"),
    )
    assert made.status_code == 201, made.text


def test_a_coder_edits_a_documents_metadata_and_its_text_stays(client: httpx.Client) -> None:
    _new_document(client, NOTE)
    edited = client.put(
        f"/documents/{NOTE}",
        json={"document": {"title": "A ledger, renamed (fictional)", "date": "2025-02-01"}, "reason": "typo"},
        headers=bearer("ana"),
    )
    assert edited.status_code == 200, edited.text
    shown = client.get(f"/documents/{NOTE}").json()
    assert shown["title"] == "A ledger, renamed (fictional)" and shown["text"] == TEXT
    assert client.get(f"/documents/{NOTE}/text").json()["text"] == TEXT


@pytest.mark.parametrize(
    ("who", "path", "body", "status"),
    [
        ("ana", "/documents/no-such-document", {"document": {"title": "x"}, "reason": "r"}, 404),
        ("ana", f"/documents/{NOTE}-x", {"document": {"title": "x"}, "reason": "r"}, 404),
        ("rea", "/documents/fictional-zembla", {"document": {"title": "x"}, "reason": "r"}, 403),
        ("ana", "/documents/fictional-zembla", {"document": {"title": "x"}}, 422),
        (
            "ana",
            "/documents/fictional-zembla",
            {"document": {"slug": "other", "title": "x"}, "reason": "r"},
            422,
        ),
        ("ana", "/documents/fictional-zembla", {"document": "x", "reason": "r"}, 422),
        ("ana", "/entities/no-such-entity", {"section": "threats", "label": "x", "reason": "r"}, 403),
        ("ada", "/entities/no-such-entity", {"section": "threats", "label": "x", "reason": "r"}, 404),
        (
            "ana",
            "/entities/drone-pact",
            {"section": "threats", "id": "other", "label": "x", "document": "fictional-zembla"},
            422,
        ),
    ],
)
def test_every_refused_edit_leaves_the_store_as_it_was(
    service: RunningService, client: httpx.Client, who: str, path: str, body: dict[str, object], status: int
) -> None:
    before = store_fingerprint(service.url)
    answer = client.put(path, json=body, headers=bearer(who))
    assert answer.status_code == status, answer.text
    assert store_fingerprint(service.url) == before


def test_an_entity_named_by_a_position_is_not_retracted_one_nothing_names_is(
    service: RunningService, client: httpx.Client
) -> None:
    assert create(client, id="council-opposes-pact-entries").status_code == 201
    before = store_fingerprint(service.url)
    refused = client.delete("/entities/zembla-council", params={"reason": "gone"}, headers=bearer("ana"))
    assert refused.status_code == 409 and "named by" in refused.json()["message"]
    assert store_fingerprint(service.url) == before
    made = client.post(
        "/entities",
        json={"section": "threats", "document": "fictional-zembla", "id": "stray-threat", "label": "Stray"},
        headers=bearer("ana"),
    )
    assert made.status_code == 201, made.text
    edited = client.put(
        "/entities/stray-threat",
        json={"section": "threats", "document": "fictional-zembla", "label": "Stray, renamed", "reason": "r"},
        headers=bearer("ana"),
    )
    assert edited.status_code == 200, edited.text
    assert client.get("/threats/stray-threat").json()["label"] == "Stray, renamed"
    gone = client.delete(
        "/entities/stray-threat", params={"reason": "not in the text"}, headers=bearer("ana")
    )
    assert gone.status_code == 200, gone.text
    assert client.get("/threats/stray-threat").status_code == 404
    assert (
        client.delete("/entities/stray-threat", params={"reason": "again"}, headers=bearer("ana")).status_code
        == 404
    )


def test_a_document_is_retracted_by_an_admin_once_it_codes_nothing(
    service: RunningService, client: httpx.Client
) -> None:
    slug = "fictional-scrap"
    _new_document(client, slug)
    refused = client.delete(f"/documents/{slug}", params={"reason": "a test"}, headers=bearer("ana"))
    assert refused.status_code == 403 and "manage_entities" in refused.json()["message"]
    no_reason = client.delete(f"/documents/{slug}", headers=bearer("ada"))
    assert no_reason.status_code == 422, no_reason.text
    assert create(client, id="council-opposes-pact-kept").status_code == 201
    busy = client.delete("/documents/fictional-zembla", params={"reason": "a test"}, headers=bearer("ada"))
    assert busy.status_code == 409 and "positions" in busy.json()["message"]
    gone = client.delete(f"/documents/{slug}", params={"reason": "a test only"}, headers=bearer("ada"))
    assert gone.status_code == 200, gone.text
    assert client.get(f"/documents/{slug}").status_code == 404
    kept = client.post(
        "/sparql",
        data={
            "query": "ASK { GRAPH <https://w3id.org/stancegraph/graph/fictional-scrap/history> {"
            " ?r <http://www.w3.org/ns/prov#invalidated> <https://w3id.org/stancegraph/id/fictional-scrap> ;"
            " <http://www.w3.org/ns/prov#value> ?removed FILTER(CONTAINS(?removed, 'A ledger')) } }"
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert kept.json()["boolean"] is True


def test_a_write_to_a_memory_store_says_it_lasts_until_the_service_stops(client: httpx.Client) -> None:
    made = client.post(
        "/entities",
        json={"section": "threats", "document": "fictional-zembla", "id": "brief-threat", "label": "Brief"},
        headers=bearer("ana"),
    )
    assert made.status_code == 201, made.text
    assert "lasts until the service stops" in made.headers["Warning"]
    assert "Warning" not in client.get("/documents/fictional-zembla/text").headers
