"""The review queue and agreement over HTTP: a real uvicorn on the embedded data, with coders.

Suggestions are queued, never coded: the union-reading routes (positions, named queries,
networks, SPARQL) show the same before and after; accepting codes a position as the reviewer's
revision, rejecting keeps the suggestion with its reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import Settings
from graph.coding.coders import token_hash
from tests.api.support import RunningService, serve

DOC = "golden-dome-canada"
TOKENS = {"ana": "ana-token", "rui": "rui-token"}
ROLES = {"ana": "coder", "rui": "reviewer"}


def bearer(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[name]}"}


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    path = tmp_path_factory.mktemp("coders") / "coders.yaml"
    entries = "".join(
        f"  - name: {name}\n    role: {ROLES[name]}\n    token_sha256: {token_hash(token)}\n"
        for name, token in TOKENS.items()
    )
    path.write_text("coders:\n" + entries, encoding="utf-8")
    with serve(Settings(store="memory", coders_file=path)) as running:
        yield running


def _ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def coded_view(client: httpx.Client) -> dict[str, Any]:
    """What the union-reading routes show of the coded positions (SPARQL: test_suggest_queue.py)."""
    return {
        "positions": _ok(client.get("/positions", params={"limit": 1}))["total"],
        "stances": _ok(client.get("/queries/stance-distribution")),
        "network": _ok(client.get("/network/congruence")),
    }


def test_the_review_queue(coded: RunningService) -> None:
    with coded.client() as client:
        before = coded_view(client)
        assert client.post(f"/documents/{DOC}/suggestions").status_code == 401
        made = client.post(f"/documents/{DOC}/suggestions", headers=bearer("ana"))
        assert made.status_code == 200, made.text
        body = made.json()
        assert body["added"] and body["agent"]["name"] == "stancegraph-rules"
        again = client.post(f"/documents/{DOC}/suggestions", headers=bearer("ana")).json()
        assert again["added"] == []  # the same suggestions are not queued twice
        text = client.get(f"/documents/{DOC}/text").json()["text"]
        queue = client.get(f"/documents/{DOC}/suggestions").json()["suggestions"]
        assert all(text[s["start"] : s["end"]] == s["quote"] for s in queue)
        assert {s["status"] for s in queue} == {"pending"}
        assert coded_view(client) == before  # nothing generated shows as coded

        complete = [s for s in queue if s["holder"] and s["target"]]
        first, second, third = complete[:3]
        refused = client.post(f"/suggestions/{first['id']}/accept", headers=bearer("ana"))
        assert refused.status_code == 403 and "review" in refused.json()["message"]

        accepted = client.post(f"/suggestions/{first['id']}/accept", headers=bearer("rui"), json={})
        assert accepted.status_code == 200, accepted.text
        position = accepted.json()["position"]
        assert position["coder"] == "rui" and position["revision"] == 1
        assert accepted.json()["suggestion"]["status"] == "accepted"

        edited = client.post(
            f"/suggestions/{second['id']}/accept",
            headers=bearer("rui"),
            json={"edits": {"stance": "monitors", "value": 0}, "reason": "the text says watch, not weigh"},
        )
        assert edited.status_code == 200, edited.text
        assert edited.json()["position"]["position"]["stance"].endswith("monitors")

        rejected = client.post(
            f"/suggestions/{third['id']}/reject",
            headers=bearer("rui"),
            json={"reason": "a headline, no position"},
        )
        assert rejected.status_code == 200
        assert rejected.json()["suggestion"]["reason"] == "a headline, no position"

        after = coded_view(client)
        assert after["positions"] == before["positions"] + 2  # the accepted and the edited, not the rejected

        listed = {s["id"]: s for s in client.get(f"/documents/{DOC}/suggestions").json()["suggestions"]}
        assert listed[third["id"]]["status"] == "rejected" and listed[third["id"]]["reviewer"] == "rui"
        assert listed[first["id"]]["acceptedAs"] == position["id"]
        pending = _ok(client.get(f"/documents/{DOC}/suggestions", params={"status": "pending"}))[
            "suggestions"
        ]
        assert len(pending) == len(queue) - 3

        twice = client.post(f"/suggestions/{third['id']}/accept", headers=bearer("rui"))
        assert twice.status_code == 409


def test_refusals_name_what_is_wrong(coded: RunningService) -> None:
    with coded.client() as client:
        client.post(f"/documents/{DOC}/suggestions", headers=bearer("ana"))
        queue = _ok(client.get(f"/documents/{DOC}/suggestions", params={"status": "pending"}))["suggestions"]
        targetless = next(s for s in queue if not s["target"])
        missing = client.post(f"/suggestions/{targetless['id']}/accept", headers=bearer("rui"))
        assert missing.status_code == 422 and "target" in missing.text
        some = queue[0]["id"]
        empty = client.post(f"/suggestions/{some}/reject", headers=bearer("rui"), json={"reason": ""})
        assert empty.status_code == 422 and "reason" in empty.text
        unknown = client.post(
            f"/suggestions/{some}/accept", headers=bearer("rui"), json={"edits": {"colour": 1}}
        )
        assert unknown.status_code == 422 and "colour" in unknown.text
        model = client.post(f"/documents/{DOC}/suggestions", headers=bearer("ana"), json={"backend": "model"})
        assert model.status_code == 422 and "backend" in model.text
        assert client.post("/suggestions/s-0000/accept", headers=bearer("rui")).status_code == 404
        assert client.get("/documents/no-such-document/suggestions").status_code == 404


def test_agreement_of_two_coders_in_the_service(coded: RunningService) -> None:
    quote = "Analysts contend that joining the ‘Golden Dome’ framework could bolster Canada’s deterrent"
    with coded.client() as client:
        text = client.get(f"/documents/{DOC}/text").json()["text"]
        start = text.index(quote)
        for coder, stance in (("ana", "supports"), ("rui", "optimistic")):
            saved = client.post(
                f"/documents/{DOC}/positions",
                headers=bearer(coder),
                json={
                    "id": f"{coder}-analysts-on-joining",
                    "holder": "analysts",
                    "target": "canada-joins-golden-dome",
                    "stance": stance,
                    "attribution": "direct",
                    "evidence": [{"quote": quote, "start": start, "end": start + len(quote)}],
                    "reason": "coded independently",
                },
            )
            assert saved.status_code == 201, saved.text
        report = client.get("/agreement", params={"document": DOC})
        assert report.status_code == 200, report.text
        body = report.json()
        assert "ana" in body["coders"] and "rui" in body["coders"]
        shared = next(d for d in body["disagreements"] if d["positions"]["ana"] and d["positions"]["rui"])
        assert "stance" in shared["differs"]
        assert shared["positions"]["ana"]["spans"][0]["quote"] == quote
        assert client.get("/agreement", params={"document": "Not A Slug"}).status_code == 422


def test_a_page_never_lists_suggestions_among_positions(coded: RunningService) -> None:
    with coded.client() as client:
        client.post(f"/documents/{DOC}/suggestions", headers=bearer("ana"))
        ids = {s["id"] for s in client.get(f"/documents/{DOC}/suggestions").json()["suggestions"]}
        listed = client.get("/positions", params={"limit": 1000}).json()["items"]
        assert ids.isdisjoint({p["id"] for p in listed})
        detail = client.get(f"/documents/{DOC}").json()
        assert ids.isdisjoint({e.get("position") for e in detail.get("evidence", [])})


def test_a_configured_model_is_verified_like_the_rules(tmp_path: Path) -> None:
    from tests.graph.test_suggest_model import fake_provider

    coders = tmp_path / "coders.yaml"
    coders.write_text(
        f"coders:\n  - name: ana\n    role: coder\n    token_sha256: {token_hash(TOKENS['ana'])}\n"
    )
    answer = {
        "positions": [  # fictional answers of a fake model about the seed's text
            {
                "quote": "Analysts contend that joining the ‘Golden Dome’ framework could bolster",
                "holder": "analysts",
                "target": "canada-joins-golden-dome",
                "stance": "supports",
            },
            {
                "quote": "Canada has formally signed the Golden Dome treaty in Ottawa last week.",
                "holder": "canada",
                "target": "canada-joins-golden-dome",
                "stance": "supports",
            },
            {
                "quote": "Experts suggest that Canadas involvement could not only strengthen its",
                "holder": "experts",
                "target": "canada-joins-golden-dome",
                "stance": "supports",
            },
        ]
    }
    with fake_provider(200, json.dumps(answer)) as (url, seen):
        settings = Settings(store="memory", coders_file=coders, suggest_model_url=url, suggest_model="fake-1")
        with serve(settings) as running, running.client() as client:
            made = client.post(
                f"/documents/{DOC}/suggestions", headers=bearer("ana"), json={"backend": "model"}
            )
            assert made.status_code == 200, made.text
            body = made.json()
    assert len(seen) == 1 and body["agent"]["name"] == "chat-model:fake-1"
    assert body["suggested"] == 2 and len(body["added"]) == 2
    [rejected] = body["rejected"]
    assert rejected["claim"]["quote"].startswith("Canada has formally signed")
    flagged = [s for s in body["suggestions"] if s["flags"]]
    assert [s["flags"] for s in flagged] == [["paraphrase"]] and "Canada’s involvement" in flagged[0]["quote"]
