"""Reads of the latest state and updates checked in the writer (the coding save's path).

The disk store's writer answers a read of the latest state when no reader of it is open and
idle; the answer must be the state every acknowledged write left, and its bounds (deadline,
memory) must hold there as on a reader. That the writer reaches no network either is tested
with the other stores in ``test_network_isolation`` (its ``disk-latest`` store).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import MemoryLimitError, QueryTimeoutError
from graph.results import ask, select_solutions, update_and_ask
from graph.stores.base import Store
from graph.stores.disk import DiskStore
from graph.stores.latest import latest_reads
from graph.stores.memory import MemoryStore
from tests.graph.conftest import generated_graph
from tests.graph.test_engine_limits import CARTESIAN, HUGE, MiB

EX = "http://example.org/"


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opened = (
        MemoryStore() if request.param == "memory" else DiskStore(tmp_path / "db", memory_limit=256 * MiB)
    )
    with opened:
        opened.update(f"INSERT DATA {{ <{EX}a> <{EX}p> 0 }}")
        yield opened


def _value(reads: Store) -> int:
    [row] = select_solutions(reads, f"SELECT ?v WHERE {{ <{EX}a> <{EX}p> ?v }}")
    return int(row["v"]["value"])


def test_each_read_after_a_write_sees_it(store: Store) -> None:
    reads = latest_reads(store)
    for number in range(1, 8):
        store.update(f"DELETE WHERE {{ <{EX}a> <{EX}p> ?v }} ; INSERT DATA {{ <{EX}a> <{EX}p> {number} }}")
        assert _value(reads) == number
        assert _value(store) == number  # and the readers agree


def test_a_checked_update_tells_whether_it_did_what_it_meant(store: Store) -> None:
    made = f"ASK {{ <{EX}b> <{EX}p> 1 }}"
    assert update_and_ask(store, f"INSERT DATA {{ <{EX}b> <{EX}p> 1 }}", made)
    # A conditional insert whose condition fails changes nothing, and the answer says so.
    unmet = f"INSERT {{ <{EX}c> <{EX}p> 1 }} WHERE {{ FILTER(false) }}"
    assert not update_and_ask(store, unmet, f"ASK {{ <{EX}c> ?p ?o }}")
    assert ask(latest_reads(store), made) and not ask(store, f"ASK {{ <{EX}c> ?p ?o }}")


def test_the_view_is_the_store_for_everything_but_its_plain_queries(store: Store) -> None:
    reads = latest_reads(store)
    assert len(reads) == len(store) == 1
    assert reads.graph_names() == store.graph_names()
    # A query naming its dataset is the store's own (the writer answers the default one only).
    rows = reads.query(f"ASK {{ <{EX}a> ?p ?o }}", default_graphs=["urn:x-arq:DefaultGraph"]).read()
    assert b"true" in rows


def test_a_read_of_the_writer_past_its_deadline_is_stopped_and_writes_go_on(tmp_path: Path) -> None:
    with DiskStore(tmp_path / "db") as store:
        store.load_dataset(generated_graph(2000), "application/n-quads")
        reads = latest_reads(store)
        with pytest.raises(QueryTimeoutError):
            reads.query(CARTESIAN, timeout=0.5).read()
        store.update(f"INSERT DATA {{ <{EX}after> <{EX}p> 1 }}")
        assert ask(reads, f"ASK {{ <{EX}after> ?p 1 }}")


def test_a_read_of_the_writer_past_the_memory_limit_is_stopped_and_nothing_is_lost(tmp_path: Path) -> None:
    with DiskStore(tmp_path / "db", memory_limit=256 * MiB) as store:
        store.update(f"INSERT DATA {{ <{EX}a> <{EX}p> 0 }}")
        reads = latest_reads(store)
        with pytest.raises(MemoryLimitError):
            reads.query(HUGE).read()
        assert _value(reads) == 0
        store.update(f"INSERT DATA {{ <{EX}b> <{EX}p> 1 }}")
        assert ask(reads, f"ASK {{ <{EX}b> ?p 1 }}")
