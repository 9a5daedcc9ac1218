"""The explorer page at /, end to end in headless Debian Chromium driven by Playwright.

The service is a real uvicorn on loopback serving the embedded Golden Dome
graph. Every request the browser makes to a host other than loopback is
blocked and recorded, and the tests assert that none was attempted: the page
needs no CDN. Chromium comes from Debian (``apt-get install chromium``), never
from ``playwright install``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from api.routes import web
from tests.api.browsing import WAIT_MS, OffsiteRequests, opened
from tests.api.support import RunningService

CANADA_QUOTE = (
    "Canada is reportedly considering aligning itself with the United States’ missile defense strategy "
    "known as “Golden Dome.”"
)


@pytest.fixture
def offsite() -> OffsiteRequests:
    return OffsiteRequests()


@pytest.fixture
def page(browser: Browser, explorer: RunningService, offsite: OffsiteRequests) -> Iterator[Page]:
    with opened(browser, explorer.url + "/", offsite=offsite) as loaded:
        yield loaded


def test_a_named_query_fills_the_table(page: Page) -> None:
    page.locator("button.example[data-name='supporters-of-participation']").click()
    expect(page.locator("#parameters input[name='participant']")).to_have_value("canada")
    page.locator("#run").click()
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(3, timeout=WAIT_MS)
    holders = page.locator("#results tbody").inner_text()
    for supporter in ("Analysts", "Experts", "Canadian officials"):
        assert supporter in holders
    expect(page.locator("#query-status")).to_contain_text("supporters-of-participation")


def test_the_results_download_as_csv(page: Page) -> None:
    page.locator("button.example[data-name='supporters-of-participation']").click()
    page.locator("#run").click()
    expect(page.locator("#results tbody tr")).to_have_count(3, timeout=WAIT_MS)
    with page.expect_download() as download_info:
        page.locator("#download-csv").click()
    csv = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert csv.splitlines()[0].startswith("participant")
    assert "Analysts" in csv


def test_an_edited_query_runs_through_the_sparql_endpoint(page: Page) -> None:
    page.evaluate(
        """explorer.queryPanel.editor.text = `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { <https://w3id.org/stancegraph/id/canada> rdfs:label ?label }`"""
    )
    page.locator("#run").click()
    expect(page.locator("#results tbody tr")).to_have_count(1, timeout=WAIT_MS)
    expect(page.locator("#results tbody")).to_contain_text("Canada")
    expect(page.locator("#query-status")).to_contain_text("/sparql")


def test_the_editor_highlights_sparql(page: Page) -> None:
    # CodeMirror marks keywords with token spans; plain text would have none.
    expect(page.locator("#editor .cm-content")).to_contain_text("SELECT")
    assert page.locator("#editor .cm-line span").count() > 5


def test_clicking_canada_in_the_graph_shows_its_positions_with_the_quotes_marked(page: Page) -> None:
    # A real mouse click where Cytoscape drew the node.
    x, y = page.evaluate(
        "(() => { const p = explorer.cy.getElementById('canada').renderedPosition(); return [p.x, p.y]; })()"
    )
    box = page.locator("#graph").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)

    details = page.locator("#details")
    expect(details.locator("h2")).to_have_text("Canada", timeout=WAIT_MS)
    expect(details.locator("article.position")).to_have_count(2, timeout=WAIT_MS)
    marks = details.locator("blockquote mark")
    expect(marks.filter(has_text=CANADA_QUOTE)).to_have_count(1)
    # The quote sits in its passage of the source text, not alone.
    passage = details.locator("blockquote", has=page.locator("mark", has_text=CANADA_QUOTE)).inner_text()
    assert passage.startswith("In a significant turn of events,")
    assert len(passage) > len(CANADA_QUOTE)
    expect(page.locator(".node-button.chosen")).to_have_text("Canada")


def test_the_export_buttons_download_the_subgraph(page: Page) -> None:
    page.locator(".node-button[data-id='canada']").click()
    expect(page.locator("#details h2")).to_have_text("Canada", timeout=WAIT_MS)
    with page.expect_download() as download_info:
        page.locator("#details .exports a", has_text="Turtle").click()
    turtle = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "https://w3id.org/stancegraph/id/" in turtle or "sgd:" in turtle
    with page.expect_download() as download_info:
        page.locator("#details .exports a", has_text="GraphML").click()
    assert "<graphml" in Path(download_info.value.path()).read_text(encoding="utf-8")


def test_label_search_finds_canada_by_part_of_its_name(page: Page) -> None:
    page.locator("#search").fill("canad")
    result = page.locator(
        "#search-results button", has=page.locator(".label", has_text=re.compile("^Canada$"))
    )
    expect(result).to_have_count(1, timeout=WAIT_MS)
    result.click()
    expect(page.locator("#details h2")).to_have_text("Canada", timeout=WAIT_MS)


# Without a browser: what the page's routes serve, and what they refuse.


@pytest.fixture(scope="module")
def client(explorer: RunningService) -> Iterator[httpx.Client]:
    with explorer.client() as client:
        yield client


def test_every_module_of_the_import_map_is_served(client: httpx.Client) -> None:
    for url in web.import_map()["imports"].values():
        response = client.get("/" + url.removeprefix("./"))
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/../package.json",
        "/vendor/%2e%2e/package.json",
        "/vendor/cytoscape/../../pyproject.toml",
        "/vendor/cytoscape%2f..%2f..%2fpyproject.toml",
        "/vendor/cytoscape/package.json",
        "/vendor/.package-lock.json",
        "/vendor/%2fetc%2fpasswd",
        "/assets/..%2fapp.py",
        "/assets/%2e%2e%2frouters%2fweb.py",
        "/assets/index.html",
    ],
)
def test_nothing_outside_the_allow_lists_is_served(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")


def test_the_pages_own_files_name_no_other_host(client: httpx.Client) -> None:
    # Absolute URLs would be a CDN in disguise; the IRIs of our own vocabulary are data, not fetched.
    own_names = re.compile(r"https://w3id\.org/stancegraph/")
    for name in [*web.STATIC_FILES, ""]:
        text = client.get(f"/assets/{name}" if name else "/").text
        urls = [
            url
            for url in re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'`)]*", text)
            if not own_names.match(url)
        ]
        assert urls == [], name


def test_without_the_npm_packages_the_page_says_how_to_install_them(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(web, "NODE_MODULES", tmp_path)
    response = client.get("/")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert web.INSTALL_COMMAND in response.text
