"""The caller's side of the embedded stores: requests to the engine process, replies back.

Any number of threads may call at once, and event loops without blocking: each request
carries an id, one reader thread hands every reply to the future waiting for it. See
:mod:`graph.stores._engine` for what happens on the other side.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any, Self

from rdflib.term import BNode, Literal, Node, URIRef

from graph.errors import (
    ForbiddenOperationError,
    GraphError,
    MemoryLimitError,
    NotFoundError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreUnavailableError,
    ValidationFailedError,
)
from graph.stores._formats import SPARQL_JSON, rdf_format, results_format
from graph.stores._messages import WRITE_OPERATIONS, deadline_of
from graph.stores._supervision import DEFAULT_RESTART, EngineStatus, RestartPolicy, Supervisor
from graph.stores.base import QueryResult

_STARTUP_SECONDS = 120  # a disk store opens in milliseconds; this only bounds a hung start
_SHUTDOWN_SECONDS = 15
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])

# A reply is ("ok", value), ("bytes", meta, body) or ("error", kind, message, line, column).
Reply = tuple[Any, ...]
_Waiter = Future[Reply] | asyncio.Future[Reply]

_ERRORS: dict[str, type[GraphError]] = {
    "timeout": QueryTimeoutError,
    "not_found": NotFoundError,
    "unavailable": StoreUnavailableError,
    "evaluation": ValidationFailedError,
    "memory": MemoryLimitError,
    "forbidden": ForbiddenOperationError,
}


def _encode_term(name: str, term: Node) -> tuple[str, ...]:
    """A binding as plain strings the engine turns back into an RDF term."""
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    if isinstance(term, Literal):
        return ("literal", str(term), str(term.datatype) if term.datatype else "", term.language or "")
    raise ValidationFailedError(f"cannot bind ?{name} to {term!r}: not an IRI, blank node or literal")


def _query_args(
    sparql: str,
    results_media_type: str,
    graph_media_type: str,
    default_graphs: Sequence[str] | None,
    named_graphs: Sequence[str] | None,
    bindings: Mapping[str, Node] | None,
) -> tuple[Any, ...]:
    """A query request's arguments; unsupported media types fail here, not in the engine."""
    results_format(results_media_type)
    rdf_format(graph_media_type)
    encoded = {name: _encode_term(name, term) for name, term in (bindings or {}).items()}
    graphs = [None if g is None else list(g) for g in (default_graphs, named_graphs)]
    return (sparql, results_media_type, graph_media_type, *graphs, encoded)


def _checked(reply: Reply) -> Reply:
    """The engine's reply, or the error it reports raised as one of :mod:`graph.errors`."""
    if reply[0] == "error":
        _, kind, message, line, column = reply
        if kind == "syntax":
            raise QuerySyntaxError(message, line=line, column=column)
        raise _ERRORS[kind](message)
    return reply


def _query_result(reply: Reply) -> QueryResult:
    _, (form, media_type, truncated), body = _checked(reply)
    return QueryResult.complete(form, media_type, body, truncated)


class _Channel:
    """The socket to the engine, the requests waiting for replies and the thread reading them.

    A caller waits on a thread's future (:meth:`call`) or on an event loop's
    (:meth:`call_async`, which never blocks the loop); the reader thread completes both kinds.
    """

    def __init__(self, sock: socket.socket) -> None:
        self.socket = sock
        self.connection = Connection(os.dup(sock.fileno()))
        self.lock = threading.Lock()  # guards pending and broken, never held while writing
        # Writers take turns on their own lock: the reader must never wait on a writer, since a
        # writer may wait for the engine, and the engine, writing its replies, for the reader.
        self.sending = threading.Lock()
        self.pending: dict[int, _Waiter] = {}
        self.ids = itertools.count()
        self.broken: str | None = None
        self.retry_after: float | None = None  # the hint given with ``broken``
        self.writes: set[int] = set()  # the pending requests that are writes
        self.acknowledged_writes = 0  # what a memory store's restart loses
        self.writable = select.poll()
        self.writable.register(self.connection.fileno(), select.POLLOUT)
        # Poll reports a Unix socket writable while at most a quarter of its send buffer is
        # taken: a message of another quarter at most is then written without waiting.
        self.max_unblocking = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 4

    def call(
        self, operation: str, args: tuple[Any, ...], timeout: float | None, outbound: bool = False
    ) -> Reply:
        return self.call_all([(operation, args, timeout, outbound)])[0]

    def call_all(self, calls: Sequence[tuple[str, tuple[Any, ...], float | None, bool]]) -> list[Reply]:
        """Send every request, then wait for the replies: the engine works on them in parallel."""
        futures: list[Future[Reply]] = []
        for operation, args, timeout, outbound in calls:
            futures.append(Future())
            self._send(futures[-1], *self._message(operation, args, timeout, outbound))
        return [future.result() for future in futures]

    async def call_async(
        self, operation: str, args: tuple[Any, ...], timeout: float | None, outbound: bool = False
    ) -> Reply:
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        request, message = self._message(operation, args, timeout, outbound)
        if not self._send_at_once(future, request, message):
            # Another thread holds the socket, or the engine is behind in reading: wait in a thread.
            await asyncio.to_thread(self._send, future, request, message)
        return await future

    def _message(
        self, operation: str, args: tuple[Any, ...], timeout: float | None, outbound: bool
    ) -> tuple[int, bytes]:
        request = next(self.ids)
        if operation in WRITE_OPERATIONS:
            with self.lock:
                self.writes.add(request)
        # The deadline starts now: the time a request waits in the engine's queue counts too.
        message = (request, operation, args, timeout, deadline_of(timeout), outbound)
        return request, ForkingPickler.dumps(message)

    def _send(self, waiter: _Waiter, request: int, message: bytes) -> None:
        with self.sending:
            self._register_and_send(waiter, request, message)

    def _send_at_once(self, waiter: _Waiter, request: int, message: bytes) -> bool:
        """Send only if the write cannot wait; False, having sent nothing, when it could."""
        if len(message) > self.max_unblocking or not self.sending.acquire(blocking=False):
            return False
        try:
            if not any(events & select.POLLOUT for _, events in self.writable.poll(0)):
                return False
            self._register_and_send(waiter, request, message)
            return True
        finally:
            self.sending.release()

    def _register_and_send(self, waiter: _Waiter, request: int, message: bytes) -> None:
        with self.lock:
            if self.broken is not None:
                self.writes.discard(request)
                raise StoreUnavailableError(self.broken, retry_after=self.retry_after)
            self.pending[request] = waiter
        try:
            self.connection.send_bytes(message)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the engine is gone: the reader meets the end and fails this request, saying why
        except OSError as error:
            with self.lock:
                self.pending.pop(request, None)
                self.writes.discard(request)
            raise StoreUnavailableError(f"the store's engine process is gone: {error}") from error

    def read_replies(self) -> None:
        """Hand each reply to its caller until the engine's end of the socket closes."""
        with contextlib.suppress(EOFError, OSError):
            while True:
                message = self.connection.recv()
                if message[1] == "bytes":
                    message = (*message, self.connection.recv_bytes())
                with self.lock:
                    waiter = self.pending.pop(message[0], None)
                    if message[0] in self.writes:
                        self.writes.discard(message[0])
                        if message[1] != "error":
                            self.acknowledged_writes += 1
                if waiter is not None:  # None: the store failed meanwhile and told every caller
                    _settle(waiter, message[1:])

    def fail(self, reason: str, retry_after: float | None = None) -> None:
        """Fail every request waiting for a reply, and every later one, with ``reason``."""
        with self.lock:
            if self.broken is None:
                self.broken, self.retry_after = reason, retry_after
            pending, self.pending = self.pending, {}
            self.writes.clear()
        for waiter in pending.values():
            _settle(waiter, StoreUnavailableError(reason, retry_after=retry_after))


def _settle(waiter: _Waiter, outcome: Reply | StoreUnavailableError) -> None:
    """Complete a caller's future from the reader thread: an event loop's, in the loop's thread."""
    if isinstance(waiter, asyncio.Future):
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
            waiter.get_loop().call_soon_threadsafe(_complete, waiter, outcome)
    else:
        _complete(waiter, outcome)


def _complete(waiter: _Waiter, outcome: Reply | StoreUnavailableError) -> None:
    if waiter.done():  # its caller was cancelled
        return
    if isinstance(outcome, StoreUnavailableError):
        waiter.set_exception(outcome)
    else:
        waiter.set_result(outcome)


def _stop(process: subprocess.Popen[bytes], channel: _Channel) -> None:
    """Close the socket (the engine then stops its workers and exits), then make sure of it."""
    channel.fail("the store is closed")
    # shutdown, not just close: it wakes the thread blocked reading and tells the engine EOF.
    with contextlib.suppress(OSError):
        channel.socket.shutdown(socket.SHUT_RDWR)
    channel.socket.close()
    channel.connection.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(_SHUTDOWN_SECONDS)
    # The engine leads its own process group: whatever is left of it goes too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@dataclass
class _Engine:
    """One engine process and the channel to it (see :class:`graph.stores._supervision.Engine`)."""

    process: subprocess.Popen[bytes]
    channel: _Channel
    stopping: threading.Lock = field(default_factory=threading.Lock)
    stopped: bool = False

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def acknowledged_writes(self) -> int:
        return self.channel.acknowledged_writes

    def exit_status(self) -> str:
        try:
            code = self.process.wait(_SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            return "it closed its socket but did not exit"
        if code >= 0:
            return f"exited with status {code}"
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"

    def fail(self, reason: str, retry_after: float | None) -> None:
        self.channel.fail(reason, retry_after)

    def stop(self, *, kill: bool = False) -> None:
        with self.stopping:  # once: a second close of the socket's fd could close another file
            if self.stopped:
                return
            self.stopped = True
            if kill:  # before it is reaped, while its pid is surely its own
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.process.pid, signal.SIGKILL)  # it leads its group: all of it
            _stop(self.process, self.channel)

    def kill(self) -> None:
        self.stop(kill=True)

    def read_until_end(self, ended: Callable[[_Engine], None]) -> None:
        self.channel.read_replies()
        ended(self)


def _start_engine(kind: str, config: Mapping[str, Any], ended: Callable[[_Engine], None]) -> _Engine:
    """Start an engine process and wait until it serves; ``ended`` runs, in its reply thread, when it ends."""
    ours, theirs = socket.socketpair()
    python_path = os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "graph.stores._engine", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            start_new_session=True,  # its own group: a terminal's Ctrl-C reaches only us, close() kills all
            # A worker stopped at its memory limit is Rust aborting on a failed allocation: one
            # line in the log says so, where a backtrace would add forty.
            env={**os.environ, "PYTHONPATH": python_path, "RUST_BACKTRACE": "0"},
        )
    except OSError as error:  # no memory or no process left to start it with
        ours.close()
        raise StoreUnavailableError(f"cannot start the {kind} store's engine process: {error}") from error
    finally:
        theirs.close()
    engine = _Engine(process, _Channel(ours))
    try:
        engine.channel.connection.send(dict(config))
        ready = engine.channel.connection.poll(_STARTUP_SECONDS)
        status = engine.channel.connection.recv() if ready else ("failed", "it did not start in time")
    except (EOFError, OSError):
        status = ("failed", "its engine process exited while starting")
    if status[0] != "ready":
        engine.stop()
        raise StoreUnavailableError(f"cannot open the {kind} store: {status[1]}")
    thread = threading.Thread(target=engine.read_until_end, args=(ended,), name=f"{kind}-replies")
    thread.daemon = True
    thread.start()
    return engine


class EmbeddedStore:
    """A pyoxigraph store evaluated in an engine process with killable workers.

    ``workers`` is the number of processes kept for reads (default: the number of cores, at
    least 2); while reads wait behind slow ones, up to ``max_workers`` (default four times
    ``workers``) evaluate at once, so a trivial query never waits for a long one to time out.
    ``memory_limit`` caps, in bytes, what one request may add to its worker's memory (None:
    no cap); past it the request fails with :class:`graph.errors.MemoryLimitError`. ``max_rows``
    caps the rows (or triples) of a result, setting ``QueryResult.truncated`` when it cuts;
    ``union_default_graph`` makes a query's default graph the union of all graphs (off: the
    store's real default graph, as the W3C tests expect). If the engine process dies, a new one
    takes its place, as ``restart`` says (:mod:`graph.stores._supervision`);
    :attr:`engine_status` tells how that went.
    """

    kind = "embedded"

    def __init__(
        self,
        *,
        path: str | os.PathLike[str] | None,
        workers: int | None,
        max_rows: int | None,
        union_default_graph: bool = True,
        max_workers: int | None = None,
        memory_limit: int | None = None,
        restart: RestartPolicy = DEFAULT_RESTART,
    ) -> None:
        readers = workers or max(2, os.cpu_count() or 2)
        config = {
            "kind": self.kind,
            "path": None if path is None else str(path),
            "readers": readers,
            "max_readers": max(readers, max_workers or 4 * readers),
            "memory_limit": memory_limit,
            "max_rows": max_rows,
            "union_default_graph": union_default_graph,
        }
        self._supervisor: Supervisor[_Engine] = Supervisor(
            self.kind,
            partial(_start_engine, self.kind, config),
            restart,
            volatile=path is None,
            refuse_reopen=partial(type(self)._refuse_reopen, path),
        )
        self._closer = weakref.finalize(self, self._supervisor.close)

    @staticmethod
    def _refuse_reopen(path: str | os.PathLike[str] | None) -> str | None:
        """Why a new engine must not open the store after its engine died, or None."""
        return None

    @property
    def _channel(self) -> _Channel:
        """The way to the serving engine; StoreUnavailableError while it is being restarted."""
        return self._supervisor.engine().channel

    @property
    def engine_pid(self) -> int:
        """The engine process's id; its workers are its children (for monitoring and tests)."""
        return self._supervisor.pid

    @property
    def engine_status(self) -> EngineStatus:
        """Whether the engine serves, and what its restarts cost (see :mod:`graph.stores._supervision`).

        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     store.engine_status.state, store.engine_status.restarts
        ('up', 0)
        """
        return self._supervisor.status

    def _call(self, operation: str, *args: Any, timeout: float | None = None) -> Reply:
        return _checked(self._channel.call(operation, args, timeout))

    def query(
        self,
        sparql: str,
        *,
        results_media_type: str = SPARQL_JSON,
        graph_media_type: str = "text/turtle",
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
        outbound: bool = False,
    ) -> QueryResult:
        """Run a SPARQL query in a worker; see :meth:`graph.stores.base.Store.query`.

        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     store.query("ASK { ?s ?p ?o }", results_media_type="text/tab-separated-values").read()
        b'false'
        """
        args = _query_args(
            sparql, results_media_type, graph_media_type, default_graphs, named_graphs, bindings
        )
        return _query_result(self._channel.call("query", args, timeout, outbound))

    def query_all(
        self, queries: Sequence[str], *, results_media_type: str = SPARQL_JSON
    ) -> list[QueryResult]:
        """Several queries evaluated by the workers at once; see :class:`graph.stores.base.BatchQueryStore`.

        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     results = store.query_all(["ASK {}", "ASK { ?s ?p ?o }"], results_media_type="text/csv")
        ...     [result.read() for result in results]
        [b'true', b'false']
        """
        calls = [
            ("query", _query_args(sparql, results_media_type, "text/turtle", None, None, None), None, False)
            for sparql in queries
        ]
        return [_query_result(reply) for reply in self._channel.call_all(calls)]

    async def query_async(
        self,
        sparql: str,
        *,
        results_media_type: str = SPARQL_JSON,
        graph_media_type: str = "text/turtle",
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
        outbound: bool = False,
    ) -> QueryResult:
        """:meth:`query` for an event loop: awaits the worker without blocking the loop or a thread.

        >>> import asyncio
        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     result = asyncio.run(store.query_async("ASK {}", results_media_type="text/csv"))
        >>> result.read()
        b'true'
        """
        args = _query_args(
            sparql, results_media_type, graph_media_type, default_graphs, named_graphs, bindings
        )
        return _query_result(await self._channel.call_async("query", args, timeout, outbound))

    def update(self, sparql: str, *, timeout: float | None = None, outbound: bool = False) -> None:
        """Apply a SPARQL Update atomically; past ``timeout`` seconds it is stopped and nothing changes.

        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     store.update("INSERT DATA { <http://e/a> <http://e/p> 1 }", timeout=5)
        ...     len(store)
        1
        """
        _checked(self._channel.call("update", (sparql,), timeout, outbound))

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs (empty named graphs included)."""
        return list(self._call("graph_names")[1])

    def has_graph(self, graph: str | None) -> bool:
        """Whether the graph exists (the default graph always does)."""
        return bool(self._call("has_graph", graph)[1])

    def get_graph(self, graph: str | None, media_type: str) -> bytes:
        """One graph serialized by the engine; NotFoundError when it does not exist."""
        return bytes(self._call("get_graph", graph, media_type)[2])

    def put_graph(
        self, graph: str | None, data: bytes, media_type: str, *, timeout: float | None = None
    ) -> bool:
        """Replace a graph with the parsed data in one transaction; True when it was created.

        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     store.put_graph("http://e/g", b"<http://e/a> <http://e/p> 1 .", "text/turtle")
        True
        """
        return bool(self._call("put_graph", graph, data, media_type, timeout=timeout)[1])

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, timeout: float | None = None
    ) -> bool:
        """Add the parsed data to a graph in one transaction; True when it was created."""
        return bool(self._call("post_graph", graph, data, media_type, timeout=timeout)[1])

    def delete_graph(self, graph: str | None, *, timeout: float | None = None) -> None:
        """Remove a named graph (or clear the default graph); NotFoundError when missing."""
        self._call("delete_graph", graph, timeout=timeout)

    def load_dataset(self, data: bytes, media_type: str) -> None:
        """Add a dataset (N-Quads, TriG) or triples (into the default graph): all of it or nothing.

        A store holding data loads in one transaction; an empty one takes the bulk loader,
        cleared again if the load fails (see :mod:`graph.stores.disk` for what a crash leaves).
        """
        self._call("load_dataset", data, media_type)

    def __len__(self) -> int:
        """The number of quads in all graphs."""
        return int(self._call("len")[1])

    def close(self) -> None:
        """Stop the engine and every worker process (also done at interpreter exit)."""
        self._closer()

    def kill(self) -> None:
        """Kill the engine and every worker at once (SIGKILL), as a crash would, and close the store.

        Nothing restarts it. A write under way is left as a crash leaves it: a disk store
        keeps it whole or not at all (see :mod:`graph.stores.disk`).
        """
        self._closer.detach()
        self._supervisor.close(abruptly=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
