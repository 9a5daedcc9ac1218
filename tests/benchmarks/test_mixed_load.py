"""The mixed-load driver, run end to end on a very short plan: every figure is in its report.

It starts real services (uvicorn on 127.0.0.1, the memory store on the embedded data), so this
shows the phases run and stop by themselves; the figures of so short a run mean nothing, and no
timing is asserted.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import psutil

from benchmarks.mixed_load import main

LATENCY_ROWS = (
    "nothing else (baseline)",
    "3 clients × cartesian COUNT, timeout 1 s",
    "PUT nested RDF/XML",
    "PUT Turtle",
    "slow UPDATE",
)
FIGURE_ROWS = (
    "memory-hungry query (CONCAT doubled 40 times): the answer",
    "memory-hungry query (CONCAT doubled 40 times): peak memory of the service's processes",
    "trivial query right after it",
    "engine killed (SIGKILL): a query answers 200 again after",
    "engine killed: /ready answers 200 after",
    "engine killed: /health until a query answered",
    "engine killed: a new engine process",
)


def test_a_short_run_reports_every_figure_and_leaves_no_process(tmp_path: Path) -> None:
    out = tmp_path / "mixed.md"
    short = ["--stores", "memory", "--timeouts", "1", "--duration", "2", "--write-wait", "4"]
    small = ["--nesting-levels", "500", "--turtle-triples", "500", "--restart-wait", "3"]
    where = ["--workdir", str(tmp_path / "work"), "--out", str(out)]
    before = _live_children()  # the suite's own session stores are children of pytest too

    assert main([*short, *small, *where]) == 0

    report = out.read_text(encoding="utf-8")
    rows = [line for line in report.splitlines() if line.startswith("| memory | ")]
    for label in (*LATENCY_ROWS, *FIGURE_ROWS):
        assert sum(f"| memory | {label}" in row for row in rows) == 1, label
    assert len(rows) == len(LATENCY_ROWS) + len(FIGURE_ROWS)
    baseline = next(row for row in rows if "baseline" in row).split(" | ")
    assert int(baseline[2]) > 0 and baseline[7] == "0"  # requests made, every one answered right
    assert "commit " in report and report.count("load average") == 2
    assert _live_children() - before == set()


def _live_children() -> set[int]:
    """The pids of this process's live descendants, bar multiprocessing's resource tracker (the
    memory sampler's), which lives as long as this process; zombies and the gone are not alive."""
    alive = set()
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
            if child.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(child.cmdline()):
                alive.add(child.pid)
    return alive
