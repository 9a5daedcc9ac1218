"""The Graph Store HTTP Protocol at /store: reads open, writes by token, atomic uploads."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from tests.api.support import EX, RunningService

G1 = EX + "g1"
NEW = EX + "new"
TURTLE = f'<{EX}zoe> <{EX}name> "Zoe" .'
NAME = URIRef(EX + "name")


def get(service: RunningService, params: dict[str, str], accept: str = "text/turtle") -> httpx.Response:
    return httpx.get(f"{service.url}/store", params=params, headers={"Accept": accept})


def names_in(service: RunningService, params: dict[str, str]) -> set[str]:
    response = get(service, params, "application/n-triples")
    assert response.status_code == 200
    return {str(o) for o in Graph().parse(data=response.text, format="nt").objects(None, NAME)}


def send(
    service: RunningService,
    method: str,
    params: dict[str, str],
    body: str,
    headers: dict[str, str],
    content_type: str = "text/turtle",
) -> httpx.Response:
    return httpx.request(
        method,
        f"{service.url}/store",
        params=params,
        content=body.encode(),
        headers={**headers, "Content-Type": content_type},
    )


# --- reads (open) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "parser"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_get_a_named_graph_in_each_format(service: RunningService, accept: str, parser: str) -> None:
    response = get(service, {"graph": G1}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=parser)
    assert (URIRef(EX + "carol"), NAME, Literal("Carol")) in graph


def test_get_the_default_graph(service: RunningService) -> None:
    assert names_in(service, {"default": ""}) == {"Alice", "Bob"}


def test_get_a_missing_graph_is_404(service: RunningService) -> None:
    response = get(service, {"graph": EX + "missing"})
    assert response.status_code == 404
    assert response.json()["error"] == "not-found"


def test_head(service: RunningService) -> None:
    found = httpx.head(f"{service.url}/store", params={"graph": G1})
    assert found.status_code == 200
    assert found.headers["content-type"].startswith("text/turtle")
    assert found.content == b""
    assert httpx.head(f"{service.url}/store", params={"graph": EX + "missing"}).status_code == 404


@pytest.mark.parametrize("params", [{}, {"graph": G1, "default": ""}, {"graph": "relative/iri"}])
def test_graph_must_be_named_exactly_once_by_an_absolute_iri(
    service: RunningService, params: dict[str, str]
) -> None:
    assert get(service, params).status_code == 400


def test_get_unservable_format_is_406(service: RunningService) -> None:
    assert get(service, {"graph": G1}, "text/csv").status_code == 406


# --- writes ------------------------------------------------------------------------------


def test_writes_are_off_without_a_configured_token(service: RunningService) -> None:
    response = send(service, "PUT", {"graph": NEW}, TURTLE, {"Authorization": "Bearer x"})
    assert response.status_code == 403
    assert get(service, {"graph": NEW}).status_code == 404


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_writes_need_the_token(writable: RunningService, method: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = send(writable, method, {"graph": G1}, TURTLE, headers)
        assert response.status_code == 401
        assert "www-authenticate" in response.headers
    assert names_in(writable, {"graph": G1}) == {"Carol"}


def test_put_creates_then_replaces(writable: RunningService, auth: dict[str, str]) -> None:
    assert send(writable, "PUT", {"graph": NEW}, TURTLE, auth).status_code == 201
    assert names_in(writable, {"graph": NEW}) == {"Zoe"}
    replacement = f'<{EX}yann> <{EX}name> "Yann" .'
    assert send(writable, "PUT", {"graph": NEW}, replacement, auth).status_code == 204
    assert names_in(writable, {"graph": NEW}) == {"Yann"}


def test_post_creates_then_adds(writable: RunningService, auth: dict[str, str]) -> None:
    assert send(writable, "POST", {"graph": NEW}, TURTLE, auth).status_code == 201
    more = f'<{EX}yann> <{EX}name> "Yann" .'
    assert send(writable, "POST", {"graph": NEW}, more, auth, "application/n-triples").status_code == 204
    assert names_in(writable, {"graph": NEW}) == {"Zoe", "Yann"}


def test_post_to_the_default_graph(writable: RunningService, auth: dict[str, str]) -> None:
    assert send(writable, "POST", {"default": ""}, TURTLE, auth).status_code == 204
    assert names_in(writable, {"default": ""}) == {"Alice", "Bob", "Zoe"}


def test_put_json_ld_and_rdf_xml(writable: RunningService, auth: dict[str, str]) -> None:
    json_ld = f'{{"@id": "{EX}zoe", "{EX}name": "Zoe"}}'
    assert send(writable, "PUT", {"graph": NEW}, json_ld, auth, "application/ld+json").status_code == 201
    rdf_xml = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        f'<rdf:Description rdf:about="{EX}yann"><ex:name>Yann</ex:name></rdf:Description></rdf:RDF>'
    )
    assert send(writable, "POST", {"graph": NEW}, rdf_xml, auth, "application/rdf+xml").status_code == 204
    assert names_in(writable, {"graph": NEW}) == {"Zoe", "Yann"}


def test_delete(writable: RunningService, auth: dict[str, str]) -> None:
    assert send(writable, "DELETE", {"graph": G1}, "", auth).status_code == 204
    assert get(writable, {"graph": G1}).status_code == 404
    assert send(writable, "DELETE", {"graph": G1}, "", auth).status_code == 404


def test_unsupported_content_type_is_415(writable: RunningService, auth: dict[str, str]) -> None:
    response = send(writable, "PUT", {"graph": G1}, TURTLE, auth, "text/plain")
    assert response.status_code == 415
    assert "text/turtle" in response.json()["message"]


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_broken_upload_is_400_and_changes_nothing(
    writable: RunningService, auth: dict[str, str], method: str
) -> None:
    broken = TURTLE + f'\n<{EX}zed> <{EX}name> "unterminated .'
    response = send(writable, method, {"graph": G1}, broken, auth)
    assert response.status_code == 400
    assert response.json()["error"] == "syntax"
    assert names_in(writable, {"graph": G1}) == {"Carol"}


def test_nonconforming_upload_is_422_with_violations(writable: RunningService, auth: dict[str, str]) -> None:
    position = "<http://example.org/p1> a <https://w3id.org/stancegraph/ontology#Position> ."
    response = send(writable, "PUT", {"graph": G1, "validate": "shacl"}, position, auth)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation"
    assert "holder" in body["message"]
    assert names_in(writable, {"graph": G1}) == {"Carol"}


def test_conforming_upload_with_validation_is_written(writable: RunningService, auth: dict[str, str]) -> None:
    assert send(writable, "PUT", {"graph": NEW, "validate": "shacl"}, TURTLE, auth).status_code == 201
    assert names_in(writable, {"graph": NEW}) == {"Zoe"}


def test_unknown_validation_is_422(writable: RunningService, auth: dict[str, str]) -> None:
    response = send(writable, "PUT", {"graph": NEW, "validate": "owl"}, TURTLE, auth)
    assert response.status_code == 422
    assert get(writable, {"graph": NEW}).status_code == 404
