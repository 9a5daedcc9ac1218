"""Starting and stopping the engine process of an embedded store (``python -m graph.stores.engine``).

The engine leads a process group of its own, so a terminal's Ctrl-C reaches only the service
and a close kills every worker with it; :mod:`graph.stores.engine.supervision` starts another
when one ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import StoreUnavailableError
from graph.stores.engine.channel import Channel

_STARTUP_SECONDS = 120  # a disk store opens in milliseconds; this only bounds a hung start
_SHUTDOWN_SECONDS = 15
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[3])  # where ``graph`` is importable from


def _stop(process: subprocess.Popen[bytes], channel: Channel) -> None:
    """Close the socket (the engine then stops its workers and exits), then make sure of it."""
    channel.fail("the store is closed")
    # shutdown, not just close: it wakes the thread blocked reading and tells the engine EOF.
    with contextlib.suppress(OSError):
        channel.socket.shutdown(socket.SHUT_RDWR)
    channel.socket.close()
    channel.connection.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(_SHUTDOWN_SECONDS)
    # The engine leads its own process group: whatever is left of it goes too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@dataclass
class EngineProcess:
    """One engine process and the channel to it (see :class:`graph.stores.engine.supervision.Engine`)."""

    process: subprocess.Popen[bytes]
    channel: Channel
    stopping: threading.Lock = field(default_factory=threading.Lock)
    stopped: bool = False

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def acknowledged_writes(self) -> int:
        return self.channel.acknowledged_writes

    def exit_status(self) -> str:
        try:
            code = self.process.wait(_SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            return "it closed its socket but did not exit"
        if code >= 0:
            return f"exited with status {code}"
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"

    def fail(self, reason: str, retry_after: float | None) -> None:
        self.channel.fail(reason, retry_after)

    def stop(self, *, kill: bool = False) -> None:
        with self.stopping:  # once: a second close of the socket's fd could close another file
            if self.stopped:
                return
            self.stopped = True
            if kill:  # before it is reaped, while its pid is surely its own
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.process.pid, signal.SIGKILL)  # it leads its group: all of it
            _stop(self.process, self.channel)

    def kill(self) -> None:
        self.stop(kill=True)

    def read_until_end(self, ended: Callable[[EngineProcess], None]) -> None:
        self.channel.read_replies()
        ended(self)


def start_engine(
    kind: str, config: Mapping[str, Any], ended: Callable[[EngineProcess], None]
) -> EngineProcess:
    """Start an engine process and wait until it serves; ``ended`` runs, in its reply thread, when it ends."""
    ours, theirs = socket.socketpair()
    python_path = os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "graph.stores.engine", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            start_new_session=True,  # its own group: a terminal's Ctrl-C reaches only us, close() kills all
            # A worker stopped at its memory limit is Rust aborting on a failed allocation: one
            # line in the log says so, where a backtrace would add forty.
            env={**os.environ, "PYTHONPATH": python_path, "RUST_BACKTRACE": "0"},
        )
    except OSError as error:  # no memory or no process left to start it with
        ours.close()
        raise StoreUnavailableError(f"cannot start the {kind} store's engine process: {error}") from error
    finally:
        theirs.close()
    engine = EngineProcess(process, Channel(ours, config))
    try:
        engine.channel.connection.send(dict(config))
        ready = engine.channel.connection.poll(_STARTUP_SECONDS)
        status = engine.channel.connection.recv() if ready else ("failed", "it did not start in time")
    except (EOFError, OSError):
        status = ("failed", "its engine process exited while starting")
    if status[0] != "ready":
        engine.stop()
        raise StoreUnavailableError(f"cannot open the {kind} store: {status[1]}")
    thread = threading.Thread(target=engine.read_until_end, args=(ended,), name=f"{kind}-replies")
    thread.daemon = True
    thread.start()
    return engine
