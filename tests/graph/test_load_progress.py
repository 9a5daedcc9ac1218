"""A load into an embedded store tells how far the engine's parse has read, across the process boundary."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import GraphError
from graph.stores import DiskStore
from graph.stores.memory import MemoryStore
from tests.graph.conftest import generated_graph

QUADS = 30_000  # fictional N-Quads, a few MiB: the engine counts at least once a MiB


@pytest.mark.parametrize("holding", [False, True], ids=["bulk load", "transaction"])
def test_a_disk_load_tells_the_bytes_parsed(tmp_path: Path, holding: bool) -> None:
    data = generated_graph(QUADS)
    with DiskStore(tmp_path / "store") as store:
        if holding:  # a store holding data loads in one transaction, an empty one in bulk
            store.load_dataset(generated_graph(5, "http://example.org/first"), "application/n-quads")
        seen: list[int] = []
        store.load_dataset(data, "application/n-quads", progress=seen.append)
        assert len(store) == QUADS + (5 if holding else 0)
    assert seen, "the load told nothing"
    assert seen == sorted(seen)
    assert seen[-1] == len(data)


def test_a_memory_load_tells_the_bytes_parsed() -> None:
    data = generated_graph(QUADS)
    with MemoryStore() as store:
        seen: list[int] = []
        store.load_dataset(data, "application/n-quads", progress=seen.append)
        assert len(store) == QUADS
    assert seen[-1] == len(data)


def test_a_failed_load_leaves_nothing_and_tells_what_was_read(tmp_path: Path) -> None:
    broken = generated_graph(QUADS) + b"\n<http://example.org/s> <not an iri"
    with DiskStore(tmp_path / "store") as store:
        seen: list[int] = []
        with pytest.raises(GraphError):
            store.load_dataset(broken, "application/n-quads", progress=seen.append)
        assert len(store) == 0
    assert seen == sorted(seen)
