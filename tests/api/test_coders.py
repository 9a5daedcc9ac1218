"""Coders over HTTP: who a token names (/coders/me), every refusal of a write, the write token as the
admin, reads closed to all but coders when asked, and a bad coders file stopping the start."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from api.cli import app as cli
from api.main import create_app
from api.settings import Settings
from graph.coding.coders import token_hash
from graph.errors import CodingError
from reliability.corpus import store_fingerprint
from tests.api.support import TOKEN, RunningService, sample_settings, serve, wait_until_healthy

# Fictional coders and tokens, made up for these tests.
TOKENS = {
    "rea": "reader-token-fictional",
    "ana": "coder-token-fictional",
    "rui": "reviewer-token-fictional",
    "ada": "admin-token-fictional",
}
ROLES = {"rea": "reader", "ana": "coder", "rui": "reviewer", "ada": "admin"}
CAPABILITIES = {
    "reader": ["read"],
    "coder": ["read", "code"],
    "reviewer": ["read", "code", "edit_others", "review"],
    "admin": ["read", "code", "edit_others", "review", "manage_entities", "raw_writes"],
}
INSERT = b'INSERT DATA { GRAPH <urn:coders-test> { <urn:a> <urn:p> "fictional" } }'
TURTLE = b'<urn:a> <urn:p> "fictional" .'


def coders_yaml() -> str:
    entries = "".join(
        f"  - name: {name}\n    role: {ROLES[name]}\n    token_sha256: {token_hash(token)}\n"
        for name, token in TOKENS.items()
    )
    return f"# A fictional coders file, for the tests.\ncoders:\n{entries}"


@pytest.fixture(scope="module")
def coders_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("coders") / "coders.yaml"
    path.write_text(coders_yaml(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def coded(data_file: Path, coders_file: Path) -> Iterator[RunningService]:
    """A service with the coders file and the old write token both."""
    with serve(sample_settings(data_file, coders_file=coders_file, write_token=TOKEN)) as running:
        yield running


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# Every raw write: SPARQL Update, and the Graph Store's PUT, POST and DELETE.
WRITES = {
    "update": ("POST", "/update", {}, {"Content-Type": "application/sparql-update"}, INSERT),
    "store-put": ("PUT", "/store", {"graph": "urn:coders-test"}, {"Content-Type": "text/turtle"}, TURTLE),
    "store-post": ("POST", "/store", {"graph": "urn:coders-test"}, {"Content-Type": "text/turtle"}, TURTLE),
    "store-delete": ("DELETE", "/store", {"graph": "http://example.org/g1"}, {}, b""),
}


def send(service: RunningService, write: str, headers: dict[str, str]) -> httpx.Response:
    method, path, params, content_headers, body = WRITES[write]
    with service.client() as client:
        return client.request(
            method, path, params=params, headers={**content_headers, **headers}, content=body
        )


@pytest.mark.parametrize("name", list(TOKENS))
def test_a_coder_learns_their_name_role_and_capabilities(coded: RunningService, name: str) -> None:
    with coded.client() as client:
        answer = client.get("/coders/me", headers=bearer(TOKENS[name]))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"name": name, "role": ROLES[name], "capabilities": CAPABILITIES[ROLES[name]]}


def test_the_old_write_token_is_the_admin_named_admin(coded: RunningService) -> None:
    with coded.client() as client:
        answer = client.get("/coders/me", headers=bearer(TOKEN))
    assert answer.json() == {"name": "admin", "role": "admin", "capabilities": CAPABILITIES["admin"]}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic YWRhOng="}, {"Authorization": "Bearer"}],
    ids=["no-header", "basic", "no-token"],
)
def test_who_am_i_needs_a_token(coded: RunningService, headers: dict[str, str]) -> None:
    with coded.client() as client:
        answer = client.get("/coders/me", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="stancegraph"'
    assert (
        answer.json()["message"] == "this request needs the header 'Authorization: Bearer <a coder's token>'"
    )


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({}, 401, "this request needs the header 'Authorization: Bearer <a coder's token>'"),
        (bearer("guessed-token-fictional"), 401, "the bearer token is not the token of any coder"),
        (
            bearer(token_hash(TOKENS["ada"])),
            401,
            "the bearer token is not the token",
        ),
        (
            bearer(TOKENS["rea"]),
            403,
            "coder 'rea' has the role reader, which lacks the capability raw_writes",
        ),
        (bearer(TOKENS["ana"]), 403, "coder 'ana' has the role coder, which lacks the capability raw_writes"),
        (
            bearer(TOKENS["rui"]),
            403,
            "coder 'rui' has the role reviewer, which lacks the capability raw_writes",
        ),
    ],
    ids=["no-token", "unknown-token", "the-hash-as-token", "reader", "coder", "reviewer"],
)
def test_a_refused_write_names_why_and_changes_nothing(
    coded: RunningService, write: str, headers: dict[str, str], status: int, message: str
) -> None:
    before = store_fingerprint(coded.url)
    answer = send(coded, write, headers)
    assert answer.status_code == status, answer.text
    assert answer.json()["message"].startswith(message)
    if status == 401:
        assert answer.headers["WWW-Authenticate"].startswith('Bearer realm="stancegraph"')
    else:
        assert answer.json()["message"].endswith("that needs the role admin")
    assert store_fingerprint(coded.url) == before


@pytest.mark.parametrize("token", [TOKEN, TOKENS["ada"]], ids=["write-token", "admin-coder"])
def test_an_admin_may_write_raw(data_file: Path, coders_file: Path, token: str) -> None:
    settings = sample_settings(data_file, coders_file=coders_file, write_token=TOKEN)
    with serve(settings) as service:
        before = store_fingerprint(service.url)
        assert send(service, "update", bearer(token)).status_code == 204
        assert store_fingerprint(service.url)[0] == before[0] + 1
        assert send(service, "store-delete", bearer(token)).status_code == 204


def test_the_write_token_alone_works_as_before(writable: RunningService) -> None:
    assert send(writable, "update", bearer(TOKEN)).status_code == 204
    with writable.client() as client:
        assert client.get("/coders/me", headers=bearer(TOKEN)).json()["name"] == "admin"


def test_with_no_coders_writes_and_who_am_i_are_off(service: RunningService) -> None:
    with service.client() as client:
        me = client.get("/coders/me", headers=bearer(TOKEN))
    assert me.status_code == 403 and me.json()["error"] == "no-coders"
    assert me.json()["message"].startswith("no coders are configured")
    refused = send(service, "update", bearer(TOKEN))
    assert refused.status_code == 403 and refused.json()["error"] == "writes-disabled"
    assert "STANCEGRAPH_CODERS_FILE" in refused.json()["message"]


def test_reads_are_open_by_default(coded: RunningService) -> None:
    with coded.client() as client:
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_reads_may_be_closed_to_all_but_coders(data_file: Path, coders_file: Path) -> None:
    settings = sample_settings(data_file, coders_file=coders_file, read_access="coders")
    with serve(settings) as service, service.client() as client:
        refused = client.get("/sparql", params={"query": "ASK {}"})
        assert refused.status_code == 401 and "WWW-Authenticate" in refused.headers
        assert client.get("/store", params={"default": ""}, headers=bearer("wrong")).status_code == 401
        assert (
            client.get("/sparql", params={"query": "ASK {}"}, headers=bearer(TOKENS["rea"])).status_code
            == 200
        )
        for path in ("/health", "/ready", "/"):  # probes and the page hold no data
            assert client.get(path).status_code == 200, path


def test_closed_reads_need_someone_to_read() -> None:
    with pytest.raises(ValidationError, match="read_access: 'coders' needs coders to read"):
        Settings(read_access="coders")


def test_the_coders_file_is_named_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, coders_file: Path
) -> None:
    monkeypatch.setenv("STANCEGRAPH_CODERS_FILE", str(coders_file))
    monkeypatch.setenv("STANCEGRAPH_READ_ACCESS", "coders")
    settings = Settings()
    assert (settings.coders_file, settings.read_access) == (coders_file, "coders")


def test_a_bad_coders_file_stops_the_app_at_creation(tmp_path: Path) -> None:
    bad = tmp_path / "coders.yaml"
    bad.write_text("# Fictional.\ncoders:\n  - name: ana\n    role: editor\n", encoding="utf-8")
    with pytest.raises(CodingError) as refused:
        create_app(Settings(coders_file=bad))
    assert str(refused.value).splitlines() == [
        f"{bad}:3: coder: missing required key 'token_sha256'",
        f"{bad}:4: coder 'ana': invalid role 'editor' (valid: reader, coder, reviewer, admin)",
    ]


def test_serve_refuses_a_bad_coders_file_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "coders.yaml"
    bad.write_text(coders_yaml() + "  - name: ana\n    role: coder\n    token_sha256: 00\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--port", "0", "--coders-file", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {bad}:17: coder 'ana': token_sha256 is not a SHA-256 in hex")


def test_serve_takes_the_coders_file(coders_file: Path) -> None:
    """`stancegraph serve --coders-file`, as a real process on loopback, stopped by its handle."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).with_name("stancegraph")), "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--coders-file", str(coders_file)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(server, base)
        me = httpx.get(f"{base}/coders/me", headers=bearer(TOKENS["rui"]))
        assert me.json()["role"] == "reviewer"
    finally:
        server.terminate()
        server.communicate(timeout=30)  # also closes its output pipe
