"""The remote store's writes: SPARQL Updates, or the Graph Store endpoint where the engine needs it.

Engines that take blank nodes in ``INSERT DATA`` (Oxigraph, Fuseki, GraphDB) get every write as
one update request, atomic where the engine makes each request a transaction. Engines whose
profile says ``uploads_by_graph_store`` (Virtuoso) get uploads as N-Triples through the Graph
Store endpoint, one graph per request (PUT replaces, POST adds): a dataset is parsed here
completely first, so data that does not parse changes nothing, but a load that fails half-way
leaves the graphs sent before in place (load again: each graph's PUT replaces it).
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from graph.errors import ForbiddenOperationError, NotFoundError, QuerySyntaxError
from graph.formats import N_TRIPLES
from graph.sparql.positions import error_position
from graph.sparql.rewriting import dataset_update, graph_update
from graph.sparql.uploads import upload_as_ntriples
from graph.stores.base import Revisions
from graph.stores.by_graph import dataset_graphs
from graph.stores.engines import EngineProfile
from graph.stores.http import SparqlHttp

# Called once a graph of a graph-by-graph load is in: (graph, triples sent so far, graphs done, graphs).
LoadProgress = Callable[[str | None, int, int, int], None]


def syntax_error(error: SyntaxError) -> QuerySyntaxError:
    line, column = error_position(str(error))
    return QuerySyntaxError(str(error), line=line, column=column)


class RemoteWrites:
    """The write half of :class:`~graph.stores.remote.RemoteStore`."""

    update_endpoint: str
    graph_store_endpoint: str | None
    _http: SparqlHttp
    _revisions: Revisions

    @property
    def profile(self) -> EngineProfile:
        raise NotImplementedError

    def has_graph(self, graph: str | None) -> bool:
        raise NotImplementedError

    def update(self, sparql: str, *, timeout: float | None = None, outbound: bool = False) -> None:
        """Send a SPARQL Update; the remote applies it as one transaction (see the module notes)."""
        with self._revisions.writing():
            self._http.send("POST", self.update_endpoint, data={"update": sparql}, timeout=timeout).close()

    def _send_graph(self, method: str, graph: str | None, ntriples: bytes, timeout: float | None) -> None:
        if graph is None:
            raise ForbiddenOperationError(
                f"the {self.profile.name} engine keeps every triple in a named graph: name the graph"
            )
        if self.graph_store_endpoint is None:
            raise ForbiddenOperationError(
                f"uploads to the {self.profile.name} engine go through its Graph Store endpoint: "
                "configure it (remote_graph_store_url)"
            )
        with self._revisions.writing():
            headers = {"Content-Type": N_TRIPLES.media_type}
            self._http.send(
                method,
                self.graph_store_endpoint,
                params={"graph": graph},
                content=ntriples,
                headers=headers,
                timeout=timeout,
            ).close()

    def _upload(
        self, graph: str | None, data: bytes, media_type: str, *, replace: bool, timeout: float | None
    ) -> bool:
        try:
            ntriples = upload_as_ntriples(data, media_type, graph)
        except SyntaxError as error:
            raise syntax_error(error) from error
        created = not self.has_graph(graph)
        if self.profile.uploads_by_graph_store:
            self._send_graph("PUT" if replace else "POST", graph, ntriples, timeout)
        else:
            self.update(graph_update(graph, ntriples, replace=replace), timeout=timeout)
        return created

    def put_graph(
        self, graph: str | None, data: bytes, media_type: str, *, timeout: float | None = None
    ) -> bool:
        """Replace a graph with parsed data in one request; True when it was created."""
        return self._upload(graph, data, media_type, replace=True, timeout=timeout)

    def post_graph(
        self, graph: str | None, data: bytes, media_type: str, *, timeout: float | None = None
    ) -> bool:
        """Add parsed data to a graph in one request; True when it was created."""
        return self._upload(graph, data, media_type, replace=False, timeout=timeout)

    def delete_graph(self, graph: str | None, *, timeout: float | None = None) -> None:
        """Drop a named graph (or clear the default graph); NotFoundError when missing."""
        if graph is None:
            self.update("CLEAR SILENT DEFAULT", timeout=timeout)
            return
        if not self.has_graph(graph):
            raise NotFoundError(f"no graph <{graph}>")
        # SILENT: Virtuoso refuses to DROP a graph it was not told to CREATE (a Graph Store upload).
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}", timeout=timeout)

    def load_dataset(self, data: bytes, media_type: str, *, progress: LoadProgress | None = None) -> None:
        """Add a dataset, after parsing it here completely: in one update request, or graph by graph
        where the engine needs it (``progress`` is then told of each graph loaded)."""
        if not self.profile.uploads_by_graph_store:
            try:
                update = dataset_update(data, media_type)  # parsed here, completely, first
            except SyntaxError as error:
                raise syntax_error(error) from error
            self.update(update)
            return
        try:
            graphs = dataset_graphs(data, media_type)
        except SyntaxError as error:
            raise syntax_error(error) from error
        if graphs and graphs[0][0] is None:
            self._send_graph("POST", None, b"", None)  # refused before anything is sent
        sent = 0
        for done, (graph, ntriples) in enumerate(graphs, start=1):
            self._send_graph("POST", graph, ntriples, None)
            sent += ntriples.count(b"\n")
            if progress is not None:
                progress(graph, sent, done, len(graphs))
