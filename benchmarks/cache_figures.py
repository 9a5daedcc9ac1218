"""The result cache's figures: each route cold (the cache off) and warm (on, the request repeated).

One service on generated data at a time (``stancegraph serve --data``, the memory store), first
with ``STANCEGRAPH_RESULT_CACHE=0``, then with the cache on; a sequential client over HTTP sends
each request ``--repeats`` times and takes its latency (p50, p99). Cold, every request goes to
the store; warm, the first is a miss and the rest are hits, whose figures are given apart from
it. Answers are checked equal, warm to cold, before any figure is taken. The load average is
noted beside the figures: other work on the machine moves them.

    python -m benchmarks.cache_figures --triples 100000 --repeats 200 --work /some/dir
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.driver import percentile
from benchmarks.generate import Manifest, generate
from benchmarks.run import Server, free_port

SG = "https://w3id.org/stancegraph/ontology#"


def requests_for(manifest: Manifest) -> list[tuple[str, str, dict[str, Any]]]:
    """Name, path and httpx options of each request measured: REST reads, a network, an export, SPARQL."""
    holder = manifest.holders[0]
    sparql = {"Accept": "application/sparql-results+json"}
    lookup = f"SELECT ?p ?o WHERE {{ <https://w3id.org/stancegraph/id/{holder}> ?p ?o }}"
    distribution = (
        f"PREFIX sg: <{SG}> SELECT ?target ?value (COUNT(?position) AS ?n) WHERE {{ "
        "?position sg:target ?target ; sg:stanceValue ?value } GROUP BY ?target ?value"
    )
    return [
        ("GET /stakeholders/{id}", f"/stakeholders/{holder}", {}),
        ("GET /positions?limit=20", "/positions", {"params": {"limit": 20}}),
        ("GET /search?q=", "/search", {"params": {"q": holder.split("-")[0]}}),
        ("GET /subgraph depth 2 Turtle", "/subgraph", {"params": {"focus": holder, "format": "turtle"}}),
        ("GET /network/congruence", "/network/congruence", {}),
        ("/sparql card lookup", "/sparql", {"params": {"query": lookup}, "headers": sparql}),
        ("/sparql stance distribution", "/sparql", {"params": {"query": distribution}, "headers": sparql}),
    ]


def timed(
    client: httpx.Client, path: str, options: dict[str, Any], repeats: int
) -> tuple[list[float], bytes]:
    """Milliseconds of each of ``repeats`` sends, and the first answer's body."""
    times, body = [], b""
    for turn in range(repeats):
        started = time.perf_counter()
        response = client.get(path, **options)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")
        if turn == 0:
            body = response.content
    return times, body


def figures(times: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(times, 50), 2), "p99_ms": round(percentile(times, 99), 2)}


def run_service(
    data: Path, work: Path, cache: bool, requests: list[tuple[str, str, dict[str, Any]]], repeats: int
) -> dict[str, Any]:
    """One service's figures per request: all the sends cold, or the first send and the hits warm."""
    port = free_port()
    switch = f"STANCEGRAPH_RESULT_CACHE={1 if cache else 0}"
    argv = ["env", switch, sys.executable, "-m", "api.cli", "serve", "--data", str(data), "--port", str(port)]
    log = work / f"serve-{'warm' if cache else 'cold'}.log"
    measured: dict[str, Any] = {}
    with (
        Server(argv, f"http://127.0.0.1:{port}/sparql", log, ready_timeout=600),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client,
    ):
        for name, path, options in requests:
            times, body = timed(client, path, options, repeats)
            measured[name] = {"body": body, "first_ms": round(times[0], 2)}
            measured[name] |= figures(times[1:] if cache else times)
        measured["/cache"] = client.get("/cache").json()
    return measured


def markdown(cold: dict[str, Any], warm: dict[str, Any], names: list[str], header: str) -> str:
    lines = [
        header,
        "",
        "| request | cold p50 / p99 ms | warm: first (miss) ms | warm hits p50 / p99 ms |",
        "|---|---|---|---|",
    ]
    for name in names:
        c, w = cold[name], warm[name]
        lines.append(
            f"| {name} | {c['p50_ms']} / {c['p99_ms']} | {w['first_ms']} | {w['p50_ms']} / {w['p99_ms']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeats", type=int, default=200, help="sends of each request per service")
    parser.add_argument("--work", type=Path, required=True, help="directory for the data, logs and results")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    data = args.work / f"data-{args.triples}.nq"
    manifest = Manifest.load(data) if data.exists() else generate(data, args.triples, args.seed)
    requests = requests_for(manifest)
    load = Path("/proc/loadavg").read_text().split()[:3]
    cold = run_service(data, args.work, False, requests, args.repeats)
    warm = run_service(data, args.work, True, requests, args.repeats)
    names = [name for name, _, _ in requests]
    unequal = [name for name in names if cold[name].pop("body") != warm[name].pop("body")]
    if unequal:
        raise SystemExit(f"warm answers differ from cold ones: {unequal}")
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    header = (
        f"{manifest.triples} quads, memory store, {args.repeats} sequential sends per request, {when}; "
        f"load average at the start {' '.join(load)}, at the end "
        f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}"
    )
    (args.work / "cache-figures.json").write_text(json.dumps({"cold": cold, "warm": warm}, indent=1))
    print(markdown(cold, warm, names, header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
