"""Fixtures: services on the sample data, each a real uvicorn on loopback (see :mod:`tests.api.support`).

``start_service(**settings)`` starts one with some settings changed; every
service stops (by its own server handle) when the test, module or session
that asked for it ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser

from api.settings import Settings
from tests.api.browsing import chromium
from tests.api.support import TOKEN, TRIG, RunningService, sample_settings, serve


@pytest.fixture(scope="session")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "sample.trig"
    path.write_text(TRIG, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def start_service(data_file: Path) -> Iterator[Callable[..., RunningService]]:
    """Start a service on the sample data with some settings changed; stopped at the end of the session."""
    with ExitStack() as services:

        def start(**overrides: Any) -> RunningService:
            return services.enter_context(serve(sample_settings(data_file, **overrides)))

        yield start


@pytest.fixture(scope="module")
def service(data_file: Path) -> Iterator[RunningService]:
    """A read-only service on the sample data (no write token: writes disabled)."""
    with serve(sample_settings(data_file)) as running:
        yield running


@pytest.fixture
def writable(data_file: Path) -> Iterator[RunningService]:
    """A fresh service on the sample data that accepts writes with :data:`TOKEN`."""
    with serve(sample_settings(data_file, write_token=TOKEN)) as running:
        yield running


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="session")
def golden_dome_client() -> Iterator[httpx.Client]:
    """A client of one read-only service on the embedded Golden Dome data, shared by the session."""
    with serve(Settings(store="memory")) as running, running.client() as client:
        yield client


@pytest.fixture(scope="module")
def explorer() -> Iterator[RunningService]:
    """A service on the embedded data, for a module of page tests."""
    with serve(Settings(store="memory")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium for a module of page tests (:mod:`tests.api.browsing`)."""
    with chromium() as launched:
        yield launched
