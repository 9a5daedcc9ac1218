"""A bounded load driver: asyncio and httpx on loopback, stopping by itself.

``concurrency`` clients cycle through the probe mix (:data:`reliability.probes.PROBES`) for
``duration`` seconds or ``max_requests`` requests, whichever comes first; every response
is checked against the known answer. A request never waits more than ``request_timeout``
seconds, so the whole run ends within ``duration + request_timeout``.

Run one configuration from the repository root::

    python -m reliability.load --store memory --duration 60 --concurrency 32

(``--store remote`` starts an Oxigraph server loaded with the embedded data and serves it
with two uvicorn workers.)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from reliability.probes import PROBES, Probe, verdict
from reliability.processes import CONFIGURATIONS, configuration, environment_summary

MAX_EXAMPLES_PER_PROBE = 2


@dataclass
class LoadReport:
    """What one load run saw: counts, failures (with a few examples) and latency percentiles."""

    configuration: str
    duration_seconds: float
    concurrency: int
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    by_probe: Counter[str] = field(default_factory=Counter)
    failures_by_probe: Counter[str] = field(default_factory=Counter)
    server_errors: int = 0
    wrong_answers: int = 0
    transport_errors: int = 0
    examples: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    machine: str = ""

    def record(self, probe: Probe, status: int | None, seconds: float, problem: str | None) -> None:
        self.requests += 1
        self.by_probe[probe.name] += 1
        self.latencies_ms.append(seconds * 1000)
        if status is None:
            self.transport_errors += 1
        else:
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors += 1
            elif problem is not None:
                self.wrong_answers += 1
        if problem is not None or status is None or status >= 500:
            self.failures_by_probe[probe.name] += 1
        if problem is not None and self.failures_by_probe[probe.name] <= MAX_EXAMPLES_PER_PROBE:
            self.examples.append(f"{probe.name}: {problem}")

    @property
    def failures(self) -> int:
        return self.server_errors + self.wrong_answers + self.transport_errors

    def percentile(self, percent: int) -> float:
        """The latency (ms) that ``percent`` % of requests stayed under."""
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[percent - 1]

    @property
    def throughput(self) -> float:
        return self.requests / self.duration_seconds if self.duration_seconds else 0.0

    def summary(self) -> dict[str, object]:
        """The figures of the run, JSON-ready."""
        figures = {
            key: value
            for key, value in asdict(self).items()
            if key not in ("latencies_ms", "statuses", "by_probe", "failures_by_probe")
        }
        return figures | {
            "statuses": {str(status): count for status, count in sorted(self.statuses.items())},
            "by_probe": dict(sorted(self.by_probe.items())),
            "failures_by_probe": dict(sorted(self.failures_by_probe.items())),
            "throughput_per_second": round(self.throughput, 1),
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
        }


async def _client_loop(
    client: httpx.AsyncClient,
    report: LoadReport,
    schedule: itertools.count[int],
    probes: Sequence[Probe],
    deadline: float,
    max_requests: int | None,
) -> None:
    while time.monotonic() < deadline:
        turn = next(schedule)
        if max_requests is not None and turn >= max_requests:
            return
        probe = probes[turn % len(probes)]
        started = time.perf_counter()
        try:
            response = await client.send(probe.request(client))
        except httpx.TransportError as error:
            report.record(probe, None, time.perf_counter() - started, f"{type(error).__name__}: {error}")
            continue
        elapsed = time.perf_counter() - started
        report.record(probe, response.status_code, elapsed, verdict(probe, response))


async def run_load(
    base_url: str,
    *,
    configuration: str = "",
    duration: float = 60.0,
    concurrency: int = 32,
    max_requests: int | None = None,
    request_timeout: float = 60.0,
    probes: Sequence[Probe] = PROBES,
) -> LoadReport:
    """Drive ``base_url`` with the probe mix and report what came back."""
    report = LoadReport(configuration, duration, concurrency, machine=environment_summary())
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    schedule = itertools.count()
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base_url, timeout=request_timeout, limits=limits) as client:
        loops = [
            _client_loop(client, report, schedule, probes, started + duration, max_requests)
            for _ in range(concurrency)
        ]
        await asyncio.wait_for(asyncio.gather(*loops), timeout=duration + request_timeout + 10)
    report.duration_seconds = time.monotonic() - started
    return report


def run_configuration(
    name: str, workdir: Path, *, duration: float, concurrency: int, max_requests: int | None = None
) -> LoadReport:
    """Start one configuration (memory, disk or remote), load it, stop it."""
    with configuration(name, workdir) as service:
        return asyncio.run(
            run_load(
                service.url,
                configuration=name,
                duration=duration,
                concurrency=concurrency,
                max_requests=max_requests,
            )
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", choices=CONFIGURATIONS, default="memory")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--max-requests", type=int, default=None, help="stop after this many requests")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="stancegraph-load-") as workdir:
        report = run_configuration(
            args.store,
            Path(workdir),
            duration=args.duration,
            concurrency=args.concurrency,
            max_requests=args.max_requests,
        )
    figures = report.summary()
    print(json.dumps(figures, indent=2))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if report.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
