"""The explorer page over time, end to end in headless Chromium: timeline, windows, trajectory.

The service is a real uvicorn on loopback serving the fictional dated corpus of
tests/data/corpus (its README lists every document, date and position the
expected answers come from), built as ``stancegraph build`` builds it; one test
serves the embedded Golden Dome article instead, which is undated. The browser
set-up (Debian's chromium, every request off loopback refused) is that of
:mod:`tests.api.test_web_page`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from api.settings import Settings
from graph.coding.build import build
from tests.api.browsing import WAIT_MS, opened
from tests.api.support import RunningService, serve

CORPUS = Path(__file__).parents[1] / "data" / "corpus"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    data = tmp_path_factory.mktemp("corpus") / "corpus.nq"
    build(CORPUS, data)
    with serve(Settings(store="memory", data=[data])) as running:
        yield running


@pytest.fixture(scope="module")
def seed() -> Iterator[RunningService]:
    with serve(Settings(store="memory")) as running:
        yield running


def _open(browser: Browser, service: RunningService) -> Iterator[Page]:
    with opened(browser, service.url + "/") as loaded:
        yield loaded


@pytest.fixture
def page(browser: Browser, corpus: RunningService) -> Iterator[Page]:
    yield from _open(browser, corpus)


@pytest.fixture
def seed_page(browser: Browser, seed: RunningService) -> Iterator[Page]:
    yield from _open(browser, seed)


def test_the_timeline_shows_each_dated_position_of_a_holder_and_counts_the_undated(page: Page) -> None:
    varga = page.locator("#timeline .timeline-row[data-holder='ana-varga']")
    marks = varga.locator(".mark")
    expect(marks).to_have_count(3, timeout=WAIT_MS)
    assert [marks.nth(i).get_attribute("data-document") for i in range(3)] == [
        "herald-2025-01-10",
        "courier-2025-02",
        "herald-2025-03-20",
    ]
    # Left to right in time: the speech of 18 March is the position's own date (validAt).
    lefts = [marks.nth(i).evaluate("mark => mark.getBoundingClientRect().left") for i in range(3)]
    assert lefts == sorted(lefts) and len(set(lefts)) == 3
    assert marks.nth(1).get_attribute("class") == "mark hedged"
    expect(varga.locator(".timeline-holder")).to_have_text("Ana Varga")
    # 8 dated positions of 3 holders; the leaflet's position has no date.
    expect(page.locator("#timeline .mark")).to_have_count(8)
    expect(page.locator("#timeline-status")).to_contain_text("1 undated position is not shown")


def test_the_legend_says_a_concern_is_raised_not_supported(page: Page) -> None:
    concern = page.locator("#timeline-legend .concern-legend")
    expect(concern).to_have_text("raises concern")
    colour = "element => getComputedStyle(element).backgroundColor"
    concern_colour = concern.locator(".mark-swatch").evaluate(colour)
    observers = page.locator("#timeline .timeline-row[data-holder='herald-2025-01-10-observers'] .mark")
    expect(observers).to_have_count(1)
    assert observers.evaluate(colour) == concern_colour
    supports = page.locator("#timeline .timeline-row[data-holder='ana-varga'] .mark").first
    assert supports.evaluate(colour) != concern_colour


def test_stepping_the_window_changes_its_dates_count_and_network(page: Page) -> None:
    page.locator("#window-length").select_option("1m")
    label = page.locator("#window-label")
    # Monthly windows from the first dated position (2025-01-10), each end excluded.
    expect(label).to_have_text(
        "Window 1 of 4: 2025-01-10 – 2025-02-09 · 3 positions · 1 undated position left out", timeout=WAIT_MS
    )
    expect(page.locator("#window-previous")).to_be_disabled()
    assert page.evaluate("explorer.cy.edges().length") == 3
    page.locator("#window-next").click()
    expect(label).to_have_text(
        "Window 2 of 4: 2025-02-10 – 2025-03-09 · 0 positions · 1 undated position left out"
    )
    assert page.evaluate("explorer.cy.edges().length") == 0
    page.locator("#window-next").click()
    expect(label).to_contain_text("Window 3 of 4: 2025-03-10 – 2025-04-09 · 3 positions")
    expect(page.locator(".node-button[data-id='ana-varga']")).to_have_count(1)
    page.locator("#window-slider").fill("3")
    expect(label).to_contain_text("Window 4 of 4: 2025-04-10 – 2025-05-09 · 2 positions")
    expect(page.locator("#window-next")).to_be_disabled()
    expect(page.locator(".node-button[data-id='ana-varga']")).to_have_count(0)
    expect(page.locator("#network-graphml")).to_have_attribute(
        "href", "network/two-mode?window=1m&format=graphml"
    )
    page.locator("#window-length").select_option("")
    expect(page.locator("#window-bar")).to_be_hidden()
    expect(page.locator(".node-button[data-id='ana-varga']")).to_have_count(1)
    assert page.evaluate("explorer.cy.edges().length") == 9


def test_a_selected_stakeholder_shows_its_trajectory_with_the_quotes(page: Page) -> None:
    page.locator(".node-button[data-id='ana-varga']").click()
    details = page.locator("#details")
    expect(details.locator("h2")).to_have_text("Ana Varga", timeout=WAIT_MS)
    expect(details.locator("#trajectory-target")).to_have_value("ruritania-joins-shield")
    points = details.locator(".trajectory li.trajectory-point")
    expect(points).to_have_count(3, timeout=WAIT_MS)
    heads = [points.nth(i).locator(".point-head").inner_text() for i in range(3)]
    assert [head.split()[0] for head in heads] == ["2025-01-10", "2025-02", "2025-03-18"]
    assert [points.nth(i).locator(".point-value").inner_text() for i in range(3)] == ["+2", "+2", "−2"]
    assert [points.nth(i).locator(".hedged").count() for i in range(3)] == [0, 1, 0]
    expect(points.nth(1).locator(".hedged")).to_have_text("(hedged)")
    quotes = [points.nth(i).locator("blockquote mark").all_inner_texts() for i in range(3)]
    assert quotes == [
        [
            "Defence Minister Ana Varga said on Friday that Ruritania should join the Shield programme.",
            "“Joining Shield is the right choice for our security,” she told reporters.",
        ],
        [
            "Ana Varga, the defence minister, said Ruritania would perhaps still join Shield, "
            "if its allies share the cost."
        ],
        [
            "In a speech on 18 March, Ana Varga said: “Ruritania will not join Shield.”",
            "The minister now opposes joining the programme.",
        ],
    ]
    expect(details.locator(".trajectory-chart circle")).to_have_count(3)


def test_clicking_a_holder_in_the_timeline_selects_it(page: Page) -> None:
    page.locator("#timeline .timeline-row[data-holder='farmers-union'] .timeline-holder").click()
    expect(page.locator("#details h2")).to_have_text("Farmers’ Union", timeout=WAIT_MS)
    # The target it has most positions on comes first; Cost and joining have two each, so by label.
    expect(page.locator("#trajectory-target")).to_have_value("cost", timeout=WAIT_MS)
    points = page.locator("#details .trajectory li.trajectory-point")
    expect(points).to_have_count(2, timeout=WAIT_MS)  # the wire report, printed by two outlets
    expect(points.first.locator(".stance")).to_have_text("concerned +1")
    page.locator("#trajectory-target").select_option("shield")
    expect(page.locator("#details .trajectory")).to_contain_text(
        "None of the positions of Farmers’ Union on Shield is dated.", timeout=WAIT_MS
    )
    expect(page.locator("#details .trajectory")).to_contain_text(
        "1 undated position of Farmers’ Union on Shield is not shown."
    )


def test_on_the_undated_seed_the_timeline_says_no_position_is_dated(seed_page: Page) -> None:
    status = seed_page.locator("#timeline-status")
    expect(status).to_contain_text("No position is dated", timeout=WAIT_MS)
    expect(status).to_contain_text("undated positions are not shown")
    expect(seed_page.locator("#timeline")).to_be_hidden()
    expect(seed_page.locator("#timeline .mark")).to_have_count(0)
    seed_page.locator("#window-length").select_option("1y")
    expect(seed_page.locator("#window-label")).to_contain_text("No position is dated", timeout=WAIT_MS)
    expect(seed_page.locator("#window-next")).to_be_disabled()
