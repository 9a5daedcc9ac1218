"""The readers the caller holds: reads sent to them straight, not through the dispatcher.

Through the dispatcher a read crosses three processes and four messages; sent to a leased
reader it crosses two processes and two messages, and its reply is read by the thread or the
event loop waiting for it, with no thread between. The engine still starts the readers, sees
them end and takes them back (:mod:`graph.stores.engine.dispatcher`); what it did for a read
is done here, the same way:

* the deadline runs from the call, the wait for a reader included; past it the reader is
  SIGKILLed through its pidfd (pyoxigraph cannot cancel a query) and the engine replaces it;
  a read past its memory limit ends its reader by itself, and the caller sees that end;
* a read running longer than :data:`SLOW_SECONDS` is reniced, and its reader given back after
  if its priority cannot be restored;
* at most ``max_readers`` are held: a read finding none idle asks the engine for one more
  (started if need be) and takes whichever comes first, that one or one given back; leases
  past the pool's size idle for :data:`SPARE_SECONDS` go back;
* a write's acknowledgement follows the engine's revoke on the same socket: every lease of
  the old snapshot goes back (an idle one at once, a busy one when its read ends), so no read
  started after a write returned reads the snapshot before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any, Protocol

from graph.errors import StoreUnavailableError
from graph.stores.engine.dispatcher import SLOW_SECONDS, SPARE_SECONDS
from graph.stores.engine.messages import (
    LEASE,
    RELEASE,
    Reply,
    deadline_of,
    receive_read_reply,
    stopped,
    timed_out,
)

_SLOW_NICENESS = 10
_LOOP_READ_BYTES = 1 << 20  # a larger body is read in a thread, not on the event loop
_ENGINE_END_SECONDS = 30.0  # how long a read whose engine died waits to be told why


class Engine(Protocol):
    """What the pool needs of the channel to the engine (:class:`~graph.stores.engine.channel.Channel`):
    a request sent with no reply waited for (a lease comes to :meth:`Leases.granted`), why the
    engine is gone once the channel knows, whether its end of the socket closed, and a bounded
    wait to be told why."""

    max_unblocking: int

    def notify(self, operation: str, args: tuple[Any, ...]) -> int: ...

    def gone(self) -> tuple[str, float | None] | None: ...

    def hung_up(self) -> bool: ...

    def wait_gone(self, seconds: float) -> tuple[str, float | None] | None: ...


@dataclass(eq=False)
class Lease:
    pid: int
    pidfd: int
    connection: Connection
    epoch: int
    idle_since: float = 0.0
    reniced: bool = False
    ended: bool = False  # killed, or found ended: the engine retires it by itself


_Waiter = Future[Lease] | asyncio.Future[Lease]


class Leases:
    """The caller's pool of leased readers (see the module notes)."""

    def __init__(self, engine: Engine, readers: int, max_readers: int, memory_limit: int | None) -> None:
        self.engine = engine
        self.readers, self.max_readers, self.memory_limit = readers, max_readers, memory_limit
        self.lock = threading.Lock()
        self.idle: list[Lease] = []
        self.held = 0  # idle or busy
        self.asked = 0  # leases asked of the engine and not yet granted
        self.epoch = 0
        self.waiters: deque[_Waiter] = deque()
        self.broken: tuple[str, float | None] | None = None

    # --- the engine's side, from the channel's reader thread ---------------------------------
    def granted(self, epoch: int, pid: int, fd: int, pidfd: int) -> None:
        lease = Lease(pid, pidfd, Connection(fd), epoch, time.monotonic())
        with self.lock:
            self.asked -= 1
            self.held += 1
            if self.broken is not None or epoch < self.epoch:
                self._discard(lease, release=self.broken is None)
            else:
                self._hand_on(lease)

    def revoke(self, epoch: int) -> None:
        with self.lock:
            self.epoch = max(self.epoch, epoch)
            for lease in [lease for lease in self.idle if lease.epoch < self.epoch]:
                self.idle.remove(lease)
                self._discard(lease, release=True)

    def fail(self, reason: str, retry_after: float | None) -> None:
        with self.lock:
            self.broken = (reason, retry_after)
            for lease in self.idle:
                self._discard(lease, release=False)
            self.idle.clear()
            waiters, self.waiters = self.waiters, deque()
        for waiter in waiters:
            _settle(waiter, StoreUnavailableError(reason, retry_after=retry_after))

    # --- the pool, under the lock ------------------------------------------------------------
    def _hand_on(self, lease: Lease) -> None:
        """Give a usable lease to the first caller waiting, or keep it idle."""
        while self.waiters:
            waiter = self.waiters.popleft()
            if isinstance(waiter, asyncio.Future):
                with contextlib.suppress(RuntimeError):  # its loop is closed: the next one
                    waiter.get_loop().call_soon_threadsafe(self._deliver, waiter, lease)
                    return
            elif waiter.set_running_or_notify_cancel():
                waiter.set_result(lease)
                return
        lease.idle_since = time.monotonic()
        self.idle.append(lease)
        if self.held > self.readers:
            oldest = self.idle[0]
            if lease is not oldest and lease.idle_since - oldest.idle_since >= SPARE_SECONDS:
                self.idle.pop(0)
                self._discard(oldest, release=True)

    def _deliver(self, waiter: asyncio.Future[Lease], lease: Lease) -> None:
        if waiter.done():  # its caller gave up meanwhile: the lease goes to the next one
            self.give_back(lease)
        else:
            waiter.set_result(lease)

    def _discard(self, lease: Lease, *, release: bool) -> None:
        self.held -= 1
        lease.connection.close()
        os.close(lease.pidfd)
        if release:
            self.engine.notify(RELEASE, (lease.pid,))
        self._ask_for_waiters()

    def _ask_for_waiters(self) -> None:
        wanted = min(len(self.waiters) - self.asked, self.max_readers - self.held - self.asked)
        if self.broken is None:
            for _ in range(max(0, wanted)):
                self.asked += 1
                self.engine.notify(LEASE, ())

    def _take(self, waiter: _Waiter | None) -> Lease | None:
        """An idle lease, or None having queued ``waiter`` (if any) for the next one."""
        with self.lock:
            if self.broken is not None:
                raise StoreUnavailableError(self.broken[0], retry_after=self.broken[1])
            if self.idle:
                return self.idle.pop()  # the latest used: spares left idle age out
            if waiter is not None:
                self.waiters.append(waiter)
                self._ask_for_waiters()
            return None

    def give_back(self, lease: Lease) -> None:
        """A read on the lease ended: it serves the next, or goes if it must."""
        if lease.reniced:
            with contextlib.suppress(OSError):  # raising a priority takes privileges: replaced then
                os.setpriority(os.PRIO_PROCESS, lease.pid, 0)
                lease.reniced = False
        with self.lock:
            if lease.ended or self.broken is not None:
                self._discard(lease, release=False)
            elif lease.reniced or lease.epoch < self.epoch:
                self._discard(lease, release=True)
            else:
                self._hand_on(lease)

    # --- reads from a thread -----------------------------------------------------------------
    def _acquire(self, deadline: float | None) -> Lease | None:
        """A lease, waiting for one if need be; None once the deadline passed."""
        waiter: Future[Lease] = Future()
        if (lease := self._take(waiter)) is not None:
            return lease
        try:
            return waiter.result(None if deadline is None else max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            with self.lock:
                if not waiter.cancel():  # granted at the last moment
                    return waiter.result()
                with contextlib.suppress(ValueError):
                    self.waiters.remove(waiter)
            return None

    def call(self, operation: str, args: tuple[Any, ...], timeout: float | None) -> Reply:
        """One read on a leased reader, from a thread."""
        return self.call_all([(operation, args, timeout)])[0]

    def call_all(self, calls: Sequence[tuple[str, tuple[Any, ...], float | None]]) -> list[Reply]:
        """Several reads at once, on as many idle leases as there are; then one after another."""
        replies: list[Reply] = [()] * len(calls)
        under_way: deque[tuple[int, Lease, float | None]] = deque()
        try:
            for index, (operation, args, timeout) in enumerate(calls):
                deadline = deadline_of(timeout)
                lease = self._take(None)
                while lease is None and under_way:  # never wait for a lease while holding some
                    self._finish(under_way.popleft(), calls, replies)
                    lease = self._take(None)
                lease = lease or self._acquire(deadline)
                if lease is None:
                    replies[index] = timed_out(operation, timeout)
                    continue
                under_way.append((index, lease, deadline))
                self._send(lease, operation, args)
            while under_way:
                self._finish(under_way.popleft(), calls, replies)
        finally:
            for _, lease, _ in under_way:
                self._kill(lease)
                self.give_back(lease)
        return replies

    def _finish(
        self,
        read: tuple[int, Lease, float | None],
        calls: Sequence[tuple[str, tuple[Any, ...], float | None]],
        replies: list[Reply],
    ) -> None:
        index, lease, deadline = read
        operation, _, timeout = calls[index]
        try:
            replies[index] = self._wait(lease, operation, timeout, deadline)
        finally:
            self.give_back(lease)

    def _wait(self, lease: Lease, operation: str, timeout: float | None, deadline: float | None) -> Reply:
        poller = select.poll()
        poller.register(lease.connection.fileno(), select.POLLIN)
        slow_at = time.monotonic() + SLOW_SECONDS
        while True:
            moments = [m for m in (deadline, None if lease.reniced else slow_at) if m is not None]
            wait = None if not moments else max(0, int((min(moments) - time.monotonic()) * 1000) + 1)
            if poller.poll(wait):
                reply = self._receive(lease, operation) or self._ended(lease, operation)
                if self.engine.hung_up():
                    self._raise_gone()
                return reply
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                self._kill(lease)
                return timed_out(operation, timeout)
            if now >= slow_at:
                self._renice(lease)

    # --- reads from an event loop ------------------------------------------------------------
    async def call_async(self, operation: str, args: tuple[Any, ...], timeout: float | None) -> Reply:
        """One read on a leased reader, awaited on the loop: no thread, unless a body is large."""
        loop = asyncio.get_running_loop()
        deadline = deadline_of(timeout)
        waiter: asyncio.Future[Lease] = loop.create_future()
        lease = self._take(waiter)
        if lease is None:
            try:
                lease = await asyncio.wait_for(waiter, _remaining(deadline))
            except TimeoutError:
                with self.lock, contextlib.suppress(ValueError):
                    self.waiters.remove(waiter)
                return timed_out(operation, timeout)
        try:
            return await self._read_async(loop, lease, operation, args, timeout, deadline)
        except BaseException:  # cancelled (the client went away): its reply must not reach the next read
            self._kill(lease)
            raise
        finally:
            self.give_back(lease)

    async def _read_async(
        self,
        loop: asyncio.AbstractEventLoop,
        lease: Lease,
        operation: str,
        args: tuple[Any, ...],
        timeout: float | None,
        deadline: float | None,
    ) -> Reply:
        message = ForkingPickler.dumps((operation, args))
        if len(message) > self.engine.max_unblocking:
            await asyncio.to_thread(lease.connection.send_bytes, message)
        else:
            lease.connection.send_bytes(message)
        readable: asyncio.Future[None] = loop.create_future()
        fd = lease.connection.fileno()
        loop.add_reader(fd, _set, readable)
        slow = loop.call_later(SLOW_SECONDS, self._renice, lease)
        try:
            await asyncio.wait_for(readable, _remaining(deadline))
        except TimeoutError:
            self._kill(lease)
            return timed_out(operation, timeout)
        finally:
            loop.remove_reader(fd)
            os.set_blocking(fd, True)  # uvloop's add_reader leaves it non-blocking: the body follows
            slow.cancel()
        try:
            header = lease.connection.recv()
        except (EOFError, OSError):
            return await asyncio.to_thread(self._ended, lease, operation)
        lease.ended = lease.ended or header[0]  # the reader ends after this answer
        reply: Reply = header[1:]
        if header[1] == "bytes" and header[3] > _LOOP_READ_BYTES:
            reply = ("bytes", header[2], await asyncio.to_thread(lease.connection.recv_bytes))
        elif header[1] == "bytes":
            reply = ("bytes", header[2], lease.connection.recv_bytes())
        if self.engine.hung_up():
            await asyncio.to_thread(self._raise_gone)
        return reply

    # --- a reader ----------------------------------------------------------------------------
    def _send(self, lease: Lease, operation: str, args: tuple[Any, ...]) -> None:
        with contextlib.suppress(OSError):  # it ended: the wait for its reply finds that end, says why
            lease.connection.send((operation, args))

    def _receive(self, lease: Lease, operation: str) -> Reply | None:
        """The reply waiting on the lease; None if the reader ended instead."""
        try:
            ending, reply = receive_read_reply(lease.connection)
        except (EOFError, OSError):
            return None
        lease.ended = lease.ended or ending
        return reply

    def _ended(self, lease: Lease, operation: str) -> Reply:
        """The reply for a read whose reader ended before answering: past its memory limit, unless
        the whole engine went, which the channel is told of (blocking: run in a thread)."""
        lease.ended = True
        if self.engine.gone() is not None or self.engine.hung_up():
            self._raise_gone()
        return stopped(operation, self.memory_limit)

    def _raise_gone(self) -> None:
        """The engine ended (a reply may have come from a reader it left for an instant): say why,
        as the channel is told (blocking: run in a thread)."""
        gone = self.engine.wait_gone(_ENGINE_END_SECONDS)
        reason, retry_after = gone or ("the store's engine process ended", None)
        raise StoreUnavailableError(reason, retry_after=retry_after)

    def _kill(self, lease: Lease) -> None:
        """SIGKILL the reader (the engine sees it end and replaces it)."""
        lease.ended = True
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(lease.pidfd, signal.SIGKILL)

    def _renice(self, lease: Lease) -> None:
        """A slow read yields the cores to the short ones started beside it."""
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, lease.pid, _SLOW_NICENESS)
            lease.reniced = True


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _settle(waiter: _Waiter, error: StoreUnavailableError) -> None:
    if isinstance(waiter, asyncio.Future):
        with contextlib.suppress(RuntimeError):
            waiter.get_loop().call_soon_threadsafe(_fail, waiter, error)
    elif waiter.set_running_or_notify_cancel():
        waiter.set_exception(error)


def _set(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _fail(future: asyncio.Future[Lease], error: StoreUnavailableError) -> None:
    if not future.done():
        future.set_exception(error)
