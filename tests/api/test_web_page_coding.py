"""The Code view of the explorer, end to end in headless Debian Chromium: a coder selects a quote with
the mouse, codes a position and saves it; a second coder may not edit it, a reviewer may; every
revision is in the history; the keyboard selects too; terms highlight by regular expression; a new
document (uploaded) gets entities and a position whose offsets differ in UTF-16 and code points,
retracted and restored from its history.

The service is a real uvicorn on loopback on a memory store of the embedded Golden Dome data, with a
coders file (three fictional coders, made up for these tests) written to a temporary folder. The
positions coded here are fictional test codings of the real article. Every request off loopback is
refused (:mod:`tests.api.browsing`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from api.settings import Settings
from graph.coding.coders import token_hash
from graph.coding.export import export_coding, export_registry, source_of
from graph.errors import NotFoundError
from graph.validation import validate_data
from tests.api.browsing import WAIT_MS, opened
from tests.api.support import RunningService, serve

DOCUMENT = "golden-dome-canada"
# The analysts' sentence, curly quotes and apostrophe and all.
QUOTE = (
    "Analysts contend that joining the ‘Golden Dome’ framework could bolster Canada’s deterrent "
    "capabilities while together strengthening bilateral relations with the United States."
)
# Fictional coders and tokens, for these tests only.
CODERS = {
    "ana": ("coder", "ana-token-fictional"),
    "bea": ("coder", "bea-token-fictional"),
    "rui": ("reviewer", "rui-token-fictional"),
}
CONCERN_COLOUR = "#7b4fc9"

# The viewport rectangles of the first and the last character of the text's span [start, end) (UTF-16),
# after scrolling the span into view: where a mouse drag selecting it starts and ends.
SPAN_RECTS = """([start, end]) => {
  const root = document.querySelector("#coding-text");
  const at = (offset) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let total = 0;
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (total + node.length > offset) return [node, offset - total];
      total += node.length;
    }
    throw new Error(`offset ${offset} is past the text`);
  };
  const rect = (offset) => {
    const range = document.createRange();
    range.setStart(...at(offset));
    range.setEnd(...at(offset));
    range.setEnd(range.endContainer, range.endOffset + 1);
    return range.getClientRects()[0];
  };
  root.scrollIntoView({ block: "start" });
  root.scrollTop += rect(start).top - root.getBoundingClientRect().top - 40;
  const [first, last] = [rect(start), rect(end - 1)];
  const middle = (box) => box.top + box.height / 2;
  return { x1: first.left + 1, y1: middle(first), x2: last.right - 1, y2: middle(last) };
}"""


@pytest.fixture(scope="module")
def coders_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("coders") / "coders.yaml"
    entries = "".join(
        f"  - name: {name}\n    role: {role}\n    token_sha256: {token_hash(token)}\n"
        for name, (role, token) in CODERS.items()
    )
    path.write_text(
        f"# A fictional coders file, for the coding page's tests.\ncoders:\n{entries}", encoding="utf-8"
    )
    return path


@pytest.fixture
def coding_service(coders_file: Path) -> Iterator[RunningService]:
    """A fresh service on the embedded data that takes the coders' writes (a memory store)."""
    with serve(Settings(store="memory", coders_file=coders_file)) as running:
        yield running


@pytest.fixture
def problems() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, coding_service: RunningService, problems: list[str]) -> Iterator[Page]:
    with opened(browser, coding_service.url + "/", problems=problems) as loaded:
        loaded.get_by_label("Document to code", exact=True).select_option(DOCUMENT)
        expect(loaded.locator("#coding-text mark.coded").first).to_be_visible(timeout=WAIT_MS)
        yield loaded


def _text(service: RunningService) -> str:
    with service.client() as client:
        text: str = client.get(f"/documents/{DOCUMENT}").json()["text"]
    return text


def _sign_in(page: Page, name: str) -> None:
    if page.locator("#coding-sign-out").is_visible():
        page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Coder's token", exact=True).fill(CODERS[name][1])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#coding-who")).to_have_text(f"Signed in as {name} ({CODERS[name][0]})")


def _drag_over(page: Page, start: int, end: int) -> None:
    box = page.evaluate(SPAN_RECTS, [start, end])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=12)
    page.mouse.up()


def _open(page: Page, position: str) -> None:
    page.get_by_role("button", name=f"Position {position}", exact=True).click()
    expect(page.locator("#coding-form-title")).to_have_text(f"Position {position}")


def _refused_requests(problems: list[str], status: int) -> None:
    """Take off the console errors the browser logs for requests the service refused with ``status``."""
    refused = [problem for problem in problems if f"status of {status}" in problem]
    assert refused, problems
    for problem in refused:
        problems.remove(problem)


def _history(service: RunningService, position: str) -> list[dict[str, Any]]:
    with service.client() as client:
        answer = client.get(f"/positions/{position}/history")
    assert answer.status_code == 200, answer.text
    revisions: list[dict[str, Any]] = answer.json()
    return revisions


def _validate_export(service: RunningService, folder: Path) -> None:
    """Export the document's coding from the store and check it as `stancegraph validate` does."""
    store = service.app.state.store
    source, text = source_of(store, DOCUMENT)
    (folder / f"{DOCUMENT}.yaml").write_text(export_coding(store, DOCUMENT), encoding="utf-8")
    (folder / source).parent.mkdir(parents=True, exist_ok=True)
    (folder / source).write_text(text, encoding="utf-8")
    with contextlib.suppress(NotFoundError):  # the embedded data has no shared registry
        (folder / "entities.yaml").write_text(export_registry(store), encoding="utf-8")
    report = validate_data(folder)
    assert report.conforms, report.problems


def test_a_coder_codes_a_quote_a_coder_may_not_edit_it_a_reviewer_may(
    page: Page, coding_service: RunningService, problems: list[str], tmp_path: Path
) -> None:
    text = _text(coding_service)
    start = text.index(QUOTE)
    assert all(ord(character) < 0x10000 for character in text)  # so the page's UTF-16 offsets are these too
    _sign_in(page, "ana")
    _drag_over(page, start, start + len(QUOTE))

    form = page.locator("#coding-form")
    expect(form).to_be_visible()
    expect(form.locator(".coding-quote q")).to_have_text(QUOTE)
    expect(form.locator(".coding-quote figcaption")).to_contain_text(
        f"characters {start}–{start + len(QUOTE)}"
    )
    page.get_by_label("Holder", exact=True).fill("Analysts")  # the label: the form finds its id
    page.get_by_label("Target", exact=True).fill("no-such-target")
    page.get_by_label("Stance", exact=True).select_option("supports")
    page.get_by_label("Attribution", exact=True).select_option("direct")
    page.get_by_role("button", name="Add hedge cue could").click()
    expect(page.get_by_label("Hedge cues", exact=True)).to_have_value("could")
    page.get_by_label("Reason for the change", exact=True).fill(
        "fictional test coding: the analysts on the program"
    )
    page.get_by_label("Reason for the change", exact=True).press("Control+Enter")
    # Refused (an unknown target): the service's problem next to the field, a new entity offered.
    expect(page.locator("#coding-target-error")).to_contain_text("no-such-target", timeout=WAIT_MS)
    expect(page.get_by_label("Target", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("form", name="New entity")).to_be_visible()
    _refused_requests(problems, 422)
    page.get_by_label("Target", exact=True).fill("golden-dome")
    page.get_by_label("Reason for the change", exact=True).press("Control+Enter")

    expect(page.locator("#coding-form-status")).to_contain_text("Saved position", timeout=WAIT_MS)
    position = page.locator("#coding").get_attribute("data-saved")
    assert position
    with coding_service.client() as client:
        listed = client.get("/positions", params={"holder": "analysts", "target": "golden-dome"}).json()
    [saved] = [item for item in listed["items"] if item["id"] == position]
    assert (saved["stance"], saved["attribution"], saved["hedgeCues"]) == ("supports", "direct", ["could"])
    [evidence] = saved["evidence"]
    assert (evidence["quote"], evidence["start"], evidence["end"]) == (QUOTE, start, start + len(QUOTE))
    _validate_export(coding_service, tmp_path)

    _sign_in(page, "bea")
    _open(page, position)
    page.get_by_label("Value", exact=True).fill("1")
    page.get_by_label("Reason for the change", exact=True).fill("fictional: another coder's edit")
    page.get_by_role("button", name="Save").click()
    status = page.locator("#coding-form-status")
    expect(status).to_have_attribute("data-kind", "error", timeout=WAIT_MS)
    expect(status).to_contain_text("edit_others")
    _refused_requests(problems, 403)
    assert len(_history(coding_service, position)) == 1

    _sign_in(page, "rui")
    _open(page, position)
    page.get_by_label("Value", exact=True).fill("1")
    page.get_by_label("Reason for the change", exact=True).fill("fictional review: hedged, so leaning for")
    page.get_by_role("button", name="Save").click()
    expect(status).to_contain_text("Saved a new revision", timeout=WAIT_MS)
    revisions = _history(coding_service, position)
    assert [revision["coder"] for revision in revisions] == ["ana", "rui"]
    shown = page.locator("#coding-history-list .revision")
    expect(shown).to_have_count(2)
    assert [item.get_attribute("data-coder") for item in shown.all()] == ["rui", "ana"]
    expect(shown.first).to_contain_text("fictional review: hedged, so leaning for")
    with coding_service.client() as client:
        [current] = [
            item
            for item in client.get("/positions", params={"document": DOCUMENT, "limit": 1000}).json()["items"]
            if item["id"] == position
        ]
    assert current["value"] == 1 and current["evidence"][0]["start"] == start
    _validate_export(coding_service, tmp_path)

    # The filter by coder: ana created it (rui only edited it); no other position has a coder.
    page.get_by_label("Filter by coder", exact=True).fill("ana")
    expect(page.locator("#coding-positions .coding-position")).to_have_count(1, timeout=WAIT_MS)
    expect(page.locator("#coding-text mark.coded")).to_have_count(1)
    page.get_by_label("Filter by coder", exact=True).fill("rui")
    expect(page.locator("#coding-positions .coding-position")).to_have_count(0, timeout=WAIT_MS)


def test_a_span_selected_with_the_keyboard_starts_a_position(
    page: Page, coding_service: RunningService
) -> None:
    text = _text(coding_service)
    start = text.index(QUOTE)
    box = page.evaluate(SPAN_RECTS, [start, start + len(QUOTE)])
    page.mouse.click(box["x1"], box["y1"])  # the caret before the quote's first character
    for _ in QUOTE:
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator("#coding-form .coding-quote q")).to_have_text(QUOTE)
    expect(page.get_by_role("button", name="Add hedge cue could")).to_be_visible()
    expect(page.locator("#coding-text")).to_contain_text(QUOTE)  # Enter and typing never change the text
    page.keyboard.press("x")
    assert _text(coding_service) == page.locator("#coding-text").inner_text()
    page.get_by_label("Holder", exact=True).press("Escape")
    expect(page.locator("#coding-form")).to_be_hidden()


def test_terms_highlight_by_regular_expression_and_the_legend_names_concerns(
    page: Page, coding_service: RunningService
) -> None:
    found = re.findall(r"golden\s+dome", _text(coding_service), re.IGNORECASE)
    page.get_by_label("Highlight terms (regular expression)", exact=True).fill(r"golden\s+dome")
    expect(page.locator("#coding-regex-status")).to_have_text(f"{len(found)} matches")
    marked = "".join(page.locator("#coding-text mark.term").all_inner_texts())
    assert marked.lower() == "".join(found).lower()
    page.get_by_label("Highlight terms (regular expression)", exact=True).fill("(")
    expect(page.locator("#coding-regex-status")).to_contain_text("Not a regular expression")
    expect(page.locator("#coding-text mark.term")).to_have_count(0)

    expect(page.locator("#coding-legend")).to_contain_text("raises concern")
    concern = page.locator("#coding-text mark[data-positions~='concern-national-sovereignty']").first
    assert CONCERN_COLOUR in (concern.get_attribute("style") or "")
    # The three concerns share one quote: a click opens the first of them.
    first = (concern.get_attribute("data-positions") or "").split()[0]
    concern.click()
    expect(page.locator("#coding-form-title")).to_have_text(f"Position {first}")
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#coding-form-title")).not_to_have_text(f"Position {first}")
    expect(page.locator("#coding-positions .coding-position.chosen")).to_have_count(1)


def test_a_write_without_a_token_is_refused_on_the_page(page: Page, problems: list[str]) -> None:
    page.locator("#coding-positions .coding-position").first.click()
    page.get_by_label("Reason for the change", exact=True).fill("fictional: no coder signed in")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#coding-form-status")).to_have_attribute("data-kind", "error", timeout=WAIT_MS)
    expect(page.locator("#coding-form-status")).to_contain_text("Authorization")
    _refused_requests(problems, 401)


HARBOUR = Path(__file__).resolve().parent.parent / "data" / "coding-page" / "fictional-harbour.txt"
HARBOUR_QUOTE = "The harbour council 𝔥 supports the ferry line"  # after a 🚢: UTF-16 and code points differ


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _create_entity(page: Page, section: str, label: str, entity_id: str, kind: str | None = None) -> None:
    form = page.get_by_role("form", name="New entity")
    if not form.is_visible():
        page.get_by_role("button", name="New entity…").click()
    form.get_by_label("Section", exact=True).select_option(section)
    form.get_by_label("Label", exact=True).fill(label)
    form.get_by_label("Type or status", exact=True).fill(kind or "")
    form.get_by_role("button", name="Create entity").click()
    expect(page.locator("#coding-entity-status")).to_have_text(f"Created {entity_id}.", timeout=WAIT_MS)


def test_a_new_document_its_entities_and_a_position_retracted_and_restored(
    page: Page, coding_service: RunningService, problems: list[str]
) -> None:
    text = HARBOUR.read_text(encoding="utf-8")
    _sign_in(page, "ana")
    page.get_by_role("button", name="New document…").click()
    new = page.get_by_role("form", name="New source document")
    new.get_by_label("Slug", exact=True).fill("fictional-harbour")
    new.get_by_label("Title", exact=True).fill("Fictional harbour news, for the tests")
    new.get_by_label("Date", exact=True).fill("2025-03-14")
    new.get_by_label("Outlet", exact=True).fill("The Fictional Quay")
    new.get_by_label("Source text file", exact=True).set_input_files(HARBOUR)
    expect(new.get_by_label("Source text", exact=True)).to_have_value(text)
    new.get_by_role("button", name="Add document").click()
    expect(page.locator("#coding")).to_have_attribute("data-document", "fictional-harbour", timeout=WAIT_MS)
    expect(page.locator("#coding-text")).to_have_text(text)

    start = text.index(HARBOUR_QUOTE)
    utf16_start = _utf16(text[:start])
    assert utf16_start == start + 1
    _drag_over(page, utf16_start, utf16_start + _utf16(HARBOUR_QUOTE))
    expect(page.locator("#coding-form .coding-quote q")).to_have_text(HARBOUR_QUOTE)
    page.get_by_label("Holder", exact=True).fill("Harbour council")
    page.get_by_label("Target", exact=True).fill("Ferry line")
    page.get_by_label("Stance", exact=True).select_option("supports")
    page.get_by_label("Reason for the change", exact=True).fill("fictional test coding")
    page.get_by_role("button", name="Save").click()
    # Names of nothing in the registry: refused on the page, and a new entity offered for each.
    expect(page.locator("#coding-holder-error")).to_contain_text("no entity is named 'Harbour council'")
    expect(page.locator("#coding-target-error")).to_contain_text("no entity is named 'Ferry line'")
    entity = page.get_by_role("form", name="New entity")
    expect(entity.get_by_label("Label", exact=True)).to_have_value("Ferry line")
    _create_entity(page, "stakeholders", "Harbour council", "harbour-council", "GovernmentBody")
    _create_entity(page, "programs", "Ferry line", "ferry-line")  # ids made from the labels
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#coding-form-status")).to_contain_text("Saved position", timeout=WAIT_MS)
    position = page.locator("#coding").get_attribute("data-saved")
    with coding_service.client() as client:
        [saved] = client.get("/positions", params={"document": "fictional-harbour"}).json()["items"]
    assert (saved["id"], saved["holder"]["id"], saved["target"]["id"]) == (
        position,
        "harbour-council",
        "ferry-line",
    )
    [evidence] = saved["evidence"]
    assert (evidence["quote"], evidence["start"], evidence["end"]) == (
        HARBOUR_QUOTE,
        start,
        start + len(HARBOUR_QUOTE),
    )
    marked = page.locator(f"#coding-text mark[data-positions~='{position}']")
    expect(marked).to_have_text(HARBOUR_QUOTE)  # marked where the code point offsets say, in UTF-16

    page.get_by_label("Reason for the change", exact=True).fill("fictional: retracted to test restoring")
    page.get_by_role("button", name="Retract").click()
    expect(page.locator("#coding-status")).to_contain_text(f"Retracted position {position}", timeout=WAIT_MS)
    expect(marked).to_have_count(0)
    history = page.locator("#coding-history-list .revision")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("retracted")
    page.get_by_label("Reason for restoring", exact=True).fill("fictional: brought back")
    page.get_by_role("button", name="Restore revision 1").click()
    expect(marked).to_have_text(HARBOUR_QUOTE, timeout=WAIT_MS)
    expect(history).to_have_count(3)
    assert [revision["retracted"] for revision in _history(coding_service, str(position))] == [
        False,
        True,
        False,
    ]


def test_with_reads_for_coders_only_the_page_reads_once_signed_in(
    browser: Browser, coders_file: Path, problems: list[str]
) -> None:
    with serve(Settings(store="memory", coders_file=coders_file, read_access="coders")) as running:
        with running.client() as client:
            assert client.get("/stakeholders").status_code == 401
        with opened(browser, running.url + "/", problems=problems) as page:
            _refused_requests(problems, 401)  # signed out, the page's reads are refused
            _sign_in(page, "ana")
            page.reload()
            expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=WAIT_MS)
            page.get_by_label("Document to code", exact=True).select_option(DOCUMENT)
            expect(page.locator("#coding-text mark.coded").first).to_be_visible(timeout=WAIT_MS)
            assert not [problem for problem in problems if "status of 401" in problem], problems


def test_the_code_view_says_a_memory_store_keeps_codings_until_the_service_stops(page: Page) -> None:
    expect(page.locator("#coding-store-note")).to_contain_text("lasts until the service stops")
