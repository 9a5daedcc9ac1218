"""The remote store: any SPARQL 1.1 Query/Update endpoint over HTTP.

Oxigraph server, Apache Jena Fuseki, GraphDB, Virtuoso or Amazon Neptune: whatever speaks
the SPARQL 1.1 Protocol. Configure the server so that its default graph is the union of
the named graphs (Oxigraph: ``oxigraph serve --union-default-graph``; Fuseki:
``tdb:unionDefaultGraph true``), as the embedded stores do.

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
  cap and re-serialized by pyoxigraph, so a capped result is buffered, not streamed.
- Writes are SPARQL Updates, one request each (a graph upload is parsed here first, then
  sent as ``INSERT DATA``), so they are atomic where the server makes each update request
  a transaction (Oxigraph, Fuseki and GraphDB do). A timed-out update may still be applied
  by the remote afterwards.
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

from graph.errors import NotFoundError, QuerySyntaxError, QueryTimeoutError
from graph.formats import N_TRIPLES, SPARQL_JSON, SPARQL_TSV, TURTLE, MediaFormat, rdf_format, results_format
from graph.sparql.positions import error_position
from graph.sparql.rewriting import QueryForm, dataset_update, graph_update, query_form
from graph.sparql.uploads import upload_as_ntriples
from graph.sparql.values import inline_values
from graph.stores.base import QueryResult, Revisions
from graph.stores.engine.serialization import cap_lines, solutions_as, triples_as
from graph.stores.http import SparqlHttp, media_type_of

_PREFETCH_BYTES = 1 << 20


def _syntax_error(error: SyntaxError) -> QuerySyntaxError:
    line, column = error_position(str(error))
    return QuerySyntaxError(str(error), line=line, column=column)


class RemoteStore:
    """A SPARQL 1.1 endpoint: ``endpoint`` for queries, ``update_endpoint`` for updates (default:
    the same URL), ``graph_store_endpoint`` for Graph Store reads (optional), ``auth`` for HTTP
    authentication (a (user, password) pair for Basic, or any ``httpx.Auth``).
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
    ) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.graph_store_endpoint = graph_store_endpoint
        self.max_rows = max_rows
        self._http = SparqlHttp(auth, connect_timeout=connect_timeout)
        self._revisions = Revisions()

    @property
    def revision(self) -> int:
        """Changes with each write through this store (every write is an update request).

        Writes other clients send the engine are not seen: a cache built from a remote store
        that others write to is as fresh as this store's own writes.
        """
        return self._revisions.value

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
        results, graph = results_format(results_media_type), rdf_format(graph_media_type)
        form = query_form(sparql)
        if bindings:
            sparql = inline_values(sparql, bindings)
        capped = self.max_rows is not None and form in ("SELECT", "CONSTRUCT", "DESCRIBE")
        if form in ("SELECT", "ASK"):
            accept = SPARQL_TSV.media_type if capped else results.media_type
        elif form in ("CONSTRUCT", "DESCRIBE"):
            accept = N_TRIPLES.media_type if capped else graph.media_type
        else:
            accept = f"{results.media_type}, {graph.media_type};q=0.9"
        form_data = {
            "query": sparql,
            "default-graph-uri": list(default_graphs or ()),
            "named-graph-uri": list(named_graphs or ()),
        }
        deadline = None if timeout is None else time.monotonic() + timeout
        response = self._http.send(
            "POST", self.endpoint, data=form_data, headers={"Accept": accept}, timeout=timeout
        )
        media_type = media_type_of(response)
        if form is None:
            solutions = media_type in (SPARQL_JSON.media_type, SPARQL_TSV.media_type)
            form = "SELECT" if solutions else "CONSTRUCT"
        chunks = self._http.chunks(response, timeout)
        if capped:
            return self._capped(form, chunks, media_type, results, graph)
        prefetched, size = [], 0
        for chunk in chunks:
            prefetched.append(chunk)
            size += len(chunk)
            if deadline is not None and time.monotonic() > deadline:
                chunks.close()
                raise QueryTimeoutError(f"the SPARQL endpoint {self.endpoint} ran past {timeout:g} s")
            if size >= _PREFETCH_BYTES:
                break
        return QueryResult(form, media_type, _chain(prefetched, chunks))

    def _capped(
        self,
        form: QueryForm,
        chunks: Generator[bytes, None, None],
        media_type: str,
        results: MediaFormat,
        graph: MediaFormat,
    ) -> QueryResult:
        assert self.max_rows is not None
        solutions = form == "SELECT"
        try:
            cap = cap_lines(chunks, media_type, self.max_rows, solutions=solutions)
        finally:
            chunks.close()
        if solutions:
            body = solutions_as(cap.getvalue(), results)
            return QueryResult.complete("SELECT", results.media_type, body, cap.truncated)
        body = triples_as(cap.getvalue(), graph)
        return QueryResult.complete(form, graph.media_type, body, cap.truncated)

    def _select(self, sparql: str) -> list[dict[str, Any]]:
        document = json.loads(self.query(sparql).read())
        return list(document["results"]["bindings"])

    def _ask(self, sparql: str) -> bool:
        return bool(json.loads(self.query(sparql).read())["boolean"])

    # --- writes -------------------------------------------------------------------------------

    def update(self, sparql: str, *, timeout: float | None = None, outbound: bool = False) -> None:
        """Send a SPARQL Update; the remote applies it as one transaction (see the module notes)."""
        with self._revisions.writing():
            self._http.send("POST", self.update_endpoint, data={"update": sparql}, timeout=timeout).close()

    def _upload(
        self, graph: str | None, data: bytes, media_type: str, *, replace: bool, timeout: float | None
    ) -> bool:
        try:
            ntriples = upload_as_ntriples(data, media_type, graph)
        except SyntaxError as error:
            raise _syntax_error(error) from error
        created = not self.has_graph(graph)
        self.update(graph_update(graph, ntriples, replace=replace), timeout=timeout)
        return created

    def put_graph(
        self, graph: str | None, data: bytes, media_type: str, *, timeout: float | None = None
    ) -> bool:
        """Replace a graph with parsed data in one update request; True when it was created."""
        return self._upload(graph, data, media_type, replace=True, timeout=timeout)

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, timeout: float | None = None
    ) -> bool:
        """Add parsed data to a graph in one update request; True when it was created."""
        return self._upload(graph, data, media_type, replace=False, timeout=timeout)

    def delete_graph(self, graph: str | None, *, timeout: float | None = None) -> None:
        """Drop a named graph (or clear the default graph); NotFoundError when missing."""
        if graph is None:
            self.update("CLEAR SILENT DEFAULT", timeout=timeout)
            return
        if not self.has_graph(graph):
            raise NotFoundError(f"no graph <{graph}>")
        self.update(f"DROP GRAPH {ox.NamedNode(graph)}", timeout=timeout)

    def load_dataset(self, data: bytes, media_type: str) -> None:
        """Add a dataset in one update request, after parsing it here completely."""
        try:
            update = dataset_update(data, media_type)  # parsed here, completely, first
        except SyntaxError as error:
            raise _syntax_error(error) from error
        self.update(update)

    # --- graphs -------------------------------------------------------------------------------

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs."""
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")
        return [row["g"]["value"] for row in rows if row["g"]["type"] == "uri"]

    def has_graph(self, graph: str | None) -> bool:
        """Whether the graph exists (the default graph always does)."""
        return graph is None or self._ask(f"ASK {{ GRAPH {ox.NamedNode(graph)} {{}} }}")

    def get_graph(self, graph: str | None, media_type: str) -> bytes:
        """One graph as the remote serializes it; NotFoundError when it does not exist."""
        media_type = rdf_format(media_type).media_type
        if self.graph_store_endpoint is not None:
            params = {"default": ""} if graph is None else {"graph": graph}
            response = self._http.send(
                "GET", self.graph_store_endpoint, params=params, headers={"Accept": media_type}
            )
            return b"".join(self._http.chunks(response, None))
        if not self.has_graph(graph):
            raise NotFoundError(f"no graph <{graph}>")
        pattern = "?s ?p ?o" if graph is None else f"GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }}"
        return self.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}", graph_media_type=media_type
        ).read()

    def __len__(self) -> int:
        """The number of quads in the named graphs, plus the default graph's triples when a
        Graph Store endpoint can tell them apart from the union."""
        rows = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        count = int(rows[0]["n"]["value"])
        if self.graph_store_endpoint is not None:
            count += self.get_graph(None, N_TRIPLES.media_type).count(b"\n")
        return count

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _chain(prefetched: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from prefetched
    yield from rest
