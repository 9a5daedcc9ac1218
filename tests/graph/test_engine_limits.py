"""The embedded engine's bounds: memory per request, deadlines that count the queue, fair
scheduling of short reads beside long ones, and writes that never hold up reads.

Orderings are asserted with events, never with wall-clock figures: "the trivial query
answered while the three long ones were still running", not "it took under 50 ms".
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.errors import MemoryLimitError, QuerySyntaxError, QueryTimeoutError, StoreUnavailableError
from graph.stores.disk import DiskStore
from graph.stores.engine.client import EmbeddedStore
from graph.stores.memory import MemoryStore
from tests.graph.conftest import generated_graph

MiB = 2**20
# Doubles a string forty times: 16 bytes become 16 TiB, far past any limit, in a few lines.
HUGE = (
    "SELECT ?n WHERE { BIND('xxxxxxxxxxxxxxxx' AS ?a0) "
    + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(40))
    + " BIND(STRLEN(?a40) AS ?n) }"
)
HUGE_UPDATE = (
    "INSERT { <http://example.org/x> <http://example.org/p> ?a40 } WHERE { BIND('xxxxxxxxxxxxxxxx' AS ?a0) "
    + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(40))
    + " }"
)
TRIVIAL = "ASK { <http://example.org/s1> ?p ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(params=["memory", "disk"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., EmbeddedStore]]:
    """A factory of loaded embedded stores of each kind; every store it makes is closed after."""
    made: list[EmbeddedStore] = []

    def make(**options: int | None) -> EmbeddedStore:
        store: EmbeddedStore
        if request.param == "memory":
            store = MemoryStore(**options)  # type: ignore[arg-type]
        else:
            store = DiskStore(tmp_path / f"store{len(made)}", **options)  # type: ignore[arg-type]
        made.append(store)
        store.load_dataset(generated_graph(2000), "application/n-quads")
        return store

    yield make
    for store in made:
        store.close()


def test_a_query_past_the_memory_limit_is_stopped_and_the_store_goes_on(
    make_store: Callable[..., EmbeddedStore],
) -> None:
    store = make_store(memory_limit=256 * MiB)
    with pytest.raises(MemoryLimitError, match="256 MiB"):
        store.query(HUGE, timeout=30)
    assert store.query(TRIVIAL, results_media_type="text/csv").read() == b"true"


def test_an_update_past_the_memory_limit_changes_nothing(make_store: Callable[..., EmbeddedStore]) -> None:
    store = make_store(memory_limit=256 * MiB)
    before = len(store)
    with pytest.raises(MemoryLimitError):
        store.update(HUGE_UPDATE, timeout=30)
    assert len(store) == before
    store.update("INSERT DATA { <http://example.org/y> <http://example.org/p> 1 }", timeout=30)
    assert len(store) == before + 1


def test_the_deadline_counts_the_time_in_the_queue(make_store: Callable[..., EmbeddedStore]) -> None:
    store = make_store(workers=1, max_workers=1)
    long_done = threading.Event()

    def long() -> None:
        with contextlib.suppress(QueryTimeoutError, StoreUnavailableError):  # closed at the end
            store.query(CARTESIAN, timeout=20)
        long_done.set()

    holder = threading.Thread(target=long)
    holder.start()
    try:
        # The only reader is busy for 20 s: a queued query with 1 s must time out in the queue.
        with pytest.raises(QueryTimeoutError, match="1 s"):
            store.query(TRIVIAL, timeout=1)
        assert not long_done.is_set()
    finally:
        store.close()  # ends the long query too
        holder.join(30)


def test_a_trivial_query_does_not_wait_behind_three_long_ones(
    make_store: Callable[..., EmbeddedStore],
) -> None:
    store = make_store(workers=2, max_workers=8)
    started, finished = threading.Barrier(4), threading.Event()
    errors: list[BaseException] = []

    def long() -> None:
        started.wait()
        try:
            store.query(CARTESIAN, timeout=20)
        except (QueryTimeoutError, StoreUnavailableError):  # the store is closed at the end
            pass
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            finished.set()

    threads = [threading.Thread(target=long) for _ in range(3)]
    for thread in threads:
        thread.start()
    started.wait()
    try:
        for _ in range(20):
            assert store.query(TRIVIAL, results_media_type="text/csv").read() == b"true"
        assert not finished.is_set(), "the trivial queries waited for a long one to end"
    finally:
        store.close()
        for thread in threads:
            thread.join(30)
    assert not errors


def test_reads_go_on_while_a_slow_write_runs(make_store: Callable[..., EmbeddedStore]) -> None:
    store = make_store()
    before = len(store)
    write_done = threading.Event()
    outcome: list[BaseException] = []

    def slow_write() -> None:
        try:  # the WHERE runs for minutes: the write is stopped at its deadline, nothing kept
            store.update(
                "INSERT { <http://example.org/n> <http://example.org/p> ?a } "
                "WHERE { GRAPH ?g { ?a ?b ?c . ?d ?e ?f . ?x ?y ?z } }",  # the data is in a named graph
                timeout=8,
            )
        except QueryTimeoutError as error:
            outcome.append(error)
        finally:
            write_done.set()

    writer = threading.Thread(target=slow_write)
    writer.start()
    try:
        for _ in range(20):
            assert store.query(TRIVIAL, results_media_type="text/csv").read() == b"true"
            assert len(store) == before
        assert not write_done.is_set(), "reads waited for the write"
    finally:
        writer.join(30)
    assert outcome and isinstance(outcome[0], QueryTimeoutError)
    assert len(store) == before


def test_a_graph_upload_has_a_deadline_and_leaves_nothing_past_it(
    make_store: Callable[..., EmbeddedStore],
) -> None:
    store = make_store()
    before = len(store)
    big = "".join(f'<http://example.org/u{i}> <http://example.org/p> "{i}" .\n' for i in range(300_000))
    with pytest.raises(QueryTimeoutError):
        store.put_graph("http://example.org/upload", big.encode(), "application/n-triples", timeout=0.05)
    assert len(store) == before
    assert not store.has_graph("http://example.org/upload")


def test_deeply_nested_rdf_xml_is_refused_before_any_parse(make_store: Callable[..., EmbeddedStore]) -> None:
    store = make_store()
    depth = 44_000
    nested = (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://example.org/">'
        + b"<rdf:Description><e:p>" * depth
        + b"</e:p></rdf:Description>" * depth
        + b"</rdf:RDF>"
    )
    with pytest.raises(QuerySyntaxError, match="nested deeper than 1000"):
        store.put_graph("http://example.org/nested", nested, "application/rdf+xml", timeout=30)
    assert not store.has_graph("http://example.org/nested")


def test_a_long_run_of_writes_keeps_the_store_whole(make_store: Callable[..., EmbeddedStore]) -> None:
    # Each memory-store write is a successor that becomes the keeper: hundreds in a row must not
    # pile anything up (they once nested the keeper's loop until the recursion limit, at 245).
    store = make_store()
    before = len(store)
    writes = 400 if store.kind == "memory" else 50  # each disk write also checkpoints; the bug was memory's
    for i in range(writes):
        store.update(f"INSERT DATA {{ <http://example.org/w> <http://example.org/p> {i} }}", timeout=30)
    assert len(store) == before + writes
