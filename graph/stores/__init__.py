"""Stores: one protocol (:class:`Store`), three implementations, chosen by :func:`open_store`.

- ``memory``: pyoxigraph in memory (:class:`~graph.stores.memory.MemoryStore`);
- ``disk``: pyoxigraph on disk (:class:`~graph.stores.disk.DiskStore`);
- ``remote``: any SPARQL 1.1 endpoint (:class:`~graph.stores.remote.RemoteStore`).

Queries see the union of the named graphs as their default graph unless
``default_graphs`` is given.

A store evaluates whatever SPARQL it is handed, and pyoxigraph fetches the IRIs of
``SERVICE`` and ``LOAD`` itself. Requests from outside therefore reach a store only
through :mod:`graph.sparql.policy`, which refuses those (and remote ``FROM``) first.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal, Unpack

from graph._lazy import lazy_names

if TYPE_CHECKING:
    import httpx

    from graph.stores.base import QueryResult, Store
    from graph.stores.disk import DiskStore
    from graph.stores.engine.client import EngineOptions
    from graph.stores.memory import MemoryStore
    from graph.stores.remote import RemoteStore

__all__ = ["DiskStore", "MemoryStore", "QueryResult", "RemoteStore", "Store", "open_store"]

# Loaded at first use (PEP 562): a store's engine process imports graph.stores.engine, and
# with it this package, but none of rdflib or httpx.
__getattr__, __dir__ = lazy_names(
    globals(),
    {
        "DiskStore": "graph.stores.disk:DiskStore",
        "MemoryStore": "graph.stores.memory:MemoryStore",
        "QueryResult": "graph.stores.base:QueryResult",
        "RemoteStore": "graph.stores.remote:RemoteStore",
        "Store": "graph.stores.base:Store",
    },
)


def open_store(
    kind: Literal["memory", "disk", "remote"],
    *,
    path: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    graph_store_endpoint: str | None = None,
    auth: tuple[str, str] | httpx.Auth | None = None,
    engine: str = "auto",
    read_timeout: float | None = None,
    **options: Unpack[EngineOptions],
) -> Store:
    """Open a store of the given kind: ``disk`` needs ``path``, ``remote`` needs ``endpoint``.

    ``options`` size and bound an embedded store's engine
    (:class:`~graph.stores.engine.client.EngineOptions`); of them a remote store takes only
    ``max_rows`` (its default graph is the server's own choice, e.g. Oxigraph's
    ``--union-default-graph``); ``engine`` names the remote's engine profile
    (:mod:`graph.stores.engines`: oxigraph, virtuoso, generic, or auto to detect it), and
    ``read_timeout`` the timeout of its queries that give none.

    >>> store = open_store("memory", max_rows=1)
    >>> store.update("INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> 1, 2 } }")
    >>> result = store.query("SELECT ?o WHERE { ?s ?p ?o }", results_media_type="text/tab-separated-values")
    >>> result.truncated, result.read().count(b"\\n")
    (True, 2)
    >>> store.close()
    """
    if kind == "memory":
        from graph.stores.memory import MemoryStore

        return MemoryStore(**options)
    if kind == "disk":
        if path is None:
            raise ValueError("a disk store needs a path")
        from graph.stores.disk import DiskStore

        return DiskStore(path, **options)
    if kind == "remote":
        if endpoint is None:
            raise ValueError("a remote store needs an endpoint URL")
        from graph.stores.remote import RemoteStore

        return RemoteStore(
            endpoint,
            update_endpoint=update_endpoint,
            graph_store_endpoint=graph_store_endpoint,
            auth=auth,
            max_rows=options.get("max_rows"),
            read_timeout=read_timeout,
            engine=engine,
        )
    raise ValueError(f"unknown store kind {kind!r}: memory, disk or remote")
