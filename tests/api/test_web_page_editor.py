"""The explorer's query panel and network layout, end to end in headless Chromium.

A syntax error the service reports is marked in the editor at its line and
column; the results table sorts by value and filters; graph and table results
download in every format offered, and the files parse; the force layout leaves
no two labels overlapping. The service is a real uvicorn on loopback serving
the embedded Golden Dome graph; the queries' own data (``VALUES`` rows under
example.org) is fictional. The browser set-up (Debian's chromium, every request
off loopback refused) is that of :mod:`tests.api.test_web_page`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import rdflib
from playwright.sync_api import Browser, Page, expect
from rdflib.compare import isomorphic

from tests.api.browsing import WAIT_MS, opened
from tests.api.support import RunningService

# "LIMIT x" on line 3: the engine's parser stops at the x, line 3, column 11.
BAD_QUERY = "SELECT ?s WHERE {\n  ?s ?p ?o .\n  } LIMIT x\n"

# Fictional rows whose sorted order differs by text and by value: 9 < 10 < 100 as numbers, not as text.
ROWS_QUERY = """PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
# Fictional rows for the table test.
SELECT ?name ?count ?day WHERE {
  VALUES (?name ?count ?day) {
    ("Beta" 10 "2024-03-01"^^xsd:date)
    ("alpha" 100 "2023-12-31"^^xsd:date)
    ("Gamma" 9 "2024-01-15"^^xsd:date)
    ("Delta" 2.5 UNDEF)
  }
}"""

# A fictional graph of four triples, one literal with a line break and one with a language tag.
GRAPH_QUERY = """PREFIX ex: <http://example.org/>
CONSTRUCT { ?s ex:says ?text } WHERE {
  VALUES (?s ?text) {
    (ex:alice "fictional: a first line\\nand a second")
    (ex:alice "fictional, in French"@fr)
    (ex:bob "fictional: plain")
    (ex:carol 42)
  }
}"""

GRAPH_DOWNLOADS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}


@pytest.fixture
def problems() -> list[str]:
    """Page errors and console errors seen; a test that causes one on purpose takes it off."""
    return []


def _open(browser: Browser, url: str, problems: list[str]) -> Iterator[Page]:
    with opened(browser, url, problems=problems) as loaded:
        yield loaded


@pytest.fixture
def page(browser: Browser, explorer: RunningService, problems: list[str]) -> Iterator[Page]:
    yield from _open(browser, explorer.url + "/", problems)


def _run(page: Page, sparql: str) -> None:
    page.evaluate("(text) => { explorer.queryPanel.editor.text = text; }", sparql)
    page.locator("#run").click()


def test_the_service_answers_a_syntax_error_with_its_line_and_column(explorer: RunningService) -> None:
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
    response = httpx.post(explorer.url + "/sparql", content=BAD_QUERY, headers=headers, timeout=30)
    assert response.status_code == 400
    body = response.json()
    assert (body["error"], body["line"], body["column"]) == ("syntax", 3, 11)
    assert isinstance(body["message"], str) and body["message"]


def test_a_syntax_error_is_marked_at_its_line_and_column(page: Page, problems: list[str]) -> None:
    _run(page, BAD_QUERY)
    mark = page.locator("#editor .cm-lintRange-error")
    expect(mark).to_have_count(1, timeout=WAIT_MS)
    expect(mark).to_have_text("x")
    line = mark.evaluate(
        "(mark) => [...mark.closest('.cm-content').children].indexOf(mark.closest('.cm-line')) + 1"
    )
    assert line == 3
    expect(page.locator("#editor .cm-lint-marker-error")).to_have_count(1)
    expect(page.locator("#query-status")).to_contain_text("line 3, column 11")
    # The browser logs the refused request itself; that one error is expected.
    assert len(problems) == 1 and "400" in problems[0]
    problems.clear()

    _run(page, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    expect(page.locator("#results tbody tr")).to_have_count(1, timeout=WAIT_MS)
    expect(mark).to_have_count(0)


def _column(page: Page, index: int) -> list[str]:
    return page.locator(f"#results tbody tr td:nth-child({index})").all_inner_texts()


def test_the_table_sorts_by_value_and_filters(page: Page) -> None:
    _run(page, ROWS_QUERY)
    expect(page.locator("#results tbody tr")).to_have_count(4, timeout=WAIT_MS)
    count = page.locator("#results th[data-column='count'] button")
    count.click()
    assert _column(page, 2) == ["2.5", "9", "10", "100"]
    expect(page.locator("#results th[data-column='count']")).to_have_attribute("aria-sort", "ascending")
    count.click()
    assert _column(page, 2) == ["100", "10", "9", "2.5"]
    page.locator("#results th[data-column='day'] button").click()
    assert _column(page, 1) == ["alpha", "Gamma", "Beta", "Delta"]  # by date; the unbound one last
    page.locator("#results th[data-column='name'] button").click()
    assert _column(page, 1) == ["alpha", "Beta", "Delta", "Gamma"]  # by text, case aside

    page.locator("#results-filter").fill("ta")
    assert _column(page, 1) == ["Beta", "Delta"]
    expect(page.locator("#results-shown")).to_have_text("showing 2 of 4")
    page.locator("#results-filter").fill("2024 ta")  # every word must match
    assert _column(page, 1) == ["Beta"]
    page.locator("#results-filter").fill("")
    expect(page.locator("#results tbody tr")).to_have_count(4)
    expect(page.locator("#results-shown")).to_have_text("")


def test_a_graph_result_downloads_in_every_rdf_format(page: Page) -> None:
    _run(page, GRAPH_QUERY)
    expect(page.locator("#results pre.graph-result")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#download-csv")).to_have_count(0)
    graphs = {}
    for key, rdflib_format in GRAPH_DOWNLOADS.items():
        with page.expect_download() as download_info:
            page.locator(f"#download-{key}").click()
        graph = rdflib.Graph().parse(download_info.value.path(), format=rdflib_format)
        assert len(graph) == 4, key
        graphs[key] = graph
    texts = {str(o) for o in graphs["rdfxml"].objects()}
    assert "fictional: a first line\nand a second" in texts
    assert all(isomorphic(graph, graphs["turtle"]) for graph in graphs.values())


def test_table_results_download_as_csv_and_json(page: Page) -> None:
    _run(page, ROWS_QUERY)
    expect(page.locator("#results tbody tr")).to_have_count(4, timeout=WAIT_MS)
    expect(page.locator("#download-turtle")).to_have_count(0)
    with page.expect_download() as download_info:
        page.locator("#download-csv").click()
    with Path(download_info.value.path()).open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert sorted(row["name"] for row in rows) == ["Beta", "Delta", "Gamma", "alpha"]
    with page.expect_download() as download_info:
        page.locator("#download-json").click()
    body = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert body["head"]["vars"] == ["name", "count", "day"]
    assert len(body["results"]["bindings"]) == 4


def test_a_query_in_the_address_opens_in_the_editor(
    browser: Browser, explorer: RunningService, problems: list[str]
) -> None:
    text = "ASK { ?s ?p ?o }"
    for page in _open(browser, f"{explorer.url}/?query={quote(text)}", problems):
        expect(page.locator("#editor .cm-content")).to_have_text(text)
        expect(page.locator("#example-info")).to_be_hidden()


def _label_boxes(page: Page) -> list[dict[str, float | str]]:
    return list(
        page.evaluate(
            """() => explorer.cy.nodes().map((node) => {
                const only = { includeNodes: false, includeEdges: false, includeLabels: true };
                const box = node.boundingBox(only);
                return { id: node.id(), x1: box.x1, x2: box.x2, y1: box.y1, y2: box.y2 };
            })"""
        )
    )


def _overlaps(boxes: list[dict[str, float | str]]) -> list[tuple[object, object]]:
    def apart(a: dict[str, float | str], b: dict[str, float | str]) -> bool:
        return (
            float(a["x2"]) <= float(b["x1"])
            or float(b["x2"]) <= float(a["x1"])
            or float(a["y2"]) <= float(b["y1"])
            or float(b["y2"]) <= float(a["y1"])
        )

    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if not apart(a, b)]


@pytest.mark.parametrize("layout", ["force", "columns"])
def test_no_two_labels_overlap(page: Page, layout: str) -> None:
    if layout != "columns":
        page.locator("#layout").select_option(layout)
    expect(page.locator("#graph")).to_have_attribute("data-layout", layout, timeout=WAIT_MS)
    boxes = _label_boxes(page)
    assert len(boxes) > 10 and all(float(box["x2"]) > float(box["x1"]) for box in boxes)
    assert _overlaps(boxes) == []
