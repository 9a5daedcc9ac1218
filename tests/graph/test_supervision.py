"""A supervised engine: kill -9 the engine process of a store, and the store comes back.

Every wait is on a condition with a deadline; every call made while the engine is down runs
under a bound, so a request that hangs fails the test instead of stalling it. The data is
synthetic (example.org), made up for these tests.
"""

from __future__ import annotations

import asyncio
import os
import select
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import psutil
import pytest

from graph.errors import StoreUnavailableError
from graph.stores import DiskStore, MemoryStore
from graph.stores.engine.client import EmbeddedStore
from graph.stores.engine.restarts import RestartPolicy
from reliability.filesystems import small_filesystem_at
from tests.graph.conftest import generated_graph

EX = "http://example.org/"
INITIAL = generated_graph(2000, f"{EX}initial")  # enough for the cartesian count to run for minutes
CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LATER = f"INSERT DATA {{ GRAPH <{EX}later> {{ <{EX}w> <{EX}p> 1 }} }}"
HAS_LATER = f"ASK {{ GRAPH <{EX}later> {{ ?s ?p ?o }} }}"
BOUND = 30.0  # no call and no wait of these tests lasts longer
NQUADS = "application/n-quads"

Bounded = Callable[[Callable[[], Any]], Any]


@pytest.fixture
def bounded() -> Iterator[Bounded]:
    """Runs a call in a thread and fails the test if it does not return within BOUND seconds."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        yield lambda call: pool.submit(call).result(timeout=BOUND)


class Recipe:
    """A memory store's initial data; its reloads after a restart wait until ``release`` is set."""

    def __init__(self) -> None:
        self.runs = 0
        self.release = threading.Event()
        self.release.set()

    def __call__(self, store: MemoryStore) -> None:
        self.runs += 1
        store.load_dataset(INITIAL, NQUADS)
        if self.runs > 1:
            assert self.release.wait(BOUND)


def engine_tree_cpu(store: EmbeddedStore) -> float:
    total = 0.0
    root = psutil.Process(store.engine_pid)
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def start_slow_query(store: EmbeddedStore, *, on_a_loop: bool) -> tuple[threading.Thread, list[Exception]]:
    """A query that runs for minutes, under way (its worker busy) when this returns.

    ``on_a_loop``: awaited on an event loop (an asyncio future waits for the reply), else
    called from a thread (a thread's future does).
    """
    outcome: list[Exception] = []

    def run() -> None:
        try:
            if on_a_loop:
                asyncio.run(store.query_async(CARTESIAN_COUNT, timeout=10 * BOUND))
            else:
                store.query(CARTESIAN_COUNT, timeout=10 * BOUND).read()
        except Exception as error:  # noqa: BLE001 - the test looks at what it was
            outcome.append(error)

    before = engine_tree_cpu(store)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + BOUND
    while engine_tree_cpu(store) < before + 0.3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert thread.is_alive(), f"the slow query ended early: {outcome}"
    return thread, outcome


def kill_engine(store: EmbeddedStore) -> int:
    """kill -9 the engine process, returning once it has ended (its readers go an instant later).

    A read sent in between may still be answered from the old engine's data by a reader it
    leased, which is right, but then not by a new engine."""
    pid = store.engine_pid
    pidfd = os.pidfd_open(pid)
    try:
        os.kill(pid, signal.SIGKILL)
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)  # readable once the process has ended
        assert poller.poll(int(BOUND * 1000)), "the engine did not end"
    finally:
        os.close(pidfd)
    return pid


def wait_until_answering(store: EmbeddedStore, bounded: Bounded) -> int:
    """Ask until the store answers; every refusal meanwhile is StoreUnavailableError. The refusals."""
    refusals = 0
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        try:
            bounded(lambda: len(store))
            return refusals
        except StoreUnavailableError:
            refusals += 1
            time.sleep(0.01)
    raise AssertionError(f"the store did not answer again within {BOUND:g} s: {store.engine_status}")


def test_memory_store_restarts_with_its_initial_data_and_says_the_writes_are_lost(
    bounded: Bounded,
) -> None:
    recipe = Recipe()
    with MemoryStore() as store:
        store.start_from(recipe)
        store.update(LATER)
        assert len(store) == 2001
        slow, outcome = start_slow_query(store, on_a_loop=False)
        recipe.release.clear()  # the restart waits in its reload until the test has looked
        old_pid = kill_engine(store)

        slow.join(BOUND)
        assert not slow.is_alive(), "the query in flight was left hanging"
        assert len(outcome) == 1 and isinstance(outcome[0], StoreUnavailableError), outcome
        assert "died (killed by SIGKILL)" in str(outcome[0])
        with pytest.raises(StoreUnavailableError, match="a new engine is starting") as refused:
            bounded(lambda: len(store))
        assert refused.value.retry_after is not None and refused.value.retry_after >= 0
        assert store.engine_status.state == "restarting"

        recipe.release.set()
        wait_until_answering(store, bounded)
        assert store.engine_pid != old_pid
        assert len(store) == 2000, "the store does not hold its initial data again"
        assert store.query(HAS_LATER, results_media_type="text/csv").read() == b"false"
        status = store.engine_status
        assert (status.state, status.restarts, status.writes_lost) == ("up", 1, 1)
        assert status.writes_lost_at is not None and status.writes_lost_at == status.restarted_at
        store.update(LATER)  # and it takes writes again
        assert len(store) == 2001


def test_disk_store_reopens_with_every_acknowledged_write(
    tmp_path: Path, bounded: Bounded
) -> None:
    with DiskStore(tmp_path / "db") as store:
        store.load_dataset(INITIAL, NQUADS)
        store.update(LATER)
        slow, outcome = start_slow_query(store, on_a_loop=True)
        old_pid = kill_engine(store)

        slow.join(BOUND)
        assert not slow.is_alive(), "the query in flight was left hanging"
        assert len(outcome) == 1 and isinstance(outcome[0], StoreUnavailableError), outcome
        wait_until_answering(store, bounded)
        assert store.engine_pid != old_pid
        assert len(store) == 2001
        assert store.query(HAS_LATER, results_media_type="text/csv").read() == b"true"
        status = store.engine_status
        assert (status.state, status.restarts, status.writes_lost) == ("up", 1, 0)
        store.update(f"INSERT DATA {{ GRAPH <{EX}later> {{ <{EX}w> <{EX}p> 2 }} }}")
        assert len(store) == 2002


def test_an_engine_that_keeps_dying_is_given_up_with_a_clear_message(
    bounded: Bounded,
) -> None:
    policy = RestartPolicy(max_failures=2, first_delay=0.05, stable_seconds=BOUND)
    with MemoryStore(restart=policy) as store:
        for _ in range(2):  # two quick deaths are restarted, the second after a short delay
            old_pid = kill_engine(store)
            wait_until_answering(store, bounded)
            assert store.engine_pid != old_pid
        kill_engine(store)
        deadline = time.monotonic() + BOUND
        while store.engine_status.state != "failed" and time.monotonic() < deadline:
            time.sleep(0.01)
        status = store.engine_status
        assert status.state == "failed" and status.restarts == 2
        with pytest.raises(StoreUnavailableError, match="not restarted again") as refused:
            bounded(lambda: len(store))
        assert refused.value.retry_after is None  # waiting would not help


def test_a_store_killed_on_purpose_is_not_restarted(bounded: Bounded) -> None:
    store = MemoryStore()
    engine = psutil.Process(store.engine_pid)
    family = [engine, *engine.children(recursive=True)]
    store.kill()
    _, alive = psutil.wait_procs(family, timeout=BOUND)
    assert alive == []
    assert store.engine_status.state == "closed"
    with pytest.raises(StoreUnavailableError, match="closed"):
        bounded(lambda: len(store))
    store.close()  # and closing it after is no error


def test_directory_removed_under_the_disk_store_is_reported_as_such(
    tmp_path: Path, bounded: Bounded
) -> None:
    location = tmp_path / "db"
    with DiskStore(location) as store:
        store.update(LATER)
        shutil.rmtree(location)
        refusals = []
        for number in range(3):
            with pytest.raises(StoreUnavailableError) as refused:
                update = f"INSERT DATA {{ <{EX}gone> <{EX}p> {number} }}"
                bounded(partial(store.update, update))
            refusals.append(str(refused.value))
        for message in refusals:
            assert "directory" in message and "removed" in message, message
            assert "space" not in message and "was applied" not in message, message
        assert "may be lost" in refusals[0]  # it met RocksDB's open files: not durable
        assert all("writes are off" in message for message in refusals)

        # Its engine dies now: the path is not reopened as an empty store in the old one's place.
        kill_engine(store)
        deadline = time.monotonic() + BOUND
        while store.engine_status.state != "failed" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert store.engine_status.state == "failed"
        assert "no longer holds the store" in (store.engine_status.message or "")
        assert not location.exists()

    with DiskStore(location) as reopened:  # an operator's choice: a fresh store there
        assert reopened.query(f"ASK {{ <{EX}gone> ?p ?o }}", results_media_type="text/csv").read() == b"false"


def test_full_disk_is_reported_as_no_space(tmp_path: Path) -> None:
    with small_filesystem_at(tmp_path / "small", 4 << 20) as filesystem:
        if not filesystem.mounted:
            pytest.skip("needs a tmpfs mount (root): the size limit must hold for the engine process")
        with DiskStore(filesystem.path / "db") as store:
            with pytest.raises(StoreUnavailableError) as refused:
                for number in range(10_000):
                    payload = os.urandom(16 << 10).hex()
                    store.update(f'INSERT DATA {{ <{EX}w{number}> <{EX}p> "{payload}" }}')
            message = str(refused.value)
            assert "no space left" in message, message
            assert "removed" not in message, message
