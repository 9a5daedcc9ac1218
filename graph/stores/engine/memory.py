"""The memory store's engine: a keeper holds the data, a successor makes each write.

::

    dispatcher ──control── keeper g (the pyoxigraph store; forks on request, evaluates nothing)
        │                    ├── readers: copy-on-write snapshots of generation g, no network
        │                    └── successor: a fork that applies one write and becomes keeper g+1
        └── every reader's and successor's socket, handed over by the keeper (SCM_RIGHTS)

A write is a fork that becomes the store: the successor parses the upload or runs the update
on its own copy, under the request's deadline (it is killed past it) and memory limit, while
the keeper goes on forking readers of generation g and the dispatcher goes on answering. Only
once the successor reports success is it promoted: the write is acknowledged, later reads go
to readers of generation g+1, and the old keeper ends when its last reader has. A write that
fails or runs out of time is its successor killed: nothing of it was ever in the store.

The successor runs the write in a thread of its own that is denied the network (unless the
policy allowed the request out): the process itself stays free to fork readers that may reach
an allow-listed host once it is the keeper.
"""

from __future__ import annotations

import contextlib
import os
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from typing import Any

import pyoxigraph as ox

from graph.stores.engine.dispatcher import Dispatcher, Limits, Worker
from graph.stores.engine.messages import OPERATOR_OPERATIONS, Reply, receive_reply, send_reply, stopped
from graph.stores.engine.operations import RECYCLE_BYTES, execute, serve_reads
from graph.stores.engine.processes import Child, become_subreaper, fork, fork_here, limit_memory, reap
from graph.stores.engine.sandbox import deny_network

# --- inside the keeper and its successors ------------------------------------------------------


def keep(control: Connection, store: ox.Store, limits: Limits) -> None:
    """The keeper's loop: fork what the dispatcher asks for, hand it over, until told to stop."""
    while True:
        try:
            message = control.recv()
        except EOFError:
            return  # the dispatcher is gone; our readers die with us (PR_SET_PDEATHSIG)
        reap()
        if message[0] == "reader":
            outbound = message[1]
            child, connection = fork(
                lambda c: serve_reads(c, lambda: store, limits.max_rows, limits.memory_limit, RECYCLE_BYTES),
                [control],
                network=outbound,
            )
            _hand_over(control, ("reader", outbound, child.pid), child, connection)
        elif message[0] == "successor":
            _, operation, args, outbound = message
            del message  # the write's data (a whole load, maybe) must not stay in every generation
            forked = fork_here([control])
            if isinstance(forked, Connection):  # the successor: once promoted, this loop goes on here
                control = forked
                _succeed_or_exit(control, store, operation, args, outbound, limits)
                del args
                continue
            del args
            child, connection = forked
            _hand_over(control, ("successor", child.pid), child, connection)


def _hand_over(control: Connection, header: tuple[Any, ...], child: Child, connection: Connection) -> None:
    control.send(header)
    send_handle(control, connection.fileno(), 0)
    send_handle(control, child.pidfd, 0)
    connection.close()
    os.close(child.pidfd)


def _succeed_or_exit(
    control: Connection,
    store: ox.Store,
    operation: str,
    args: tuple[Any, ...],
    outbound: bool,
    limits: Limits,
) -> None:
    """Make the write on this copy; return once promoted to keeper, end the process otherwise."""
    promoted = False
    try:
        limit_memory(None if operation in OPERATOR_OPERATIONS else limits.memory_limit)
        reply = _in_thread(lambda: execute(store, operation, args, None), network=outbound)
        limit_memory(None)
        send_reply(control, reply)
        promoted = reply[0] != "error" and control.recv()[0] == "promote"
    except (EOFError, OSError):
        pass  # the dispatcher is gone, or dropped this write
    except BaseException:  # noqa: BLE001 - never fall back into the old keeper's loop
        traceback.print_exc()
    if not promoted:
        os._exit(0)


def _in_thread(work: Callable[[], Reply], *, network: bool) -> Reply:
    """Run ``work`` in a thread of its own, denied the network unless ``network``."""
    outcome: list[Reply] = []

    def run() -> None:
        try:
            if not network:
                deny_network()
            outcome.append(work())
        except MemoryError:
            outcome.append(("error", "memory", "the write ran out of its memory limit", None, None))

    thread = threading.Thread(target=run, name="write")
    thread.start()
    thread.join()
    return outcome[0] if outcome else ("error", "unavailable", "the write failed", None, None)


# --- inside the dispatcher ---------------------------------------------------------------------


@dataclass
class _Keeper:
    process: Child
    control: Connection
    generation: int
    asked: int = 0  # readers asked of it that have not arrived


@dataclass
class _Successor:
    process: Child
    control: Connection


class MemoryDispatcher(Dispatcher):
    def __init__(self, caller: Connection, limits: Limits) -> None:
        super().__init__(caller, limits)
        become_subreaper()  # a promoted successor outlives the keeper that forked it
        process, control = fork(lambda c: keep(c, ox.Store(), limits), [caller], network=True)
        self.keepers: dict[int, _Keeper] = {0: _Keeper(process, control, 0)}
        self.successor: _Successor | None = None
        self.awaiting_successor = False

    @property
    def keeper(self) -> _Keeper:
        return self.keepers[self.generation]

    def spawn_reader(self, outbound: bool) -> None:
        self.keeper.asked += 1
        self.keeper.control.send(("reader", outbound))

    def other_connections(self) -> list[Any]:
        connections: list[Any] = [keeper.control for keeper in self.keepers.values()]
        if self.successor is not None:
            connections.append(self.successor.control)
        return connections

    def on_other_ready(self, connection: Any) -> None:
        if self.successor is not None and connection is self.successor.control:
            self.on_write_done()
            return
        keeper = next(k for k in self.keepers.values() if k.control is connection)
        try:
            header = connection.recv()
            handles = recv_handle(connection), recv_handle(connection)
        except (EOFError, OSError):
            self.on_keeper_gone(keeper)
            return
        process = Child(header[-1], handles[1])
        if header[0] == "reader":
            keeper.asked -= 1
            self.add_reader(Worker(process, Connection(handles[0]), keeper.generation, outbound=header[1]))
        else:
            self.awaiting_successor = False
            self.successor = _Successor(process, Connection(handles[0]))
            if self.write is None:  # it ran out of time while being forked
                self.drop_successor()
        self.end_old_keepers()

    def on_keeper_gone(self, keeper: _Keeper) -> None:
        if keeper.generation == self.generation:
            raise SystemExit("the memory store's keeper process died")  # the caller restarts the engine
        self.keepers.pop(keeper.generation)
        keeper.control.close()

    def start_writes(self) -> None:
        if self.write is None and self.writes and not self.awaiting_successor and self.successor is None:
            self.write = self.writes.popleft()
            self.write.started = None
            self.awaiting_successor = True
            self.keeper.control.send(
                ("successor", self.write.operation, self.write.args, self.write.outbound)
            )
            self.write.args = ()  # the keeper has the data: no second copy held meanwhile

    def on_write_done(self) -> None:
        assert self.successor is not None and self.write is not None
        job, successor = self.write, self.successor
        try:
            reply = receive_reply(successor.control)
        except (EOFError, OSError):
            reply = stopped(job, self.limits.memory_limit)
        if reply[0] == "error":
            self.drop_successor()
        else:
            successor.control.send(("promote",))
            self.successor = None
            generation = self.generation + 1
            self.keepers[generation] = _Keeper(successor.process, successor.control, generation)
            self.advance(generation)
        self.write = None
        self.reply(job, reply)
        self.end_old_keepers()

    def drop_successor(self) -> None:
        if self.successor is not None:
            self.successor.process.kill()
            self.successor.control.close()
            self.successor = None

    def expire_write(self, now: float) -> None:
        if self.write is not None and self.write.expired(now):
            job, self.write = self.write, None
            self.drop_successor()  # if it is still being forked, it is dropped when it arrives
            self.reply(job, job.timed_out())

    def retire(self, worker: Worker) -> None:
        super().retire(worker)
        self.end_old_keepers()

    def end_old_keepers(self) -> None:
        """A keeper of an older generation ends once nothing of its generation is left."""
        for keeper in [k for k in self.keepers.values() if k.generation != self.generation]:
            if keeper.asked == 0 and not any(w.generation == keeper.generation for w in self.workers):
                self.keepers.pop(keeper.generation)
                keeper.process.kill()
                keeper.control.close()

    def shut_down(self) -> None:
        super().shut_down()
        self.drop_successor()
        for keeper in self.keepers.values():
            with contextlib.suppress(OSError):
                keeper.process.kill()
