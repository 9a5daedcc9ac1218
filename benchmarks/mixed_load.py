"""Issue 11's figures: a trivial query under slow queries and writes, the memory limit, engine restarts.

For each store (memory, then disk, each on the embedded Golden Dome data), the service runs as
a deployment runs it (:class:`reliability.processes.ServiceProcess`: uvicorn in its own process
group, configured by ``STANCEGRAPH_*`` variables), and one client sends ``ASK { ?s ?p ?o }``
every ``--period`` seconds, waiting for each answer (a blocked request delays the next), while:

1. nothing else runs (the baseline); then three clients loop on a cartesian COUNT that runs to
   the query timeout (once per ``--timeouts`` value, each in a service of its own);
2. a write runs, each in a service of its own (a write past the client's patience may still
   hold the store): a Graph Store PUT of deeply nested RDF/XML, a PUT of a big Turtle file, a
   SPARQL UPDATE that runs to the timeout (without a deadline it never ends);
3. (no trivial client, in the service of the baseline) a query doubles a string until a limit
   stops it: the answer, its time, the peak RSS of the service's process tree, and whether a
   trivial query answers right after;
4. (a service of its own) the engine process is killed with SIGKILL: the time until a query,
   and the readiness route, answer 200 again.

Every loop is bounded in time; every server binds 127.0.0.1. From the repository root::

    .venv/bin/python -m benchmarks.mixed_load --out mixed.md
    .venv/bin/python -m benchmarks.mixed_load --stores memory --duration 5 --timeouts 1
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from benchmarks import mixed_phases as phases
from benchmarks.mixed_inputs import TOKEN, writes
from benchmarks.mixed_report import FigureRow, LatencyRow, commit, counts, load_average, markdown
from reliability.processes import ServiceProcess

STORES = ("memory", "disk")


@dataclass(frozen=True)
class Plan:
    """What to measure, and every bound of it."""

    stores: tuple[str, ...] = STORES
    timeouts: tuple[float, ...] = (3.0, 10.0)  # the first for every phase; the others: phase 1 again
    duration: float = 30.0
    period: float = 0.05
    long_clients: int = 3
    nesting_levels: int = 44_000
    turtle_triples: int = 120_000
    doubling_levels: int = 40
    memory_limit: str = "1GiB"
    rss_guard_mib: int = 6144
    write_wait: float = 60.0
    restart_wait: float = 30.0
    ready_path: str = "/ready"
    settings: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        extra = "".join(f", {name}={value}" for name, value in sorted(self.settings.items()))
        return (
            f"query_timeout {' and '.join(f'{t:g} s' for t in self.timeouts)}, "
            f"query_memory_limit {self.memory_limit}{extra}; {self.duration:g} s per load phase, "
            f"a trivial query every {self.period * 1000:g} ms; {self.long_clients} long clients; "
            f"RDF/XML {self.nesting_levels:,} levels; Turtle {self.turtle_triples:,} triples; "
            f"CONCAT doubled {self.doubling_levels} times; the driver kills a process of the service "
            f"past {self.rss_guard_mib:,} MiB for the whole tree"
        )


class _Service(ServiceProcess):
    """A service with settings given by name as text, any name (``workers`` too, which
    :class:`ServiceProcess` takes for uvicorn's own)."""

    def __init__(self, log: Path, named: dict[str, str], **settings: Any) -> None:
        super().__init__(log, log_level="warning", **settings)
        self.named = named

    def environment(self) -> dict[str, str]:
        named = {f"STANCEGRAPH_{name.upper()}": value for name, value in self.named.items()}
        return super().environment() | named


@contextmanager
def running(plan: Plan, store: str, workdir: Path, name: str, timeout: float) -> Iterator[ServiceProcess]:
    """A service of its own for one group of phases; stopped with every process it started."""
    directory = workdir / f"{store}-{name}"
    paths = {"disk_path": directory / "disk-store"} if store == "disk" else {}
    named = {"query_memory_limit": plan.memory_limit, **plan.settings}
    service = _Service(
        directory / "service.log", named, store=store, write_token=TOKEN, query_timeout=timeout, **paths
    ).start()
    started: list[psutil.Process] = []
    try:
        yield service
    finally:
        assert service.process is not None
        with suppress(psutil.NoSuchProcess):
            started = psutil.Process(service.process.pid).children(recursive=True)
        service.stop()
        for process in started:  # one that left the process group (or outlived it)
            with suppress(psutil.NoSuchProcess):
                process.kill()


def _timeout_load(plan: Plan, store: str, service: ServiceProcess, timeout: float) -> LatencyRow:
    latencies, statuses = asyncio.run(phases.timeout_load(service.url, plan, timeout))
    others_5xx = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500 and s != 504)
    other = f"long queries: {counts(statuses)}; 5xx other than 504: {others_5xx}"
    condition = f"{plan.long_clients} clients × cartesian COUNT, timeout {timeout:g} s"
    return LatencyRow(store, condition, latencies, other)


def measure_store(plan: Plan, store: str, workdir: Path) -> tuple[list[LatencyRow], list[FigureRow]]:
    """Every phase on one store, in the services described at the top of this module."""
    first, *others = plan.timeouts
    latency_rows: list[LatencyRow] = []
    figures: list[FigureRow] = []
    with running(plan, store, workdir, "main", first) as service:
        baseline = asyncio.run(phases.baseline(service.url, plan))
        latency_rows.append(LatencyRow(store, "nothing else (baseline)", baseline, "–"))
        latency_rows.append(_timeout_load(plan, store, service, first))
        assert service.process is not None
        figures += [
            FigureRow(store, *row) for row in phases.memory_limit(service.url, service.process.pid, plan)
        ]
    for timeout in others:
        with running(plan, store, workdir, f"timeout-{timeout:g}", timeout) as service:
            latency_rows.append(_timeout_load(plan, store, service, timeout))
    # A service for each write: one past the client's patience may still hold the store.
    for number, write in enumerate(writes(plan.nesting_levels, plan.turtle_triples)):
        with running(plan, store, workdir, f"write-{number}", first) as service:
            latencies, outcome = asyncio.run(phases.during_write(service.url, plan, write, first))
            latency_rows.append(LatencyRow(store, write.label, latencies, outcome))
    with running(plan, store, workdir, "restart", first) as service:
        assert service.process is not None
        rows = asyncio.run(phases.restart(service.url, service.process.pid, plan))
        figures += [FigureRow(store, *row) for row in rows]
    return latency_rows, figures


def run(plan: Plan, workdir: Path) -> str:
    """Measure every store of the plan and return the Markdown report."""
    load_before = load_average()
    latency_rows: list[LatencyRow] = []
    figures: list[FigureRow] = []
    for store in plan.stores:
        print(f"measuring the {store} store ...", file=sys.stderr, flush=True)
        rows, store_figures = measure_store(plan, store, workdir)
        latency_rows += rows
        figures += store_figures
    return markdown(
        latency_rows,
        figures,
        settings=plan.describe(),
        period=plan.period,
        load_before=load_before,
        load_after=load_average(),
        measured=commit(),
    )


def _setting(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, not {text!r}")
    return name.lower().removeprefix("stancegraph_"), value


def main(argv: Sequence[str] | None = None) -> int:
    defaults = Plan()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stores", nargs="+", choices=STORES, default=list(defaults.stores))
    parser.add_argument("--timeouts", nargs="+", type=float, default=list(defaults.timeouts), metavar="S")
    parser.add_argument(
        "--duration", type=float, default=defaults.duration, help="seconds of each load phase"
    )
    parser.add_argument(
        "--period", type=float, default=defaults.period, help="seconds between trivial queries"
    )
    parser.add_argument("--nesting-levels", type=int, default=defaults.nesting_levels)
    parser.add_argument("--turtle-triples", type=int, default=defaults.turtle_triples)
    parser.add_argument("--doubling-levels", type=int, default=defaults.doubling_levels)
    parser.add_argument(
        "--memory-limit", default=defaults.memory_limit, help="STANCEGRAPH_QUERY_MEMORY_LIMIT"
    )
    parser.add_argument("--rss-guard-mib", type=int, default=defaults.rss_guard_mib)
    parser.add_argument(
        "--write-wait", type=float, default=defaults.write_wait, help="seconds a write may take"
    )
    parser.add_argument("--restart-wait", type=float, default=defaults.restart_wait)
    parser.add_argument("--ready-path", default=defaults.ready_path)
    parser.add_argument(
        "--setting",
        type=_setting,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="another service setting (STANCEGRAPH_NAME), e.g. --setting workers=4; repeatable",
    )
    parser.add_argument("--workdir", type=Path, help="keep the services' logs and stores here")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    plan = Plan(
        stores=tuple(args.stores),
        timeouts=tuple(args.timeouts),
        duration=args.duration,
        period=args.period,
        nesting_levels=args.nesting_levels,
        turtle_triples=args.turtle_triples,
        doubling_levels=args.doubling_levels,
        memory_limit=args.memory_limit,
        rss_guard_mib=args.rss_guard_mib,
        write_wait=args.write_wait,
        restart_wait=args.restart_wait,
        ready_path=args.ready_path,
        settings=dict(args.setting),
    )
    if args.workdir is not None:
        report = run(plan, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="stancegraph-mixed-") as workdir:
            report = run(plan, Path(workdir))
    print(report)
    if args.out is not None:
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
