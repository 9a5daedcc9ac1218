"""Networks over time: moving windows and kernel weights, as Discourse Network Analyzer has them.

What is followed from DNA (``dna_network``'s ``timeWindow``/``windowSize``,
``kernel`` and ``duplicates``, and its Exporter's kernel smoothing):

* positions outside the closed range ``from``..``to`` are left out, and duplicates
  removed within it (:func:`~graph.network.selection.window_records`), before any
  window is laid over it;
* a window is a length of calendar time (``window``: ``30d``, ``4w``, ``6m``, ``1y``);
  the first starts at ``from`` (or the earliest dated position), each next one a
  ``step`` later (by default one unit of the window, as DNA moves its window by one
  time unit), until one reaches past ``to`` (or the latest position), so every
  position in the range falls in a window unless the step is longer than the window;
* a window covers the half-open interval ``start <= t < end``: windows that follow
  each other (``step`` = ``window``) share no position; its midpoint is halfway;
* a kernel weighs each position by its distance from the midpoint ``m``, standardized
  to ``u = 2 (t - m) / (end - start)`` (``-1`` at the start, ``+1`` at the end), with
  the textbook densities DNA's documentation names:

  - ``none`` (DNA's ``"no"``): ``K(u) = 1``: the plain window;
  - ``uniform``: ``K(u) = 1/2``;
  - ``triangular``: ``K(u) = 1 - |u|``;
  - ``epanechnikov``: ``K(u) = 3/4 (1 - u²)``;
  - ``gaussian``: ``K(u) = exp(-u²/2) / sqrt(2π)``, the standard normal density.

  The first four weigh the positions within the window (``-1 <= u < 1``) and no other;
  the gaussian weighs every ``u``: as in DNA, every position in the range counts in
  every window, the farther the less.

  A window's network holds the positions of positive weight; a two-mode edge
  carries its position's weight, a one-mode tie the geometric mean of the two
  holders' weights summed over their shared targets, as DNA's kernel smoothing
  (:func:`~graph.network.build.congruence_network`).

Where DNA differs: its code computes time differences in whole units and
centres its windows on midpoints (``indentBandwidth``); here times are exact and
windows start at ``from``; DNA's Exporter codes Epanechnikov as ``3/4 (1 - u)²``
and triangular as ``|1 - u|``, where the kernels its documentation names (and
these) are symmetric; DNA counts duplicates per calendar month by month number
alone, here by year and month. DNA has no ``day`` duplicates; here they count once
per calendar day (UTC).

>>> import datetime
>>> day = lambda d: datetime.datetime(2025, 1, d, tzinfo=datetime.UTC)
>>> records = [PositionRecord("urn:p1", "urn:a", "A", "urn:t", "T", value=1, reported_at=day(1)),
...            PositionRecord("urn:p2", "urn:b", "B", "urn:t", "T", value=1, reported_at=day(2))]
>>> result = windowed_networks(records, "congruence", start="2025-01-01", end="2025-01-04", window="2d")
>>> [(w.start.day, w.end.day, w.network.number_of_edges()) for w in result.windows], result.undated
([(1, 3, 1), (2, 4, 0), (3, 5, 0)], 0)
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from graph.errors import ValidationFailedError
from graph.moments import instant_text
from graph.network.build import records_network
from graph.network.choices import Duplicates, Kernel, Kind, Length, Level, Normalization, choose, time_options
from graph.network.records import PositionRecord
from graph.network.selection import roll_up, span, window_records

if TYPE_CHECKING:
    import networkx as nx

# The kernels that weigh only the positions within a window (-1 <= u < 1).
_COMPACT: dict[Kernel, Callable[[float], float]] = {
    Kernel.none: lambda u: 1.0,
    Kernel.uniform: lambda u: 0.5,
    Kernel.triangular: lambda u: 1 - abs(u),
    Kernel.epanechnikov: lambda u: 0.75 * (1 - u * u),
}

MAX_WINDOWS = 1000
"""The most windows one answer holds: a longer series is refused, naming ``step``."""


class Window(NamedTuple):
    """A window of time: from ``start`` (included) to ``end`` (excluded)."""

    start: datetime.datetime
    end: datetime.datetime

    @property
    def midpoint(self) -> datetime.datetime:
        """Halfway from start to end, where a kernel weighs most.

        >>> start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        >>> Window(start, start + datetime.timedelta(days=2)).midpoint.day
        2
        """
        return self.start + (self.end - self.start) / 2


def time_windows(
    records: Iterable[PositionRecord],
    window: Length | str,
    step: Length | str | None = None,
    start: str | datetime.date | None = None,
    end: str | datetime.date | None = None,
) -> list[Window]:
    """The windows laid over the range ``start``..``end`` (by default the dated records' span).

    The ``k``-th window starts ``k`` steps after ``start`` and lasts ``window``; the last one is
    the first to reach past ``end``. No dated record and no ``start`` and ``end``: no window.
    More than :data:`MAX_WINDOWS` is a ValidationFailedError naming ``step``.

    >>> [(w.start.date().isoformat(), w.end.date().isoformat())
    ...  for w in time_windows([], "2m", "1m", start="2025-01-01", end="2025-03-31")]
    [('2025-01-01', '2025-03-01'), ('2025-02-01', '2025-04-01')]
    """
    options = time_options(start=start, end=end, window=window, step=step)
    assert options.window is not None and options.step is not None  # a window was given
    found = span(records)
    first = options.start or (found[0] if found else None)
    last = options.end or (found[1] if found else None)
    if first is None or last is None:
        return []
    windows: list[Window] = []
    try:
        while True:
            begins = options.step.after(first, times=len(windows))
            if begins > last:
                break
            if len(windows) == MAX_WINDOWS:
                message = f"step: {options.window} windows every {options.step} make more than {MAX_WINDOWS}"
                raise ValidationFailedError(message, parameter="step")
            windows.append(
                Window(begins, ends := _window_end(first, options.window, options.step, len(windows)))
            )
            if ends > last:
                break
    except OverflowError as error:
        raise ValidationFailedError(f"window: {error}", parameter="window") from None
    return windows


def _window_end(first: datetime.datetime, window: Length, step: Length, index: int) -> datetime.datetime:
    # Counted from the first start when window and step share a unit, so that a month window
    # from 31 January ends on 31 March the second time, not on 28 March as 28 February plus a month.
    if window.unit is step.unit:
        return Length(step.count * index + window.count, window.unit).after(first)
    return window.after(step.after(first, times=index))


def kernel_weight(kernel: Kernel | str, time: datetime.datetime, window: Window) -> float:
    """The weight ``kernel`` gives a position at ``time`` in ``window`` (formulas in the module docstring).

    >>> start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    >>> window = Window(start, start + datetime.timedelta(days=4))
    >>> second = start + datetime.timedelta(days=1)  # u = -1/2
    >>> [kernel_weight(name, second, window) for name in ("none", "uniform", "triangular", "epanechnikov")]
    [1.0, 0.5, 0.5, 0.5625]
    >>> round(kernel_weight("gaussian", second, window), 7)
    0.3520653
    """
    chosen = choose(Kernel, kernel, "kernel", parameter="kernel")
    u = 2 * (time - window.midpoint) / (window.end - window.start)
    if chosen is Kernel.gaussian:
        return math.exp(-u * u / 2) / math.sqrt(2 * math.pi)
    if not window.start <= time < window.end:
        return 0.0
    return _COMPACT[chosen](u)


@dataclass(frozen=True)
class NetworkWindow:
    """One window's network: its ``start`` (included), ``end`` (excluded), ``midpoint``, and
    how many ``positions`` (distinct IRIs) weigh in it. The network's graph attributes repeat
    the window as ISO 8601 text (``start``, ``end``, ``midpoint``) and hold ``positions``."""

    start: datetime.datetime
    end: datetime.datetime
    midpoint: datetime.datetime
    network: nx.Graph[str]
    positions: int


@dataclass(frozen=True)
class WindowedNetworks:
    """A network per window, in time order, and how many positions were left out for want of a date."""

    kind: Kind
    windows: list[NetworkWindow]
    undated: int
    kernel: Kernel
    duplicates: Duplicates


def windowed_networks(
    records: Iterable[PositionRecord],
    kind: Kind | str = Kind.congruence,
    *,
    normalization: Normalization | str = Normalization.none,
    level: Level | str = Level.stakeholder,
    start: str | datetime.date | None = None,
    end: str | datetime.date | None = None,
    window: Length | str | None = None,
    step: Length | str | None = None,
    kernel: Kernel | str | None = None,
    duplicates: Duplicates | str | None = None,
    neutral: bool = False,
    inferred: bool = False,
) -> WindowedNetworks:
    """The network ``kind`` of each window over the records, holders rolled up to ``level`` first.

    The parameters are those of the web service (``start`` and ``end`` are its ``from`` and
    ``to``), checked together by :func:`~graph.network.choices.time_options`; see the module
    docstring for what they mean; ``neutral`` and ``inferred`` are those of
    :func:`~graph.network.build.build_network`. Without ``window`` the whole range is one window (from
    ``start`` or the earliest dated position, to just past ``end`` or the latest). Undated
    positions are left out and counted in ``undated``.

    >>> import datetime
    >>> on = lambda month: datetime.datetime(2025, month, 1, tzinfo=datetime.UTC)
    >>> records = [PositionRecord("urn:p1", "urn:a", "A", "urn:t", "T", value=1, reported_at=on(1)),
    ...            PositionRecord("urn:p2", "urn:b", "B", "urn:t", "T", value=-1, reported_at=on(2)),
    ...            PositionRecord("urn:p3", "urn:c", "C", "urn:t", "T", value=-1)]
    >>> result = windowed_networks(records, "conflict", window="2m")
    >>> [(w.start.month, w.positions, list(w.network.edges)) for w in result.windows], result.undated
    ([(1, 2, [('urn:a', 'urn:b')])], 1)
    """
    chosen_kind = choose(Kind, kind, "network")
    options = time_options(
        start=start,
        end=end,
        window=window,
        step=step,
        kernel=kernel,
        duplicates=duplicates,
        normalization=normalization,
    )
    rolled = roll_up(records, choose(Level, level, "level"), inferred=inferred)
    selection = window_records(rolled, options=options, dated=True)
    chosen = selection.records
    if options.window is not None:
        windows = time_windows(chosen, options.window, options.step, options.start, options.end)
    else:
        windows = _whole_range(chosen, options.start, options.end)
    networks = [
        _window_network(chosen, chosen_kind, normalization, options.kernel, found, neutral)
        for found in windows
    ]
    return WindowedNetworks(chosen_kind, networks, selection.undated, options.kernel, options.duplicates)


def _whole_range(
    records: list[PositionRecord], start: datetime.datetime | None, end: datetime.datetime | None
) -> list[Window]:
    # The range as one window, its end just past the last instant it takes in.
    found = span(records)
    first = start or (found[0] if found else None)
    if first is None:
        return []
    last = end or (found[1] if found else first)
    return [Window(first, last + datetime.timedelta(microseconds=1))]


def _window_network(
    records: list[PositionRecord],
    kind: Kind,
    normalization: Normalization | str,
    kernel: Kernel,
    window: Window,
    neutral: bool = False,
) -> NetworkWindow:
    # The records of positive weight in the window, and their network; weights only with a kernel,
    # so that the plain window's networks count as the networks without time do.
    weights: dict[str, float] = {}
    inside = []
    for record in records:
        assert record.time is not None  # the selection is dated
        found = kernel_weight(kernel, record.time, window)
        if found > 0:
            inside.append(record)
            weights[record.position] = found
    network = records_network(
        inside,
        kind,
        normalization=normalization,
        weights=None if kernel is Kernel.none else weights,
        neutral=neutral,
    )
    midpoint = window.midpoint
    network.graph.update(
        start=instant_text(window.start),
        end=instant_text(window.end),
        midpoint=instant_text(midpoint),
        positions=len(weights),
    )
    return NetworkWindow(window.start, window.end, midpoint, network, len(weights))
