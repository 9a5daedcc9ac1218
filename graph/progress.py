"""How long work tells how far it has got: a callback the caller passes in, never a terminal here.

A :data:`Progress` callback is called with the stage under way, the units done in it and its
total (``None`` when unknown). The command line draws a bar from it (:mod:`api.progress`);
library callers pass nothing and pay nothing.

>>> seen = []
>>> report = counting(lambda stage, done, total: seen.append((stage, done, total)), "compiling", 2)
>>> report(1); report(1)
>>> seen
[('compiling', 0, 2), ('compiling', 1, 2), ('compiling', 2, 2)]
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, "int | None"], None]
"""``progress(stage, done, total)``: ``done`` units of ``total`` (None: not known) in ``stage``."""


def no_progress(stage: str, done: int, total: int | None) -> None:
    """The callback of callers that want no report."""


def counting(progress: Progress | None, stage: str, total: int | None) -> Callable[[int], None]:
    """A function that advances ``stage`` by the units given; the stage is reported begun at once.

    >>> counting(None, "silent", None)(5)
    """
    report = progress or no_progress
    done = 0
    report(stage, done, total)

    def advance(units: int) -> None:
        nonlocal done
        done += units
        report(stage, done, total)

    return advance
