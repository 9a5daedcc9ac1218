"""The disk store's engine: readers of read-only checkpoints, one writer of the RocksDB store.

RocksDB has background threads, so no process that opened it is ever forked. Until the first
write nothing writes the store, so readers open the directory itself read-only, and the
dispatcher holds RocksDB's lock meanwhile so no other process opens it to write. The first
write waits until no reader has the directory open (a read-only open of a directory another
process writes is undefined behaviour), then a writer process (forked before it opens
anything) takes the read-write store: a read-only service never pays for one. After each
write the writer makes a checkpoint (hard links, a few ms) that readers open read-only. A new
store, or one holding an interrupted bulk load, starts its writer at once, to create the store
or clear the load. A write past its deadline kills the writer: its RocksDB transaction never
committed, so nothing is partial, and a fresh writer reopens the store for the next write.

The writer is denied the network like the readers; a write the policy allowed out is made by
a writer started without that filter, replaced again by a confined one for the next write.
A directory the process may not write (a read-only filesystem, no permission) has no writer:
readers open the directory itself and every write is refused.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.stores.engine.dispatcher import Dispatcher, Limits, Worker
from graph.stores.engine.messages import LATEST, Job, Reply, stopped, unavailable
from graph.stores.engine.operations import serve_reads
from graph.stores.engine.processes import Child, fork
from graph.stores.engine.writer import (
    BULK_LOAD_MARKER,
    SNAPSHOTS_DIRECTORY,
    serve_writes,
    unreadable,
    why_unwritable,
)

_WRITER_CLOSE_SECONDS = 10  # the writer flushes and closes RocksDB when it sees EOF
# A checkpoint is hard links and a memtable flush: seconds at most. RocksDB retries a flush
# that meets a full disk without end, so past this the writer is killed and the write reported.
CHECKPOINT_SECONDS = 30.0


@dataclass
class _Writer:
    process: Child
    connection: Connection
    network: bool
    ready: bool = False  # its first snapshot exists: it takes writes


class DiskDispatcher(Dispatcher):
    def __init__(self, caller: Connection, limits: Limits, path: Path) -> None:
        super().__init__(caller, limits)
        self.path = path
        self.snapshots: dict[int, str] = {}
        self.writer: _Writer | None = None  # started again for the next write once it is gone
        self.committed: Reply | None = None  # the write's reply, sent once its snapshot exists
        self.read_only: str | None = None  # the reply to every write, when the store is read-only
        self.lock: int | None = None  # RocksDB's LOCK file, held while no writer holds it

    def open(self) -> str | None:
        """Open for reads, or go read-only if the directory cannot be written; why it cannot open.

        The writer starts at the first write, unless a new store must be created or an
        interrupted bulk load cleared first.
        """
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return f"cannot create the disk store at {self.path}: {error}"
        if (reason := why_unwritable(self.path)) is not None:
            return self.open_read_only(reason)
        if (self.path / "CURRENT").exists() and not (self.path / BULK_LOAD_MARKER).exists():
            return self.open_without_writer()
        self.start_writer(first=True)
        message = self.receive_from_writer()
        if message[0] == "failed":
            self.stop_writer()
            return f"cannot open the disk store at {self.path}: {message[1]}"
        self.on_writer_message(message)
        return None

    def open_read_only(self, reason: str) -> str | None:
        if (self.path / BULK_LOAD_MARKER).exists():  # only a writer can clear it (see _load_dataset)
            return (
                f"cannot open the disk store at {self.path}: it is read-only ({reason}) and holds an "
                "interrupted bulk load, which only a writable open clears"
            )
        if not (self.path / "CURRENT").exists():  # RocksDB's pointer to its manifest: no database
            return f"cannot open the disk store at {self.path}: it is read-only ({reason}) and holds no store"
        self.read_only = f"the disk store at {self.path} is read-only ({reason}): writes are off"
        return None

    def open_without_writer(self) -> str | None:
        """Serve reads from the directory itself, holding RocksDB's lock as an open writer would."""
        self.lock = os.open(self.path / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # RocksDB's own kind of lock
        except OSError as error:
            self.release_lock()
            return f"cannot open the disk store at {self.path}: another process has it open ({error})"
        shutil.rmtree(self.path / SNAPSHOTS_DIRECTORY, ignore_errors=True)  # left by an abrupt end
        return None

    def release_lock(self) -> None:
        """Let the writer take the lock (only a process's own lock is released: readers hold none)."""
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None

    def reads_directory(self) -> bool:
        """Whether readers open the directory itself: nothing writes it (read-only, or no writer yet)."""
        return self.read_only is not None or (self.writer is None and not self.snapshots)

    def start_writer(self, *, first: bool, network: bool = False) -> None:
        generation = 0 if first else self.generation + 1
        inherited = [self.caller, *(w.connection for w in self.workers)]
        budget = self.limits.memory_limit
        process, connection = fork(
            lambda c: serve_writes(c, self.path, generation, first, budget), inherited, network=network
        )
        self.writer = _Writer(process, connection, network)

    def stop_writer(self) -> None:
        """Kill the writer (a transaction it did not commit leaves nothing) and wait until it is gone."""
        assert self.writer is not None
        self.writer.process.kill()
        self.writer.connection.close()
        self.writer = None

    def open_snapshot(self) -> ox.Store:
        if self.reads_directory():
            return ox.Store.read_only(str(self.path))  # nobody writes it: the store is its own snapshot
        return ox.Store.read_only(self.snapshots[self.generation])

    def can_spawn_readers(self) -> bool:
        if self.reads_directory():
            # A write waits until no reader has the directory open: its writer would change it
            # under them (undefined in RocksDB), and the writer's first snapshot serves reads after.
            return self.read_only is not None or not self.writes
        return self.generation in self.snapshots

    def fresh(self, worker: Worker) -> bool:
        return super().fresh(worker) and self.can_spawn_readers()

    def spawn_reader(self, outbound: bool) -> None:
        inherited = [self.caller, *self.other_connections(), *(w.connection for w in self.workers)]
        limits = self.limits
        process, connection = fork(
            lambda c: serve_reads(c, self.open_snapshot, limits.max_rows, limits.memory_limit),
            inherited,
            network=outbound,
        )
        self.add_reader(Worker(process, connection, self.generation, outbound))

    def other_connections(self) -> list[Connection]:
        return [self.writer.connection] if self.writer is not None else []

    def queue(self, job: Job) -> None:
        # The writer holds the latest state: a read of it asked there needs no reader to open a
        # checkpoint first, unless one of the current state is idle with its store open. A writer started
        # with the network for a write the policy allowed out takes no reads.
        writer = self.writer
        to_writer = job.operation == LATEST and writer is not None and writer.ready and not writer.network
        if to_writer and not any(self.fresh(worker) and worker.answered for worker in self.idle):
            self.writes.append(job)
        else:
            super().queue(job)

    def start_writes(self) -> None:
        if self.read_only is not None:
            while self.writes:
                self.reply(self.writes.popleft(), unavailable(self.read_only))
            return
        idle_writer = self.writer is not None and self.write is None
        if idle_writer and self.writes and self.writer.network != self.writes[0].outbound:  # type: ignore[union-attr]
            self.stop_writer()  # only a write the policy allowed out gets a writer with network
        if self.writer is None and self.writes:
            if self.reads_directory():
                for worker in list(self.idle):
                    self.retire(worker)
                if self.workers:
                    self.revoke()
                    return  # the busy readers of the directory finish first, and leases come back
                self.release_lock()
            self.start_writer(first=False, network=self.writes[0].outbound)
        if self.writer is not None and self.writer.ready and self.write is None and self.writes:
            self.write = self.writes.popleft()
            self.writer.connection.send((self.write.operation, self.write.args))
            self.write.args = ()  # the writer has the data: no second copy held meanwhile

    def receive_from_writer(self) -> tuple[Any, ...]:
        assert self.writer is not None
        try:
            message: tuple[Any, ...] = self.writer.connection.recv()
        except (EOFError, OSError):
            message = ("died", "its writer process died")
        return message

    def on_other_ready(self, connection: Any) -> None:
        self.on_writer_message(self.receive_from_writer())

    def on_writer_message(self, message: tuple[Any, ...]) -> None:
        assert self.writer is not None
        kind = message[0]
        if kind == "died" and self.writer.ready and self.write is not None and self.committed is None:
            # It ended in the middle of a write, which therefore never committed: past its memory
            # limit, where one is set (the kernel refused an allocation), or by a crash.
            job, self.write = self.write, None
            self.stop_writer()
            self.reply(job, stopped(job, self.limits.memory_limit))
        elif kind in ("failed", "died"):
            self.on_writer_failed(f"cannot write to the disk store at {self.path}: {message[1]}")
        elif kind == "broken":  # the write's final reply; the writer has ended
            applied = self.committed is not None
            self.finish_write(message[1])
            self.stop_writer()
            if applied:  # a fresh writer's first snapshot lets reads see the write, if there is room
                self.start_writer(first=False)
        elif kind == "done":
            reply = message[1]
            assert self.write is not None
            self.write.deadline = None
            if reply[0] == "error" or self.write.operation == LATEST:
                self.finish_write(reply)
            else:
                self.committed = reply
                self.write.deadline = time.monotonic() + CHECKPOINT_SECONDS
        else:  # "ready" or "snapshot": a new generation readers can open
            _, generation, snapshot = message
            self.snapshots[generation] = snapshot
            self.writer.ready = True
            self.advance(generation)
            if self.committed is not None:
                self.finish_write(self.committed)
            self.forget_unused_snapshots()

    def on_writer_failed(self, reason: str) -> None:
        assert self.writer is not None
        failed = [] if self.write is None else [self.write]
        if not self.writer.ready:
            # It could not start: the writes waiting for it fail too, or each would start
            # another writer on a disk that cannot take one now.
            failed.extend(self.writes)
            self.writes.clear()
        self.stop_writer()
        self.write, self.committed = None, None
        for job in failed:
            self.reply(job, unavailable(reason))

    def finish_write(self, reply: Reply) -> None:
        assert self.write is not None
        self.reply(self.write, reply)
        self.write, self.committed = None, None

    def retire(self, worker: Worker) -> None:
        super().retire(worker)
        self.forget_unused_snapshots()

    def forget_unused_snapshots(self) -> None:
        used = {self.generation, *(worker.generation for worker in self.workers)}
        for generation in [g for g in self.snapshots if g not in used]:
            shutil.rmtree(self.snapshots.pop(generation), ignore_errors=True)

    def expire_write(self, now: float) -> None:
        if self.write is None or not self.write.expired(now):
            return
        self.stop_writer()
        if self.committed is not None:  # kept in the write-ahead log; a fresh writer's checkpoint shows it
            stalled = f"its checkpoint for the readers did not finish within {CHECKPOINT_SECONDS:g} s"
            self.finish_write(unavailable(unreadable(self.path, None, stalled)))
            self.start_writer(first=False)
        else:  # killing the writer aborts its RocksDB transaction: the update leaves nothing behind
            self.finish_write(self.write.timed_out())

    def shut_down(self) -> None:
        super().shut_down()
        if self.writer is not None:
            self.writer.connection.close()  # the writer closes the store cleanly when it sees EOF
            self.writer.process.wait(_WRITER_CLOSE_SECONDS)
            self.writer.process.kill()
        if self.read_only is None:
            shutil.rmtree(self.path / SNAPSHOTS_DIRECTORY, ignore_errors=True)
