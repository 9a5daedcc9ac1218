"""The disk store: pyoxigraph on RocksDB in a directory, durable and quick to reopen.

Every acknowledged write is in RocksDB's write-ahead log before the call returns, so it
survives a kill -9 of the service. Reopening a directory does not reload anything: use
:meth:`DiskStore.load_if_empty` to load the embedded data on the first start only.

Loading into an empty store uses Oxigraph's bulk loader (several times quicker than a
transaction, and a fraction of its memory), which is not one transaction. It is made all or
nothing all the same: a load that fails clears the store again, and while a bulk load runs
a ``stancegraph-bulk-load-unfinished`` file in the directory says so; if the process is
killed before the load completes, the next open finds that file and clears the store. So a
store is never left partly loaded looking complete: after a crash it is empty (and
``load_if_empty`` loads again) or it holds the whole dataset.

A write that fails names its cause as the directory shows it, not as a guess from the
engine's message: "no space left on the device", "permission denied", "the filesystem is
read-only", or "the store's directory was removed (or moved away)". A full disk refuses the
write that meets it with StoreUnavailableError ("cannot write to the disk store at ...: no
space left on the device (...)"), and nothing of it is kept. If the disk fills just after a
write committed, while its read snapshot is made, the write is kept and the error says so,
and that reads cannot see it yet. Either way, once there is room the next write goes through,
with no restart, and every acknowledged write is there.

A directory removed under a running store is another matter: RocksDB goes on writing to the
files it holds open, which vanish with it. Such a write is never acknowledged: the error says
it was not made durable and may be lost, and every later write is refused ("the store's
directory was removed ...: writes are off until the store is reopened"), since reopening the
path would make an empty store there.

If the engine process dies (the OOM killer, ``kill -9``), a new one reopens the directory
(:mod:`graph.stores.engine.supervision`): every acknowledged write is there; the requests made
meanwhile get StoreUnavailableError with a retry hint. A directory that no longer holds the
store is not reopened.

A directory the process cannot write (a read-only filesystem, or one it has no permission
for) opens read-only: reads are served from the directory itself and every write raises
StoreUnavailableError ("the disk store at ... is read-only (Read-only file system): writes
are off"). Nothing else may write the directory meanwhile.

The directory is a plain Oxigraph database (the ``oxigraph`` command line opens it); once
written, the store keeps its read snapshots in a ``stancegraph-snapshots`` subdirectory
while open. One process at a time may open a directory. A store that is only read never
starts the process that writes it (a saving in memory): the first write does, after the
reads then running finish.

>>> import tempfile
>>> triple = b"<http://e/a> <http://e/p> <http://e/o> ."
>>> with tempfile.TemporaryDirectory() as directory:
...     with DiskStore(directory) as store:
...         store.load_if_empty(triple, "application/n-triples")
...     with DiskStore(directory) as store:
...         store.load_if_empty(triple, "application/n-triples"), len(store)
True
(False, 1)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Unpack

from graph.formats import SPARQL_JSON, TURTLE, MediaFormat
from graph.stores.base import QueryResult
from graph.stores.engine.client import EmbeddedStore, EngineOptions, query_args, query_result
from graph.stores.engine.messages import LATEST


class DiskStore(EmbeddedStore):
    """A pyoxigraph store on disk at ``path`` (created when missing)."""

    kind = "disk"

    def __init__(
        self,
        path: str | os.PathLike[str],
        **options: Unpack[EngineOptions],
    ) -> None:
        super().__init__(path=path, **options)

    @staticmethod
    def _refuse_reopen(path: str | os.PathLike[str] | None) -> str | None:
        """A directory that no longer holds the store is not reopened: that would make an empty one."""
        if path is not None and not (Path(path) / "CURRENT").exists():  # RocksDB's pointer to its files
            return (
                f"the disk store's engine died and its directory {path} no longer holds the store "
                "(removed or moved away): it is not reopened empty; restore the directory and "
                "restart the service"
            )
        return None

    def query_latest(
        self,
        sparql: str,
        *,
        results_media_type: MediaFormat | str = SPARQL_JSON,
        graph_media_type: MediaFormat | str = TURTLE,
        timeout: float | None = None,
    ) -> QueryResult:
        """A query of the latest state, answered by the writer unless a reader of it is idle
        (see :mod:`graph.stores.latest`); no dataset, bindings or network.

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as directory, DiskStore(directory) as store:
        ...     store.update("INSERT DATA { <http://e/a> <http://e/p> 1 }")
        ...     store.query_latest("ASK { ?s ?p 1 }", results_media_type="text/csv").read()
        b'true'
        """
        args = query_args(sparql, results_media_type, graph_media_type, None, None, None)
        return query_result(self._channel.call(LATEST, args, timeout, False))

    def load_if_empty(self, data: bytes, media_type: str) -> bool:
        """Load a dataset, all or nothing, if the store holds nothing yet; True when it did."""
        if self._call("holds_quads")[1]:  # asked of a reader: a store that stays as it is needs no writer
            return False
        return bool(self._write("load_if_empty", data, media_type)[1])
