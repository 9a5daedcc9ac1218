"""Liveness and readiness over HTTP while the store's engine is killed and comes back.

``/health`` answers 200 all along (it never asks the store); ``/ready`` answers 503 with
Retry-After while the engine is down, then 200 saying it restarted. The service serves a copy
of the fictional sample data (tests.api.support); the test holds the copy back while the new
engine would reload it, so the time the store is down is the test's to end, not a race.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx

from graph.stores.memory import MemoryStore
from tests.api.support import TOKEN, TRIG, RunningService, sample_settings, serve

BOUND = 30.0
MARKER = "ASK { GRAPH <urn:readiness:later> { ?s ?p ?o } }"


def wait_for(client: httpx.Client, path: str, status: int) -> httpx.Response:
    deadline = time.monotonic() + BOUND
    while True:
        response = client.get(path)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.02)


def ask(client: httpx.Client, query: str) -> httpx.Response:
    return client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})


def engine_of(service: RunningService) -> MemoryStore:
    store = service.app.state.store
    assert isinstance(store, MemoryStore)
    return store


def test_health_stays_200_and_ready_is_503_with_retry_after_until_the_engine_is_back(tmp_path: Path) -> None:
    data = tmp_path / "sample.trig"
    data.write_text(TRIG, encoding="utf-8")
    with serve(sample_settings(data, write_token=TOKEN)) as service, service.client() as client:
        ready = client.get("/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json() == {
            "status": "ready",
            "store": "memory",
            "engine": "up",
            "restarts": 0,
            "restarted_at": None,
            "writes_lost": 0,
            "writes_lost_at": None,
        }
        written = client.post(
            "/update",
            data={"update": "INSERT DATA { GRAPH <urn:readiness:later> { <urn:a> <urn:b> 1 } }"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert written.status_code == 204, written.text
        assert ask(client, MARKER).text.strip() == "true"

        hidden = data.rename(tmp_path / "held-back.trig")  # the new engine cannot reload it yet
        os.kill(engine_of(service).engine_pid, signal.SIGKILL)

        down = wait_for(client, "/ready", 503)
        assert down.status_code == 503, down.text
        assert int(down.headers["Retry-After"]) >= 1
        body = down.json()
        assert (body["status"], body["error"], body["store"]) == ("unavailable", "unavailable", "memory")
        assert "engine process died (killed by SIGKILL)" in body["message"], body
        health = client.get("/health")
        assert (health.status_code, health.json()) == (200, {"status": "ok", "store": "memory"})
        refused = ask(client, "ASK {}")
        assert refused.status_code == 503, refused.text
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"] == "unavailable"

        hidden.rename(data)
        back = wait_for(client, "/ready", 200)
        assert back.status_code == 200, back.text
        body = back.json()
        assert (body["status"], body["engine"], body["restarts"]) == ("ready", "up", 1)
        assert body["writes_lost"] == 1  # the INSERT above
        assert body["writes_lost_at"] is not None
        assert client.get("/health").status_code == 200
        assert ask(client, MARKER).text.strip() == "false", "a write made after the start survived"
        names = ask(client, "SELECT ?n WHERE { GRAPH <http://example.org/g1> { ?s ?p ?n } }")
        assert "Carol" in names.text, "the data the service was started with is not back"
