"""The engine's dispatcher: one thread that queues requests and hands them to worker processes.

It never evaluates anything itself, so a long request never holds up the loop. Fairness:

* ``readers`` workers are kept for reads, and one spare when they are all busy; while reads
  wait, more are started, up to ``max_readers`` evaluating at once, so a trivial query never
  queues behind long ones for more than a fork; readers started for a burst stay until idle
  for :data:`SPARE_SECONDS`, so the next burst finds them; a read's deadline runs from the moment the
  caller sent it, so its time in the queue counts;
* a read running longer than :data:`SLOW_SECONDS` is reniced, so that the cores go first to
  the short requests started beside it (its worker is reused only if its priority can be
  restored after, which takes privileges: otherwise it is replaced);
* a worker past its deadline is SIGKILLed (pyoxigraph cannot cancel a query), and one past
  its memory limit ends by itself; either way the caller gets an answer before any byte.

Reads reach it only as ``lease`` requests: the reader is handed to the caller, which sends it
reads itself (:mod:`graph.stores.engine.leases`, where the read's deadline, renicing and the
pool's bounds are kept), until it gives it back or is asked to (a write was acknowledged, or
the readers of a disk store's directory must go before its first write). A leased reader is
watched only for its end, through its pidfd: its socket is the caller's to read.

The two kinds of embedded store differ in where readers come from and how writes are made;
see :mod:`graph.stores.engine.memory` (memory) and :mod:`graph.stores.engine.disk` (disk).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import send_handle
from typing import Any

from graph.stores.engine.messages import (
    LATEST,
    LEASE,
    RELEASE,
    REVOKE,
    Job,
    Reply,
    receive_read_reply,
    send_reply,
    stopped,
)
from graph.stores.engine.processes import Child, reap

SLOW_SECONDS = 1.0
"""How long a read runs before it counts as slow and yields the cores to newer requests.

Short reads never need it: a read that waits gets a worker of its own at once, and the
kernel shares the cores. A long one yields so that they go first to what started after it."""

_SLOW_NICENESS = 10

SPARE_SECONDS = 30.0
"""How long a reader started for a burst of reads stays once the burst is over, idle.

A REST lookup sends its few queries at once; killing the extra readers as soon as they finish
would fork them again for the next lookup, which costs more than the queries themselves."""


@dataclass
class Worker:
    process: Child
    connection: Connection
    generation: int
    outbound: bool = False  # may open network connections: serves one allowed request, then goes
    job: Job | None = None
    reniced: bool = False
    idle_since: float = 0.0
    lease: int | None = None  # the epoch it was leased to the caller in
    answered: bool = False  # it has answered a read: its store is open (a new one may be opening it)


@dataclass(frozen=True)
class Limits:
    readers: int
    max_readers: int
    max_rows: int | None
    memory_limit: int | None


class Dispatcher:
    """The single-threaded event loop shared by both kinds of embedded store."""

    def __init__(self, caller: Connection, limits: Limits) -> None:
        self.caller = caller
        self.limits = limits
        self.generation = 0
        self.workers: list[Worker] = []
        self.idle: list[Worker] = []
        self.spawning = 0  # readers asked for and not yet arrived
        self.reads: deque[Job] = deque()
        self.writes: deque[Job] = deque()
        self.write: Job | None = None  # the write in progress
        self.epoch = 0  # leases of an older epoch are to be given back

    # --- hooks for the two kinds ------------------------------------------------------------
    def spawn_reader(self, outbound: bool) -> None:
        """Start a reader of the current generation; it joins through :meth:`add_reader`."""
        raise NotImplementedError

    def can_spawn_readers(self) -> bool:
        return True

    def start_writes(self) -> None:
        raise NotImplementedError

    def other_connections(self) -> list[Any]:
        return []

    def on_other_ready(self, connection: Any) -> None:
        raise NotImplementedError

    def queue(self, job: Job) -> None:
        """Put a request in line: a read for the readers, a write for the writer."""
        if job.operation == LATEST:  # every reader holds the latest state here
            job.operation = "query"
        (self.reads if job.is_read else self.writes).append(job)

    def expire_write(self, now: float) -> None:
        """Stop the write in progress once it runs past its deadline."""

    def shut_down(self) -> None:
        for worker in self.workers:
            worker.process.kill()

    # --- the loop ---------------------------------------------------------------------------
    def run(self) -> None:
        while True:
            self.start_writes()
            self.start_reads()
            busy = [w.connection for w in self.workers if w.job is not None and w.lease is None]
            leased = [w.process for w in self.workers if w.lease is not None]
            watched = [self.caller, *busy, *leased, *self.other_connections()]
            for connection in wait(watched, self.seconds_to_next_event()):
                if connection is self.caller:
                    if not self.receive_requests():
                        self.shut_down()
                        return
                elif connection in busy:
                    self.finish(next(w for w in self.workers if w.connection is connection))
                elif isinstance(connection, Child):  # a leased reader ended: its deadline, its memory
                    self.retire(next(w for w in self.workers if w.process is connection))
                else:
                    self.on_other_ready(connection)
            now = time.monotonic()
            self.expire(now)
            self.renice_slow(now)
            self.retire_spares(now)
            reap()

    def receive_requests(self) -> bool:
        """Take every request waiting on the caller's socket; False once the caller is gone."""
        while True:
            try:
                request, operation, args, timeout, deadline, outbound = self.caller.recv()
            except EOFError:
                return False
            if operation == RELEASE:
                self.release(*args)
            else:
                self.queue(Job(request, operation, args, timeout, deadline, outbound))
            if not self.caller.poll():
                return True

    def reply(self, job: Job, reply: Reply) -> None:
        send_reply(self.caller, reply, job.request)

    def seconds_to_next_event(self) -> float | None:
        now = time.monotonic()
        jobs = [*self.reads, *self.writes, *(w.job for w in self.workers if w.job)]
        if self.write is not None:
            jobs.append(self.write)
        moments = [job.deadline for job in jobs if job.deadline is not None]
        moments += [
            w.job.started + SLOW_SECONDS
            for w in self.workers
            if w.job is not None and w.job.started is not None and not w.reniced
        ]
        if self.surplus():
            moments.append(min(w.idle_since for w in self.idle) + SPARE_SECONDS)
        return max(0.0, min(moments) - now) if moments else None

    # --- readers ----------------------------------------------------------------------------
    def fresh(self, worker: Worker) -> bool:
        return worker.generation == self.generation and not worker.outbound

    def add_reader(self, worker: Worker) -> None:
        self.spawning = max(0, self.spawning - 1)
        self.workers.append(worker)
        if worker.generation != self.generation:
            self.retire(worker)  # a write was acknowledged while it was being forked
        else:
            worker.idle_since = time.monotonic()
            self.idle.append(worker)

    def take_idle(self, outbound: bool) -> Worker | None:
        for worker in reversed(self.idle):  # the latest used first: spares left idle age out
            if worker.outbound == outbound and worker.generation == self.generation:
                self.idle.remove(worker)
                return worker
        return None

    def start_reads(self) -> None:
        if not self.can_spawn_readers():
            return
        # A reader started per round until no read waits: a lease has no deadline that would bring
        # the loop back here. Readers a disk store forked at once take their reads in the next round.
        while self.grow(self.assign_reads()):
            pass
        self.assign_reads()

    def assign_reads(self) -> int:
        """Give waiting reads to idle readers; how many ordinary reads still wait."""
        waiting = 0
        for job in list(self.reads):
            worker = self.take_idle(job.outbound)
            if worker is None:
                if job.outbound and self.spawning == 0:
                    self.spawn(outbound=True)  # one at a time: each serves one job
                waiting += not job.outbound
                continue
            self.reads.remove(job)
            self.assign(worker, job)
        return waiting

    def grow(self, waiting: int) -> bool:
        """Start a reader for the reads that wait (up to ``max_readers``), or keep one warm; if it did."""
        fresh = sum(1 for w in self.workers if self.fresh(w)) + self.spawning
        idle = sum(1 for w in self.idle if self.fresh(w)) + self.spawning
        more_wait = waiting > idle and fresh < self.limits.max_readers
        if more_wait or (idle == 0 and fresh < self.limits.readers):
            self.spawn(outbound=False)
            return True
        return False

    def spawn(self, outbound: bool) -> None:
        self.spawning += 1
        self.spawn_reader(outbound)

    def assign(self, worker: Worker, job: Job) -> None:
        worker.job = job
        if job.operation == LEASE:
            # The caller keeps the read's deadline from here; the reader is its own until given back.
            job.deadline, worker.lease = None, self.epoch
            self.caller.send((job.request, LEASE, self.epoch, worker.process.pid))
            send_handle(self.caller, worker.connection.fileno(), 0)
            send_handle(self.caller, worker.process.pidfd, 0)
            return
        job.started = time.monotonic()
        worker.connection.send((job.operation, job.args))

    def release(self, pid: int) -> None:
        """The caller gave a leased reader back: it goes (an old snapshot, or its directory wanted)."""
        worker = next((w for w in self.workers if w.lease is not None and w.process.pid == pid), None)
        if worker is not None:
            self.retire(worker)

    def revoke(self) -> None:
        """Ask the caller to give back every lease made so far (it may finish the reads under way)."""
        if any(w.lease == self.epoch for w in self.workers):
            self.epoch += 1
            self.caller.send((-1, REVOKE, self.epoch))

    def finish(self, worker: Worker) -> None:
        job, worker.job = worker.job, None
        assert job is not None
        try:
            ending, reply = receive_read_reply(worker.connection)
        except (EOFError, OSError):
            reply = stopped(job, self.limits.memory_limit)
            self.retire(worker)
            self.reply(job, reply)
            return
        self.reply(job, reply)
        worker.answered = True
        if worker.reniced and worker.process.renice(0):
            worker.reniced = False
        if ending or worker.reniced or worker.outbound or not self.fresh(worker):
            self.retire(worker)
        else:
            worker.idle_since = time.monotonic()
            self.idle.append(worker)

    def surplus(self) -> bool:
        """Past the pool's size, with a reader idle: a spare that goes once idle for long enough."""
        fresh = sum(1 for w in self.workers if self.fresh(w))
        return fresh > self.limits.readers and any(self.fresh(w) for w in self.idle)

    def retire_spares(self, now: float) -> None:
        """Retire the readers past the pool's size that have been idle for :data:`SPARE_SECONDS`."""
        while self.surplus():
            oldest = min((w for w in self.idle if self.fresh(w)), key=lambda w: w.idle_since)
            if now - oldest.idle_since < SPARE_SECONDS:
                return
            self.retire(oldest)

    def retire(self, worker: Worker) -> None:
        worker.process.kill()  # SIGKILL: the only way to stop a running pyoxigraph call
        worker.connection.close()
        self.workers.remove(worker)
        if worker in self.idle:
            self.idle.remove(worker)

    def advance(self, generation: int) -> None:
        """A write was acknowledged: later reads must not reach an older snapshot."""
        self.generation = generation
        for worker in [w for w in self.idle if w.generation != generation]:
            self.retire(worker)
        self.revoke()  # sent before the write's reply: no read after it reaches the old snapshot

    def renice_slow(self, now: float) -> None:
        for worker in self.workers:
            job = worker.job
            slow = job is not None and job.started is not None and now - job.started >= SLOW_SECONDS
            if slow and not worker.reniced:
                worker.process.renice(_SLOW_NICENESS)
                worker.reniced = True

    def expire(self, now: float) -> None:
        for worker in [w for w in self.workers if w.job is not None and w.job.expired(now)]:
            job = worker.job
            assert job is not None
            self.retire(worker)
            self.reply(job, job.timed_out())
        for queue in (self.reads, self.writes):
            for job in [job for job in queue if job.expired(now)]:
                queue.remove(job)
                self.reply(job, job.timed_out())
        self.expire_write(now)
