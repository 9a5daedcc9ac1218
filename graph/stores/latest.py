"""Reads of the state a store's writer holds, for a check made right before a write.

Each write to the disk store makes a checkpoint that readers open afresh (a few ms of
RocksDB's open): a read straight after a write waits for that. A check-then-write (a coding
save reads what it validates against, then writes) asks its reads of the writer instead, which
holds the latest state already: :func:`latest_reads` gives it a view of the store whose queries
go there. The engine still answers a read of the view from a reader when one of the current
state is idle (:mod:`graph.stores.engine.disk`), so reads stay parallel when they can.

>>> from graph.stores.memory import MemoryStore
>>> from graph.results import ask
>>> store = MemoryStore()
>>> ask(latest_reads(store), "ASK { ?s ?p ?o }")
False
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, cast, runtime_checkable

from rdflib.term import Node

from graph.formats import SPARQL_JSON, TURTLE, MediaFormat
from graph.stores.base import QueryResult, Store


@runtime_checkable
class LatestReadStore(Protocol):
    """A store whose writer answers queries about the state it holds (the disk store)."""

    def query_latest(
        self,
        sparql: str,
        *,
        results_media_type: MediaFormat | str = SPARQL_JSON,
        graph_media_type: MediaFormat | str = TURTLE,
        timeout: float | None = None,
    ) -> QueryResult:
        """:meth:`Store.query` of the default dataset, on the latest state."""
        ...


class _LatestReads:
    """A store whose plain queries read the latest state; everything else is the store's own."""

    def __init__(self, store: LatestReadStore) -> None:
        self._store = store

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
        if default_graphs is None and named_graphs is None and not bindings and not outbound:
            return self._store.query_latest(
                sparql,
                results_media_type=results_media_type,
                graph_media_type=graph_media_type,
                timeout=timeout,
            )
        return cast(Store, self._store).query(
            sparql,
            results_media_type=results_media_type,
            graph_media_type=graph_media_type,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            bindings=bindings,
            timeout=timeout,
            outbound=outbound,
        )

    def query_all(
        self, queries: Sequence[str], *, results_media_type: MediaFormat | str = SPARQL_JSON
    ) -> list[QueryResult]:
        """Each query in turn: the writer answers one at a time anyway."""
        return [self.query(sparql, results_media_type=results_media_type) for sparql in queries]

    def __len__(self) -> int:  # a special method, looked up on the class: no __getattr__ for it
        return len(cast(Store, self._store))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def latest_reads(store: Store) -> Store:
    """``store``, or a view of it whose queries read the state its writer holds (see the module)."""
    if isinstance(store, LatestReadStore):
        return cast(Store, _LatestReads(store))
    return store
