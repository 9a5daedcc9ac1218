"""The one protocol every store implements, and the value types it trades in.

A store answers SPARQL with bytes the engine serialized (never row by row in
Python), applies SPARQL Update atomically, and offers the Graph Store
operations. Three implementations: ``memory`` and ``disk`` (embedded
pyoxigraph) and ``remote`` (any SPARQL 1.1 Query/Update endpoint).

Graph names: ``None`` means the default graph; otherwise an absolute IRI string.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from rdflib.term import Node

from graph.formats import SPARQL_JSON, TURTLE, MediaFormat
from graph.sparql.rewriting import QueryForm


@dataclass
class QueryResult:
    """A serialized query result: its media type and its bytes.

    ``chunks`` yields the body; for a remote store the remote's own bytes streamed
    through. ``body`` is the whole body when it is already in memory, as the
    embedded stores give it (so errors surface before any byte is sent, and a
    server can answer it at once). ``truncated`` tells that the row cap cut the
    result.

    >>> result = QueryResult.complete("ASK", "application/sparql-results+json", b'{"boolean":true}')
    >>> result.body == result.read()
    True
    """

    form: QueryForm
    media_type: str
    chunks: Iterator[bytes]
    truncated: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    @classmethod
    def complete(cls, form: QueryForm, media_type: str, body: bytes, truncated: bool = False) -> QueryResult:
        """A result whose whole body is at hand."""
        return cls(form, media_type, iter([body]), truncated, body=body)

    def read(self) -> bytes:
        """The whole body, for callers that want it at once."""
        return b"".join(self.chunks)


class Revisions:
    """A store object's write counter: moved on before and after each write, under a lock, so a
    reader that looked during a write sees a new value once it is done, and values never go back.

    >>> revisions = Revisions()
    >>> with revisions.writing():
    ...     pass
    >>> revisions.value
    2
    """

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def _move_on(self) -> None:
        with self._lock:
            self.value += 1

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Around one write, whether it succeeds or fails."""
        self._move_on()
        try:
            yield
        finally:
            self._move_on()


@runtime_checkable
class Store(Protocol):
    """What the service and the Python API need of a store."""

    kind: str

    @property
    def revision(self) -> int:
        """Changes whenever what the store holds may have, through this store object: what a cache
        built from the store (the full-text index) compares to know it is stale."""
        ...

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
        """Run a SPARQL query and serialize its result in the engine.

        SELECT and ASK results come as ``results_media_type``, CONSTRUCT and
        DESCRIBE as ``graph_media_type``: the caller negotiates both up front,
        since only the engine's parse tells the query form. Each is a format of
        :mod:`graph.formats`, taken as decided, or a canonical media type, which
        the store checks once (ValueError for one it cannot write). ``bindings``
        substitute variables with RDF terms (SEP-0007), never by pasting text.
        ``outbound`` lets the evaluation open network connections: only for a
        request the policy allowed out (:class:`graph.sparql.policy.QueryPolicy`); without
        it an embedded store's workers cannot reach the network at all.
        """
        ...

    def update(self, sparql: str, *, timeout: float | None = None, outbound: bool = False) -> None:
        """Apply a SPARQL Update atomically: all of it or nothing (``outbound`` as for :meth:`query`)."""
        ...

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs."""
        ...

    def has_graph(self, graph: str | None) -> bool:
        """Whether the graph exists (the default graph always does)."""
        ...

    def get_graph(self, graph: str | None, media_type: str) -> bytes:
        """One graph serialized; NotFoundError when it does not exist."""
        ...

    def put_graph(
        self, graph: str | None, data: bytes, media_type: str, *, timeout: float | None = None
    ) -> bool:
        """Replace a graph with parsed data atomically; True when it was created.

        Past ``timeout`` seconds (parsing included) the write is stopped and nothing changes.
        """
        ...

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, timeout: float | None = None
    ) -> bool:
        """Add parsed data to a graph atomically; True when it was created."""
        ...

    def delete_graph(self, graph: str | None, *, timeout: float | None = None) -> None:
        """Remove a named graph (or clear the default); NotFoundError when missing."""
        ...

    def load_dataset(self, data: bytes, media_type: str) -> None:
        """Add a whole dataset (N-Quads, TriG) or triples to the default graph."""
        ...

    def __len__(self) -> int:
        """The number of quads."""
        ...

    def close(self) -> None:
        """Release files, processes and connections."""
        ...


@runtime_checkable
class AsyncQueryStore(Protocol):
    """A store that also answers queries on an event loop without blocking it or taking a thread.

    The embedded stores do: the engine's reply completes the loop's future.
    """

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
        """:meth:`Store.query`, awaited."""
        ...


@runtime_checkable
class CheckedUpdateStore(Protocol):
    """A store that answers an ASK right after an update, with no other write between.

    The embedded stores do, in their one writer: the answer needs no reader of the new state,
    which on the disk store means no wait for one to open its checkpoint.
    """

    def update_and_ask(self, sparql: str, ask: str, *, timeout: float | None = None) -> bool:
        """Apply the update atomically, then return the ASK's answer on the store it left."""
        ...


@runtime_checkable
class BatchQueryStore(Protocol):
    """A store that evaluates several queries for one caller at once, without a thread for each.

    The embedded stores do: the requests go out together and the workers answer them in parallel.
    """

    def query_all(
        self, queries: Sequence[str], *, results_media_type: MediaFormat | str = SPARQL_JSON
    ) -> list[QueryResult]:
        """:meth:`Store.query` of each query (SELECT or ASK), evaluated together; results in order."""
        ...
