"""The in-memory store: pyoxigraph in memory, behind killable worker processes.

Readers are forked from the engine process that holds the data (a copy-on-write snapshot
each), so a query past its timeout is stopped by killing its worker while the others go
on serving. Load the data at start with :meth:`MemoryStore.start_from` (or
:meth:`MemoryStore.load_dataset`).

If the engine process dies (the OOM killer, ``kill -9``), a new one starts and the store
answers again (:mod:`graph.stores.engine.supervision`), holding what :meth:`MemoryStore.start_from`
loads: the writes made since the start are lost, and :attr:`MemoryStore.engine_status`
counts them.

>>> with MemoryStore() as store:
...     store.load_dataset(b'<http://e/a> <http://e/p> "x" <http://e/g> .', "application/n-quads")
...     store.query("SELECT ?o WHERE { ?s ?p ?o }", results_media_type="text/csv").read()
b'o\\r\\nx\\r\\n'
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Unpack

from graph.stores.engine.client import EmbeddedStore, EngineOptions


class MemoryStore(EmbeddedStore):
    """A pyoxigraph in-memory store; its data lives as long as the store (see the module notes)."""

    kind = "memory"

    def __init__(self, **options: Unpack[EngineOptions]) -> None:
        super().__init__(path=None, **options)

    def start_from(self, recipe: Callable[[MemoryStore], None]) -> None:
        """Load the store's initial data by running ``recipe`` on it, now and after every engine restart.

        The recipe reads its data again each time (files, the embedded data set), so no copy of
        it is kept. Writes made after this call are what a restart loses.

        >>> triple = b"<http://e/a> <http://e/p> <http://e/o> ."
        >>> with MemoryStore() as store:
        ...     store.start_from(lambda s: s.load_dataset(triple, "application/n-triples"))
        ...     len(store)
        1
        """
        recipe(self)
        store = weakref.ref(self)  # the engine's supervision must not keep the store alive

        def restore() -> None:
            if (alive := store()) is not None:
                recipe(alive)

        self._supervisor.restore_with(restore)
