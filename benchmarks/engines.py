"""The remote store on each real engine, side by side in one run: the engine x figure table.

For each engine (the Oxigraph server, Virtuoso 7.2 from Debian), on the same generated data:

1. start the engine on loopback (a fresh directory; the test suite's starters);
2. load the data through ``stancegraph load --store remote`` (graph by graph, as a user loads
   a corpus into an engine), timed as a whole process;
3. for 1 and 4 API processes (``stancegraph serve --store remote --workers N``): the answer
   check, the sequential and concurrency-4 phases of the benchmark mix (:mod:`benchmarks.run`),
   and the median of ``GET /stakeholders/{id}`` over 50 stakeholders.

    python -m benchmarks.engines --triples 1000000 --seconds 30

The table goes to stdout and, with ``--results``, into that file between the ``engines``
markers (``benchmarks/RESULTS.md``); every figure goes to ``engines.json`` in the work directory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks import analytics
from benchmarks.generate import generate
from benchmarks.run import Server, Stage, free_port, measure, timed_command
from benchmarks.workload import Picker, build_workload, load_templates, mix_cycle
from reliability.processes import OxigraphServer
from reliability.report import replace_section
from tests.remote.virtuoso import VirtuosoServer

ENGINES = ("oxigraph", "virtuoso")
# The engines' own query time limit: well above the service's, so the client's timeout decides.
ENGINE_TIMEOUT_SECONDS = 120


@contextmanager
def engine(name: str, work: Path) -> Iterator[dict[str, str]]:
    """A fresh engine, running: the remote store's settings for it, as ``stancegraph`` options."""
    work.mkdir(parents=True, exist_ok=True)
    if name == "oxigraph":
        with OxigraphServer(work / "oxigraph", timeout_seconds=ENGINE_TIMEOUT_SECONDS) as oxigraph:
            url = oxigraph.url
            yield {
                "engine": "oxigraph",
                "query": f"{url}/query",
                "update": f"{url}/update",
                "store": f"{url}/store",
            }
        return
    virtuoso = VirtuosoServer(work / "virtuoso", timeout_seconds=ENGINE_TIMEOUT_SECONDS).start()
    try:
        yield {"engine": "virtuoso", "query": virtuoso.query_url, "update": virtuoso.update_url,
               "store": virtuoso.store_url}  # fmt: skip
    finally:
        virtuoso.stop()


def remote_options(urls: dict[str, str]) -> list[str]:
    """The ``--store remote`` options of ``load`` and ``serve`` for an engine's URLs."""
    return [
        "--store", "remote", "--remote-query-url", urls["query"], "--remote-update-url", urls["update"],
    ]  # fmt: skip


def run_engine(
    name: str, data: Path, manifest: Any, stage: Stage, args: argparse.Namespace
) -> dict[str, Any]:
    """Load the data into a fresh engine, then measure 1 and 4 API processes in front of it."""
    work = args.workdir / name
    work.mkdir(parents=True, exist_ok=True)
    outcome: dict[str, Any] = {}
    with engine(name, work) as urls:
        environment = {
            "STANCEGRAPH_REMOTE_ENGINE": urls["engine"],
            "STANCEGRAPH_REMOTE_GRAPH_STORE_URL": urls["store"],
        }
        os.environ.update(environment)  # the load and the servers are child processes: they inherit it
        load = [sys.executable, "-m", "api.cli", "load", str(data), *remote_options(urls)]
        print(f"[{name}] loading {manifest.triples} triples", flush=True)
        outcome["load"] = timed_command(load, work / "load.log", timeout=args.load_timeout)
        if outcome["load"]["returncode"] != 0:
            outcome["skipped"] = f"load failed; see {outcome['load']['log']}"
            return outcome
        workload = build_workload(manifest, args.seed + 1, stage.requests)
        check = workload[: len(mix_cycle(load_templates()))]
        for workers in args.workers:
            port = free_port()
            serve = [sys.executable, "-m", "api.cli", "serve", *remote_options(urls), "--port", str(port)]
            serve += ["--workers", str(workers), "--no-access-log"]
            print(f"[{name}] {workers} API processes", flush=True)
            endpoint = f"http://127.0.0.1:{port}/sparql"
            with Server(serve, endpoint, work / f"serve-{workers}.log", args.ready_timeout) as server:
                figures = measure(server, workload, check, stage)
                server.sampler.stop()
                picks = Picker(manifest, args.seed + 2)
                slugs = [picks.slug("stakeholder") for _ in range(50)]
                figures["rest_entity_lookup"] = analytics.rest_entity_lookup(
                    f"http://127.0.0.1:{port}", slugs
                )
            outcome[f"workers_{workers}"] = figures
        for variable in environment:
            os.environ.pop(variable)
    return outcome


def table(results: dict[str, Any]) -> str:
    """The engine x figure table, in Markdown."""
    header = ["figure", *(f"remote on {name}" for name in results["engines"])]
    rows = [["load (`stancegraph load --store remote`), s"]]
    rows[0] += [_load_seconds(outcome) for outcome in results["engines"].values()]
    for workers in results["workers"]:
        for label, figure in _FIGURES.items():
            row = [f"{label}, {workers} API process{'es' if workers > 1 else ''}"]
            for outcome in results["engines"].values():
                figures = outcome.get(f"workers_{workers}")
                row.append(figure(figures) if figures else "-")
            rows.append(row)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _seq(figures: dict[str, Any]) -> str:
    return f"{figures['phases'][0]['throughput']:.1f}"


def _c4(figures: dict[str, Any]) -> str:
    return f"{figures['phases'][1]['throughput']:.1f}"


def _errors(figures: dict[str, Any]) -> str:
    return str(figures["phases"][0]["errors"] + figures["phases"][1]["errors"])


def _lookup(figures: dict[str, Any]) -> str:
    lookups = figures["rest_entity_lookup"]
    failed = sorted(status for status in set(lookups.get("statuses", [])) if status != 200)
    return str(lookups.get("p50_ms", "-")) + (f" (HTTP {', '.join(map(str, failed))})" if failed else "")


_FIGURES: dict[str, Callable[[dict[str, Any]], str]] = {
    "throughput, sequential, queries/s": _seq,
    "throughput, concurrency 4, queries/s": _c4,
    "errors (seq + c4)": _errors,
    "`GET /stakeholders/{id}` p50, ms": _lookup,
}


def _load_seconds(outcome: dict[str, Any]) -> str:
    load = outcome.get("load")
    return f"{load['seconds']:.1f}" if load and load.get("returncode") == 0 else "-"


def section(results: dict[str, Any]) -> str:
    """The table with when, on what and how busy the machine was, and whether the engines
    gave the same answers to the check's picks."""
    digests = [
        figures["digests"]
        for outcome in results["engines"].values()
        for key, figures in outcome.items()
        if key.startswith("workers_")
    ]
    same = (
        "the same on every engine and process count"
        if all(d == digests[0] for d in digests)
        else "NOT the same"
    )
    return "\n".join(
        [
            f"Measured {results['date']} on {results['triples']:,} generated triples "
            f"({results['graphs']} graphs), phases of {results['seconds']:g} s or {results['requests']} "
            f"requests; load average before {results['load_before']}, after {results['load_after']} "
            f"(1, 5 and 15 minutes) on {os.cpu_count()} cores. Answers to the check's "
            f"{len(digests[0]) if digests else 0} picks: {same}.",
            "",
            table(results),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=30.0, help="bound of each phase (default 30)")
    parser.add_argument("--requests", type=int, default=5_000, help="bound of each phase (default 5,000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--load-timeout", type=float, default=3600.0)
    parser.add_argument("--ready-timeout", type=float, default=180.0)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--results", type=Path, default=None, help="a RESULTS.md to write the table into")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="stancegraph-engines-") as scratch:
        args.workdir = args.workdir or Path(scratch)
        data = args.workdir / f"data-{args.triples}.nq"
        load_before = " / ".join(f"{load:.2f}" for load in os.getloadavg())  # before generating
        manifest = generate(data, args.triples, args.seed)
        stage = Stage("engines", manifest.triples, list(args.engines), args.seconds, args.requests)
        results: dict[str, Any] = {
            "date": date.today().isoformat(),
            "triples": manifest.triples,
            "graphs": manifest.graphs,
            "seconds": args.seconds,
            "requests": args.requests,
            "workers": args.workers,
            "load_before": load_before,
            "engines": {},
        }
        for name in args.engines:
            results["engines"][name] = run_engine(name, data, manifest, stage, args)
        results["load_after"] = " / ".join(f"{load:.2f}" for load in os.getloadavg())
        (args.workdir / "engines.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(section(results))
    if args.results is not None:
        text = args.results.read_text(encoding="utf-8")
        args.results.write_text(replace_section(text, "engines", section(results)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
