"""Several API processes in front of one engine: `stancegraph serve --workers N --store remote`.

The real command against a real Oxigraph server on loopback, loaded with the embedded data: a
write through one worker is seen at once by reads that other workers answer.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from graph.dataset import embedded_nquads
from tests.graph.conftest import OxigraphServer, free_port

TOKEN = "fictional-test-token"
START_SECONDS = 60
WORKERS = 2


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path / "oxigraph")
    server.start()
    loaded = httpx.post(
        server.store_url, content=embedded_nquads(), headers={"Content-Type": "application/n-quads"}
    )
    assert loaded.status_code in (200, 201, 204), loaded.text
    yield server
    server.stop()


def _serve(engine: OxigraphServer, port: int, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "api.cli", "serve", "--store", "remote", "--port", str(port)]
    command += ["--remote-query-url", engine.query_url, "--remote-update-url", engine.update_url, *extra]
    environment = {**os.environ, "STANCEGRAPH_WRITE_TOKEN": TOKEN}
    with log.open("wb") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)


def _ready(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the service did not get ready within {START_SECONDS} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def _ask(url: str, sparql: str) -> bool:
    # A connection of its own each time, so the kernel hands the requests to different workers.
    response = httpx.get(f"{url}/sparql", params={"query": sparql}, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


def test_workers_share_one_engine_and_see_each_others_writes(engine: OxigraphServer, tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    url = f"http://127.0.0.1:{port}"
    process = _serve(engine, port, log, "--workers", str(WORKERS))
    try:
        _ready(process, url, log)
        # uvicorn's supervisor and its workers (and what the supervisor starts to watch them).
        assert len(psutil.Process(process.pid).children(recursive=True)) >= WORKERS
        fact = (
            "<https://w3id.org/stancegraph/id/fictional-workers-test> "
            "<http://www.w3.org/2000/01/rdf-schema#label> 'seen by every worker (fictional)'"
        )
        written = httpx.post(
            f"{url}/update",
            content=f"INSERT DATA {{ {fact} }}",
            headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
        )
        assert written.status_code == 204, written.text
        assert all(_ask(url, f"ASK {{ {fact} }}") for _ in range(20))
        assert httpx.get(f"{url}/stakeholders/canada").json()["label"] == "Canada"
    finally:
        _stop(process)


def test_several_workers_need_the_remote_store() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--workers", "2"], capture_output=True, timeout=120
    )
    assert done.returncode == 2
    assert b"workers" in done.stderr and b"remote" in done.stderr
