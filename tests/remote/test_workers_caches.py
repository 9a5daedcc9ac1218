"""Several API processes in front of one engine: what each keeps per store revision (the names
searched, the position records behind the networks) follows writes another process made.

The setup of :mod:`tests.api.test_workers`: the real ``stancegraph serve --workers`` in front of
a real Oxigraph server holding the embedded data. A write through one worker drops the
document's graph; then every worker, its caches warm from before, answers from what is left
within the remote store's freshness period (:attr:`graph.stores.remote.RemoteStore.revision`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from graph.stores.remote import FRESH_SECONDS
from tests.api.test_workers import TOKEN, _ready, _serve, _stop, engine
from tests.graph.conftest import OxigraphServer, free_port

__all__ = ["engine"]  # the fixture, from the workers' test
WORKERS = 3
DOCUMENT = "https://w3id.org/stancegraph/graph/golden-dome-canada"
PATHS = ("/search?q=canada", "/network/two-mode", "/positions")
ROUNDS = 12  # readings of each path, a connection each: the kernel hands them to every worker
SEEN_SECONDS = 60  # the freshness period, plus a loaded machine's slowness


def _answers(url: str) -> dict[str, list[Any]]:
    answers: dict[str, list[Any]] = {path: [] for path in PATHS}
    for _ in range(ROUNDS):
        for path in PATHS:
            response = httpx.get(f"{url}{path}", headers={"Accept": "application/json"}, timeout=30)
            assert response.status_code == 200, response.text
            answers[path].append(response.json())
    return answers


def test_every_worker_sees_a_write_another_made(engine: OxigraphServer, tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    url = f"http://127.0.0.1:{port}"
    process = _serve(engine, port, log, "--workers", str(WORKERS))
    try:
        _ready(process, url, log)
        before = _answers(url)  # every worker's caches built, from the whole data
        assert all(len({repr(answer) for answer in answers}) == 1 for answers in before.values())
        assert before["/positions"][0]["items"], "the embedded data has positions"
        dropped = httpx.post(
            f"{url}/update",
            content=f"DROP GRAPH <{DOCUMENT}> ; DROP SILENT GRAPH <{DOCUMENT}/inferred>",
            headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
        )
        assert dropped.status_code == 204, dropped.text
        deadline = time.monotonic() + SEEN_SECONDS + FRESH_SECONDS
        # Until every worker answers from what is left: within the freshness period a worker's
        # names may still be those from before while the rest is read anew (a hit, no label).
        while True:
            after = _answers(url)
            left = [answer["items"] for path in ("/search?q=canada", "/positions") for answer in after[path]]
            network = after["/network/two-mode"]
            if not any(left) and all(answer != before["/network/two-mode"][0] for answer in network):
                break
            assert time.monotonic() < deadline, "a worker kept answering from before the write"
    finally:
        _stop(process)
