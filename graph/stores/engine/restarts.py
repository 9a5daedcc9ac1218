"""How an embedded store restarts its engine, and what its supervision tells of the restarts.

:class:`RestartPolicy` bounds the restarts (see :mod:`graph.stores.engine.supervision`);
:class:`EngineStatus` is what a store reports of its engine (``/ready`` shows it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

State = Literal["up", "restarting", "failed", "closed"]


@dataclass(frozen=True)
class RestartPolicy:
    """How a store restarts its engine.

    A death after ``stable_seconds`` of service restarts at once; each further failure (a
    death sooner than that, or a start that fails) waits twice as long as the one before,
    from ``first_delay`` up to ``max_delay`` seconds; after ``max_failures`` failures in a
    row the store stays unavailable. ``max_failures=0`` never restarts.

    >>> [RestartPolicy().delay(failures) for failures in range(1, 6)]
    [0.0, 0.5, 1.0, 2.0, 4.0]
    """

    max_failures: int = 5
    first_delay: float = 0.5
    max_delay: float = 30.0
    stable_seconds: float = 60.0

    def delay(self, failures: int) -> float:
        """Seconds to wait before the next start, after ``failures`` failures in a row."""
        if failures <= 1:
            return 0.0
        return float(min(self.max_delay, self.first_delay * 2 ** (failures - 2)))


DEFAULT_RESTART = RestartPolicy()


@dataclass(frozen=True)
class EngineStatus:
    """A store's engine as its supervision knows it.

    ``state``: ``up`` (serving), ``restarting``, ``failed`` (not restarted again: ``message``
    says why) or ``closed``. ``restarts`` counts the engines started after the first one,
    ``restarted_at`` is when the latest began serving. ``writes_lost`` counts the acknowledged
    writes restarts dropped (a memory store's; a disk store keeps them all), ``writes_lost_at``
    is when the latest were. ``retry_after``: seconds until a request may be served again,
    when that is known.
    """

    state: State
    restarts: int = 0
    restarted_at: datetime | None = None
    writes_lost: int = 0
    writes_lost_at: datetime | None = None
    message: str | None = None
    retry_after: float | None = None
