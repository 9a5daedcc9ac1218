"""The in-memory store: pyoxigraph in memory, behind killable worker processes.

Readers are forked from the engine process that holds the data (a copy-on-write snapshot
each), so a query past its timeout is stopped by killing its worker while the others go
on serving. Load the data at start with :meth:`MemoryStore.load_dataset`.

>>> with MemoryStore() as store:
...     store.load_dataset(b'<http://e/a> <http://e/p> "x" <http://e/g> .', "application/n-quads")
...     store.query("SELECT ?o WHERE { ?s ?p ?o }", results_media_type="text/csv").read()
b'o\\r\\nx\\r\\n'
"""

from __future__ import annotations

from graph.stores._embedded import EmbeddedStore


class MemoryStore(EmbeddedStore):
    """A pyoxigraph in-memory store; its data lives as long as the store."""

    kind = "memory"

    def __init__(
        self, *, workers: int | None = None, max_rows: int | None = None, union_default_graph: bool = True
    ) -> None:
        super().__init__(
            path=None, workers=workers, max_rows=max_rows, union_default_graph=union_default_graph
        )
