"""Security: writes need the token (compared in constant time), tokens stay out of logs, CORS by name.

No outbound connection on a query's behalf and no XML external entity are covered by
the hostile-input corpus (``test_hostile_input.py``), where every case runs with a
loopback listener that must receive nothing.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator

import httpx
import pytest

from graph.coding.coders import Coder, Coders, Role, token_hash
from reliability.corpus import store_fingerprint
from reliability.processes import ServiceProcess

TOKEN = "s3cret-write-token-7f1c9a"
WRONG_TOKENS = {
    "wrong, same length": "x" * len(TOKEN),
    "prefix": TOKEN[:-1],
    "longer": TOKEN + "0",
    "different case": TOKEN.upper(),
    "bearer only": "",
}
ALLOWED_ORIGIN = "https://analyst.example"
UNKNOWN_ORIGIN = "https://evil.example"

GRAPH = {"graph": "http://example.org/security"}
TURTLE = {"Content-Type": "text/turtle"}
WRITES: list[tuple[str, str, dict[str, str], dict[str, str], bytes]] = [
    ("POST", "/update", {}, {"Content-Type": "application/sparql-update"}, b"CLEAR ALL"),
    ("PUT", "/store", GRAPH, TURTLE, b"<http://example.org/a> <http://example.org/p> 1 ."),
    ("POST", "/store", GRAPH, TURTLE, b"<http://example.org/a> <http://example.org/p> 2 ."),
    ("DELETE", "/store", {"graph": "https://w3id.org/stancegraph/graph/ontology"}, {}, b""),
]
WRITE_IDS = [f"{method} {path}" for method, path, *_ in WRITES]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    """A service with a write token and one allowed origin, logging at debug level."""
    log = tmp_path_factory.mktemp("security") / "service.log"
    with ServiceProcess(log, log_level="debug", write_token=TOKEN, cors_origins=[ALLOWED_ORIGIN]) as running:
        yield running


@pytest.fixture(scope="module")
def read_only_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    """A service started with no token and no CORS configuration: the defaults."""
    with ServiceProcess(tmp_path_factory.mktemp("defaults") / "service.log") as running:
        yield running


def send_write(service: ServiceProcess, write: tuple, authorization: str | None) -> httpx.Response:
    method, path, params, headers, body = write
    if authorization is not None:
        headers = headers | {"Authorization": authorization}
    return httpx.request(
        method, f"{service.url}{path}", params=params, headers=headers, content=body, timeout=60
    )


@pytest.mark.parametrize("write", WRITES, ids=WRITE_IDS)
def test_writes_without_the_right_token_are_refused_and_change_nothing(
    service: ServiceProcess, write: tuple
) -> None:
    before = store_fingerprint(service.url)
    attempts = {"no header": None, "basic scheme": f"Basic {TOKEN}", "token without scheme": TOKEN}
    attempts |= {name: f"Bearer {token}".strip() for name, token in WRONG_TOKENS.items()}
    for name, authorization in attempts.items():
        response = send_write(service, write, authorization)
        assert response.status_code in (401, 403), f"{name}: {response.status_code} {response.text}"
        assert response.json()["error"] in ("unauthorized", "forbidden")
        assert TOKEN not in response.text
    assert store_fingerprint(service.url) == before


@pytest.mark.parametrize("write", WRITES, ids=WRITE_IDS)
def test_writes_are_off_when_no_token_is_configured(read_only_service: ServiceProcess, write: tuple) -> None:
    response = send_write(read_only_service, write, f"Bearer {TOKEN}")
    assert response.status_code == 403
    assert "write token" in response.json()["message"]


def test_the_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check goes through hmac.compare_digest over SHA-256 digests, with every coder, found or
    not: its time depends neither on where the bytes differ nor on which coder came close."""
    compared: list[tuple[str, str]] = []
    real_compare = hmac.compare_digest

    def recording_compare(a: str, b: str) -> bool:
        compared.append((a, b))
        return real_compare(a, b)

    coders = Coders([Coder("ana", Role.coder, token_hash("fictional-ana-token"))]).with_write_token(TOKEN)
    monkeypatch.setattr(hmac, "compare_digest", recording_compare)
    assert coders.authenticate(TOKEN) is not None
    assert coders.authenticate("x" * len(TOKEN)) is None
    wrong = token_hash("x" * len(TOKEN))
    assert compared == [
        (token_hash(TOKEN), token_hash("fictional-ana-token")),
        (token_hash(TOKEN), token_hash(TOKEN)),
        (wrong, token_hash("fictional-ana-token")),
        (wrong, token_hash(TOKEN)),
    ]


def update(text: bytes) -> tuple:
    return ("POST", "/update", {}, {"Content-Type": "application/sparql-update"}, text)


def test_tokens_never_reach_the_log(service: ServiceProcess) -> None:
    """At debug level, with writes accepted, failing and refused: neither token appears in the output."""
    accepted = send_write(
        service, update(b"INSERT DATA { GRAPH <urn:t> { <urn:a> <urn:p> 1 } }"), f"Bearer {TOKEN}"
    )
    assert accepted.status_code == 204
    failing = send_write(service, update(b"INSERT DATA { this does not parse"), f"Bearer {TOKEN}")
    assert failing.status_code == 400
    for token in WRONG_TOKENS.values():
        send_write(service, WRITES[1], f"Bearer {token}".strip())
    output = service.output()
    assert "POST /update" in output, "the log captured the requests"
    for token in [TOKEN, *(t for t in WRONG_TOKENS.values() if t)]:
        assert token not in output


def test_cors_allows_only_the_configured_origins(service: ServiceProcess) -> None:
    query = {"query": "ASK { ?s ?p ?o }"}
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Authorization"}

    unknown = httpx.options(f"{service.url}/update", headers={"Origin": UNKNOWN_ORIGIN, **preflight})
    assert unknown.status_code == 400
    assert "access-control-allow-origin" not in unknown.headers
    simple = httpx.get(f"{service.url}/sparql", params=query, headers={"Origin": UNKNOWN_ORIGIN})
    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers

    allowed = httpx.options(f"{service.url}/update", headers={"Origin": ALLOWED_ORIGIN, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    simple = httpx.get(f"{service.url}/sparql", params=query, headers={"Origin": ALLOWED_ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ALLOWED_ORIGIN


def test_cors_is_off_by_default(read_only_service: ServiceProcess) -> None:
    for origin in (ALLOWED_ORIGIN, UNKNOWN_ORIGIN):
        response = httpx.get(
            f"{read_only_service.url}/sparql", params={"query": "ASK {}"}, headers={"Origin": origin}
        )
        assert "access-control-allow-origin" not in response.headers
        preflight = httpx.options(
            f"{read_only_service.url}/sparql",
            headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
        )
        assert "access-control-allow-origin" not in preflight.headers
