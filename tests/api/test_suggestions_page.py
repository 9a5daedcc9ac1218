"""The review queue in a real Chromium: api/static/suggestions.js mounted on the service's page, a
reviewer accepts one suggestion, edits and accepts another, rejects a third; the coded graph changes
only for the accepted and the edited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from api.settings import Settings
from graph.coding.coders import token_hash
from tests.api.browsing import WAIT_MS, opened
from tests.api.support import RunningService, serve

DOC = "golden-dome-canada"
TOKEN = "rui-reviews"
MOUNT = """async ([doc, token]) => {
  const { SuggestionQueue } = await import(`${location.origin}/assets/suggestions.js`);
  const box = document.createElement("section");
  box.id = "queue";
  document.body.append(box);
  new SuggestionQueue(box, { document: doc, headers: () => ({ Authorization: `Bearer ${token}` }) });
}"""


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    path: Path = tmp_path_factory.mktemp("coders") / "coders.yaml"
    path.write_text(
        f"coders:\n  - name: rui\n    role: reviewer\n    token_sha256: {token_hash(TOKEN)}\n",
        encoding="utf-8",
    )
    with serve(Settings(store="memory", coders_file=path)) as running:
        yield running


def coded_count(client: httpx.Client) -> int:
    answer = client.get("/positions", params={"limit": 1})
    assert answer.status_code == 200, answer.text
    total: int = answer.json()["total"]
    return total


def test_accept_edit_and_reject_in_the_page(browser: Browser, reviewed: RunningService) -> None:
    with reviewed.client() as client, opened(browser, reviewed.url + "/") as page:
        before = coded_count(client)
        page.evaluate(MOUNT, [DOC, TOKEN])
        page.locator("#suggestions-run").click()
        expect(page.locator("#suggestions-list li").first).to_be_visible(timeout=WAIT_MS)
        queue = client.get(f"/documents/{DOC}/suggestions").json()["suggestions"]
        first, second, third = [s for s in queue if s["holder"] and s["target"]][:3]
        assert coded_count(client) == before  # listed beside the text, not coded

        item = page.locator(f'li[data-suggestion="{first["id"]}"]')
        item.locator(".suggestion-accept").click()
        expect(page.locator(f'li[data-suggestion="{first["id"]}"]')).to_have_attribute(
            "data-status", "accepted", timeout=WAIT_MS
        )
        item = page.locator(f'li[data-suggestion="{second["id"]}"]')
        item.locator(".suggestion-stance").select_option("monitors")
        item.locator(".suggestion-accept").click()
        expect(page.locator(f'li[data-suggestion="{second["id"]}"]')).to_have_attribute(
            "data-status", "accepted", timeout=WAIT_MS
        )
        item = page.locator(f'li[data-suggestion="{third["id"]}"]')
        item.locator(".suggestion-reason").fill("a headline, not a position")
        item.locator(".suggestion-reject").click()
        expect(page.locator(f'li[data-suggestion="{third["id"]}"]')).to_have_attribute(
            "data-status", "rejected", timeout=WAIT_MS
        )

        assert coded_count(client) == before + 2
        listed = {s["id"]: s for s in client.get(f"/documents/{DOC}/suggestions").json()["suggestions"]}
        assert listed[third["id"]]["reason"] == "a headline, not a position"
        edited = client.get(
            "/positions", params={"holder": second["holder"], "stance": "monitors", "exact": "true"}
        )
        assert listed[second["id"]]["acceptedAs"] in {p["id"] for p in edited.json()["items"]}
