"""The disk store's writer: the one process that holds the RocksDB store read-write.

It applies each write, then checkpoints the store (hard links, a few ms) for the readers to
open read-only (:mod:`graph.stores.engine.disk` says when it runs and who reads what). A
write that fails names its cause as the directory shows it (:func:`write_failure`): no
space, permission denied, a read-only filesystem, the store's directory removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from graph.stores.engine.messages import LATEST, OPERATOR_OPERATIONS, unavailable
from graph.stores.engine.operations import clear_unfinished_load, execute, set_bulk_load_marker
from graph.stores.engine.processes import limit_memory

SNAPSHOTS_DIRECTORY = "stancegraph-snapshots"
BULK_LOAD_MARKER = "stancegraph-bulk-load-unfinished"


def _snapshot(store: ox.Store, snapshots: Path, generation: int) -> str:
    target = snapshots / str(generation)
    shutil.rmtree(target, ignore_errors=True)  # left by a writer killed while making it
    try:
        store.backup(str(target))
    except OSError:
        shutil.rmtree(target, ignore_errors=True)  # a part-made copy only takes room
        raise
    return str(target)


def serve_writes(
    connection: Connection, path: Path, generation: int, first: bool, memory_limit: int | None
) -> None:
    """Hold the read-write store: apply each write, then checkpoint it for the readers.

    Sends ("ready", generation, snapshot) or ("failed", cause) once; then per write
    ("done", reply) followed, when it committed, by ("snapshot", generation, snapshot).
    When the write or its checkpoint fails (an OSError) the handle is of no more use, so the
    writer sends ("broken", reply), the write's final reply, and ends; the reply names the
    cause as the directory shows it (:func:`write_failure`). A write is acknowledged only
    if the directory it committed to is still the store's: one removed meanwhile lives on
    only in files the writer holds open, so such a write is reported as not durable, and no
    later writer opens the path again (RocksDB would make an empty store there).
    """
    marker = path / BULK_LOAD_MARKER
    set_bulk_load_marker(marker)
    snapshots = path / SNAPSHOTS_DIRECTORY
    if not first and not (path / "CURRENT").exists():
        connection.send(("failed", f"{_DIRECTORY_GONE}: writes are off until the store is reopened"))
        return
    identity: tuple[int, int] | None = None
    try:
        identity = _identity(path)
        store = ox.Store(str(path))
        clear_unfinished_load(store, marker)
        if first:  # snapshots of an earlier run that ended abruptly
            shutil.rmtree(snapshots, ignore_errors=True)
        snapshots.mkdir(exist_ok=True)
        snapshot = _snapshot(store, snapshots, generation)
    except OSError as error:
        with contextlib.suppress(OSError):  # a dispatcher that shut down meanwhile needs no answer
            connection.send(("failed", write_failure(path, identity, error)))
        return
    connection.send(("ready", generation, snapshot))
    while True:
        try:
            operation, args = connection.recv()
        except EOFError:
            break
        limit_memory(None if operation in OPERATOR_OPERATIONS else memory_limit)
        reply = execute(store, operation, args, None)
        limit_memory(None)
        if operation == LATEST:  # a read: nothing changed, no checkpoint
            connection.send(("done", reply))
            continue
        if reply[0] == "error" and reply[1] == "unavailable":  # an OSError: nothing committed
            cause = write_failure(path, identity, reply[2])
            connection.send(("broken", unavailable(f"cannot write to the disk store at {path}: {cause}")))
            return
        if reply[0] != "error" and _gone(path, identity):
            connection.send(("broken", unavailable(_not_durable(path))))
            return
        connection.send(("done", reply))  # the deadline stops here: the write committed
        if reply[0] == "error":
            continue
        generation += 1
        try:
            snapshot = _snapshot(store, snapshots, generation)
        except OSError as error:
            connection.send(("broken", unavailable(unreadable(path, identity, error))))
            return
        connection.send(("snapshot", generation, snapshot))
    with contextlib.suppress(OSError):  # nobody is left to tell; the write-ahead log has every write
        store.flush()


_DIRECTORY_GONE = "the store's directory was removed (or moved away)"
_CAUSES = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the filesystem is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "a file of the store was removed",
}
_PROBE_BYTES = 64 << 10  # a few blocks: a full filesystem refuses them


def _identity(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_dev, status.st_ino


def _gone(path: Path, identity: tuple[int, int] | None) -> bool:
    """Whether ``path`` no longer holds the store the writer opened (``identity``: its directory then)."""
    try:
        if identity is None:
            return not path.is_dir()
        return _identity(path) != identity or not (path / "CURRENT").exists()
    except (FileNotFoundError, NotADirectoryError):
        return True


def _write_problem(directory: Path, size: int) -> OSError | None:
    """What refuses a file of ``size`` bytes in the directory now, or None (the file leaves no name)."""
    try:
        with tempfile.TemporaryFile(dir=directory) as probe:  # O_TMPFILE where there is one
            if size:
                probe.write(bytes(size))
                probe.flush()
                os.fsync(probe.fileno())
    except OSError as error:
        return error
    return None


def _system_error(failure: OSError | str) -> int | None:
    """The errno behind an error of the store, when it tells one.

    pyoxigraph raises RocksDB's failures as an OSError without an errno (at most its class
    says NotFound or PermissionDenied), and RocksDB writes a system error as the system's
    own text for it (strerror), so that text names the errno.

    >>> _system_error("IO error: No space left on device: While appending to file: 000008.log")
    28
    >>> _system_error(PermissionError("IO error: While open a file for appending: LOG")) == errno.EACCES
    True
    """
    if isinstance(failure, OSError):
        if failure.errno is not None:
            return failure.errno
        if isinstance(failure, FileNotFoundError):
            return errno.ENOENT
        if isinstance(failure, PermissionError):
            return errno.EACCES
    text = str(failure)
    return next((code for code in _CAUSES if os.strerror(code) in text), None)


def write_failure(path: Path, identity: tuple[int, int] | None, failure: OSError | str) -> str:
    """Why a write or checkpoint failed, with the error's own text.

    First what the directory shows (gone, or replaced by another), then the system error the
    failure names, then what a probe of the directory meets (a write it refuses now).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as gone:
    ...     pass
    >>> write_failure(Path(gone), None, "IO error: No such file or directory")
    "the store's directory was removed (or moved away)"
    """
    if _gone(path, identity):
        return _DIRECTORY_GONE
    code = _system_error(failure)
    if code is None and (problem := _write_problem(path, _PROBE_BYTES)) is not None:
        code = problem.errno
    return f"{_CAUSES[code]} ({failure})" if code in _CAUSES else str(failure)


def _not_durable(path: Path) -> str:
    return (
        f"the write was not made durable: the store's directory {path} was removed (or moved away) "
        "under it, so it may be lost; writes are off until the store is reopened"
    )


def unreadable(path: Path, identity: tuple[int, int] | None, failure: OSError | str) -> str:
    """The reply to a write that committed but whose checkpoint for the readers failed."""
    cause = write_failure(path, identity, failure)
    if cause == _DIRECTORY_GONE:
        return _not_durable(path)
    return f"the write was applied to the disk store at {path} and is kept, but reads cannot see it: {cause}"


def why_unwritable(directory: Path) -> str | None:
    """Why nothing can be created in the directory (read-only filesystem, no permission), or None."""
    problem = _write_problem(directory, 0)
    if problem is not None and problem.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return problem.strerror
    # Anything else (a full disk) may pass: the writer meets it too, and says so.
    return None
