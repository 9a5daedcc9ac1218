"""The access log of ``stancegraph serve``, as a real process on loopback: one line per request with
method, path, status and time in ms; never a header; none when turned off."""

from __future__ import annotations

import doctest
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from api import access_log, server
from tests.api.support import TRIG, wait_until_healthy

STANCEGRAPH = str(Path(sys.executable).with_name("stancegraph"))
STARTUP_SECONDS = 90
SECRET = "fictional-secret-token-7f3a"
LINE = re.compile(
    r'^INFO: +127\.0\.0\.1:\d+ "(?P<method>[A-Z]+) (?P<target>\S+)" (?P<status>\d{3}) (?P<ms>\d+\.\d) ms$'
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve_and_ask(tmp_path: Path, *options: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    """Start the service, make the requests below, stop it by its handle; its stdout and stderr."""
    data = tmp_path / "sample.trig"  # fictional example.org data (tests.api.support)
    data.write_text(TRIG, encoding="utf-8")
    port = _free_port()
    command = [STANCEGRAPH, "serve", "--port", str(port), "--data", str(data), *options]
    environment = {**os.environ, **(env or {}), "STANCEGRAPH_WRITE_TOKEN": SECRET}
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(server, base, STARTUP_SECONDS)
        with httpx.Client(base_url=base, timeout=30) as client:
            assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
            assert client.get("/no-such-page").status_code == 404
            assert client.get("/sparql", params={"query": "SELECT ?x WHERE {"}).status_code == 400
            written = client.post(
                "/update",
                data={"update": "INSERT DATA { <http://example.org/a> <http://example.org/b> 'c' }"},
                headers={"Authorization": f"Bearer {SECRET}", "Cookie": f"session={SECRET}"},
            )
            assert written.status_code == 204
    finally:
        server.terminate()
        stdout, stderr = server.communicate(timeout=60)  # every line of the requests answered is out
    return stdout, stderr


def _access_lines(output: str) -> list[re.Match[str]]:
    return [found for line in output.splitlines() if (found := LINE.match(line))]


def test_every_request_is_logged_once_with_method_path_status_and_time(tmp_path: Path) -> None:
    stdout, stderr = _serve_and_ask(tmp_path)
    lines = _access_lines(stdout)
    logged = [(m["method"], m["target"].split("?")[0], m["status"]) for m in lines]
    assert logged[-4:] == [
        ("GET", "/sparql", "200"),
        ("GET", "/no-such-page", "404"),
        ("GET", "/sparql", "400"),
        ("POST", "/update", "204"),
    ]
    assert all(found["method"] == "GET" and found["target"] == "/health" for found in lines[:-4])
    assert lines[-4]["target"] == "/sparql?query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D"  # as sent, on one line
    assert all(float(found["ms"]) >= 0 for found in lines)
    assert SECRET not in stdout + stderr  # no header is logged, Authorization and cookies least of all
    assert not _access_lines(stderr)
    assert "Application startup complete" in stderr  # uvicorn's own log is as it was


@pytest.mark.parametrize(
    ("options", "env"),
    [(["--no-access-log"], None), ([], {"STANCEGRAPH_ACCESS_LOG": "false"})],
    ids=["option", "environment"],
)
def test_the_access_log_turns_off(tmp_path: Path, options: list[str], env: dict[str, str] | None) -> None:
    stdout, stderr = _serve_and_ask(tmp_path, *options, env=env)
    assert not _access_lines(stdout + stderr), stdout
    assert "Application startup complete" in stderr


@pytest.mark.parametrize("module", [access_log, server], ids=lambda module: module.__name__)
def test_the_examples_in_the_logging_modules_hold(module: ModuleType) -> None:
    failed, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failed == 0
