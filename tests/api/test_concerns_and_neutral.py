"""Concerns shown as raised, neutral positions out of agreement, roll-ups on stated links (issue 16).

Through real uvicorn services on loopback: the embedded Golden Dome article (the seed), and the
fictional bulletin of tests/data/rollup/inferred-membership.trig, whose one membership is only
inferred. The page's legend is checked in headless Debian Chromium, set up as in
:mod:`tests.api.test_web_page`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from api.settings import Settings
from graph.paths import ONTOLOGY_FILE
from tests.api.browsing import WAIT_MS, opened
from tests.api.support import RunningService, serve

BULLETIN = Path(__file__).parents[1] / "data" / "rollup" / "inferred-membership.trig"
WEIGHING = frozenset({"Canada", "Canadian government"})


@pytest.fixture(scope="module")
def client(golden_dome_client: httpx.Client) -> httpx.Client:
    return golden_dome_client


@pytest.fixture(scope="module")
def bulletin() -> Iterator[httpx.Client]:
    settings = Settings(store="memory", data=[BULLETIN, ONTOLOGY_FILE], union_default_graph=True)
    with serve(settings) as running, running.client() as client:
        yield client


def get(client: httpx.Client, url: str, **params: str) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def labelled_links(body: dict[str, Any]) -> set[frozenset[str]]:
    label = {node["id"]: node["label"] for node in body["nodes"]}
    return {frozenset((label[link["source"]], label[link["target"]])) for link in body["links"]}


def rows(body: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = body["rows"]
    return found


# Neutral agreement


@pytest.mark.parametrize("kind", ["congruence", "signed"])
def test_canada_and_its_government_agree_only_when_neutral_is_asked_for(
    client: httpx.Client, kind: str
) -> None:
    default = get(client, f"/network/{kind}")
    assert default["neutral"] is False
    assert WEIGHING not in labelled_links(default)
    assert {"Canada", "Canadian government"} <= {node["label"] for node in default["nodes"]}
    asked = get(client, f"/network/{kind}", include_neutral="true")
    assert asked["neutral"] is True
    assert WEIGHING in labelled_links(asked)
    # With the neutral positions coded since issue 16 (mixed reactions, the author's framings), more pairs.
    assert WEIGHING in labelled_links(asked) - labelled_links(default)


def test_the_agreements_query_leaves_neutral_pairs_out_by_default(client: httpx.Client) -> None:
    def pairs(**params: str) -> set[tuple[str, frozenset[str]]]:
        found = rows(get(client, "/queries/agreements", **params))
        return {(row["side"], frozenset((row["holderALabel"], row["holderBLabel"]))) for row in found}

    assert {side for side, _ in pairs()} == {"for"}
    assert ("neutral", WEIGHING) not in pairs()
    assert ("neutral", WEIGHING) in pairs(include_neutral="true")


def test_the_measures_of_a_network_say_whether_neutral_counted(client: httpx.Client) -> None:
    assert get(client, "/network/congruence/centrality")["neutral"] is False
    assert get(client, "/network/congruence/communities", include_neutral="true")["neutral"] is True


def test_a_bad_neutral_or_inferred_value_is_a_422_naming_it(client: httpx.Client) -> None:
    for parameter in ("include_neutral", "inferred"):
        response = client.get("/network/congruence", params={parameter: "perhaps"})
        assert response.status_code == 422
        assert parameter in response.text


# Concerns raised, not support


def test_positions_per_stakeholder_count_concerns_raised_apart(client: httpx.Client) -> None:
    counts = {row["stakeholderLabel"]: row for row in rows(get(client, "/queries/positions-per-stakeholder"))}
    unidentified = counts["Unidentified holders of the concerns"]
    assert (unidentified["inFavour"], unidentified["concernsRaised"]) == (0, 3)
    authorial = counts["The article’s authorial voice"]
    # 6 recommendations, the national-security concern, 2 framings and the political dynamics (neutral).
    assert (authorial["positions"], authorial["inFavour"], authorial["concernsRaised"]) == (10, 6, 1)


def test_the_ontology_says_what_a_stance_value_means_on_a_concern(client: httpx.Client) -> None:
    turtle = client.get("/ontology", params={"format": "turtle"}).text
    assert "On a concern: +1 or +2 raises the concern" in turtle
    assert "On a program, a participation proposal or a measure: +2 for" in turtle


# Roll-ups on stated links


def test_the_nation_roll_up_says_it_used_stated_links(client: httpx.Client) -> None:
    stated = get(client, "/network/congruence", level="nation")
    assert stated["basis"] == "stated"
    inferred = get(client, "/network/congruence", level="nation", inferred="true")
    assert inferred["basis"] == "stated and inferred"
    assert get(client, "/network/congruence")["basis"] == "stated"


def test_an_inferred_membership_rolls_up_only_when_asked(bulletin: httpx.Client) -> None:
    stated = get(bulletin, "/network/congruence", level="nation")
    assert {node["label"] for node in stated["nodes"]} == {"Port officials", "Harbour guild", "Ruritania"}
    assert labelled_links(stated) == {frozenset({"Port officials", "Harbour guild"})}
    inferred = get(bulletin, "/network/congruence", level="nation", inferred="true")
    assert inferred["basis"] == "stated and inferred"
    assert labelled_links(inferred) == {frozenset({"Ruritania", "Harbour guild"})}
    concern = rows(get(bulletin, "/queries/agreements"))
    assert {row["side"] for row in concern if row["targetLabel"] == "Cost of the tide plan"} == {
        "raises concern"
    }


# The page


@pytest.fixture
def page(browser: Browser, explorer: RunningService) -> Iterator[Page]:
    with opened(browser, explorer.url + "/") as loaded:
        yield loaded


def test_the_legend_says_raises_concern_in_a_colour_of_its_own(page: Page) -> None:
    concern = page.locator("#legend .concern-legend")
    expect(concern).to_have_text("raises concern")
    colour = "element => getComputedStyle(element).backgroundColor"
    concern_colour = concern.locator(".swatch").evaluate(colour)
    leaning_for = page.locator("#legend .legend-item", has_text="+1 leaning for").locator(".swatch")
    assert leaning_for.evaluate(colour) != concern_colour
    # What a value means on each kind of target, as the ontology writes it.
    meanings = page.locator("#legend .legend-meanings li")
    expect(meanings.filter(has_text="On a concern: +1 or +2 raises the concern")).to_have_count(
        1, timeout=WAIT_MS
    )
    expect(meanings.filter(has_text="On a program, a participation proposal or a measure")).to_have_count(1)


def test_a_concern_in_the_position_list_says_it_is_raised(page: Page) -> None:
    page.locator(".node-button[data-id='unidentified-concern-holders']").click()
    badges = page.locator("#details article.position .stance")
    expect(badges).to_have_count(3, timeout=WAIT_MS)
    for index in range(3):
        expect(badges.nth(index)).to_contain_text("raises concern")
