"""SPARQL Update at /update: permission by bearer token, both protocol forms, atomic failures."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.api.support import TOKEN, RunningService

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
INSERT = 'INSERT DATA { <http://example.org/frank> <http://example.org/name> "Frank" }'
ASK_FRANK = 'ASK { <http://example.org/frank> <http://example.org/name> "Frank" }'


def quad_count(service: RunningService) -> int:
    body = httpx.get(f"{service.url}/sparql", params={"query": COUNT}).json()
    return int(body["results"]["bindings"][0]["n"]["value"])


def ask(service: RunningService, query: str) -> bool:
    return bool(httpx.get(f"{service.url}/sparql", params={"query": query}).json()["boolean"])


def post_update(
    service: RunningService, update: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.post(
        f"{service.url}/update",
        content=update.encode(),
        headers={"Content-Type": "application/sparql-update", **(headers or {})},
    )


def test_writes_are_off_without_a_configured_token(service: RunningService) -> None:
    before = quad_count(service)
    response = post_update(service, INSERT, {"Authorization": "Bearer anything"})
    assert response.status_code == 403
    assert response.json()["error"] == "writes-disabled"
    assert "disabled" in response.json()["message"]
    assert quad_count(service) == before


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_missing_or_wrong_token_is_401(writable: RunningService, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = post_update(writable, INSERT, headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert TOKEN not in response.text
    assert not ask(writable, ASK_FRANK)


def test_right_token_applies_a_direct_update(writable: RunningService, auth: dict[str, str]) -> None:
    response = post_update(writable, INSERT, auth)
    assert response.status_code == 204
    assert ask(writable, ASK_FRANK)


def test_form_update(writable: RunningService, auth: dict[str, str]) -> None:
    response = httpx.post(f"{writable.url}/update", data={"update": INSERT}, headers=auth)
    assert response.status_code == 204
    assert ask(writable, ASK_FRANK)


def test_other_content_type_is_415(writable: RunningService, auth: dict[str, str]) -> None:
    response = httpx.post(
        f"{writable.url}/update", content=INSERT, headers={**auth, "Content-Type": "text/plain"}
    )
    assert response.status_code == 415


COPY_FROM_G1 = "INSERT { GRAPH <http://example.org/copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }"


def seed_graphs(service: RunningService, auth: dict[str, str]) -> None:
    seed = (
        "INSERT DATA { GRAPH <http://example.org/u1> { <http://example.org/a> <http://example.org/p> 1 } "
        "GRAPH <http://example.org/u2> { <http://example.org/b> <http://example.org/p> 2 } }"
    )
    assert post_update(service, seed, auth).status_code == 204


def copied(service: RunningService) -> set[str]:
    query = "SELECT ?s WHERE { GRAPH <http://example.org/copy> { ?s ?p ?o } }"
    rows = httpx.get(f"{service.url}/sparql", params={"query": query}).json()["results"]["bindings"]
    return {row["s"]["value"] for row in rows}


def test_using_graph_uri_is_the_where_clauses_default_graph(
    writable: RunningService, auth: dict[str, str]
) -> None:
    seed_graphs(writable, auth)
    response = httpx.post(
        f"{writable.url}/update",
        params={"using-graph-uri": "http://example.org/u1"},
        content=COPY_FROM_G1.encode(),
        headers={**auth, "Content-Type": "application/sparql-update"},
    )
    assert response.status_code == 204
    assert copied(writable) == {"http://example.org/a"}


def test_using_named_graph_uri_by_form_and_delete_where(
    writable: RunningService, auth: dict[str, str]
) -> None:
    seed_graphs(writable, auth)
    update = (
        "INSERT { GRAPH <http://example.org/copy> { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } } ; "
        "DELETE WHERE { GRAPH ?g { ?s <http://example.org/p> ?o } }"
    )
    response = httpx.post(
        f"{writable.url}/update",
        data={"update": update, "using-named-graph-uri": "http://example.org/u2"},
        headers=auth,
    )
    assert response.status_code == 204
    # Both operations saw g2 alone: g2 was copied, then emptied; g1 and the copy were out of reach.
    assert copied(writable) == {"http://example.org/b"}
    assert ask(writable, "ASK { GRAPH <http://example.org/u1> { <http://example.org/a> ?p 1 } }")
    assert not ask(writable, "ASK { GRAPH <http://example.org/u2> { ?s ?p ?o } }")


@pytest.mark.parametrize(
    "update",
    [
        "WITH <http://example.org/u1> " + COPY_FROM_G1,
        COPY_FROM_G1.replace("WHERE", "USING <http://example.org/u2> WHERE"),
    ],
)
def test_using_graph_uri_beside_a_dataset_clause_is_400(
    writable: RunningService, auth: dict[str, str], update: str
) -> None:
    seed_graphs(writable, auth)
    before = quad_count(writable)
    response = httpx.post(
        f"{writable.url}/update",
        data={"update": update, "using-graph-uri": "http://example.org/u1"},
        headers=auth,
    )
    assert response.status_code == 400
    assert "section 2.2.3" in response.json()["message"]
    assert quad_count(writable) == before


def test_using_graph_uri_that_is_not_an_iri_is_400(writable: RunningService, auth: dict[str, str]) -> None:
    response = httpx.post(
        f"{writable.url}/update",
        data={"update": INSERT, "using-graph-uri": "not an iri"},
        headers=auth,
    )
    assert response.status_code == 400
    assert "using-graph-uri" in response.json()["message"]
    assert not ask(writable, ASK_FRANK)


def test_malformed_update_is_400_and_changes_nothing(writable: RunningService, auth: dict[str, str]) -> None:
    before = quad_count(writable)
    response = post_update(writable, INSERT + " ; INSERT DATA { <http://example.org/x> }", auth)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "syntax"
    assert "line" in body
    assert quad_count(writable) == before
    assert not ask(writable, ASK_FRANK)


def test_update_failing_halfway_changes_nothing(writable: RunningService, auth: dict[str, str]) -> None:
    # The first operation succeeds, the second fails (the graph already exists): all or nothing.
    before = quad_count(writable)
    response = post_update(writable, INSERT + " ; CREATE GRAPH <http://example.org/g1>", auth)
    assert response.status_code >= 400
    assert json.loads(response.text)["message"]
    assert quad_count(writable) == before
    assert not ask(writable, ASK_FRANK)


def test_get_on_update_is_not_allowed(writable: RunningService) -> None:
    assert httpx.get(f"{writable.url}/update").status_code == 405
