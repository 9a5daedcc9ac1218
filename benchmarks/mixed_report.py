"""The figures of the mixed-load benchmark and their Markdown report (see :mod:`benchmarks.mixed_load`).

A status is the HTTP status code, ``"wrong answer"`` for a 200 with the wrong body, or the
name of the transport error (``"ReadTimeout"``) when no answer came.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.driver import percentile

ROOT = Path(__file__).resolve().parents[1]  # the repository: this file is a checkout tool

Status = int | str


@dataclass(frozen=True)
class Sample:
    sent: float  # time.monotonic() when it was sent
    seconds: float
    status: Status


@dataclass
class Latencies:
    """What one client sending the trivial query saw."""

    samples: list[Sample] = field(default_factory=list)

    def overlapping(self, start: float, end: float) -> Latencies:
        """The requests that were in flight at some moment between ``start`` and ``end``.

        >>> seen = Latencies([Sample(0.0, 1.0, 200), Sample(1.5, 0.1, 200), Sample(3.0, 0.1, 200)])
        >>> [sample.sent for sample in seen.overlapping(0.5, 2.0).samples]
        [0.0, 1.5]
        """
        return Latencies([s for s in self.samples if s.sent <= end and s.sent + s.seconds >= start])

    def cells(self) -> list[str]:
        """requests, p50, p95, p99, max (ms) and the requests that got no right answer.

        >>> Latencies([Sample(0.0, 0.002, 200), Sample(0.1, 0.004, 504)]).cells()
        ['2', '3.0', '3.9', '4.0', '4.0', '1 (504 × 1)']
        """
        milliseconds = [sample.seconds * 1000 for sample in self.samples]
        if not milliseconds:
            return ["0", "–", "–", "–", "–", "–"]
        figures = [percentile(milliseconds, pct) for pct in (50, 95, 99)] + [max(milliseconds)]
        failed = Counter(sample.status for sample in self.samples if sample.status != 200)
        failures = f"{sum(failed.values())} ({counts(failed)})" if failed else "0"
        return [str(len(milliseconds)), *(milliseconds_text(value) for value in figures), failures]


def milliseconds_text(value: float) -> str:
    """
    >>> milliseconds_text(2.345), milliseconds_text(13112.9)
    ('2.3', '13,113')
    """
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def counts(statuses: Counter[Status]) -> str:
    """
    >>> counts(Counter({504: 27, 503: 1}))
    '503 × 1, 504 × 27'
    """
    return ", ".join(f"{status} × {n}" for status, n in sorted(statuses.items(), key=lambda i: str(i[0])))


@dataclass(frozen=True)
class LatencyRow:
    """The trivial query's latency while something else ran (``other``: what it did)."""

    store: str
    condition: str
    latencies: Latencies
    other: str


@dataclass(frozen=True)
class FigureRow:
    store: str
    figure: str
    value: str


LATENCY_HEADER = [
    "store",
    "while",
    "requests",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "not 200",
    "meanwhile",
]


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """
    >>> print(table(["a", "b"], [["1", "x|y"]]))
    | a | b |
    |---|---|
    | 1 | x\\|y |
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def load_average() -> str:
    """What ``uptime`` says (other work on the machine competes for its cores)."""
    found = shutil.which("uptime")
    if found is not None:
        done = subprocess.run([found], capture_output=True, text=True, timeout=10, check=False)
        if done.returncode == 0 and "load average" in done.stdout:
            return "load average" + done.stdout.split("load average", 1)[1].strip()
    one, five, fifteen = os.getloadavg()
    return f"load average: {one:.2f}, {five:.2f}, {fifteen:.2f}"


def commit() -> str:
    """The commit measured, and whether the working tree differs from it."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown commit"
    return head + (" + uncommitted changes" if git("status", "--porcelain") else "")


def markdown(
    latency_rows: Sequence[LatencyRow],
    figure_rows: Sequence[FigureRow],
    *,
    settings: str,
    period: float,
    load_before: str,
    load_after: str,
    measured: str,
    when: datetime.datetime | None = None,
) -> str:
    """The whole report: when, what and where it was measured, then both tables."""
    when = when or datetime.datetime.now(datetime.UTC)
    lines = [
        "# Mixed-load figures (issue 11)",
        "",
        f"- date: {when:%Y-%m-%d %H:%M} UTC; commit {measured}",
        f"- machine: {os.cpu_count()} cores; before: {load_before}; after: {load_after}",
        f"- settings: {settings}",
        "",
        f"## The trivial query (`ASK {{ ?s ?p ?o }}`, one client, one request every {period * 1000:g} ms)",
        "",
        table(
            LATENCY_HEADER,
            ([r.store, r.condition, *r.latencies.cells(), r.other] for r in latency_rows),
        ),
        "",
        "## Memory limit and engine restart",
        "",
        table(["store", "figure", "value"], ([r.store, r.figure, r.value] for r in figure_rows)),
        "",
    ]
    return "\n".join(lines)
