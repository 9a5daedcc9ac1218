"""The engine process behind the embedded stores: one dispatcher, killable workers.

pyoxigraph cannot cancel a query, and a blocking operator (ORDER BY, an aggregate, a
cartesian COUNT) stays inside one Rust call. The only way to really stop such work and
free its CPU is to kill the process doing it, so evaluation happens in worker processes::

    caller ──socket── dispatcher ──pipe── reader workers (read-only snapshots)
    (threads)         (one thread)  └───pipe── disk writer (the read-write RocksDB)

The dispatcher is started with ``python -m graph.stores._engine`` (a fresh interpreter, so
it has a single thread and may fork safely). It queues requests, hands reads to idle
workers, enforces deadlines by SIGKILLing the worker and answering ``timeout`` before any
byte, and forwards the bytes a worker serialized without looking at them.

Snapshots, so a read after an acknowledged write sees it:

- memory: the dispatcher holds the pyoxigraph store and forks readers from it; a fork is
  a copy-on-write snapshot. Writes apply in the dispatcher. An update with a timeout is
  first tried on a forked copy (killed if it runs past the deadline, so nothing happens)
  and only then applied for real, which blocks dispatching for about as long as the trial
  took.
- disk: RocksDB has background threads, so no process that opened it is ever forked. Until
  the first write nothing writes the store, so readers open the directory itself read-only,
  and the dispatcher holds RocksDB's lock meanwhile so no other process opens it to write. The
  first write waits until no reader has the directory open (a read-only open of a directory
  another process writes is undefined behaviour), then a writer process (forked before it
  opens anything) takes the read-write store: a read-only service never pays for one. After
  each write the writer makes a checkpoint (hard links, a few ms) that readers open
  read-only. A new store, or one holding an interrupted bulk load, starts its writer at
  once, to create the store or clear the load. An update
  past its deadline kills the writer: its RocksDB transaction never committed, so nothing
  is partial, and a fresh writer reopens the store for the next write. So does a write or
  a checkpoint that fails for lack of space: RocksDB then refuses every later write on that
  handle, even once there is room again, so the writer answers and ends.
- disk, read-only (a read-only filesystem, or a directory the process may not write):
  there is no writer and nobody else writes the store, so readers open the directory
  itself read-only; every write is refused.

Every write bumps a generation; idle workers of an older generation are replaced by
fresh ones. Workers die with the dispatcher (PR_SET_PDEATHSIG), the dispatcher exits when
its caller's socket closes.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, Pipe, wait
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.stores._formats import (
    RowCap,
    RowCapReached,
    check_rdf_payload,
    error_position,
    graph_update,
    query_form,
    rdf_format,
    results_format,
    solutions_as,
    triples_as,
    upload_as_ntriples,
)

READ_OPERATIONS = frozenset({"query", "graph_names", "has_graph", "get_graph", "len", "holds_quads"})
WRITE_OPERATIONS = frozenset(
    {"update", "put_graph", "post_graph", "delete_graph", "load_dataset", "load_if_empty"}
)
SNAPSHOTS_DIRECTORY = "stancegraph-snapshots"
BULK_LOAD_MARKER = "stancegraph-bulk-load-unfinished"

# A reply is ("ok", value), ("bytes", meta, body) or ("error", kind, message, line, column).
Reply = tuple[Any, ...]


class _GraphNotFound(Exception):
    pass


# --- operations, run by readers, the disk writer or the memory dispatcher -------------------


def _term(encoded: tuple[str, ...]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind, value, *rest = encoded
    if kind == "iri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    datatype, language = rest
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)


# Whether a query's default graph is the union of all graphs (set once per engine process, from
# the store's options; forked workers inherit it), as Oxigraph server's --union-default-graph.
_union_default_graph = True


def _dataset(default_graphs: list[str] | None, named_graphs: list[str] | None) -> dict[str, Any]:
    if default_graphs is None and named_graphs is None:
        return {"use_default_graph_as_union": _union_default_graph}
    # SPARQL Protocol: once either list is given, the dataset is exactly what they name.
    return {
        "default_graph": [ox.NamedNode(graph) for graph in default_graphs or ()],
        "named_graphs": [ox.NamedNode(graph) for graph in named_graphs or ()],
    }


def _query(
    store: ox.Store,
    max_rows: int | None,
    sparql: str,
    results_media_type: str,
    graph_media_type: str,
    default_graphs: list[str] | None,
    named_graphs: list[str] | None,
    bindings: dict[str, tuple[str, ...]],
) -> Reply:
    substitutions = {ox.Variable(name): _term(term) for name, term in bindings.items()}
    result = store.query(sparql, substitutions=substitutions, **_dataset(default_graphs, named_graphs))
    if isinstance(result, ox.QueryBoolean):
        body = result.serialize(format=results_format(results_media_type))
        return ("bytes", ("ASK", results_media_type, False), body)
    if isinstance(result, ox.QuerySolutions):
        form, media_type, pivot, header_lines = "SELECT", results_media_type, "TSV", 1
    else:
        form = "DESCRIBE" if query_form(sparql) == "DESCRIBE" else "CONSTRUCT"
        media_type, pivot, header_lines = graph_media_type, "N-Triples", 0
    if max_rows is None:
        fmt = results_format(media_type) if form == "SELECT" else rdf_format(media_type)
        return ("bytes", (form, media_type, False), result.serialize(format=fmt))
    # The row cap: serialize one row per line (TSV, N-Triples) into a RowCap, which stops the
    # evaluation one row past the cap; the engine then re-serializes what was kept.
    cap = RowCap(max_rows, header_lines)
    try:
        if pivot == "TSV":
            result.serialize(cap, format=ox.QueryResultsFormat.TSV)
        else:
            result.serialize(cap, format=ox.RdfFormat.N_TRIPLES)
    except RowCapReached:
        pass
    convert = solutions_as if pivot == "TSV" else triples_as
    return ("bytes", (form, media_type, cap.truncated), convert(cap.getvalue(), media_type))


def _graph_term(graph: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


def _has_graph(store: ox.Store, graph: str | None) -> bool:
    return graph is None or store.contains_named_graph(ox.NamedNode(graph))


def _require_graph(store: ox.Store, graph: str | None) -> None:
    if not _has_graph(store, graph):
        raise _GraphNotFound(f"no graph <{graph}>")


def _get_graph(store: ox.Store, graph: str | None, media_type: str) -> Reply:
    _require_graph(store, graph)
    return ("bytes", None, store.dump(format=rdf_format(media_type), from_graph=_graph_term(graph)))


def _write_graph(store: ox.Store, graph: str | None, data: bytes, media_type: str, replace: bool) -> bool:
    created = not _has_graph(store, graph)
    store.update(graph_update(graph, upload_as_ntriples(data, media_type, graph), replace=replace))
    return created


def _delete_graph(store: ox.Store, graph: str | None) -> None:
    _require_graph(store, graph)
    store.remove_graph(_graph_term(graph))


# Where a disk store's writer records that a bulk load is under way (set in the writer process;
# None in a memory store, whose data does not outlive its process anyway).
_bulk_load_marker: Path | None = None


def _is_empty(store: ox.Store) -> bool:
    return next(iter(store), None) is None and next(iter(store.named_graphs()), None) is None


def _mark_bulk_load(marker: Path, unfinished: bool) -> None:
    """Create or remove the marker file, durably (the directory entry synced too)."""
    if unfinished:
        with marker.open("wb") as file:
            os.fsync(file.fileno())
    else:
        marker.unlink(missing_ok=True)
    directory = os.open(marker.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _load_dataset(store: ox.Store, data: bytes, media_type: str) -> None:
    """Add data to the store: all of it or, on any error, nothing.

    A store holding something loads in one transaction. An empty store takes Oxigraph's bulk
    loader instead (four times quicker, a third of the memory on a million triples), which is
    no transaction: a failed bulk load is undone by clearing the store, which was empty. On
    disk, a marker file is kept while the bulk load runs, so a store killed in the middle is
    found with its marker at the next open and cleared then (:func:`_clear_unfinished_load`).
    """
    check_rdf_payload(data, media_type)  # uploads reach here too: no parser may see billion laughs
    if not _is_empty(store):
        store.load(data, format=rdf_format(media_type))
        return
    if _bulk_load_marker is not None:
        _mark_bulk_load(_bulk_load_marker, unfinished=True)
    loaded = False
    try:
        store.bulk_load(data, format=rdf_format(media_type))
        store.flush()
        loaded = True
    finally:
        if not loaded:
            store.clear()
        if _bulk_load_marker is not None:
            _mark_bulk_load(_bulk_load_marker, unfinished=False)


def _clear_unfinished_load(store: ox.Store, marker: Path) -> None:
    """Undo a bulk load the process was killed in: the store was empty before it began."""
    if marker.exists():
        store.clear()
        store.flush()
        _mark_bulk_load(marker, unfinished=False)


def _holds_quads(store: ox.Store) -> bool:
    return next(iter(store), None) is not None


def _load_if_empty(store: ox.Store, data: bytes, media_type: str) -> bool:
    if _holds_quads(store):
        return False
    _load_dataset(store, data, media_type)
    return True


_OPERATIONS: dict[str, Callable[..., Any]] = {
    "graph_names": lambda store: [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)],
    "has_graph": _has_graph,
    "get_graph": _get_graph,
    "len": len,
    "holds_quads": _holds_quads,
    "update": lambda store, sparql: store.update(sparql),
    "put_graph": lambda store, graph, data, media_type: _write_graph(store, graph, data, media_type, True),
    "post_graph": lambda store, graph, data, media_type: _write_graph(store, graph, data, media_type, False),
    "delete_graph": _delete_graph,
    "load_dataset": _load_dataset,
    "load_if_empty": _load_if_empty,
}


def _unavailable(message: str) -> Reply:
    return ("error", "unavailable", message, None, None)


def execute(store: ox.Store, operation: str, args: tuple[Any, ...], max_rows: int | None) -> Reply:
    """Run one operation on a store and turn its outcome, errors included, into a reply."""
    try:
        if operation == "query":
            return _query(store, max_rows, *args)
        value = _OPERATIONS[operation](store, *args)
        return value if isinstance(value, tuple) else ("ok", value)
    except SyntaxError as error:
        return ("error", "syntax", str(error), *error_position(str(error)))
    except _GraphNotFound as error:
        return ("error", "not_found", str(error), None, None)
    except OSError as error:
        return _unavailable(str(error))
    except (RuntimeError, ValueError, TypeError) as error:
        return ("error", "evaluation", str(error), None, None)


def send_reply(connection: Connection, reply: Reply, *prefix: Any) -> None:
    """Send a reply; a body travels as raw bytes after its header, never pickled."""
    if reply[0] == "bytes":
        connection.send((*prefix, "bytes", reply[1]))
        connection.send_bytes(reply[2])
    else:
        connection.send((*prefix, *reply))


def receive_reply(connection: Connection) -> Reply:
    header = connection.recv()
    if header[0] == "bytes":
        return (*header, connection.recv_bytes())
    return header


# --- worker processes ---------------------------------------------------------------------------


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the dispatcher dies, so no worker is orphaned."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _serve_reads(connection: Connection, open_store: Callable[[], ox.Store], max_rows: int | None) -> None:
    try:
        store: ox.Store | None = open_store()
        failure: Reply | None = None
    except (OSError, RuntimeError) as error:
        store, failure = None, _unavailable(f"cannot open the store to read: {error}")
    while True:
        try:
            operation, args = connection.recv()
        except EOFError:
            return
        send_reply(connection, failure or execute(store, operation, args, max_rows))  # type: ignore[arg-type]


def _snapshot(store: ox.Store, snapshots: Path, generation: int) -> str:
    target = snapshots / str(generation)
    shutil.rmtree(target, ignore_errors=True)  # left by a writer killed while making it
    try:
        store.backup(str(target))
    except OSError:
        shutil.rmtree(target, ignore_errors=True)  # a part-made copy only takes room
        raise
    return str(target)


def _serve_writes(connection: Connection, path: Path, generation: int, first: bool) -> None:
    """Hold the read-write store: apply each write, then checkpoint it for the readers.

    Sends ("ready", generation, snapshot) or ("failed", error) once; then per write
    ("done", reply) followed, when it committed, by ("snapshot", generation, snapshot).
    When the write or its checkpoint fails for lack of space (any OSError) the handle is of
    no more use, so the writer sends ("broken", reply), the write's final reply, and ends.
    """
    global _bulk_load_marker
    _bulk_load_marker = path / BULK_LOAD_MARKER
    snapshots = path / SNAPSHOTS_DIRECTORY
    try:
        store = ox.Store(str(path))
        _clear_unfinished_load(store, _bulk_load_marker)
        if first:  # snapshots of an earlier run that ended abruptly
            shutil.rmtree(snapshots, ignore_errors=True)
        snapshots.mkdir(exist_ok=True)
        snapshot = _snapshot(store, snapshots, generation)
    except OSError as error:
        connection.send(("failed", str(error)))
        return
    connection.send(("ready", generation, snapshot))
    while True:
        try:
            operation, args = connection.recv()
        except EOFError:
            break
        reply = execute(store, operation, args, None)
        if reply[0] == "error" and reply[1] == "unavailable":  # an OSError: nothing committed
            connection.send(("broken", _unavailable(f"cannot write to the disk store at {path}: {reply[2]}")))
            return
        connection.send(("done", reply))  # the deadline stops here: the write committed
        if reply[0] == "error":
            continue
        generation += 1
        try:
            snapshot = _snapshot(store, snapshots, generation)
        except OSError as error:
            message = (
                f"the write was applied to the disk store at {path}, but cannot be read back "
                f"until space is freed: {error}"
            )
            connection.send(("broken", _unavailable(message)))
            return
        connection.send(("snapshot", generation, snapshot))
    store.flush()


def _why_unwritable(directory: Path) -> str | None:
    """Why nothing can be created in the directory (read-only filesystem, no permission), or None."""
    try:
        with tempfile.TemporaryFile(dir=directory):  # O_TMPFILE: leaves no name behind
            pass
    except OSError as error:
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return error.strerror
        # Anything else (a full disk) may pass: the writer meets it too, and says so.
    return None


def _fork(child: Callable[[Connection], None], inherited: list[Connection]) -> tuple[int, Connection]:
    """Fork a process that runs ``child`` on its end of a new pipe and then exits."""
    ours, theirs = Pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        status = 0
        try:
            ours.close()
            for connection in inherited:  # so that EOF still means "the other side is gone"
                connection.close()
            _die_with_parent()
            child(theirs)
        except BaseException:  # noqa: BLE001 - the child must never return into the dispatcher's loop
            import traceback

            traceback.print_exc()
            status = 1
        finally:
            os._exit(status)
    theirs.close()
    return pid, ours


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)  # reaped: when this returns, the process and its CPU use are gone
    except (ChildProcessError, ProcessLookupError):
        pass


# --- the dispatcher -------------------------------------------------------------------------


@dataclass
class _Job:
    request: int
    operation: str
    args: tuple[Any, ...]
    timeout: float | None
    deadline: float | None = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = None if self.timeout is None else time.monotonic() + self.timeout

    def timed_out(self) -> Reply:
        what = "update" if self.operation == "update" else "query"
        message = f"the {what} ran past its time limit of {self.timeout:g} s and was stopped"
        return ("error", "timeout", message, None, None)


@dataclass
class _Worker:
    pid: int
    connection: Connection
    generation: int
    job: _Job | None = None
    dirty: bool = False  # tried an update on its copy, so its data is no snapshot any more


class _Dispatcher:
    """The single-threaded event loop shared by both kinds of embedded store."""

    def __init__(self, caller: Connection, workers: int, max_rows: int | None) -> None:
        self.caller = caller
        self.pool_size = workers
        self.max_rows = max_rows
        self.generation = 0
        self.workers: list[_Worker] = []
        self.idle: list[_Worker] = []
        self.reads: deque[_Job] = deque()
        self.writes: deque[_Job] = deque()
        self.write: _Job | None = None  # the write in progress

    # hooks for the two kinds
    def open_snapshot(self) -> ox.Store:
        raise NotImplementedError

    def can_fork_readers(self) -> bool:
        return True

    def start_writes(self) -> None:
        raise NotImplementedError

    def other_connections(self) -> list[Connection]:
        return []

    def on_other_message(self, connection: Connection) -> None:
        raise NotImplementedError

    def on_trial_done(self, job: _Job, reply: Reply) -> None:
        raise NotImplementedError

    def expire_write(self, now: float) -> None:
        """Stop the write in progress once it runs past its deadline."""

    def shut_down(self) -> None:
        for worker in self.workers:
            _kill(worker.pid)

    # the loop
    def run(self) -> None:
        while True:
            self.start_reads()
            self.start_writes()
            self.keep_one_reader_warm()
            busy = [worker.connection for worker in self.workers if worker.job is not None]
            ready = wait([self.caller, *busy, *self.other_connections()], self.seconds_to_next_deadline())
            for connection in ready:
                if connection is self.caller:
                    if not self.receive_request():
                        self.shut_down()
                        return
                elif connection in busy:
                    self.finish(next(w for w in self.workers if w.connection is connection))
                else:
                    self.on_other_message(connection)
            self.expire(time.monotonic())

    def receive_request(self) -> bool:
        try:
            request, operation, args, timeout = self.caller.recv()
        except EOFError:
            return False
        job = _Job(request, operation, args, timeout)
        (self.reads if operation in READ_OPERATIONS else self.writes).append(job)
        return True

    def reply(self, job: _Job, reply: Reply) -> None:
        send_reply(self.caller, reply, job.request)

    def seconds_to_next_deadline(self) -> float | None:
        jobs = [*self.reads, *self.writes, *(w.job for w in self.workers if w.job)]
        if self.write is not None:
            jobs.append(self.write)
        deadlines = [job.deadline for job in jobs if job.deadline is not None]
        return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None

    # readers
    def fresh(self, worker: _Worker) -> bool:
        return worker.generation == self.generation and not worker.dirty

    def fork_reader(self) -> _Worker:
        inherited = [self.caller, *self.other_connections(), *(w.connection for w in self.workers)]
        pid, connection = _fork(lambda c: _serve_reads(c, self.open_snapshot, self.max_rows), inherited)
        worker = _Worker(pid, connection, self.generation)
        self.workers.append(worker)
        return worker

    def idle_reader(self) -> _Worker | None:
        if self.idle:
            return self.idle.pop()
        fresh = sum(1 for worker in self.workers if self.fresh(worker))
        if fresh < self.pool_size and self.can_fork_readers():
            return self.fork_reader()
        return None

    def keep_one_reader_warm(self) -> None:
        if not self.idle and (worker := self.idle_reader()) is not None:
            self.idle.append(worker)

    def assign(self, worker: _Worker, job: _Job) -> None:
        worker.job = job
        worker.connection.send((job.operation, job.args))

    def start_reads(self) -> None:
        while self.reads and (worker := self.idle_reader()) is not None:
            self.assign(worker, self.reads.popleft())

    def finish(self, worker: _Worker) -> None:
        job, worker.job = worker.job, None
        assert job is not None
        try:
            reply = receive_reply(worker.connection)
        except (EOFError, OSError):
            reply = _unavailable("a query worker died (out of memory?)")
            worker.dirty = True
        if job is self.write:
            self.on_trial_done(job, reply)
        else:
            self.reply(job, reply)
        if self.fresh(worker):
            self.idle.append(worker)
        else:
            self.retire(worker)

    def retire(self, worker: _Worker) -> None:
        _kill(worker.pid)
        worker.connection.close()
        self.workers.remove(worker)
        if worker in self.idle:
            self.idle.remove(worker)

    def advance(self, generation: int) -> None:
        """A write was acknowledged: later reads must not reach an older snapshot."""
        self.generation = generation
        for worker in list(self.idle):
            self.retire(worker)

    def expire(self, now: float) -> None:
        for worker in [w for w in self.workers if w.job and w.job.deadline and w.job.deadline <= now]:
            job = worker.job
            assert job is not None
            self.retire(worker)  # SIGKILL: the only way to stop a running pyoxigraph call
            if job is self.write:
                self.write = None
            self.reply(job, job.timed_out())
        for queue in (self.reads, self.writes):
            for job in [job for job in queue if job.deadline is not None and job.deadline <= now]:
                queue.remove(job)
                self.reply(job, job.timed_out())
        self.expire_write(now)


class _MemoryDispatcher(_Dispatcher):
    def __init__(self, caller: Connection, workers: int, max_rows: int | None) -> None:
        super().__init__(caller, workers, max_rows)
        self.store = ox.Store()

    def open_snapshot(self) -> ox.Store:
        return self.store  # in a forked reader: its copy-on-write copy

    def start_writes(self) -> None:
        while self.write is None and self.writes:
            job = self.writes[0]
            if job.operation == "update" and job.deadline is not None:
                worker = self.idle_reader()
                if worker is None:
                    return
                self.write = self.writes.popleft()
                worker.dirty = True
                self.assign(worker, job)  # the trial, on a copy that is thrown away after
            else:
                self.apply(self.writes.popleft())

    def on_trial_done(self, job: _Job, reply: Reply) -> None:
        self.write = None
        if reply[0] == "error":
            self.reply(job, reply)
        else:
            self.apply(job)

    def apply(self, job: _Job) -> None:
        reply = execute(self.store, job.operation, job.args, None)
        if reply[0] != "error":
            self.advance(self.generation + 1)
        self.reply(job, reply)


@dataclass
class _Writer:
    pid: int
    connection: Connection
    ready: bool = False  # its first snapshot exists: it takes writes


class _DiskDispatcher(_Dispatcher):
    def __init__(self, caller: Connection, workers: int, max_rows: int | None, path: Path) -> None:
        super().__init__(caller, workers, max_rows)
        self.path = path
        self.snapshots: dict[int, str] = {}
        self.writer: _Writer | None = None  # started again for the next write once it is gone
        self.committed: Reply | None = None  # the write's reply, sent once its snapshot exists
        self.read_only: str | None = None  # the reply to every write, when the store is read-only
        self.lock: int | None = None  # RocksDB's LOCK file, held while no writer holds it

    def open(self) -> str | None:
        """Open for reads, or go read-only if the directory cannot be written; why it cannot open.

        The writer starts at the first write, unless a new store must be created or an
        interrupted bulk load cleared first.
        """
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return f"cannot create the disk store at {self.path}: {error}"
        if (reason := _why_unwritable(self.path)) is not None:
            return self.open_read_only(reason)
        if (self.path / "CURRENT").exists() and not (self.path / BULK_LOAD_MARKER).exists():
            return self.open_without_writer()
        self.start_writer(first=True)
        message = self.receive_from_writer()
        if message[0] == "failed":
            self.stop_writer()
            return f"cannot open the disk store at {self.path}: {message[1]}"
        self.on_writer_message(message)
        return None

    def open_read_only(self, reason: str) -> str | None:
        if (self.path / BULK_LOAD_MARKER).exists():  # only a writer can clear it (see _load_dataset)
            return (
                f"cannot open the disk store at {self.path}: it is read-only ({reason}) and holds an "
                "interrupted bulk load, which only a writable open clears"
            )
        if not (self.path / "CURRENT").exists():  # RocksDB's pointer to its manifest: no database
            return f"cannot open the disk store at {self.path}: it is read-only ({reason}) and holds no store"
        self.read_only = f"the disk store at {self.path} is read-only ({reason}): writes are off"
        return None

    def open_without_writer(self) -> str | None:
        """Serve reads from the directory itself, holding RocksDB's lock as an open writer would."""
        self.lock = os.open(self.path / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # RocksDB's own kind of lock
        except OSError as error:
            self.release_lock()
            return f"cannot open the disk store at {self.path}: another process has it open ({error})"
        shutil.rmtree(self.path / SNAPSHOTS_DIRECTORY, ignore_errors=True)  # left by an abrupt end
        return None

    def release_lock(self) -> None:
        """Let the writer take the lock (only a process's own lock is released: readers hold none)."""
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None

    def reads_directory(self) -> bool:
        """Whether readers open the directory itself: nothing writes it (read-only, or no writer yet)."""
        return self.read_only is not None or (self.writer is None and not self.snapshots)

    def start_writer(self, *, first: bool) -> None:
        generation = 0 if first else self.generation + 1
        inherited = [self.caller, *(w.connection for w in self.workers)]
        pid, connection = _fork(lambda c: _serve_writes(c, self.path, generation, first), inherited)
        self.writer = _Writer(pid, connection)

    def stop_writer(self) -> None:
        """Kill the writer (a transaction it did not commit leaves nothing) and wait until it is gone."""
        assert self.writer is not None
        _kill(self.writer.pid)
        self.writer.connection.close()
        self.writer = None

    def open_snapshot(self) -> ox.Store:
        if self.reads_directory():
            return ox.Store.read_only(str(self.path))  # nobody writes it: the store is its own snapshot
        return ox.Store.read_only(self.snapshots[self.generation])

    def can_fork_readers(self) -> bool:
        if self.reads_directory():
            # A write waits until no reader has the directory open: its writer would change it
            # under them (undefined in RocksDB), and the writer's first snapshot serves reads after.
            return self.read_only is not None or not self.writes
        return self.generation in self.snapshots

    def fresh(self, worker: _Worker) -> bool:
        return super().fresh(worker) and self.can_fork_readers()

    def start_reads(self) -> None:
        if self.can_fork_readers():
            super().start_reads()

    def other_connections(self) -> list[Connection]:
        return [self.writer.connection] if self.writer is not None else []

    def start_writes(self) -> None:
        if self.read_only is not None:
            while self.writes:
                self.reply(self.writes.popleft(), _unavailable(self.read_only))
            return
        if self.writer is None and self.writes:
            if self.reads_directory():
                for worker in list(self.idle):
                    self.retire(worker)
                if self.workers:
                    return  # the busy readers of the directory finish first
                self.release_lock()
            self.start_writer(first=False)
        if self.writer is not None and self.writer.ready and self.write is None and self.writes:
            self.write = self.writes.popleft()
            self.writer.connection.send((self.write.operation, self.write.args))

    def receive_from_writer(self) -> tuple[Any, ...]:
        assert self.writer is not None
        try:
            message: tuple[Any, ...] = self.writer.connection.recv()
        except (EOFError, OSError):
            message = ("failed", "its writer process died")
        return message

    def on_other_message(self, connection: Connection) -> None:
        self.on_writer_message(self.receive_from_writer())

    def on_writer_message(self, message: tuple[Any, ...]) -> None:
        assert self.writer is not None
        kind = message[0]
        if kind == "failed":
            self.on_writer_failed(f"cannot write to the disk store at {self.path}: {message[1]}")
        elif kind == "broken":  # the write's final reply; the writer has ended
            applied = self.committed is not None
            self.finish_write(message[1])
            self.stop_writer()
            if applied:  # a fresh writer's first snapshot lets reads see the write, if there is room
                self.start_writer(first=False)
        elif kind == "done":
            reply = message[1]
            assert self.write is not None
            self.write.deadline = None
            if reply[0] == "error":
                self.finish_write(reply)
            else:
                self.committed = reply
        else:  # "ready" or "snapshot": a new generation readers can open
            _, generation, snapshot = message
            self.snapshots[generation] = snapshot
            self.writer.ready = True
            self.advance(generation)
            if self.committed is not None:
                self.finish_write(self.committed)
            self.forget_unused_snapshots()

    def on_writer_failed(self, reason: str) -> None:
        assert self.writer is not None
        failed = [] if self.write is None else [self.write]
        if not self.writer.ready:
            # It could not start: the writes waiting for it fail too, or each would start
            # another writer on a disk that cannot take one now.
            failed.extend(self.writes)
            self.writes.clear()
        self.stop_writer()
        self.write, self.committed = None, None
        for job in failed:
            self.reply(job, _unavailable(reason))

    def finish_write(self, reply: Reply) -> None:
        assert self.write is not None
        self.reply(self.write, reply)
        self.write, self.committed = None, None

    def retire(self, worker: _Worker) -> None:
        super().retire(worker)
        self.forget_unused_snapshots()

    def forget_unused_snapshots(self) -> None:
        used = {self.generation, *(worker.generation for worker in self.workers)}
        for generation in [g for g in self.snapshots if g not in used]:
            shutil.rmtree(self.snapshots.pop(generation), ignore_errors=True)

    def expire_write(self, now: float) -> None:
        if self.write is None or self.write.deadline is None or self.write.deadline > now:
            return
        # Killing the writer aborts its RocksDB transaction: the update leaves nothing behind.
        self.stop_writer()
        self.finish_write(self.write.timed_out())

    def shut_down(self) -> None:
        super().shut_down()
        if self.writer is not None:
            self.writer.connection.close()  # the writer closes the store cleanly when it sees EOF
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and os.waitpid(self.writer.pid, os.WNOHANG) == (0, 0):
                time.sleep(0.01)
            _kill(self.writer.pid)
        if self.read_only is None:
            shutil.rmtree(self.path / SNAPSHOTS_DIRECTORY, ignore_errors=True)


def main() -> None:
    """Entry point: ``python -m graph.stores._engine FD``, FD being the caller's socket."""
    caller = Connection(int(sys.argv[1]))
    config = caller.recv()
    workers, max_rows = config["workers"], config["max_rows"]
    global _union_default_graph
    _union_default_graph = config["union_default_graph"]
    dispatcher: _Dispatcher
    if config["kind"] == "memory":
        dispatcher = _MemoryDispatcher(caller, workers, max_rows)
    else:
        disk = _DiskDispatcher(caller, workers, max_rows, Path(config["path"]))
        if (failure := disk.open()) is not None:
            caller.send(("failed", failure))
            return
        dispatcher = disk
    caller.send(("ready",))
    dispatcher.run()


if __name__ == "__main__":
    main()
