"""Loading into an empty embedded store uses the bulk loader, and stays all or nothing.

The bulk loader is no transaction, so these check what the stores promise instead: a failed
load leaves the store empty, and a disk store killed in the middle of a load comes back
empty (then loads again), never half full.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from graph.errors import GraphError, QuerySyntaxError
from graph.stores import DiskStore, MemoryStore
from graph.stores.engine.writer import BULK_LOAD_MARKER
from tests.graph.conftest import generated_graph

NQUADS = "application/n-quads"
# Large enough that the bulk load takes a good part of a second, so it can be caught running.
TRIPLES = 300_000
ROOT = Path(__file__).resolve().parents[2]
MARKER_SECONDS = 60  # bounds the wait for a load to start; it starts in about a second


@pytest.mark.parametrize("kind", ["memory", "disk"])
def test_failed_load_into_an_empty_store_leaves_it_empty(kind: str, tmp_path: Path) -> None:
    broken = generated_graph(50_000) + b'\n<http://example.org/a> <http://example.org/p> "unterminated .\n'
    store = MemoryStore() if kind == "memory" else DiskStore(tmp_path / "db")
    with store:
        with pytest.raises(QuerySyntaxError):
            store.load_dataset(broken, NQUADS)
        assert len(store) == 0
        store.load_dataset(generated_graph(10), NQUADS)
        assert len(store) == 10
    assert not (tmp_path / "db" / BULK_LOAD_MARKER).exists()


def test_load_into_a_store_with_data_adds_to_it(tmp_path: Path) -> None:
    with DiskStore(tmp_path / "db") as store:
        store.load_dataset(generated_graph(10, "http://example.org/one"), NQUADS)
        store.load_dataset(generated_graph(10, "http://example.org/two"), NQUADS)
        assert len(store) == 20


def test_disk_store_killed_during_a_bulk_load_comes_back_empty(tmp_path: Path) -> None:
    location = tmp_path / "db"
    marker = location / BULK_LOAD_MARKER
    data = generated_graph(TRIPLES)
    store = DiskStore(location)
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            store.load_dataset(data, NQUADS)
        except GraphError as error:
            outcome.append(error)

    loader = threading.Thread(target=load)
    loader.start()
    deadline = time.monotonic() + 60
    while not marker.exists() and loader.is_alive() and time.monotonic() < deadline:
        time.sleep(0.002)
    assert marker.exists(), "the bulk load ended before it could be interrupted"
    os.killpg(store.engine_pid, signal.SIGKILL)  # the engine leads its group: kill -9 of all of it
    loader.join(30)
    assert outcome, "the interrupted load was reported as done"
    store.close()

    with DiskStore(location) as reopened:
        assert len(reopened) == 0
        assert not marker.exists()
        assert reopened.load_if_empty(data, NQUADS) is True
        assert len(reopened) == TRIPLES


# A process of its own that loads a file into a disk store, as `stancegraph load` does.
LOADER = """
import sys
from pathlib import Path
from graph.stores import DiskStore
with DiskStore(sys.argv[1]) as store:
    store.load_dataset(Path(sys.argv[2]).read_bytes(), "application/n-quads")
"""


def _wait_until_dead(processes: list[psutil.Process], deadline: float) -> None:
    """Until every process has exited (a zombie has: its files and locks are released)."""
    for process in processes:
        while True:
            try:
                if process.status() == psutil.STATUS_ZOMBIE:
                    break
            except psutil.NoSuchProcess:
                break
            assert time.monotonic() < deadline, f"process {process.pid} outlived kill -9"
            time.sleep(0.01)


def _wait_until_unlocked(lock: Path, deadline: float) -> None:
    """Until no process holds RocksDB's lock: a writer forked just as the group was killed, and so
    not among the processes listed, may still be on its way out."""
    while True:
        with lock.open("a") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                assert time.monotonic() < deadline, "a process still holds the store's lock after kill -9"
            else:
                fcntl.lockf(handle, fcntl.LOCK_UN)
                return
        time.sleep(0.01)


def test_a_loader_process_killed_with_its_engine_mid_load_leaves_all_or_nothing(tmp_path: Path) -> None:
    location = tmp_path / "db"
    marker = location / BULK_LOAD_MARKER
    data = generated_graph(TRIPLES)
    source = tmp_path / "fictional.nq"
    source.write_bytes(data)
    loader = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(location), str(source)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + MARKER_SECONDS
        while not marker.exists():
            assert loader.poll() is None, "the loader ended before its bulk load could be caught"
            assert time.monotonic() < deadline, "the bulk load never started"
            time.sleep(0.002)
        # The loader and its engine, which leads a session of its own (and its writer with it).
        processes = [psutil.Process(loader.pid), *psutil.Process(loader.pid).children(recursive=True)]
        for group in {os.getpgid(process.pid) for process in processes}:
            os.killpg(group, signal.SIGKILL)
        loader.wait(MARKER_SECONDS)
        _wait_until_dead(processes, time.monotonic() + MARKER_SECONDS)
        _wait_until_unlocked(location / "LOCK", time.monotonic() + MARKER_SECONDS)
    finally:
        loader.kill()
        loader.wait()
    assert loader.returncode == -signal.SIGKILL

    with DiskStore(location) as reopened:
        held = len(reopened)
        assert held in (0, TRIPLES)
        assert not marker.exists()
        if held == 0:
            assert reopened.load_if_empty(data, NQUADS) is True
        assert len(reopened) == TRIPLES
