"""Supervision of an embedded store's engine process: when it dies, a new one takes its place.

The engine (:mod:`graph.stores.engine`) can die under a running service: the OOM killer, a
crash, an operator's ``kill -9``. The requests waiting for it then fail at once, and until a
fresh engine (same configuration) serves, every request gets StoreUnavailableError with a
retry hint. A disk store's new engine reopens its directory, so every acknowledged write is
there; a memory store's loads again what the store was started from (a recipe, run again, see
:meth:`graph.stores.memory.MemoryStore.start_from`), and the writes made since are lost: the
log says so and :class:`EngineStatus` counts them.

Restarts are bounded: an engine that dies again soon after it started, or cannot start, is
tried again after a doubling delay; after ``max_failures`` such failures in a row the store
stays unavailable and says why, rather than loop (:class:`~graph.stores.engine.restarts.RestartPolicy`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Generic, Protocol, TypeVar

from graph.errors import StoreUnavailableError
from graph.stores.engine.restarts import EngineStatus, RestartPolicy

log = logging.getLogger("graph.stores")


class Engine(Protocol):
    """What supervision needs of a running engine."""

    @property
    def pid(self) -> int: ...

    def exit_status(self) -> str:
        """How it ended ("killed by SIGKILL"), waiting a bounded time for it to end."""
        ...

    def fail(self, reason: str, retry_after: float | None) -> None:
        """Fail every request still waiting for its reply."""
        ...

    def stop(self) -> None:
        """Close the way to it and make sure none of its processes is left."""
        ...

    def kill(self) -> None:
        """SIGKILL it and its processes at once, as a crash would, then :meth:`stop`."""
        ...

    @property
    def acknowledged_writes(self) -> int:
        """How many writes it has acknowledged."""
        ...


E = TypeVar("E", bound=Engine)
# Starts an engine, raising StoreUnavailableError if it cannot; the engine calls its argument when it ends.
Starter = Callable[[Callable[[E], None]], E]

_JOIN_SECONDS = 150.0  # a restart under way when the store closes ends within its start's bound


class Supervisor(Generic[E]):
    """Keeps one engine serving a store: starts it, and starts another when it dies.

    ``volatile``: the engine holds the only copy of the data (a memory store), so a restart
    loses the writes made since the store started. ``refuse_reopen``, asked before each
    restart, says why the store must not be reopened (a disk store whose directory is gone:
    reopening would make an empty store in its place), or None.
    """

    def __init__(
        self,
        kind: str,
        start: Starter[E],
        policy: RestartPolicy,
        *,
        volatile: bool,
        refuse_reopen: Callable[[], str | None] = lambda: None,
    ) -> None:
        self._kind = kind
        self._start = start
        self._policy = policy
        self._volatile = volatile
        self._refuse_reopen = refuse_reopen
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._status = EngineStatus("up")
        self._failures = 0  # in a row: deaths soon after a start, and starts that failed
        self._baseline = 0  # the serving engine's writes that its data started with
        self._lost = 0  # the writes of the engine that died, lost if the store is volatile
        self._restore: Callable[[], None] | None = None
        self._restorer: int | None = None  # the thread restoring the data may use the new engine
        self._restarter: threading.Thread | None = None
        self._next_attempt = 0.0
        self._death = ""  # how the last serving engine ended
        with self._lock:  # an engine that dies at once waits in _ended until it is known
            began = time.monotonic()
            self._engine = start(self._ended)
            self._started = time.monotonic()
            self._start_seconds = self._started - began

    # --- what the store asks --------------------------------------------------------------

    def engine(self) -> E:
        """The serving engine; StoreUnavailableError, with a retry hint, while there is none."""
        with self._lock:
            if self._status.state == "up" or self._restorer == threading.get_ident():
                return self._engine
            status = self._current_status()
        message = status.message or "the store is unavailable"
        raise StoreUnavailableError(message, retry_after=status.retry_after)

    @property
    def pid(self) -> int:
        """The engine's process id (of the latest one started)."""
        return self._engine.pid

    @property
    def status(self) -> EngineStatus:
        with self._lock:
            return self._current_status()

    def restore_with(self, restore: Callable[[], None]) -> None:
        """Run ``restore`` on every new engine before it serves; the writes so far are its part."""
        with self._lock:
            self._restore = restore
            self._baseline = self._engine.acknowledged_writes

    def close(self, *, abruptly: bool = False) -> None:
        """Stop the engine for good (``abruptly``: kill it), waiting for a restart under way to give up."""
        with self._lock:
            self._status = replace(self._status, state="closed", message="the store is closed")
            engine, restarter = self._engine, self._restarter
        self._closed.set()
        if abruptly:
            engine.kill()
        else:
            engine.stop()
        if restarter is not None and restarter is not threading.current_thread():
            restarter.join(_JOIN_SECONDS)

    # --- what happens when the engine ends ------------------------------------------------

    def _current_status(self) -> EngineStatus:
        if self._status.state != "restarting":
            return self._status
        # The wait still to come, plus what the last start took: roughly when it serves again.
        waiting = max(0.0, self._next_attempt - time.monotonic())
        return replace(self._status, retry_after=waiting + self._start_seconds)

    def _ended(self, engine: E) -> None:
        """Called by the thread that read the engine's replies, once it read the last."""
        how = engine.exit_status()
        with self._lock:
            serving = engine is self._engine and self._status.state == "up"
            if serving:
                if time.monotonic() - self._started >= self._policy.stable_seconds:
                    self._failures = 0
                reason = f"the {self._kind} store's engine process died ({how})"
                self._death = reason
                self._lost = engine.acknowledged_writes - self._baseline
                self._count_failure(None)
                self._restarter = threading.current_thread()
                status = self._current_status()
            else:
                state = self._status.state
        if not serving:  # closed by us, or a new engine that died while it was being restored
            engine.fail("the store is closed" if state == "closed" else f"the engine died ({how})", None)
            engine.stop()
            return
        if status.state == "failed":
            engine.fail(f"{reason} before answering; {status.message}", None)
            engine.stop()
            log.error("%s", status.message)
            return
        engine.fail(f"{reason} before answering; {self._restart_note()}", status.retry_after)
        engine.stop()
        log.warning("%s; starting a new one", reason)
        self._restart()

    def _restart_note(self) -> str:
        if self._volatile:
            return "a new engine is starting with the data the store was started from"
        return "a new engine is reopening the store (a write sent then may or may not have been applied)"

    def _closing(self) -> bool:
        return self._status.state == "closed"

    def _count_failure(self, attempt: str | None) -> None:
        """Record one more failure in a row (the lock held): restart after a delay, or give up.

        ``attempt`` is why the latest start failed; None for the death itself.
        """
        if self._closing():
            return
        self._failures += 1
        reason = self._death if attempt is None else f"{self._death}; then {attempt}"
        if self._failures > self._policy.max_failures:
            message = (
                f"{reason}; it failed {self._failures} times in a row, so it is not restarted "
                "again: the store is unavailable until the service is restarted"
            )
            self._status = replace(self._status, state="failed", message=message)
        else:
            self._next_attempt = time.monotonic() + self._policy.delay(self._failures)
            message = f"{reason}; a new engine is starting"
            self._status = replace(self._status, state="restarting", message=message)

    def _restart(self) -> None:
        """Start engines until one serves, the store closes, or supervision gives up."""
        while True:
            with self._lock:
                if self._status.state != "restarting":
                    return
                waiting = self._next_attempt - time.monotonic()
            if self._closed.wait(max(0.0, waiting)):
                return
            if (refusal := self._refuse_reopen()) is not None:
                with self._lock:
                    if self._closing():
                        return
                    self._status = replace(self._status, state="failed", message=refusal)
                log.error("%s", refusal)
                return
            began = time.monotonic()
            try:
                engine = self._start(self._ended)
            except StoreUnavailableError as error:
                with self._lock:
                    self._count_failure(f"a new engine did not start: {error}")
                log.warning("%s", error)
                continue
            if self._serve(engine, began):
                return

    def _serve(self, engine: E, began: float) -> bool:
        """Restore the data into a new engine, then let it serve; False when that failed."""
        with self._lock:
            if self._status.state == "closed":
                closed = True
            else:
                closed, self._engine, self._restorer = False, engine, threading.get_ident()
        if closed:
            engine.stop()
            return True
        try:
            if self._restore is not None:
                self._restore()
        except Exception as error:  # noqa: BLE001 - whatever stops the recipe, the store must say it
            with self._lock:
                self._restorer = None
                self._count_failure(f"a new engine could not load the store's data: {error}")
            engine.stop()
            log.warning("the %s store's new engine could not load its data: %s", self._kind, error)
            return False
        with self._lock:
            self._restorer = None
            if self._status.state == "closed":
                return True
            now = datetime.now(UTC)
            lost = self._lost if self._volatile else 0
            self._baseline = engine.acknowledged_writes
            self._started = time.monotonic()
            self._start_seconds = self._started - began
            self._status = EngineStatus(
                "up",
                restarts=self._status.restarts + 1,
                restarted_at=now,
                writes_lost=self._status.writes_lost + lost,
                writes_lost_at=now if lost else self._status.writes_lost_at,
            )
        if self._volatile:
            lost_writes = f"{lost} acknowledged write(s) made since are lost" if lost else "no write was lost"
            log.warning(
                "the %s store serves again from a new engine, with the data it was started from: %s",
                self._kind,
                lost_writes,
            )
        else:
            log.warning("the %s store serves again from a new engine, every write kept", self._kind)
        return True
