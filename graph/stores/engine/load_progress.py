"""How far a load into an embedded store has got, told across the process boundary.

The engine parses a load in one call, in another process, and its replies come at the end; so
the caller makes a small file, the engine's parser reads its input through :func:`counted`,
which writes there the bytes it has read, and :func:`watched` reads them back a few times a
second for a callback. The input is read through a buffer of a MiB: pyoxigraph parses from it
in as much CPU time as from the bytes themselves (measured on a 300,000-quad bulk load).

>>> seen = []
>>> with watched(seen.append) as path:
...     with counted(b"<http://e/a> <http://e/p> <http://e/o> .", path) as source:
...         _ = source.read()
>>> seen[-1]
40
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

_COUNT = 8  # bytes of the little-endian count at the start of the file
_STEP = 1 << 20  # a count is written at most once a MiB read (and at the end)
_BUFFER = 1 << 20


class _CountingReader(io.RawIOBase):
    """``data`` as a stream, writing the position read to the file ``descriptor`` as it goes."""

    def __init__(self, data: bytes, descriptor: int) -> None:
        super().__init__()
        self._view = memoryview(data)
        self._position = 0
        self._told = -1
        self._descriptor = descriptor

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = min(len(buffer), len(self._view) - self._position)
        buffer[:size] = self._view[self._position : self._position + size]
        self._position += size
        if size == 0 or self._position - self._told >= _STEP:
            os.pwrite(self._descriptor, self._position.to_bytes(_COUNT, "little"), 0)
            self._told = self._position
        return size


@contextlib.contextmanager
def counted(data: bytes, path: str | None) -> Iterator[bytes | IO[bytes]]:
    """What the engine parses: ``data`` itself, or with a ``path`` a stream counting into it."""
    if path is None:
        yield data
        return
    descriptor = os.open(path, os.O_WRONLY)
    try:
        with io.BufferedReader(_CountingReader(data, descriptor), _BUFFER) as source:
            yield source
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def watched(progress: Callable[[int], None], interval: float = 0.2) -> Iterator[str]:
    """A file for :func:`counted` to count into, whose count ``progress`` hears every ``interval``
    seconds while the block runs, and once more at its end."""
    descriptor, path = tempfile.mkstemp(prefix="stancegraph-load-", suffix=".progress")
    os.write(descriptor, bytes(_COUNT))
    stop = threading.Event()

    def tell() -> None:
        progress(int.from_bytes(os.pread(descriptor, _COUNT, 0), "little"))

    def poll() -> None:
        while not stop.wait(interval):
            tell()

    poller = threading.Thread(target=poll, name="load-progress", daemon=True)
    poller.start()
    try:
        yield path
    finally:
        stop.set()
        poller.join()
        with contextlib.suppress(OSError):
            tell()
        os.close(descriptor)
        Path(path).unlink()
