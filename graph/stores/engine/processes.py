"""The engine's child processes: how they are forked, confined, watched and stopped.

Every process that evaluates a client's request is forked with the same confinement:

* **no network** (:func:`graph.stores.engine.sandbox.deny_network`), unless the request was
  allowed out by the policy; then it gets a process of its own that is used once;
* **a memory limit**: ``RLIMIT_AS`` set to what the process maps when it starts plus the
  budget, so a query that grows without bound fails an allocation and the process ends
  (Rust aborts on a failed allocation), instead of taking the machine;
* **its own end**: it dies with its parent (``PR_SET_PDEATHSIG``) where the parent outlives
  it by design, and is watched through a pidfd, which works for any process (the memory
  store's readers are children of a keeper, not of the dispatcher) and cannot be fooled by
  a reused pid.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import select
import signal
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

from graph.stores.engine.sandbox import deny_network

_KILL_WAIT_SECONDS = 10.0  # SIGKILL takes effect at once; this only bounds a process stuck in the kernel


class _Closable(Protocol):
    def close(self) -> None: ...


@dataclass
class Child:
    """A process the engine started: its pid and a pidfd that becomes readable when it ends."""

    pid: int
    pidfd: int

    @classmethod
    def of(cls, pid: int) -> Child:
        """Watch ``pid``: call it before the process can be reaped, so the pid is still its own."""
        return cls(pid, os.pidfd_open(pid))

    def fileno(self) -> int:
        return self.pidfd

    def ended(self) -> bool:
        return bool(select.select([self.pidfd], [], [], 0)[0])

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for it to end by itself; whether it has."""
        poller = select.poll()
        poller.register(self.pidfd, select.POLLIN)
        return bool(poller.poll(int(seconds * 1000)))

    def kill(self) -> None:
        """SIGKILL it and wait until it is gone, so that its CPU and memory are really free."""
        with contextlib.suppress(ProcessLookupError, OSError):
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        self.wait(_KILL_WAIT_SECONDS)
        reap()
        with contextlib.suppress(OSError):
            os.close(self.pidfd)

    def renice(self, niceness: int) -> bool:
        """Set its CPU niceness; False where that is not allowed (raising priority takes privileges)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, niceness)
        except OSError:
            return False
        return True


def reap() -> None:
    """Collect every ended child (and adopted orphan), so none lingers as a zombie."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] != 0:
            pass


def become_subreaper() -> None:
    """Adopt the orphans of our children: a memory keeper's successor outlives the keeper."""
    if sys.platform.startswith("linux"):
        pr_set_child_subreaper = 36
        ctypes.CDLL(None).prctl(pr_set_child_subreaper, 1)


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies, so no worker is orphaned."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _mapped_bytes() -> int:
    return int(Path("/proc/self/statm").read_bytes().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def limit_memory(budget: int | None) -> None:
    """Let this process map at most ``budget`` bytes more than it maps now (None: no limit).

    Counted as address space, since that is what the kernel can refuse at the allocation
    itself; the pages a fork shares with its parent are already mapped, so only what the
    request adds counts against the budget.
    """
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    soft = hard if budget is None else _mapped_bytes() + budget
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def fork(
    child: Callable[[Connection], None],
    inherited: Iterable[_Closable],
    *,
    network: bool = False,
    parent_death: bool = True,
) -> tuple[Child, Connection]:
    """Fork a process that runs ``child`` on its end of a new socket pair, then exits.

    The child closes ``inherited`` (so that EOF still means "the other side is gone"), is
    denied the network unless ``network``, and dies with its parent if ``parent_death``.
    """
    ours, theirs = _socket_pair()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        status = 0
        try:
            ours.close()
            for connection in inherited:
                connection.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            if parent_death:
                die_with_parent()
            if not network:
                deny_network()
            child(theirs)
        except BaseException:  # noqa: BLE001 - the child must never return into the parent's loop
            import traceback

            traceback.print_exc()
            status = 1
        finally:
            os._exit(status)
    theirs.close()
    return Child.of(pid), ours


def fork_here(inherited: Iterable[_Closable]) -> tuple[Child, Connection] | Connection:
    """Fork and go on in both processes: the parent gets (child, its end), the child its end.

    For a child that takes over its parent's loop (a memory store's successor becomes the
    keeper): it returns into that loop instead of running below it, so that a hundred
    generations do not pile a hundred copies of the loop onto the stack. The child keeps
    the network and outlives its parent; it closes ``inherited``.
    """
    ours, theirs = _socket_pair()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        ours.close()
        for connection in inherited:
            connection.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        return theirs
    theirs.close()
    return Child.of(pid), ours


def _socket_pair() -> tuple[Connection, Connection]:
    """A duplex Unix socket pair (a pipe cannot carry file descriptors)."""
    import socket

    a, b = socket.socketpair()
    return Connection(a.detach()), Connection(b.detach())
