"""Load driver: sends a workload to any SPARQL endpoint and measures what the client sees.

Requests are SPARQL 1.1 Protocol POSTs (``application/sparql-query``), the form
every peer accepts. A phase is bounded both in requests and in seconds: it
stops issuing when either runs out, and a request that hangs fails at its own
timeout. Throughput counts completed requests (errors included, and reported)
over the phase's wall time; latency is from send to the last body byte.

A separate thread samples the resident memory (RSS) of a server's whole
process tree, so a server that forks workers is counted whole.

Run it alone against any endpoint, for example an Oxigraph server:

    python -m benchmarks.driver --endpoint http://127.0.0.1:7878/query --data data.nq
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

from benchmarks.generate import Manifest
from benchmarks.workload import RESULTS_JSON, Request, build_workload


@dataclass
class Sample:
    name: str
    seconds: float
    ok: bool
    error: str | None = None


@dataclass
class PhaseResult:
    """What one phase measured. Latencies in milliseconds."""

    concurrency: int
    requests: int
    errors: int
    seconds: float
    throughput: float  # completed requests per second
    p50_ms: float
    p95_ms: float
    p99_ms: float
    by_query: dict[str, dict[str, float]] = field(default_factory=dict)  # name -> count, p50_ms, errors
    error_examples: list[str] = field(default_factory=list)


def percentile(values: list[float], pct: int) -> float:
    """The ``pct``-th percentile (inclusive method), 0.0 for no values.

    >>> percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50)
    3.0
    """
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def summarize(samples: list[Sample], concurrency: int, seconds: float) -> PhaseResult:
    latencies = [sample.seconds * 1000 for sample in samples]
    by_name: dict[str, list[Sample]] = {}
    for sample in samples:
        by_name.setdefault(sample.name, []).append(sample)
    return PhaseResult(
        concurrency=concurrency,
        requests=len(samples),
        errors=sum(not sample.ok for sample in samples),
        seconds=round(seconds, 3),
        throughput=round(len(samples) / seconds, 2) if seconds else 0.0,
        p50_ms=round(percentile(latencies, 50), 2),
        p95_ms=round(percentile(latencies, 95), 2),
        p99_ms=round(percentile(latencies, 99), 2),
        by_query={
            name: {
                "count": len(group),
                "p50_ms": round(percentile([s.seconds * 1000 for s in group], 50), 2),
                "errors": sum(not s.ok for s in group),
            }
            for name, group in sorted(by_name.items())
        },
        error_examples=sorted({sample.error for sample in samples if sample.error})[:5],
    )


async def _send(client: httpx.AsyncClient, endpoint: str, request: Request) -> tuple[Sample, bytes]:
    started = time.perf_counter()
    try:
        response = await client.post(
            endpoint,
            content=request.query.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": request.accept},
        )
        body = response.content
    except httpx.HTTPError as error:
        return Sample(
            request.name, time.perf_counter() - started, False, f"{type(error).__name__}: {error}"
        ), b""
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        message = f"HTTP {response.status_code}: {body[:200].decode('utf-8', 'replace')}"
        return Sample(request.name, elapsed, False, message), body
    return Sample(request.name, elapsed, True), body


async def run_phase(
    endpoint: str,
    workload: list[Request],
    *,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    timeout: float = 60.0,
) -> PhaseResult:
    """Send the workload in order with ``concurrency`` clients until either bound is reached."""
    limit = min(max_requests, len(workload))
    samples: list[Sample] = []
    next_index = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        started = time.perf_counter()
        deadline = started + max_seconds

        async def worker() -> None:
            nonlocal next_index
            while next_index < limit and time.perf_counter() < deadline:
                request = workload[next_index]
                next_index += 1
                sample, _ = await _send(client, endpoint, request)
                samples.append(sample)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return summarize(samples, concurrency, elapsed)


def answer_size(body: bytes, accept: str) -> str:
    """A comparable digest of an answer: the ASK boolean, the SELECT row count or the triple count.

    >>> answer_size(b'{"head": {}, "boolean": true}', "application/sparql-results+json")
    'true'
    >>> answer_size(b'<a> <b> <c> .\\n<a> <b> <d> .\\n', "application/n-triples")
    '2 triples'
    """
    if accept == RESULTS_JSON:
        document = json.loads(body)
        if "boolean" in document:
            return str(document["boolean"]).lower()
        return f"{len(document['results']['bindings'])} rows"
    return f"{sum(1 for line in body.splitlines() if line.strip())} triples"


async def check_answers(endpoint: str, workload: list[Request], timeout: float = 120.0) -> list[str]:
    """Send each request once, in order, and digest each answer (``error: ...`` when it fails).

    Runs before the timed phases: it warms the server up, and lets the runner
    compare the peers' answers, so that a fast wrong answer is caught.
    """
    digests = []
    async with httpx.AsyncClient(timeout=timeout) as client:
        for request in workload:
            sample, body = await _send(client, endpoint, request)
            digests.append(answer_size(body, request.accept) if sample.ok else f"error: {sample.error}")
    return digests


def _tree(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _tree_bytes(process: psutil.Process, *, proportional: bool) -> int:
    total = 0
    for member in _tree(process):
        try:
            total += member.memory_full_info().pss if proportional else member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def _sample(pid: int, interval: float, pss_every: int, peak: Any, peak_pss: Any, stop: Any) -> None:
    # Runs in a process of its own: see RssSampler.
    process = psutil.Process(pid)
    tick = 0
    while not stop.is_set():
        peak.value = max(peak.value, _tree_bytes(process, proportional=False))
        if tick % pss_every == 0:
            peak_pss.value = max(peak_pss.value, _tree_bytes(process, proportional=True))
        tick += 1
        stop.wait(interval)


class RssSampler:
    """Samples the memory of a process and all its descendants, from a process of its own.

    ``peak_bytes`` is the peak of the summed RSS, as ``ps`` shows it. Forked worker
    processes share pages, which RSS counts once per process; the proportional set
    size (PSS) divides shared pages among their sharers, so ``peak_pss_bytes``
    (sampled less often: it costs more to read) is the fairer total for a tree.

    The sampling runs in a separate process, not a thread of the driver: reading
    ``/proc`` for every process of a tree twenty times a second holds the GIL, and
    in the driver's process it delayed the driver's own requests, more so for a
    server of several processes than for one of a single process.
    """

    def __init__(self, pid: int, interval: float = 0.05, pss_every: int = 20) -> None:
        self.process = psutil.Process(pid)
        context = multiprocessing.get_context("spawn")  # the driver has threads: no fork
        self._peak = context.Value("q", 0, lock=False)
        self._peak_pss = context.Value("q", 0, lock=False)
        self._stop = context.Event()
        self._sampler = context.Process(
            target=_sample,
            args=(pid, interval, pss_every, self._peak, self._peak_pss, self._stop),
            daemon=True,
        )

    @property
    def peak_bytes(self) -> int:
        return int(self._peak.value)

    @property
    def peak_pss_bytes(self) -> int:
        return int(self._peak_pss.value)

    def tree(self) -> list[psutil.Process]:
        """The process and its descendants, as they are now."""
        return _tree(self.process)

    def current_bytes(self, *, proportional: bool = False) -> int:
        """The tree's summed RSS now (or PSS, when ``proportional``)."""
        return _tree_bytes(self.process, proportional=proportional)

    def __enter__(self) -> RssSampler:
        self._sampler.start()
        return self

    def stop(self) -> None:
        """Stop sampling, keeping the peaks (again: nothing more happens)."""
        self._stop.set()
        self._sampler.join(timeout=10)
        if self._sampler.is_alive():
            self._sampler.kill()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Drive the benchmark query mix against a SPARQL endpoint.")
    parser.add_argument(
        "--endpoint", required=True, help="SPARQL query URL, e.g. http://127.0.0.1:7878/query"
    )
    parser.add_argument(
        "--data", type=Path, required=True, help="the generated N-Quads file (its manifest is read)"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the entity picks")
    parser.add_argument("--requests", type=int, default=2000, help="at most this many requests per phase")
    parser.add_argument("--seconds", type=float, default=20.0, help="at most this long per phase")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--pid", type=int, help="server process whose tree's peak RSS to report")
    args = parser.parse_args(argv)
    if not args.endpoint.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]")):
        parser.error("the driver only talks to loopback endpoints")
    workload = build_workload(Manifest.load(args.data), args.seed, args.requests)
    report: dict[str, object] = {"endpoint": args.endpoint}
    with RssSampler(args.pid) if args.pid else contextlib.nullcontext() as sampler:
        asyncio.run(check_answers(args.endpoint, workload[:12]))  # warm-up
        report["phases"] = [
            asdict(
                asyncio.run(
                    run_phase(
                        args.endpoint,
                        workload,
                        concurrency=c,
                        max_requests=args.requests,
                        max_seconds=args.seconds,
                    )
                )
            )
            for c in args.concurrency
        ]
    if sampler is not None:
        report["peak_rss_mb"] = round(sampler.peak_bytes / 2**20, 1)
        report["peak_pss_mb"] = round(sampler.peak_pss_bytes / 2**20, 1)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
