"""Headless Debian Chromium for the page's tests, driven by Playwright, kept to loopback.

Chromium comes from Debian (``apt-get install chromium``), never from ``playwright install``;
it starts with the flags that keep it off the network (this machine's network is closed), and
:class:`OffsiteRequests` aborts and records any request the page makes to another host.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WAIT_MS = 30_000


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, closed at the end of the block."""
    if not Path(CHROMIUM).is_file():
        pytest.fail("the browser test needs Debian's chromium: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OffsiteRequests(list[str]):
    """The URLs the page tried to fetch from a host that is not loopback (each was aborted)."""

    def route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname not in LOOPBACK:
            self.append(url)
            route.abort()
        else:
            route.continue_()


@contextmanager
def opened(
    browser: Browser, url: str, *, offsite: OffsiteRequests | None = None, problems: list[str] | None = None
) -> Iterator[Page]:
    """The page at ``url``, loaded (its body ``data-ready``), downloads accepted; on leaving, no
    request to a host other than loopback was made, and no page or console error is left in
    ``problems`` (a test that causes one on purpose takes it off)."""
    offsite = OffsiteRequests() if offsite is None else offsite
    problems = [] if problems is None else problems
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.route("**/*", offsite.route)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: _record_console_error(message, problems))
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=WAIT_MS)
    yield page
    context.close()
    assert offsite == [], "the page tried to reach hosts other than loopback"
    assert problems == []


def _record_console_error(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type == "error":
        problems.append(f"console error: {message.text}")
