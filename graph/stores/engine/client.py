"""The embedded stores' side in the caller's process: the store's methods as requests to the engine.

:class:`EmbeddedStore` sends each write over its :class:`~graph.stores.engine.channel.Channel`
to the engine process (:mod:`graph.stores.engine`) that :mod:`~graph.stores.engine.supervision`
keeps serving, and each read to a reader the engine leased it (:mod:`~graph.stores.engine.leases`;
a read the policy allowed out goes through the engine, to a reader with network of its own),
and raises the errors the engine reports as :mod:`graph.errors`.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, Self, TypedDict, Unpack

from rdflib.term import BNode, Literal, Node, URIRef

from graph.errors import ValidationFailedError
from graph.formats import SPARQL_JSON, TURTLE, MediaFormat, rdf_format, results_format
from graph.stores.base import QueryResult, Revisions
from graph.stores.engine.channel import Channel
from graph.stores.engine.launcher import EngineProcess, start_engine
from graph.stores.engine.load_progress import watched
from graph.stores.engine.messages import Reply, checked
from graph.stores.engine.restarts import DEFAULT_RESTART, EngineStatus, RestartPolicy
from graph.stores.engine.supervision import Supervisor


class EngineOptions(TypedDict, total=False):
    """How an embedded store's engine is sized and bounded; every key may be left out.

    ``workers``: the processes kept for reads (default: the number of cores, at least 2);
    while reads wait behind slow ones, up to ``max_workers`` (default four times ``workers``)
    evaluate at once, so a trivial query never waits for a long one to time out.
    ``memory_limit``: what one request may add to its worker's memory, in bytes (None: no
    cap); past it the request fails with :class:`graph.errors.MemoryLimitError`.
    ``max_rows``: the rows (or triples) a result is cut at, setting ``QueryResult.truncated``.
    ``union_default_graph``: a query's default graph is the union of all graphs (default on;
    off: the store's real default graph, as the W3C tests expect). ``restart``: how a new
    engine takes the place of one that died (:mod:`graph.stores.engine.supervision`).
    """

    workers: int | None
    max_workers: int | None
    max_rows: int | None
    memory_limit: int | None
    union_default_graph: bool
    restart: RestartPolicy


def _encode_term(name: str, term: Node) -> tuple[str, ...]:
    """A binding as plain strings the engine turns back into an RDF term."""
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    if isinstance(term, Literal):
        return ("literal", str(term), str(term.datatype) if term.datatype else "", term.language or "")
    raise ValidationFailedError(f"cannot bind ?{name} to {term!r}: not an IRI, blank node or literal")


def query_args(
    sparql: str,
    results: MediaFormat | str,
    graph: MediaFormat | str,
    default_graphs: Sequence[str] | None,
    named_graphs: Sequence[str] | None,
    bindings: Mapping[str, Node] | None,
) -> tuple[Any, ...]:
    """A query request's arguments: the formats as decided (a media type checked here, once), and
    the bindings as plain strings."""
    media_types = results_format(results).media_type, rdf_format(graph).media_type
    encoded = {name: _encode_term(name, term) for name, term in (bindings or {}).items()}
    graphs = [None if g is None else list(g) for g in (default_graphs, named_graphs)]
    return (sparql, *media_types, *graphs, encoded)


def query_result(reply: Reply) -> QueryResult:
    _, (form, media_type, truncated), body = checked(reply)
    return QueryResult.complete(form, media_type, body, truncated)


class EmbeddedStore:
    """A pyoxigraph store evaluated in an engine process with killable workers, sized and
    bounded by :class:`EngineOptions`. If the engine process dies, a new one takes its place
    (:mod:`graph.stores.engine.supervision`); :attr:`engine_status` tells how that went.
    """

    kind = "embedded"

    def __init__(
        self,
        *,
        path: str | os.PathLike[str] | None,
        **options: Unpack[EngineOptions],
    ) -> None:
        readers = options.get("workers") or max(2, os.cpu_count() or 2)
        config = {
            "kind": self.kind,
            "path": None if path is None else str(path),
            "readers": readers,
            "max_readers": max(readers, options.get("max_workers") or 4 * readers),
            "memory_limit": options.get("memory_limit"),
            "max_rows": options.get("max_rows"),
            "union_default_graph": options.get("union_default_graph", True),
        }
        self._supervisor: Supervisor[EngineProcess] = Supervisor(
            self.kind,
            partial(start_engine, self.kind, config),
            options.get("restart", DEFAULT_RESTART),
            volatile=path is None,
            refuse_reopen=partial(type(self)._refuse_reopen, path),
        )
        self._closer = weakref.finalize(self, self._supervisor.close)
        self._revisions = Revisions()

    @staticmethod
    def _refuse_reopen(path: str | os.PathLike[str] | None) -> str | None:
        """Why a new engine must not open the store after its engine died, or None."""
        return None

    @property
    def _channel(self) -> Channel:
        """The way to the serving engine; StoreUnavailableError while it is being restarted."""
        return self._supervisor.engine().channel

    @property
    def engine_pid(self) -> int:
        """The engine process's id; its workers are its children (for monitoring and tests)."""
        return self._supervisor.pid

    @property
    def engine_status(self) -> EngineStatus:
        """Whether the engine serves, and what its restarts cost (see :mod:`graph.stores.engine.supervision`).

        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     store.engine_status.state, store.engine_status.restarts
        ('up', 0)
        """
        return self._supervisor.status

    @property
    def revision(self) -> int:
        """A number that changes whenever what the store holds may have: each write through this
        store, and each engine restart (a memory store's restart drops writes).

        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     before = store.revision
        ...     store.update("INSERT DATA { <http://e/a> <http://e/p> 1 }")
        ...     store.revision == before
        False
        """
        return self._revisions.value + self._supervisor.status.restarts

    def _write(
        self, operation: str, *args: Any, timeout: float | None = None, outbound: bool = False
    ) -> Reply:
        with self._revisions.writing():
            return checked(self._channel.call(operation, args, timeout, outbound))

    def _call(self, operation: str, *args: Any, timeout: float | None = None) -> Reply:
        return checked(self._channel.leases.call(operation, args, timeout))

    def _read(self, args: tuple[Any, ...], timeout: float | None, outbound: bool) -> Reply:
        channel = self._channel
        if outbound:
            return channel.call("query", args, timeout, outbound)
        return channel.leases.call("query", args, timeout)

    def query(
        self,
        sparql: str,
        *,
        results_media_type: MediaFormat | str = SPARQL_JSON,
        graph_media_type: MediaFormat | str = TURTLE,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
        outbound: bool = False,
    ) -> QueryResult:
        """Run a SPARQL query in a worker; see :meth:`graph.stores.base.Store.query`.

        Each format is one of :mod:`graph.formats`, as negotiation decided it, or a
        canonical media type, checked here (ValueError when the engine writes no such format).

        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     store.query("ASK { ?s ?p ?o }", results_media_type="text/tab-separated-values").read()
        b'false'
        """
        args = query_args(
            sparql, results_media_type, graph_media_type, default_graphs, named_graphs, bindings
        )
        return query_result(self._read(args, timeout, outbound))

    def query_all(
        self, queries: Sequence[str], *, results_media_type: MediaFormat | str = SPARQL_JSON
    ) -> list[QueryResult]:
        """Several queries evaluated by the workers at once; see :class:`graph.stores.base.BatchQueryStore`.

        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     results = store.query_all(["ASK {}", "ASK { ?s ?p ?o }"], results_media_type="text/csv")
        ...     [result.read() for result in results]
        [b'true', b'false']
        """
        calls = [
            ("query", query_args(sparql, results_media_type, TURTLE, None, None, None), None)
            for sparql in queries
        ]
        return [query_result(reply) for reply in self._channel.leases.call_all(calls)]

    async def query_async(
        self,
        sparql: str,
        *,
        results_media_type: MediaFormat | str = SPARQL_JSON,
        graph_media_type: MediaFormat | str = TURTLE,
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
        args = query_args(
            sparql, results_media_type, graph_media_type, default_graphs, named_graphs, bindings
        )
        channel = self._channel
        if outbound:
            return query_result(await channel.call_async("query", args, timeout, outbound))
        return query_result(await channel.leases.call_async("query", args, timeout))

    def update(self, sparql: str, *, timeout: float | None = None, outbound: bool = False) -> None:
        """Apply a SPARQL Update atomically; past ``timeout`` seconds it is stopped and nothing changes.

        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     store.update("INSERT DATA { <http://e/a> <http://e/p> 1 }", timeout=5)
        ...     len(store)
        1
        """
        self._write("update", sparql, timeout=timeout, outbound=outbound)

    def update_and_ask(self, sparql: str, ask: str, *, timeout: float | None = None) -> bool:
        """Apply an update, then answer ``ask`` on the store as it left it; see :class:`CheckedUpdateStore`.

        >>> from graph.stores.memory import MemoryStore
        >>> with MemoryStore() as store:
        ...     store.update_and_ask("INSERT DATA { <http://e/a> <http://e/p> 1 }", "ASK { ?s ?p 1 }")
        True
        """
        return bool(self._write("update_and_ask", sparql, ask, timeout=timeout)[1])

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
        return bool(self._write("put_graph", graph, data, media_type, timeout=timeout)[1])

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, timeout: float | None = None
    ) -> bool:
        """Add the parsed data to a graph in one transaction; True when it was created."""
        return bool(self._write("post_graph", graph, data, media_type, timeout=timeout)[1])

    def delete_graph(self, graph: str | None, *, timeout: float | None = None) -> None:
        """Remove a named graph (or clear the default graph); NotFoundError when missing."""
        self._write("delete_graph", graph, timeout=timeout)

    def load_dataset(
        self, data: bytes, media_type: str, *, progress: Callable[[int], None] | None = None
    ) -> None:
        """Add a dataset (N-Quads, TriG) or triples (into the default graph): all of it or nothing.

        A store holding data loads in one transaction; an empty one takes the bulk loader,
        cleared again if the load fails (see :mod:`graph.stores.disk` for what a crash leaves).
        ``progress`` hears of the bytes of ``data`` the engine has parsed, a few times a second
        and once at the end (:mod:`graph.stores.engine.load_progress`).
        """
        if progress is None:
            self._write("load_dataset", data, media_type)
            return
        with watched(progress) as path:
            self._write("load_dataset", data, media_type, path)

    def load_file(self, path: str | os.PathLike[str], media_type: str) -> None:
        """Add a data file as :meth:`load_dataset` adds bytes; the engine reads it itself, so no
        process holds a copy of it (a million triples are some 200 MB of N-Quads).

        >>> import tempfile
        >>> from graph.stores.memory import MemoryStore
        >>> with tempfile.NamedTemporaryFile(suffix=".nt") as file, MemoryStore() as store:
        ...     _ = file.write(b"<http://e/a> <http://e/p> <http://e/o> .") and file.flush()
        ...     store.load_file(file.name, "application/n-triples")
        ...     len(store)
        1
        """
        self._write("load_file", os.fspath(path), media_type)

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
