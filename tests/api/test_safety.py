"""Safety: no outbound request on a client's behalf, a cap on bodies, CORS only by name, no token in logs."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.support import EX, TOKEN, RunningService


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A listening loopback socket: any connection the service made to it would wait in its backlog."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        yield sock


def connections_arrived(sock: socket.socket) -> bool:
    try:
        connection, _ = sock.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def url_of(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "PREFIX remote: <{url}#> SELECT * WHERE {{ SERVICE remote:x {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_and_no_connection_arrives(
    service: RunningService, listener: socket.socket, template: str
) -> None:
    query = template.format(url=url_of(listener))
    response = httpx.get(f"{service.url}/sparql", params={"query": query})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] in ("forbidden", "syntax")
    assert "SERVICE" in body["message"]
    assert not connections_arrived(listener)


def test_service_with_a_variable_endpoint_is_refused(service: RunningService) -> None:
    query = "SELECT * WHERE { VALUES ?e { <http://127.0.0.1:9/> } SERVICE ?e { ?s ?p ?o } }"
    response = httpx.get(f"{service.url}/sparql", params={"query": query})
    assert response.status_code == 400
    assert response.json()["error"] == "forbidden"


@pytest.mark.parametrize(
    "template", ["LOAD <{url}>", "LOAD SILENT <{url}> INTO GRAPH <http://example.org/x>"]
)
def test_load_is_refused_and_no_connection_arrives(
    writable: RunningService, auth: dict[str, str], listener: socket.socket, template: str
) -> None:
    response = httpx.post(
        f"{writable.url}/update", data={"update": template.format(url=url_of(listener))}, headers=auth
    )
    assert response.status_code == 400
    assert "LOAD" in response.json()["message"]
    assert not connections_arrived(listener)


def test_load_of_a_file_is_refused(writable: RunningService, auth: dict[str, str]) -> None:
    response = httpx.post(
        f"{writable.url}/update", data={"update": "LOAD <file:///etc/hostname>"}, headers=auth
    )
    assert response.status_code == 400
    assert response.json()["error"] == "forbidden"


@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_from_a_graph_outside_the_store_is_refused(
    service: RunningService, listener: socket.socket, clause: str
) -> None:
    query = f"SELECT * {clause} <{url_of(listener)}> WHERE {{ ?s ?p ?o }}"
    response = httpx.get(f"{service.url}/sparql", params={"query": query})
    assert response.status_code == 400
    assert f"{clause} <{url_of(listener)}>" in response.json()["message"]
    assert not connections_arrived(listener)


def test_from_a_graph_of_the_store_is_allowed(service: RunningService) -> None:
    query = f"SELECT * FROM <{EX}g1> FROM NAMED <{EX}g2> WHERE {{ ?s ?p ?o }}"
    assert httpx.get(f"{service.url}/sparql", params={"query": query}).status_code == 200


def test_using_a_graph_outside_the_store_is_refused(
    writable: RunningService, auth: dict[str, str], listener: socket.socket
) -> None:
    update = f"DELETE {{ ?s ?p ?o }} USING <{url_of(listener)}> WHERE {{ ?s ?p ?o }}"
    response = httpx.post(f"{writable.url}/update", data={"update": update}, headers=auth)
    assert response.status_code == 400
    assert not connections_arrived(listener)


def test_keyword_in_a_literal_is_harmless(service: RunningService) -> None:
    query = 'SELECT * WHERE { ?s ?p "SERVICE from LOAD using" }'
    assert httpx.get(f"{service.url}/sparql", params={"query": query}).status_code == 200


# --- request body cap -----------------------------------------------------------------------


def test_oversized_body_is_413(start_service) -> None:  # type: ignore[no-untyped-def]
    small = start_service(max_body_bytes=1000)
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2000
    response = httpx.post(
        f"{small.url}/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413
    assert "1000 bytes" in response.json()["message"]


def test_oversized_chunked_body_is_413(start_service) -> None:  # type: ignore[no-untyped-def]
    small = start_service(max_body_bytes=1000)

    def chunks() -> Iterator[bytes]:
        yield b"SELECT * WHERE { ?s ?p ?o } #"
        for _ in range(20):
            yield b"x" * 100

    response = httpx.post(
        f"{small.url}/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


def test_body_under_the_cap_is_served(start_service) -> None:  # type: ignore[no-untyped-def]
    small = start_service(max_body_bytes=1000)
    response = httpx.post(
        f"{small.url}/sparql",
        content="ASK { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 200


# --- CORS ----------------------------------------------------------------------------------

PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}


def test_cors_is_off_by_default(service: RunningService) -> None:
    origin = {"Origin": "https://app.example"}
    response = httpx.get(f"{service.url}/sparql", params={"query": "ASK {}"}, headers=origin)
    assert "access-control-allow-origin" not in response.headers
    preflight = httpx.options(f"{service.url}/sparql", headers={**origin, **PREFLIGHT})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_only_named_origins(start_service) -> None:  # type: ignore[no-untyped-def]
    cors = start_service(cors_origins=["https://app.example"])
    allowed = httpx.get(
        f"{cors.url}/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://app.example"}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "x-result-truncated" in allowed.headers["access-control-expose-headers"].lower()
    preflight = httpx.options(f"{cors.url}/sparql", headers={"Origin": "https://app.example", **PREFLIGHT})
    assert preflight.status_code == 200
    other = httpx.get(
        f"{cors.url}/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers
    refused = httpx.options(f"{cors.url}/sparql", headers={"Origin": "https://evil.example", **PREFLIGHT})
    assert refused.status_code == 400


# --- the token stays secret ---------------------------------------------------------------


def test_token_never_appears_in_logs(
    writable: RunningService, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        httpx.post(f"{writable.url}/update", data={"update": "CLEAR DEFAULT"}, headers=auth)
        httpx.post(
            f"{writable.url}/update", data={"update": "CLEAR DEFAULT"}, headers={"Authorization": "Bearer no"}
        )
    assert caplog.records
    assert all(TOKEN not in record.getMessage() for record in caplog.records)
    assert TOKEN not in repr(writable.settings)


# --- query timeout ------------------------------------------------------------------------

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def big_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.ttl"
    lines = (f"<http://example.org/s{i}> <http://example.org/p{i % 7}> {i} .\n" for i in range(3000))
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_timeout_answers_504_and_others_are_served_meanwhile(start_service, big_data: Path) -> None:  # type: ignore[no-untyped-def]
    slow_service = start_service(data=[big_data], query_timeout=2.0)
    outcome: dict[str, httpx.Response] = {}

    def slow() -> None:
        outcome["slow"] = httpx.get(f"{slow_service.url}/sparql", params={"query": CARTESIAN}, timeout=60)

    worker = threading.Thread(target=slow)
    worker.start()
    try:
        quick = httpx.get(f"{slow_service.url}/sparql", params={"query": "ASK { ?s ?p 42 }"}, timeout=60)
        answered_while_slow_ran = worker.is_alive()
    finally:
        worker.join(timeout=60)
    assert quick.status_code == 200
    assert quick.json()["boolean"] is True
    assert answered_while_slow_ran
    slow_response = outcome["slow"]
    assert slow_response.status_code == 504
    assert slow_response.json()["error"] == "timeout"
