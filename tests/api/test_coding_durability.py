"""Codings on the disk store outlive kill -9: the service (uvicorn and its engine) is killed right
after the coding API acknowledged a document, a position, an edit of it and a retraction of another,
and the service started again on the same directory has each of them, with every revision.

The document, its quote and the positions are fictional, made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import psutil

from reliability.processes import ServiceProcess

TOKEN = "durability-fictional-token"  # the write token: its coder is the admin
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
TEXT = "A fictional port council opposes the ferry levy. It may yet change its mind."
SECONDS = 60


def _code(client: httpx.Client) -> None:
    made = client.post(
        "/documents",
        json={"document": {"slug": "fictional-port", "title": "Port (fictional)"}, "text": TEXT},
        headers=HEADERS,
    )
    assert made.status_code == 201, made.text
    for section, entry in (
        ("stakeholders", {"id": "port-council", "label": "Port council", "type": "GovernmentBody"}),
        ("threats", {"id": "ferry-levy", "label": "Ferry levy"}),
    ):
        answer = client.post(
            "/entities", json={"section": section, "document": "fictional-port", **entry}, headers=HEADERS
        )
        assert answer.status_code == 201, answer.text
    quote = "opposes the ferry levy"
    for position_id in ("council-opposes-levy", "council-doubts-levy"):
        body = {
            "id": position_id,
            "holder": "port-council",
            "target": "ferry-levy",
            "stance": "opposes",
            "attribution": "direct",
            "reason": "coded in a test",
            "evidence": [{"quote": quote, "start": TEXT.index(quote)}],
        }
        assert (
            client.post("/documents/fictional-port/positions", json=body, headers=HEADERS).status_code == 201
        )
    edited = client.put(
        "/positions/council-opposes-levy",
        json={**body, "id": "council-opposes-levy", "value": -1, "replaces": 1, "reason": "milder"},
        headers=HEADERS,
    )
    assert edited.status_code == 200, edited.text
    gone = client.delete("/positions/council-doubts-levy", params={"reason": "a duplicate"}, headers=HEADERS)
    assert gone.status_code == 200, gone.text


def test_every_acknowledged_coding_write_outlives_kill_9(tmp_path: Path) -> None:
    settings: dict[str, object] = {"store": "disk", "disk_path": tmp_path / "store", "write_token": TOKEN}
    service = ServiceProcess(tmp_path / "service.log", **settings).start()
    try:
        engines = psutil.Process(service.process.pid).children(recursive=True)  # type: ignore[union-attr]
        with httpx.Client(base_url=service.url, timeout=SECONDS) as client:
            _code(client)
        service.kill()
        psutil.wait_procs(engines, timeout=SECONDS)  # the engine ends once its caller is gone
    finally:
        service.stop()
    restarted = ServiceProcess(tmp_path / "restarted.log", **settings)
    with restarted, httpx.Client(base_url=restarted.url, timeout=SECONDS) as client:
        kept = client.get("/positions", params={"document": "fictional-port"}).json()["items"]
        assert [(p["id"], p["value"]) for p in kept] == [("council-opposes-levy", -1)]
        history = client.get("/positions/council-opposes-levy/history").json()
        assert [(r["revision"], r["reason"]) for r in history] == [(1, "coded in a test"), (2, "milder")]
        retracted = client.get("/positions/council-doubts-levy/history").json()
        assert retracted[-1]["retracted"] is True
        assert client.get("/documents/fictional-port/text").json()["text"] == TEXT
