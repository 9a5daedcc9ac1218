"""The store's processes carry only what they use: the engine no web or rdflib stack, no idle writer."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest

import graph
from graph.errors import QueryTimeoutError, StoreUnavailableError
from graph.stores import DiskStore
from reliability.filesystems import small_filesystem_at

ROOT = Path(__file__).resolve().parents[2]
EX = "http://example.org/"
HEAVY = ("rdflib", "networkx", "httpx", "fastapi", "pyshacl", "pandas", "yaml", "pygments")
# Every triple with every triple with every triple: runs until its timeout stops it.
CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def imported_after(statement: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has loaded after running ``statement``.

    A module imported lazily (graph._lazy) is in ``sys.modules`` before it is loaded, as an
    instance of a subclass of ModuleType until then.
    """
    loaded = f"[m for m in {modules!r} if type(sys.modules.get(m)) is types.ModuleType]"
    script = f"import json, sys, types\n{statement}\nprint(json.dumps(sorted({loaded})))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(result.stdout)


def test_the_engine_process_imports_only_pyoxigraph_and_the_standard_library() -> None:
    assert imported_after("import graph.stores.engine.__main__", HEAVY) == []


def test_the_packages_still_offer_their_names() -> None:
    statement = (
        "import graph, graph.stores\n"
        "from graph import KnowledgeGraph, open_graph, run_query\n"
        "from graph.stores import DiskStore, MemoryStore, QueryResult, RemoteStore, Store, open_store\n"
        "assert open_graph == KnowledgeGraph.open and graph.KnowledgeGraph is KnowledgeGraph\n"
        "assert {'KnowledgeGraph', 'open_graph'} <= set(dir(graph)) and 'DiskStore' in dir(graph.stores)\n"
    )
    assert imported_after(statement, ("rdflib",)) == ["rdflib"]
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        graph.nothing  # noqa: B018 - the lookup is the test


def test_the_service_imports_networkx_and_pyshacl_only_when_it_uses_them() -> None:
    assert imported_after("import api.main", ("networkx", "pyshacl", "pandas")) == []


@pytest.fixture
def written(tmp_path: Path) -> Path:
    """A disk store directory holding one triple, closed."""
    with DiskStore(tmp_path / "db") as store:
        store.update(f"INSERT DATA {{ <{EX}a> <{EX}p> 1 }}")
    return tmp_path / "db"


def engine_children(store: DiskStore) -> int:
    return len(psutil.Process(store.engine_pid).children())


def _cpu_seconds(root: psutil.Process) -> float:
    """The CPU time the process and its living children have used."""
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def test_a_store_only_read_starts_no_writer(written: Path) -> None:
    with DiskStore(written, workers=1) as store:
        assert store.load_if_empty(f"<{EX}b> <{EX}p> 2 .".encode(), "application/n-triples") is False
        assert len(store) == 1
        assert engine_children(store) == 1  # the reader, and no writer
        store.update(f"INSERT DATA {{ <{EX}b> <{EX}p> 2 }}")
        assert len(store) == 2
        assert engine_children(store) == 2  # the writer now, and a reader of its snapshot
    with DiskStore(written) as store:
        assert len(store) == 2


def test_the_first_write_waits_for_the_reads_of_the_directory(written: Path) -> None:
    with DiskStore(written) as store:  # a thousand triples: their cartesian cube runs for long
        store.update("INSERT DATA { " + " ".join(f"<{EX}w{n}> <{EX}p> {n} ." for n in range(999)) + " }")
    with DiskStore(written, workers=2) as store:
        outcome: list[BaseException] = []

        def slow_read() -> None:
            try:
                store.query(CARTESIAN_COUNT, timeout=2).read()
            except QueryTimeoutError as error:
                outcome.append(error)

        reading = threading.Thread(target=slow_read)
        engine = psutil.Process(store.engine_pid)
        idle = _cpu_seconds(engine)
        reading.start()
        deadline = time.monotonic() + 10
        while _cpu_seconds(engine) < idle + 0.2:  # until the read is running in a reader of the directory
            assert time.monotonic() < deadline, "the read never got under way"
            time.sleep(0.01)
        started = time.monotonic()
        store.update(f"INSERT DATA {{ <{EX}b> <{EX}p> 2 }}")
        reading.join()
        assert len(outcome) == 1, "the slow read was not stopped at its timeout"
        assert time.monotonic() - started > 1, "the write did not wait for the reader to finish"
        assert len(store) == 1001


def test_a_store_open_without_writer_keeps_other_processes_out(written: Path) -> None:
    with DiskStore(written) as store:
        assert len(store) == 1
        with pytest.raises(StoreUnavailableError, match="cannot open"):
            DiskStore(written)
        with pytest.raises(OSError, match="lock"):
            ox.Store(str(written))  # nor may any other RocksDB process open it to write


def test_a_first_write_on_a_full_disk_is_refused_and_reads_go_on(tmp_path: Path) -> None:
    with small_filesystem_at(tmp_path / "filesystem", 16 << 20) as filesystem:
        if not filesystem.mounted:
            pytest.skip("needs a tmpfs of its own (mount), to fill it")
        path = filesystem.path / "db"
        with DiskStore(path) as store:
            store.update(f"INSERT DATA {{ <{EX}a> <{EX}p> 1 }}")
        filler = filesystem.path / "filler"
        with filler.open("wb") as file, contextlib.suppress(OSError):
            while True:
                file.write(bytes(1 << 20))
        with DiskStore(path) as store:
            assert len(store) == 1
            with pytest.raises(StoreUnavailableError, match="space"):
                store.update(f"INSERT DATA {{ <{EX}b> <{EX}p> 2 }}")
            assert len(store) == 1
            filler.unlink()
            store.update(f"INSERT DATA {{ <{EX}b> <{EX}p> 2 }}")
            assert len(store) == 2
