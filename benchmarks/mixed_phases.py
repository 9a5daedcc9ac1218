"""The phases of the mixed-load benchmark, each against a running service (:mod:`benchmarks.mixed_load`).

Each phase is bounded: a loop stops at its deadline, a request at its own timeout.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import TYPE_CHECKING

import httpx
import psutil

from benchmarks.driver import RssSampler
from benchmarks.mixed_inputs import CARTESIAN_COUNT, TOKEN, TRIVIAL, Write, doubling_query
from benchmarks.mixed_report import Latencies, Sample, Status, counts

if TYPE_CHECKING:
    from benchmarks.mixed_load import Plan

SPARQL_JSON = "application/sparql-results+json"
ENGINE_MODULE = "graph.stores.engine"
MIB = 2**20


def _client(base_url: str) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
    return httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60)


Answer = tuple[Status, float, httpx.Response | None]


async def _send(
    client: httpx.AsyncClient, method: str, path: str, timeout: float, **request: object
) -> Answer:
    started = time.monotonic()
    try:
        response = await client.request(method, path, timeout=timeout, **request)  # type: ignore[arg-type]
    except httpx.HTTPError as error:
        return type(error).__name__, time.monotonic() - started, None
    return response.status_code, time.monotonic() - started, response


async def _ask(client: httpx.AsyncClient, timeout: float) -> Answer:
    """The trivial query; a 200 that does not say ``true`` is a wrong answer."""
    params = {"query": TRIVIAL}
    status, seconds, response = await _send(
        client, "GET", "/sparql", timeout, params=params, headers={"Accept": SPARQL_JSON}
    )
    if status == 200 and response is not None and json.loads(response.content).get("boolean") is not True:
        status = "wrong answer"
    return status, seconds, response


async def _trivial_client(
    client: httpx.AsyncClient, plan: Plan, deadline: float, seen: Latencies, stop: asyncio.Event
) -> Latencies:
    """One request every ``plan.period`` seconds, each waited for, until the deadline or ``stop``."""
    request_timeout = max(plan.write_wait, max(plan.timeouts) * 2) + 10
    next_send = time.monotonic()
    while not stop.is_set() and time.monotonic() < deadline:
        sent = time.monotonic()
        status, seconds, _ = await _ask(client, request_timeout)
        seen.samples.append(Sample(sent, seconds, status))
        next_send = max(next_send + plan.period, time.monotonic())
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), max(0.0, next_send - time.monotonic()))
    return seen


async def baseline(base_url: str, plan: Plan) -> Latencies:
    """The trivial query with nothing else running."""
    async with _client(base_url) as client:
        await _ask(client, 30)  # the first request opens the connection and warms a reader
        return await _trivial_client(
            client, plan, time.monotonic() + plan.duration, Latencies(), asyncio.Event()
        )


async def timeout_load(base_url: str, plan: Plan, timeout: float) -> tuple[Latencies, Counter[Status]]:
    """The trivial query while ``plan.long_clients`` clients loop on a cartesian COUNT."""
    statuses: Counter[Status] = Counter()
    deadline = time.monotonic() + plan.duration

    async def long_client(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            status, _, _ = await _send(
                client, "GET", "/sparql", timeout * 2 + 15, params={"query": CARTESIAN_COUNT}
            )
            statuses[status] += 1

    async with _client(base_url) as client:
        longs = [asyncio.create_task(long_client(client)) for _ in range(plan.long_clients)]
        latencies = await _trivial_client(client, plan, deadline, Latencies(), asyncio.Event())
        await asyncio.gather(*longs)
    return latencies, statuses


def _outcome(status: Status, seconds: float, response: httpx.Response | None) -> str:
    text = f"{status} in {seconds:.2f} s"
    if response is not None and response.status_code >= 300:
        with suppress(ValueError, AttributeError):
            text += f": {json.loads(response.content).get('message', '')[:140]}"
    return text


async def during_write(base_url: str, plan: Plan, write: Write, timeout: float) -> tuple[Latencies, str]:
    """The trivial query's latency while the write is in flight; what the write got, and when."""
    seen, stop = Latencies(), asyncio.Event()
    async with _client(base_url) as client:
        reader_deadline = time.monotonic() + plan.write_wait + 30
        reader = asyncio.create_task(_trivial_client(client, plan, reader_deadline, seen, stop))
        while not seen.samples and time.monotonic() < reader_deadline:  # the reader is under way
            await asyncio.sleep(plan.period)
        started = time.monotonic()
        headers = {"Content-Type": write.content_type, "Authorization": f"Bearer {TOKEN}"}
        status, seconds, response = await _send(
            client,
            write.method,
            write.path,
            plan.write_wait,
            params=write.params,
            content=write.body,
            headers=headers,
        )
        ended = time.monotonic()
        stop.set()
        await reader
    gave_up = f" (the client gave up at {plan.write_wait:g} s)" if response is None else ""
    outcome = f"the write: {_outcome(status, seconds, response)}{gave_up} (timeout {timeout:g} s)"
    return seen.overlapping(started, ended), outcome


class _Guard(threading.Thread):
    """Kills the largest process of the service's tree once the tree's RSS passes ``cap`` bytes.

    Without a memory limit in the service, the doubling query would take the machine's memory.
    """

    def __init__(self, sampler: RssSampler, cap: int) -> None:
        super().__init__(daemon=True)
        self.sampler, self.cap = sampler, cap
        self.stopped = threading.Event()
        self.killed: str | None = None

    def run(self) -> None:
        while not self.stopped.wait(0.05):
            members = self.sampler.tree()[1:]  # never the uvicorn process itself
            sizes = {}
            for member in members:
                with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                    sizes[member] = member.memory_info().rss
            if sum(sizes.values()) > self.cap and sizes:
                victim = max(sizes, key=lambda member: sizes[member])
                with suppress(psutil.NoSuchProcess):
                    victim.kill()
                self.killed = f"pid {victim.pid} at {sizes[victim] / MIB:,.0f} MiB"
                return


def memory_limit(base_url: str, pid: int, plan: Plan) -> list[tuple[str, str]]:
    """The doubling query: its answer and time, the tree's peak memory, the trivial query right after."""
    with RssSampler(pid) as sampler:
        deadline = time.monotonic() + 30
        while sampler.peak_bytes == 0 and time.monotonic() < deadline:  # its process has started
            time.sleep(0.05)
        guard = _Guard(sampler, plan.rss_guard_mib * MIB)
        guard.start()
        answer, after, again = asyncio.run(_doubling_then_trivial(base_url, plan))
        guard.stopped.set()
        guard.join(10)
    peak = f"{sampler.peak_bytes / MIB:,.0f} MiB RSS (summed over the tree, sampled every 50 ms); "
    peak += f"the driver's guard killed {guard.killed}" if guard.killed else "the driver's guard never fired"
    query = f"memory-hungry query (CONCAT doubled {plan.doubling_levels} times)"
    return [
        (f"{query}: the answer", answer),
        (f"{query}: peak memory of the service's processes", peak),
        ("trivial query right after it", after + again),
    ]


async def _doubling_then_trivial(base_url: str, plan: Plan) -> tuple[str, str, str]:
    async with _client(base_url) as client:
        await _ask(client, 30)
        headers = {"Content-Type": "application/sparql-query", "Accept": SPARQL_JSON}
        body = doubling_query(plan.doubling_levels).encode()
        status, seconds, response = await _send(
            client, "POST", "/sparql", plan.write_wait, content=body, headers=headers
        )
        answer = _outcome(status, seconds, response)
        status, seconds, _ = await _ask(client, 30)
        after = f"{status} in {seconds * 1000:.1f} ms"
        if status == 200:
            return answer, after, ""
        waited = await _until_ok(lambda: _ask(client, 5), time.monotonic(), plan.restart_wait, Counter())
        return answer, after, f"; 200 again after {waited}"


async def _until_ok(
    request: Callable[[], Awaitable[Answer]], since: float, wait: float, seen: Counter[Status]
) -> str:
    """Repeat ``request`` until it answers 200; how long that took after ``since``."""
    while time.monotonic() < since + wait:
        status, _, _ = await request()
        seen[status] += 1
        if status == 200:
            return f"{time.monotonic() - since:.2f} s"
        if status == 404:
            return "no such route (404)"
        await asyncio.sleep(0.05)
    return f"no 200 within {wait:g} s"


def _engine(pid: int) -> psutil.Process | None:
    """The engine process of the service: its workers are forked from it, so they look alike."""
    engines = []
    with suppress(psutil.NoSuchProcess):
        for process in psutil.Process(pid).children(recursive=True):
            with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                if ENGINE_MODULE in process.cmdline():
                    engines.append(process)
    pids = {process.pid for process in engines}
    return next((process for process in engines if process.ppid() not in pids), None)


async def restart(base_url: str, pid: int, plan: Plan) -> list[tuple[str, str]]:
    """Kill the engine with SIGKILL; how long until a query and the readiness route answer 200."""
    labels = [
        "engine killed (SIGKILL): a query answers 200 again after",
        f"engine killed: {plan.ready_path} answers 200 after",
        "engine killed: /health until a query answered",
        "engine killed: a new engine process",
    ]
    async with _client(base_url) as client:
        await _until_ok(lambda: _ask(client, 30), time.monotonic(), 60, Counter())
        engine = _engine(pid)
        if engine is None:
            return [(label, "no engine process found") for label in labels]
        engine.kill()
        killed = time.monotonic()
        queries: Counter[Status] = Counter()
        health: Counter[Status] = Counter()
        retry_after: Counter[bool] = Counter()

        async def query() -> Answer:
            answer = await _ask(client, 5)
            if answer[2] is not None and answer[0] != 200:
                retry_after["Retry-After" in answer[2].headers] += 1
            return answer

        query_task = asyncio.create_task(_until_ok(query, killed, plan.restart_wait, queries))
        ready_task = asyncio.create_task(
            _until_ok(lambda: _send(client, "GET", plan.ready_path, 5), killed, plan.restart_wait, Counter())
        )
        while not query_task.done():
            status, _, _ = await _send(client, "GET", "/health", 5)
            health[status] += 1
            await asyncio.sleep(0.05)
        queried, ready = await query_task, await ready_task
        successor = _engine(pid)
    refused = sum(n for status, n in queries.items() if status != 200)
    meanwhile = f"{counts(queries)}; Retry-After on {retry_after[True]} of {refused} refusals"
    new_engine = f"pid {successor.pid}" if successor is not None and successor.pid != engine.pid else "none"
    return list(zip(labels, [f"{queried} ({meanwhile})", ready, counts(health), new_engine], strict=True))
