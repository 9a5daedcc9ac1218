"""Progress bars for the command line's long work, drawn on stderr only when it is a terminal.

Built on rich, which typer already installs and uses for its help and errors: no other package
for the same job. The library reports stages through a plain callback (:mod:`graph.progress`);
here each stage becomes a bar with its rate and the time left, or, while its total is unknown,
a spinner with the time spent. Piped or redirected stderr gets nothing: logs and scripts keep
only the command's own messages.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from rich import filesize
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
)
from rich.text import Text

from graph.progress import Progress as ProgressCallback


class _CountColumn(ProgressColumn):
    """What is done of the total, in the task's unit: sizes for bytes, ``3/20 files`` otherwise."""

    _sizes = DownloadColumn()

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "steps")
        if unit == "bytes":
            return self._sizes.render(task)
        if task.total is None or unit == "steps":  # nothing to count: the spinner and the time tell it runs
            return Text("")
        return Text(f"{task.completed:,.0f}/{task.total:,.0f} {unit}", style="progress.download")


def _rate(task: Task) -> float | None:
    # rich's estimate needs two advances within its window; a load advanced once a file has one by
    # the second file, so the average since the start stands in until then.
    speed = task.finished_speed or task.speed
    if speed is None and task.completed and task.elapsed:
        speed = task.completed / task.elapsed
    return speed


_NO_RATE = frozenset({"steps", "hops"})
"""Units whose rate tells nothing: a stage's few unequal steps, an export's hops."""


class _RateColumn(ProgressColumn):
    """Units a second (``1,234 quads/s``, ``1.4 MB/s``)."""

    def render(self, task: Task) -> Text:
        speed = _rate(task)
        unit = task.fields.get("unit", "steps")
        if speed is None or unit in _NO_RATE:
            return Text("")
        if unit == "bytes":
            size, suffix = filesize.pick_unit_and_suffix(
                int(speed), ["bytes", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"], 1000
            )
            return Text(f"{speed / size:.1f} {suffix}/s", style="progress.data.speed")
        return Text(f"{speed:,.1f} {unit}/s", style="progress.data.speed")


class _TimeColumn(ProgressColumn):
    """The time spent and, once a rate is known, the time left: ``0:00:11, 0:00:05 left``."""

    def render(self, task: Task) -> Text:
        spent = timedelta(seconds=int(task.finished_time or task.elapsed or 0))
        speed = _rate(task)
        if task.finished or task.total is None or not speed:
            return Text(str(spent), style="progress.elapsed")
        left = timedelta(seconds=int((task.total - task.completed) / speed))
        return Text(f"{spent}, {left} left", style="progress.remaining")


_COLUMNS: tuple[ProgressColumn | str, ...] = (
    SpinnerColumn(),
    TextColumn("[progress.description]{task.description}"),
    BarColumn(),
    _CountColumn(),
    _RateColumn(),
    _TimeColumn(),
)


class StageBars:
    """A :data:`graph.progress.Progress` callback drawing one bar per stage, in the order they begin.

    ``units`` names what each stage counts (``{"compiling": "files"}``; ``bytes`` is shown as
    sizes and a transfer rate).
    """

    def __init__(self, progress: Progress, units: dict[str, str], *, shown: bool = True) -> None:
        self._progress = progress
        self._units = units
        self._tasks: dict[str, TaskID] = {}
        self.shown = shown
        """Whether the bars are drawn: work that costs something to count may skip it otherwise."""

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        task = self._tasks.get(stage)
        if task is None:
            unit = self._units.get(stage, "steps")
            task = self._progress.add_task(stage, total=total, unit=unit)
            self._tasks[stage] = task
        self._progress.update(task, completed=done, total=total)


@contextmanager
def stage_bars(units: dict[str, str]) -> Iterator[StageBars]:
    """Bars for the stages of one command, on stderr if it is a terminal; a no-op otherwise."""
    # Asked of the stream itself: rich counts FORCE_COLOR as a terminal, and a log must stay clean.
    terminal = sys.stderr.isatty()
    # Columns are made per display: rich keeps state in them (the spinner's frame).
    columns = (SpinnerColumn(), *_COLUMNS[1:])
    with Progress(*columns, console=Console(stderr=True), disable=not terminal) as progress:
        yield StageBars(progress, units, shown=terminal)


def part_of(
    progress: ProgressCallback, stage: str, start: int, size: int, total: int
) -> Callable[[int], None]:
    """A callback for the units read of one part (``size`` of them, from ``start``) of a stage.

    The stage stays short of the part's end until the caller reports it done: a load's
    indexing follows its parse, so the bar does not finish before the store has the file.
    """

    def told(read: int) -> None:
        progress(stage, start + min(read, max(size - 1, 0)), total)

    return told
