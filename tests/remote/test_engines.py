"""The engine profiles against the real engines: detection, graph-by-graph loads, an engine that goes down."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.dataset import embedded_nquads
from graph.errors import StoreUnavailableError
from graph.stores.remote import RemoteStore
from tests.graph.conftest import OxigraphServer
from tests.remote.virtuoso import VirtuosoServer


def test_auto_detects_each_engine(tmp_path: Path, virtuoso_server: VirtuosoServer) -> None:
    oxigraph = OxigraphServer(tmp_path / "oxigraph")
    oxigraph.start()
    try:
        with RemoteStore(oxigraph.query_url) as store:
            assert store.profile.name == "oxigraph"
    finally:
        oxigraph.stop()
    with RemoteStore(virtuoso_server.query_url) as store:
        assert store.profile.name == "virtuoso"


def test_virtuoso_loads_graph_by_graph_with_progress(virtuoso_server: VirtuosoServer) -> None:
    told: list[tuple[str | None, int, int, int]] = []
    with virtuoso_server.store() as store:
        store.load_dataset(embedded_nquads(), "application/n-quads", progress=lambda *args: told.append(args))
        graphs = store.graph_names()
        assert sorted(str(graph) for graph, *_ in told) == sorted(graphs)
        assert [done for _, _, done, _ in told] == list(range(1, len(graphs) + 1))
        assert told[-1][1] == len(store)  # every triple sent was kept, blank nodes included


def test_virtuoso_down_then_back(virtuoso_server: VirtuosoServer) -> None:
    with virtuoso_server.store() as store:
        store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> 1 } }")
        virtuoso_server.stop()
        try:
            with pytest.raises(StoreUnavailableError, match="cannot be reached"):
                store.query("ASK { ?s ?p ?o }")
        finally:
            virtuoso_server.start()
        assert b"true" in store.query("ASK { <urn:x:a> ?p ?o }").read()
