"""The coding write API over HTTP (real uvicorn, httpx): positions created with UTF-16 offsets, edited by
their coder or a reviewer, refused with the field named and the store fingerprint unchanged, retracted,
restored, their history, and the coding as of a time for /positions and the networks.

Coders, tokens and the quoted test document are fictional (tests/data/sources/coding-unicode.txt).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import Settings
from graph.coding.coders import token_hash
from graph.coding.offsets import utf16_offset
from reliability.corpus import store_fingerprint
from tests.api.support import RunningService, serve

TEXT = (Path(__file__).parents[1] / "data" / "sources" / "coding-unicode.txt").read_text(encoding="utf-8")
DOC = "fictional-zembla"
PACT = "the drone pact 🛩️"
TOKENS = {
    "rea": "reader-fictional",
    "ana": "coder-fictional",
    "bea": "coder-two-fictional",
    "rui": "reviewer-fictional",
    "ada": "admin-fictional",
}
ROLES = {"rea": "reader", "ana": "coder", "bea": "coder", "rui": "reviewer", "ada": "admin"}


def bearer(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[name]}"}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    """The embedded data on a memory store, with a fictional document and its entities added by the API."""
    coders = tmp_path_factory.mktemp("coders") / "coders.yaml"
    coders.write_text(
        "# fictional coders, for the tests\ncoders:\n"
        + "".join(
            f"  - {{name: {name}, role: {ROLES[name]}, token_sha256: {token_hash(token)}}}\n"
            for name, token in TOKENS.items()
        ),
        encoding="utf-8",
    )
    with serve(Settings(store="memory", coders_file=coders)) as running, running.client() as client:
        made = client.post(
            "/documents",
            json={"document": {"slug": DOC, "title": "Zémbla (fictional)"}, "text": TEXT},
            headers=bearer("ana"),
        )
        assert made.status_code == 201, made.text
        for section, entity in (
            ("stakeholders", {"id": "zembla-council", "label": "Zémbla council", "type": "GovernmentBody"}),
            ("threats", {"id": "drone-pact", "label": "The drone pact"}),
        ):
            answer = client.post(
                "/entities", json={"section": section, "document": DOC, **entity}, headers=bearer("ana")
            )
            assert answer.status_code == 201, answer.text
        yield running


def body(**changes: Any) -> dict[str, Any]:
    data = {
        "holder": "zembla-council",
        "target": "drone-pact",
        "stance": "opposes",
        "attribution": "direct",
        "reason": "coded in a test",
        "evidence": [{"quote": PACT, "start": utf16_offset(TEXT, TEXT.index(PACT))}],
    }
    return data | changes


def create(client: httpx.Client, who: str = "ana", **changes: Any) -> httpx.Response:
    return client.post(
        f"/documents/{DOC}/positions", params={"offsets": "utf16"}, json=body(**changes), headers=bearer(who)
    )


def test_a_coder_codes_a_position_that_positions_lists_at_python_offsets(service: RunningService) -> None:
    with service.client() as client:
        saved = create(client, id="council-opposes-pact")
        assert saved.status_code == 201, saved.text
        assert {key: saved.json()[key] for key in ("id", "revision", "coder")} == {
            "id": "council-opposes-pact",
            "revision": 1,
            "coder": "ana",
        }
        listed = client.get("/positions", params={"document": DOC, "holder": "zembla-council"}).json()
        [evidence] = next(p for p in listed["items"] if p["id"] == "council-opposes-pact")["evidence"]
        assert evidence["start"] == TEXT.index(PACT)
        text = client.get(f"/documents/{DOC}/text").json()
        assert (text["length"], text["utf16Length"]) == (len(TEXT), len(TEXT.encode("utf-16-le")) // 2)


def test_another_coder_may_not_edit_it_a_reviewer_may_and_history_shows_both(service: RunningService) -> None:
    with service.client() as client:
        saved = create(client, id="council-opposes-pact-2")
        assert saved.status_code == 201, saved.text
        edit = body(stance="considers", replaces=1)
        refused = client.put(
            "/positions/council-opposes-pact-2", params={"offsets": "utf16"}, json=edit, headers=bearer("bea")
        )
        assert refused.status_code == 403 and "edit_others" in refused.json()["message"]
        edited = client.put(
            "/positions/council-opposes-pact-2", params={"offsets": "utf16"}, json=edit, headers=bearer("rui")
        )
        assert edited.status_code == 200, edited.text
        assert (edited.json()["revision"], edited.json()["coder"]) == (2, "rui")
        stale = client.put(
            "/positions/council-opposes-pact-2", params={"offsets": "utf16"}, json=edit, headers=bearer("ana")
        )
        assert stale.status_code == 409
        history = client.get("/positions/council-opposes-pact-2/history").json()
        assert [(r["revision"], r["coder"]) for r in history] == [(1, "ana"), (2, "rui")]
        assert history[1]["diff"] == {"stance": ["opposes", "considers"], "value": [-2, 0]}


REFUSALS: dict[str, tuple[str, dict[str, Any], int, list[Any] | None]] = {
    "wrong-quote": (
        "ana",
        body(evidence=[{"quote": "the drone pact 🚀"}]),
        422,
        ["body", "evidence", 0, "quote"],
    ),
    "wrong-offsets": (
        "ana",
        body(evidence=[{"quote": PACT, "start": 3}]),
        422,
        ["body", "evidence", 0, "start"],
    ),
    "unknown-id": ("ana", body(holder="atlantis"), 422, ["body", "holder"]),
    "stance-out-of-range": ("ana", body(value=5), 422, ["body", "value"]),
    "no-reason": ("ana", body(reason=""), 422, ["body", "reason"]),
    "reader": ("rea", body(), 403, None),
}


@pytest.mark.parametrize("case", [*REFUSALS, "no-token", "unknown-document"])
def test_every_refusal_leaves_the_store_as_it_was(service: RunningService, case: str) -> None:
    before = store_fingerprint(service.url)
    with service.client() as client:
        if case == "no-token":
            answer = client.post(f"/documents/{DOC}/positions", json=body())
            assert answer.status_code == 401
        elif case == "unknown-document":
            answer = client.post("/documents/no-such-doc/positions", json=body(), headers=bearer("ana"))
            assert answer.status_code == 404
        else:
            who, sent, status, loc = REFUSALS[case]
            answer = client.post(
                f"/documents/{DOC}/positions", params={"offsets": "utf16"}, json=sent, headers=bearer(who)
            )
            assert answer.status_code == status, answer.text
            if loc is not None:
                assert answer.json()["detail"][0]["loc"] == loc
            else:
                assert "code" in answer.json()["message"]
    assert store_fingerprint(service.url) == before


def test_creating_a_position_under_an_id_it_has_had_is_refused(service: RunningService) -> None:
    with service.client() as client:
        assert create(client, id="council-opposes-pact-once").status_code == 201
        before = store_fingerprint(service.url)
        again = create(client, id="council-opposes-pact-once", stance="supports")
        assert again.status_code == 409, again.text
        assert "exists already" in again.json()["message"]
        assert store_fingerprint(service.url) == before


def test_retract_restore_and_as_of(service: RunningService) -> None:
    with service.client() as client:
        before = datetime.datetime.now(datetime.UTC).isoformat()
        saved = create(client, id="council-opposes-pact-3")
        assert saved.status_code == 201, saved.text
        gone = client.request(
            "DELETE", "/positions/council-opposes-pact-3", params={"reason": "misread"}, headers=bearer("ana")
        )
        assert gone.status_code == 200 and gone.json()["revision"] == 2
        ids = {
            p["id"] for p in client.get("/positions", params={"document": DOC, "limit": 100}).json()["items"]
        }
        assert "council-opposes-pact-3" not in ids
        after_create = saved.json()["position"]
        assert after_create["stance"] == "opposes"
        history = client.get("/positions/council-opposes-pact-3/history").json()
        moment = history[0]["time"]
        then = client.get("/positions", params={"document": DOC, "as_of": moment, "limit": 100}).json()
        assert "council-opposes-pact-3" in {p["id"] for p in then["items"]}
        earlier = client.get("/positions", params={"document": DOC, "as_of": before, "limit": 100}).json()
        assert "council-opposes-pact-3" not in {p["id"] for p in earlier["items"]}
        network = client.get("/network/two-mode", params={"as_of": moment})
        assert network.status_code == 200, network.text
        assert "zembla-council" in network.text
        back = client.post(
            "/positions/council-opposes-pact-3/restore",
            json={"revision": 1, "reason": "right"},
            headers=bearer("ana"),
        )
        assert back.status_code == 200 and back.json()["revision"] == 3


def test_registry_entities_need_manage_entities(service: RunningService) -> None:
    entity = {"section": "threats", "id": "fictional-swarm", "label": "Swarm"}
    with service.client() as client:
        refused = client.post("/entities", json=entity, headers=bearer("rui"))
        assert refused.status_code == 403 and "manage_entities" in refused.json()["message"]
        made = client.post("/entities", json=entity, headers=bearer("ada"))
        assert made.status_code == 201, made.text
