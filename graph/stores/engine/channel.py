"""The caller's end of the socket to the engine: requests sent, and each reply handed to its caller.

Any number of threads may call at once, and event loops without blocking: each request
carries an id, and one reader thread hands every reply to the future waiting for it (see
:mod:`graph.stores.engine.messages` for what travels). Reads do not come this way: they go to
the readers leased to the caller (:mod:`graph.stores.engine.leases`), whose grants and
revocations the reader thread hands to the pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import select
import socket
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler, recv_handle
from typing import Any

from graph.errors import StoreUnavailableError
from graph.stores.engine.leases import Leases
from graph.stores.engine.messages import LEASE, REVOKE, WRITE_OPERATIONS, Reply, deadline_of

_Waiter = Future[Reply] | asyncio.Future[Reply]


class Channel:
    """The socket to the engine, the requests waiting for replies and the thread reading them.

    A caller waits on a thread's future (:meth:`call`) or on an event loop's
    (:meth:`call_async`, which never blocks the loop); the reader thread completes both kinds.
    """

    def __init__(self, sock: socket.socket, config: Mapping[str, Any]) -> None:
        self.socket = sock
        self.connection = Connection(os.dup(sock.fileno()))
        self.lock = threading.Lock()  # guards pending and broken, never held while writing
        # Writers take turns on their own lock: the reader must never wait on a writer, since a
        # writer may wait for the engine, and the engine, writing its replies, for the reader.
        self.sending = threading.Lock()
        self.pending: dict[int, _Waiter] = {}
        self.ids = itertools.count()
        self.broken: str | None = None
        self.retry_after: float | None = None  # the hint given with ``broken``
        self.writes: set[int] = set()  # the pending requests that are writes
        self.acknowledged_writes = 0  # what a memory store's restart loses
        self.writable = select.poll()
        self.writable.register(self.connection.fileno(), select.POLLOUT)
        # Poll reports a Unix socket writable while at most a quarter of its send buffer is
        # taken: a message of another quarter at most is then written without waiting.
        self.max_unblocking = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 4
        self.failed = threading.Event()
        self.leases = Leases(self, config["readers"], config["max_readers"], config["memory_limit"])

    def call(
        self, operation: str, args: tuple[Any, ...], timeout: float | None, outbound: bool = False
    ) -> Reply:
        return self.call_all([(operation, args, timeout, outbound)])[0]

    def call_all(self, calls: Sequence[tuple[str, tuple[Any, ...], float | None, bool]]) -> list[Reply]:
        """Send every request, then wait for the replies: the engine works on them in parallel."""
        futures: list[Future[Reply]] = []
        for operation, args, timeout, outbound in calls:
            futures.append(Future())
            self._send(futures[-1], *self._message(operation, args, timeout, outbound))
        return [future.result() for future in futures]

    async def call_async(
        self, operation: str, args: tuple[Any, ...], timeout: float | None, outbound: bool = False
    ) -> Reply:
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        request, message = self._message(operation, args, timeout, outbound)
        if not self._send_at_once(future, request, message):
            # Another thread holds the socket, or the engine is behind in reading: wait in a thread.
            await asyncio.to_thread(self._send, future, request, message)
        return await future

    def _message(
        self, operation: str, args: tuple[Any, ...], timeout: float | None, outbound: bool
    ) -> tuple[int, memoryview]:
        request = next(self.ids)
        if operation in WRITE_OPERATIONS:
            with self.lock:
                self.writes.add(request)
        # The deadline starts now: the time a request waits in the engine's queue counts too.
        message = (request, operation, args, timeout, deadline_of(timeout), outbound)
        return request, ForkingPickler.dumps(message)

    def notify(self, operation: str, args: tuple[Any, ...]) -> int:
        """Send a request whose reply, if any, nobody waits for; never blocks (the reader thread calls it)."""
        request, message = self._message(operation, args, None, False)
        if len(message) <= self.max_unblocking and self.sending.acquire(blocking=False):
            try:
                if any(events & select.POLLOUT for _, events in self.writable.poll(0)):
                    self._send_unregistered(message)
                    return request
            finally:
                self.sending.release()
        threading.Thread(target=self._send_later, args=(message,), daemon=True).start()
        return request

    def _send_later(self, message: memoryview) -> None:
        with self.sending:
            self._send_unregistered(message)

    def _send_unregistered(self, message: memoryview) -> None:
        with contextlib.suppress(OSError):  # the engine is gone: the reader thread tells everyone
            self.connection.send_bytes(message)

    def gone(self) -> tuple[str, float | None] | None:
        """Why the engine is gone and the retry hint, once this channel failed."""
        with self.lock:
            return None if self.broken is None else (self.broken, self.retry_after)

    def hung_up(self) -> bool:
        """Whether the engine closed its end (it ended), though the reader thread may not know yet."""
        poller = select.poll()
        poller.register(self.connection.fileno(), 0)
        return any(events & (select.POLLHUP | select.POLLERR) for _, events in poller.poll(0))

    def wait_gone(self, seconds: float) -> tuple[str, float | None] | None:
        self.failed.wait(seconds)
        return self.gone()

    def _send(self, waiter: _Waiter, request: int, message: memoryview) -> None:
        with self.sending:
            self._register_and_send(waiter, request, message)

    def _send_at_once(self, waiter: _Waiter, request: int, message: memoryview) -> bool:
        """Send only if the write cannot wait; False, having sent nothing, when it could."""
        if len(message) > self.max_unblocking or not self.sending.acquire(blocking=False):
            return False
        try:
            if not any(events & select.POLLOUT for _, events in self.writable.poll(0)):
                return False
            self._register_and_send(waiter, request, message)
            return True
        finally:
            self.sending.release()

    def _register_and_send(self, waiter: _Waiter, request: int, message: memoryview) -> None:
        with self.lock:
            if self.broken is not None:
                self.writes.discard(request)
                raise StoreUnavailableError(self.broken, retry_after=self.retry_after)
            self.pending[request] = waiter
        try:
            self.connection.send_bytes(message)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the engine is gone: the reader meets the end and fails this request, saying why
        except OSError as error:
            with self.lock:
                self.pending.pop(request, None)
                self.writes.discard(request)
            raise StoreUnavailableError(f"the store's engine process is gone: {error}") from error

    def read_replies(self) -> None:
        """Hand each reply to its caller until the engine's end of the socket closes."""
        try:
            self._hand_replies()
        except (EOFError, OSError):
            pass
        except TypeError:  # the connection closed under the read, by close() in another thread
            if not self.connection.closed:
                raise

    def _hand_replies(self) -> None:
        """The loop of :meth:`read_replies`: leases and revocations to the pool, replies to callers."""
        while True:
            message = self.connection.recv()
            if message[1] == REVOKE:
                self.leases.revoke(message[2])
                continue
            if message[1] == LEASE:
                handles = recv_handle(self.connection), recv_handle(self.connection)
                self.leases.granted(message[2], message[3], *handles)
                continue
            if message[1] == "bytes":  # its size, then its body
                message = (*message[:3], self.connection.recv_bytes())
            with self.lock:
                waiter = self.pending.pop(message[0], None)
                if message[0] in self.writes:
                    self.writes.discard(message[0])
                    if message[1] != "error":
                        self.acknowledged_writes += 1
            if waiter is not None:  # None: the store failed meanwhile and told every caller
                _settle(waiter, message[1:])

    def fail(self, reason: str, retry_after: float | None = None) -> None:
        """Fail every request waiting for a reply, and every later one, with ``reason``."""
        with self.lock:
            if self.broken is None:
                self.broken, self.retry_after = reason, retry_after
            pending, self.pending = self.pending, {}
            self.writes.clear()
        self.failed.set()
        self.leases.fail(reason, retry_after)
        for waiter in pending.values():
            _settle(waiter, StoreUnavailableError(reason, retry_after=retry_after))


def _settle(waiter: _Waiter, outcome: Reply | StoreUnavailableError) -> None:
    """Complete a caller's future from the reader thread: an event loop's, in the loop's thread."""
    if isinstance(waiter, asyncio.Future):
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
            waiter.get_loop().call_soon_threadsafe(_complete, waiter, outcome)
    else:
        _complete(waiter, outcome)


def _complete(waiter: _Waiter, outcome: Reply | StoreUnavailableError) -> None:
    if waiter.done():  # its caller was cancelled
        return
    if isinstance(outcome, StoreUnavailableError):
        waiter.set_exception(outcome)
    else:
        waiter.set_result(outcome)
