"""The seccomp filter of :mod:`graph.stores.engine.sandbox`: no internet socket, everything else as before.

A filter cannot be taken off, so each test installs it in a forked child (bounded wait, killed
by its pid if it hangs) and the test process itself never runs under it. The loopback listener
runs in the parent: whatever the child does, the listener tells whether a connection arrived.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Pipe
from typing import Any

import pyoxigraph
import pytest

from graph.stores.engine.sandbox import deny_network, network_denied
from reliability.corpus import ConnectionCounter

CHILD_SECONDS = 60  # only bounds a hung child: each does its work in well under a second
X32_SYSCALL_BIT = 0x40000000
X86_64_GETPID = 39
IO_URING_SETUP = 425


class Listener(ConnectionCounter):
    """A loopback listener that tells how many connections others made, once each is counted."""

    def __init__(self) -> None:
        super().__init__()
        self.port = int(self.socket.getsockname()[1])
        self._probes = 0

    def arrived(self) -> int:
        """Connections made to it so far, not counting its own probes.

        The counter accepts in the order connections arrived and closes each: once it has
        closed a probe made now, every connection made before the probe has been counted.
        """
        with socket.create_connection(("127.0.0.1", self.port), timeout=CHILD_SECONDS) as probe:
            self._probes += 1
            assert probe.recv(1) == b""
        return self.connections - self._probes


@pytest.fixture
def listener() -> Iterator[Listener]:
    counter = Listener()
    yield counter
    counter.close()


def in_child(work: Callable[[], Any]) -> Any:
    """What ``work`` returns, run in a forked child; an exception there fails the test with its traceback."""
    results, sender = Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            outcome = ("ok", work())
        except BaseException:  # noqa: BLE001 - pytest's failures too, reported to the parent
            outcome = ("failed", traceback.format_exc())
        try:
            sender.send(outcome)
        finally:
            os._exit(0)
    sender.close()
    try:
        if not results.poll(CHILD_SECONDS):
            pytest.fail(f"the child did not report within {CHILD_SECONDS} s")
        status, value = results.recv()
    finally:
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        results.close()
    if status != "ok":
        pytest.fail(f"in the child:\n{value}")
    return value


def refused_errno(family: int) -> int | None:
    """The errno of making a socket of ``family``, None when it was made."""
    try:
        socket.socket(family, socket.SOCK_STREAM if family != socket.AF_NETLINK else socket.SOCK_RAW).close()
    except OSError as error:
        return error.errno
    return None


def test_a_filtered_process_makes_no_internet_socket_and_keeps_pipes_and_unix_sockets(
    listener: Listener,
) -> None:
    def work() -> None:
        assert not network_denied()
        deny_network()
        assert network_denied()
        for family in (socket.AF_INET, socket.AF_INET6, socket.AF_NETLINK):
            assert refused_errno(family) == errno.EACCES, family
        with pytest.raises(PermissionError):
            socket.create_connection(("127.0.0.1", listener.port), timeout=5)
        with pytest.raises(PermissionError):
            socket.socketpair(socket.AF_INET)

        left, right = socket.socketpair(socket.AF_UNIX)
        with left, right:
            left.sendall(b"unix")
            assert right.recv(4) == b"unix"
        read_end, write_end = os.pipe()
        os.write(write_end, b"pipe")
        assert os.read(read_end, 4) == b"pipe"
        os.close(read_end)
        os.close(write_end)

        later: list[int | None] = []
        thread = threading.Thread(target=lambda: later.append(refused_errno(socket.AF_INET)))
        thread.start()
        thread.join(CHILD_SECONDS)
        assert later == [errno.EACCES], "a thread started after the filter must be filtered too"

        program = subprocess.run(
            [sys.executable, "-c", "import socket; socket.socket()"],
            capture_output=True,
            timeout=CHILD_SECONDS,
        )
        assert program.returncode != 0 and b"PermissionError" in program.stderr, "the filter survives exec"

    in_child(work)
    assert listener.arrived() == 0


def test_a_filter_on_one_thread_leaves_the_other_threads_their_network(listener: Listener) -> None:
    def work() -> None:
        seen: dict[str, object] = {}

        def sandboxed() -> None:
            deny_network()
            seen["denied"], seen["errno"] = network_denied(), refused_errno(socket.AF_INET)

        thread = threading.Thread(target=sandboxed)
        thread.start()
        thread.join(CHILD_SECONDS)
        assert seen == {"denied": True, "errno": errno.EACCES}
        assert not network_denied()
        socket.create_connection(("127.0.0.1", listener.port), timeout=CHILD_SECONDS).close()

    in_child(work)
    assert listener.arrived() == 1


def test_io_uring_and_the_x32_abi_are_refused() -> None:
    def work() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long

        def call(number: int, *args: Any) -> int:
            ctypes.set_errno(0)
            result = libc.syscall(ctypes.c_long(number), *args)
            if result >= 0 and number == IO_URING_SETUP:
                os.close(result)  # a ring made before the filter: not needed
            return 0 if result >= 0 else ctypes.get_errno()

        params = ctypes.create_string_buffer(120)  # struct io_uring_params, all zero
        deny_network()
        assert call(IO_URING_SETUP, ctypes.c_long(1), params) == errno.EPERM
        if platform.machine() == "x86_64":
            assert call(X32_SYSCALL_BIT | X86_64_GETPID) == errno.EPERM

    in_child(work)


@pytest.mark.parametrize("filtered", [True, False], ids=["filtered", "unfiltered-control"])
def test_pyoxigraph_in_a_filtered_process_follows_no_service_and_no_load(
    listener: Listener, filtered: bool
) -> None:
    url = f"http://127.0.0.1:{listener.port}"

    def work() -> None:
        if filtered:
            deny_network()
        store = pyoxigraph.Store()
        with pytest.raises(OSError) as service:
            solutions = store.query(f"SELECT * WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }}")
            assert isinstance(solutions, pyoxigraph.QuerySolutions)
            list(solutions)  # evaluated as it is read
        with pytest.raises(OSError) as load:
            store.update(f"LOAD <{url}/x.ttl>")
        for error in (service.value, load.value):
            assert not isinstance(error, SyntaxError)
            assert isinstance(error, PermissionError) == filtered, error
        assert len(store) == 0

    in_child(work)
    assert listener.arrived() == (0 if filtered else 2)
