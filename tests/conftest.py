"""Fixtures shared across the test packages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.dataset import load_embedded
from graph.stores.memory import MemoryStore
from tests.remote.virtuoso import own_virtuoso, virtuoso_server, virtuoso_session  # noqa: F401  (fixtures for every package)


@pytest.fixture(scope="session")
def golden_dome() -> Iterator[MemoryStore]:
    """The embedded Golden Dome graph in a memory store, shared by the tests that only read it."""
    with MemoryStore() as store:
        load_embedded(store)
        yield store
