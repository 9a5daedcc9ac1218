"""The remote store: any SPARQL 1.1 Query/Update endpoint over HTTP.

Oxigraph, Fuseki, GraphDB, Virtuoso, Neptune: whatever speaks the SPARQL 1.1 Protocol, its
default graph the union of the named graphs as in the embedded stores (Oxigraph:
``--union-default-graph``; Fuseki: ``tdb:unionDefaultGraph true``; Virtuoso: see its profile).

What it does, and where a remote differs from the embedded stores:

- Results are the remote's own bytes, streamed through after the status is checked. The
  first MiB is read before returning, so a query that times out before it produces much
  (an aggregate, an ORDER BY) raises :class:`QueryTimeoutError` before any byte is handed
  on; a stall after that raises from the chunk iterator. A client-side timeout cannot stop
  the remote's work: give the server its own timeout (Oxigraph: ``--timeout-s``), a bit
  longer than ours, so its CPU is freed too.
- ``bindings`` become a ``VALUES`` block at the head of the WHERE clause (see
  :mod:`graph.sparql.values`), joined before the rest of the pattern, so FILTERs see the
  bound values as with the embedded stores' substitution. Blank nodes cannot be bound.
- ``default_graphs`` and ``named_graphs`` go as the protocol's ``default-graph-uri`` and
  ``named-graph-uri`` parameters.
- With ``max_rows`` the remote is asked for TSV (or N-Triples), read line by line up to the
  cap and re-serialized by pyoxigraph, so a capped result is buffered, not streamed; an
  engine whose answers are re-read (Virtuoso) has its SPARQL JSON or N-Triples read up to
  the cap the same way (:mod:`graph.stores.streamed`), the rest left unread. Queries that
  give no timeout get ``read_timeout``; past the timeout the request is abandoned.
- Writes are SPARQL Updates, one request each (a graph upload is parsed here first, then
  sent as ``INSERT DATA``), or Graph Store requests graph by graph where the engine needs it
  (:mod:`graph.stores.remote_writes`). A timed-out update may still be applied afterwards.
- What differs between engines is in the engine profile (:mod:`graph.stores.engines`);
  ``engine="auto"`` picks it by the ``Server`` header of the endpoint's first answer.
- The Graph Store endpoint, when given, serves graph reads (the only way to read the real
  default graph of a union-default server); without it graphs are read with CONSTRUCT
  and ``len()`` counts the named graphs' quads only.

>>> from graph.errors import StoreUnavailableError
>>> store = RemoteStore("http://127.0.0.1:9/sparql")
>>> try:
...     store.graph_names()
... except StoreUnavailableError as error:
...     print(error)
the SPARQL endpoint http://127.0.0.1:9/sparql cannot be reached: ...
>>> store.close()
"""

from __future__ import annotations

import json
import time
from collections.abc import Generator, Iterator, Mapping, Sequence
from typing import Any

import httpx
import pyoxigraph as ox
from rdflib.term import Node

from graph.errors import NotFoundError, QueryTimeoutError
from graph.formats import N_TRIPLES, SPARQL_JSON, SPARQL_TSV, TURTLE, MediaFormat, rdf_format, results_format
from graph.sparql.rewriting import QueryForm, query_form
from graph.sparql.values import inline_values
from graph.stores.base import QueryResult, Revisions
from graph.stores.datasets import DEFAULT_GRAPH
from graph.stores.engine.serialization import cap_lines, solutions_as, triples_as
from graph.stores.engines import EngineProfile, detect_engine, engine_profile
from graph.stores.http import SparqlHttp, media_type_of
from graph.stores.remote_writes import RemoteWrites
from graph.stores.rewritten import SOLUTIONS_ASKED, TRIPLES_ASKED, rewrite_triples, rewritten_result
from graph.stores.streamed import first_lines, first_solutions

_PREFETCH_BYTES = 1 << 20


# How long what is worked out from the engine's data is taken as current, when other processes
# may write to the engine: the period the revision moves on by itself (RemoteStore.revision).
FRESH_SECONDS = 2.0


class RemoteStore(RemoteWrites):
    """A SPARQL 1.1 endpoint: ``endpoint`` for queries, ``update_endpoint`` for updates (default:
    the same URL), ``graph_store_endpoint`` for Graph Store reads (optional), ``auth`` for HTTP
    authentication (a (user, password) pair for Basic, or any ``httpx.Auth``), ``engine`` the
    engine profile (a name of :mod:`graph.stores.engines`, or ``auto``), ``read_timeout`` the
    timeout of the queries that give none (the store's own, the REST lookups'), ``fresh_seconds``
    how long a cache built from the store is taken as current (see :attr:`revision`).
    """

    kind = "remote"

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        graph_store_endpoint: str | None = None,
        auth: tuple[str, str] | httpx.Auth | None = None,
        max_rows: int | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float | None = None,
        fresh_seconds: float = FRESH_SECONDS,
        engine: EngineProfile | str = "auto",
    ) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.graph_store_endpoint = graph_store_endpoint
        self.max_rows = max_rows
        self._http = SparqlHttp(auth, connect_timeout=connect_timeout)
        self._revisions = Revisions()
        self.read_timeout = read_timeout
        self._fresh_seconds = fresh_seconds
        self._profile = engine_profile(engine) if isinstance(engine, str) and engine != "auto" else engine

    @property
    def profile(self) -> EngineProfile:
        """The engine's profile: as given, or told by the endpoint's ``Server`` header once asked."""
        if not isinstance(self._profile, EngineProfile):
            self._profile = detect_engine(self._http.server(self.endpoint))
        return self._profile

    @property
    def revision(self) -> int:
        """Moves on with each write through this store, and by itself every ``fresh_seconds``.

        Other processes (the workers of ``serve --workers N``, other clients) write to the same
        engine, and nothing the engine offers tells of a write cheaply without a marker in the
        user's data: so a cache built from this store (:func:`graph.revisions.per_revision`)
        sees this store's writes at once and others' within ``fresh_seconds``.

        >>> store = RemoteStore("http://127.0.0.1:9/sparql", fresh_seconds=3600)
        >>> before = store.revision
        >>> with store._revisions.writing():
        ...     pass
        >>> store.revision - before
        2
        """
        return self._revisions.value + int(time.monotonic() / self._fresh_seconds)

    # --- queries ------------------------------------------------------------------------------

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
        """Run a query on the remote; see :meth:`graph.stores.base.Store.query` and the module notes.

        ``outbound`` changes nothing here: whether the remote engine may reach out is its own
        configuration; the policy's check is what stands in front of it.
        """
        return self._query(
            sparql,
            results_media_type,
            graph_media_type,
            bindings,
            self.max_rows,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            timeout=timeout,
        )

    def _query(
        self,
        sparql: str,
        results_media_type: MediaFormat | str,
        graph_media_type: MediaFormat | str,
        bindings: Mapping[str, Node] | None,
        max_rows: int | None,
        *,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        timeout: float | None,
    ) -> QueryResult:
        results, graph = results_format(results_media_type), rdf_format(graph_media_type)
        form, profile = query_form(sparql), self.profile
        if bindings:
            sparql = inline_values(sparql, bindings)
        capped = max_rows is not None and form in ("SELECT", "CONSTRUCT", "DESCRIBE")
        if profile.rewrites_results and form is not None:
            accept = SOLUTIONS_ASKED.media_type if form in ("SELECT", "ASK") else TRIPLES_ASKED.media_type
        elif form in ("SELECT", "ASK"):
            accept = SPARQL_TSV.media_type if capped else results.media_type
        elif form in ("CONSTRUCT", "DESCRIBE"):
            accept = N_TRIPLES.media_type if capped else graph.media_type
        else:
            accept = f"{results.media_type}, {graph.media_type};q=0.9"
        if default_graphs is not None and list(default_graphs) == [DEFAULT_GRAPH] and not named_graphs:
            # The protocol has no name for the default graph: the engine's own dataset, as configured.
            default_graphs = named_graphs = None
        named, default = list(named_graphs or ()), list(default_graphs or ())
        prologue = profile.prologue()
        if default_graphs is None and named_graphs is None:
            prologue += profile.union_pragmas(sparql) or ""
        form_data = {
            "query": prologue + sparql,
            "default-graph-uri": profile.default_graphs(default, named),
            "named-graph-uri": named,
        }
        timeout = self.read_timeout if timeout is None else timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        response = self._http.send(
            "POST",
            self.endpoint,
            data=form_data,
            headers={"Accept": accept},
            timeout=timeout,
            retry=profile.transient_error,
            idempotent=True,
        )
        media_type = media_type_of(response)
        if form is None:
            solutions = media_type in (SPARQL_JSON.media_type, SPARQL_TSV.media_type)
            form = "SELECT" if solutions else "CONSTRUCT"
        chunks = self._http.chunks(response, timeout)
        arriving = _within(chunks, deadline, self.endpoint, timeout)
        if profile.rewrites_results and form is not None:
            try:
                body = _first_rows(form, arriving, max_rows if capped else None)
            finally:
                chunks.close()  # the rows past the cap left unread: the connection is dropped
            return rewritten_result(form, body, results, graph, max_rows, bindings)
        if capped:
            assert max_rows is not None
            try:
                return _capped(form, arriving, media_type, results, graph, max_rows)
            finally:
                chunks.close()
        prefetched, size = [], 0
        for chunk in _within(chunks, deadline, self.endpoint, timeout):
            prefetched.append(chunk)
            size += len(chunk)
            if size >= _PREFETCH_BYTES:
                break
        return QueryResult(form, media_type, _chain(prefetched, chunks))

    def _internal(self, sparql: str) -> Any:
        # The store's own questions: never cut at the row cap, and asked of the engine's own
        # dataset (every graph, its own too: graphs given as none, so no pragmas).
        result = self._query(
            sparql, SPARQL_JSON, TURTLE, None, None, default_graphs=(), named_graphs=None, timeout=None
        )
        return json.loads(result.read())

    def _select(self, sparql: str) -> list[dict[str, Any]]:
        return list(self._internal(sparql)["results"]["bindings"])

    def _ask(self, sparql: str) -> bool:
        return bool(self._internal(sparql)["boolean"])

    # --- graphs -------------------------------------------------------------------------------

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs."""
        # GROUP BY, not DISTINCT: Virtuoso's DISTINCT over every quad runs past its time limit
        # at some 50,000 triples in 100 graphs; its GROUP BY answers in a tenth of a second.
        pattern = self.profile.graph_pattern()
        rows = self._select(f"SELECT ?g WHERE {{ GRAPH ?g {{ {pattern} }} }} GROUP BY ?g")
        return self.profile.user_graphs([row["g"]["value"] for row in rows if row["g"]["type"] == "uri"])

    def has_graph(self, graph: str | None) -> bool:
        """Whether the graph exists (the default graph always does)."""
        if graph is None:
            return True
        if graph in self.profile.system_graphs:
            return False
        name, pattern = ox.NamedNode(graph), self.profile.graph_pattern()
        if not pattern:
            return self._ask(f"ASK {{ GRAPH {name} {{}} }}")
        # A constant, not ?s: Virtuoso names blank nodes nodeID://..., which no reader takes.
        return bool(self._select(f"SELECT (1 AS ?found) WHERE {{ GRAPH {name} {{ {pattern} }} }} LIMIT 1"))

    def get_graph(self, graph: str | None, media_type: str) -> bytes:
        """One graph as the remote serializes it; NotFoundError when it does not exist."""
        media_type = rdf_format(media_type).media_type
        separate = graph is not None or self.profile.separate_default_graph
        if self.graph_store_endpoint is not None and separate:
            params = {"default": ""} if graph is None else {"graph": graph}
            asked = TRIPLES_ASKED.media_type if self.profile.rewrites_results else media_type
            response = self._http.send(
                "GET", self.graph_store_endpoint, params=params, headers={"Accept": asked}, idempotent=True
            )
            body = b"".join(self._http.chunks(response, None))
            return rewrite_triples(body, media_type, None)[0] if self.profile.rewrites_results else body
        if not self.has_graph(graph):
            raise NotFoundError(f"no graph <{graph}>")
        pattern = "?s ?p ?o" if graph is None else f"GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }}"
        return self.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}", graph_media_type=media_type
        ).read()

    def __len__(self) -> int:
        """The number of quads in the named graphs, plus the default graph's triples when a
        Graph Store endpoint can tell them apart from the union."""
        system = ", ".join(f"<{graph}>" for graph in self.profile.system_graphs)
        unless = f" FILTER(?g NOT IN ({system}))" if system else ""
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}{unless} }}")
        count = int(rows[0]["n"]["value"])
        if self.graph_store_endpoint is not None and self.profile.separate_default_graph:
            count += self.get_graph(None, N_TRIPLES.media_type).count(b"\n")
        return count

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _first_rows(form: QueryForm, chunks: Iterator[bytes], max_rows: int | None) -> bytes:
    """The engine's answer, or with a cap its first rows and one more (to tell it was cut)."""
    if max_rows is None or form == "ASK":
        return b"".join(chunks)
    if form == "SELECT":
        return first_solutions(chunks, max_rows + 1)
    return first_lines(chunks, max_rows + 1)


def _capped(
    form: QueryForm,
    chunks: Iterator[bytes],
    media_type: str,
    results: MediaFormat,
    graph: MediaFormat,
    max_rows: int,
) -> QueryResult:
    solutions = form == "SELECT"
    cap = cap_lines(chunks, media_type, max_rows, solutions=solutions)
    if solutions:
        body = solutions_as(cap.getvalue(), results)
        return QueryResult.complete("SELECT", results.media_type, body, cap.truncated)
    body = triples_as(cap.getvalue(), graph)
    return QueryResult.complete(form, graph.media_type, body, cap.truncated)


def _within(
    chunks: Generator[bytes, None, None], deadline: float | None, endpoint: str, timeout: float | None
) -> Iterator[bytes]:
    """The chunks, until the deadline passes (then QueryTimeoutError, the response closed)."""
    for chunk in chunks:
        yield chunk
        if deadline is not None and time.monotonic() > deadline:
            chunks.close()
            raise QueryTimeoutError(f"the SPARQL endpoint {endpoint} ran past {timeout:g} s")


def _chain(prefetched: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from prefetched
    yield from rest
