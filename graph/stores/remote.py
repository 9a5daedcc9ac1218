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
  :mod:`graph.stores._values`), joined before the rest of the pattern, so FILTERs see the
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
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import httpx
import pyoxigraph as ox
from rdflib.term import Node

from graph.errors import (
    GraphError,
    NotFoundError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreUnavailableError,
)
from graph.stores._formats import (
    N_TRIPLES,
    SPARQL_JSON,
    TSV,
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
from graph.stores._values import inline_values
from graph.stores.base import QueryResult

_PREFETCH_BYTES = 1 << 20


def _syntax_error(error: SyntaxError) -> QuerySyntaxError:
    line, column = error_position(str(error))
    return QuerySyntaxError(str(error), line=line, column=column)


def _as_line_format(body: bytes, media_type: str, *, solutions: bool) -> bytes:
    """Any results or RDF serialization as TSV or N-Triples, one row per line."""
    if solutions:
        parsed = ox.parse_query_results(body, format=results_format(media_type))
        return parsed.serialize(format=ox.QueryResultsFormat.TSV)
    return ox.serialize(ox.parse(body, format=rdf_format(media_type)), format=ox.RdfFormat.N_TRIPLES)


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


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
        self._connect_timeout = connect_timeout
        self._client = httpx.Client(auth=auth, follow_redirects=True)

    # --- HTTP ---------------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, timeout: float | None = None, **request: Any) -> httpx.Response:
        """Send a request and return the streaming response once its status says success."""
        limits = httpx.Timeout(timeout, connect=self._connect_timeout)
        try:
            response = self._client.send(
                self._client.build_request(method, url, timeout=limits, **request), stream=True
            )
        except httpx.HTTPError as error:
            raise self._transport_error(url, error, timeout) from error
        if response.status_code >= 400:
            try:
                response.read()
            except httpx.HTTPError as error:
                raise self._transport_error(url, error, timeout) from error
            finally:
                response.close()
            raise self._status_error(url, response)
        return response

    def _transport_error(self, url: str, error: httpx.HTTPError, timeout: float | None) -> GraphError:
        if isinstance(error, httpx.ReadTimeout | httpx.WriteTimeout):
            return QueryTimeoutError(f"the SPARQL endpoint {url} gave no answer within {timeout:g} s")
        return StoreUnavailableError(f"the SPARQL endpoint {url} cannot be reached: {error}")

    def _status_error(self, url: str, response: httpx.Response) -> GraphError:
        message = response.text.strip()[:2000] or response.reason_phrase
        status = response.status_code
        if status == 400:
            line, column = error_position(message)
            return QuerySyntaxError(message, line=line, column=column)
        if status == 404:
            return NotFoundError(message)
        if status in (408, 504):
            return QueryTimeoutError(f"the SPARQL endpoint {url} timed out: {message}")
        if status in (401, 403):
            return StoreUnavailableError(f"the SPARQL endpoint {url} refused our credentials ({status})")
        return StoreUnavailableError(f"the SPARQL endpoint {url} answered {status}: {message}")

    def _chunks(self, response: httpx.Response, timeout: float | None) -> Iterator[bytes]:
        try:
            yield from response.iter_bytes()
        except httpx.HTTPError as error:
            raise self._transport_error(str(response.url), error, timeout) from error
        finally:
            response.close()

    # --- queries ------------------------------------------------------------------------------

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
        """Run a query on the remote; see :meth:`graph.stores.base.Store.query` and the module notes.

        ``outbound`` changes nothing here: whether the remote engine may reach out is its own
        configuration; the policy's check is what stands in front of it.
        """
        results_format(results_media_type)
        rdf_format(graph_media_type)
        form = query_form(sparql)
        if bindings:
            sparql = inline_values(sparql, bindings)
        capped = self.max_rows is not None and form in ("SELECT", "CONSTRUCT", "DESCRIBE")
        if form in ("SELECT", "ASK"):
            accept = TSV if capped else results_media_type
        elif form in ("CONSTRUCT", "DESCRIBE"):
            accept = N_TRIPLES if capped else graph_media_type
        else:
            accept = f"{results_media_type}, {graph_media_type};q=0.9"
        form_data = {
            "query": sparql,
            "default-graph-uri": list(default_graphs or ()),
            "named-graph-uri": list(named_graphs or ()),
        }
        deadline = None if timeout is None else time.monotonic() + timeout
        response = self._send(
            "POST", self.endpoint, data=form_data, headers={"Accept": accept}, timeout=timeout
        )
        media_type = _media_type(response)
        if form is None:
            form = "SELECT" if media_type in ("application/sparql-results+json", TSV) else "CONSTRUCT"
        chunks = self._chunks(response, timeout)
        if capped:
            return self._capped(form, chunks, media_type, results_media_type, graph_media_type)
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
        form: str,
        chunks: Iterator[bytes],
        media_type: str,
        results_media_type: str,
        graph_media_type: str,
    ) -> QueryResult:
        assert self.max_rows is not None
        solutions = form == "SELECT"
        cap = RowCap(self.max_rows, header_lines=1 if solutions else 0)
        try:
            if media_type == (TSV if solutions else N_TRIPLES):
                for chunk in chunks:
                    cap.write(chunk)
            else:  # the remote ignored our Accept: convert it all, then cut
                cap.write(_as_line_format(b"".join(chunks), media_type, solutions=solutions))
        except RowCapReached:
            pass
        finally:
            chunks.close()  # type: ignore[attr-defined]
        if solutions:
            body = solutions_as(cap.getvalue(), results_media_type)
            return QueryResult.complete("SELECT", results_media_type, body, cap.truncated)
        body = triples_as(cap.getvalue(), graph_media_type)
        return QueryResult.complete(form, graph_media_type, body, cap.truncated)  # type: ignore[arg-type]

    def _select(self, sparql: str) -> list[dict[str, Any]]:
        document = json.loads(self.query(sparql).read())
        return list(document["results"]["bindings"])

    def _ask(self, sparql: str) -> bool:
        return bool(json.loads(self.query(sparql).read())["boolean"])

    # --- writes -------------------------------------------------------------------------------

    def update(self, sparql: str, *, timeout: float | None = None, outbound: bool = False) -> None:
        """Send a SPARQL Update; the remote applies it as one transaction (see the module notes)."""
        self._send("POST", self.update_endpoint, data={"update": sparql}, timeout=timeout).close()

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
        scratch = ox.Store()
        try:
            check_rdf_payload(data, media_type)  # the parse below runs in this process
            scratch.load(data, format=rdf_format(media_type))
        except SyntaxError as error:
            raise _syntax_error(error) from error
        blocks = [scratch.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode()]
        for graph in scratch.named_graphs():
            triples = scratch.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).decode()
            blocks.append(f"GRAPH {graph} {{\n{triples}}}")
        self.update("INSERT DATA {\n" + "\n".join(blocks) + "\n}")

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
        rdf_format(media_type)
        if self.graph_store_endpoint is not None:
            params = {"default": ""} if graph is None else {"graph": graph}
            response = self._send(
                "GET", self.graph_store_endpoint, params=params, headers={"Accept": media_type}
            )
            return b"".join(self._chunks(response, None))
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
            count += self.get_graph(None, N_TRIPLES).count(b"\n")
        return count

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _chain(prefetched: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from prefetched
    yield from rest
