"""Run the benchmark: peers side by side on the same generated data, in one run.

Two stages, each on its own data set:

- large (``--triples``, default 1M): the Oxigraph server and our service on a
  disk store. Each peer first loads the data (``oxigraph load``; our disk store
  through the Store protocol), timed; then it serves, and the same workload is
  sent to each: an answer check (one mix cycle, whose answers are compared across
  peers), then a sequential phase and a concurrency-4 phase, each bounded in
  requests and seconds. Peak RSS of each server's process tree is sampled
  throughout. Then issue 4's figures: entity lookup, 2-hop subgraph export and
  congruence network build on the same graph.
- small (``--small-triples``, default 100k, 0 skips it): rdflib-endpoint, which
  holds everything in rdflib's Python store, beside our in-memory service and the
  Oxigraph server, with shorter phases.

    python -m benchmarks.run
    python -m benchmarks.run --triples 100000 --small-triples 0 --seconds 10

Every peer is a command template, so any system can be measured:
``--peer NAME=TEMPLATE`` (placeholders {port}, {data}, {location}, {python},
{oxigraph}, {stancegraph}, {rdflib_endpoint}), ``--peer-path NAME=/sparql`` and
``--peer-load NAME=TEMPLATE``, then name it in ``--large-peers`` or ``--small-peers``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import platform
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph

from benchmarks import analytics, corpus
from benchmarks.driver import RssSampler, check_answers, run_phase
from benchmarks.generate import generate
from benchmarks.report import markdown
from benchmarks.workload import Picker, Request, build_workload, load_templates, mix_cycle

ROOT = Path(__file__).resolve().parents[1]  # the repository: this file is a checkout tool

MB = 2**20
# Placeholders that stand for a command (which may be several words, e.g. "python -m api.cli").
TOOLS = ("python", "oxigraph", "stancegraph", "rdflib_endpoint")


@dataclass(frozen=True)
class Peer:
    """A system under test: how to start it, where it answers SPARQL, and how it loads data, if it must."""

    serve: str
    path: str
    load: str | None = None
    upload: str | None = None  # where the data is POSTed once it answers (a store loaded over HTTP)


PEERS: dict[str, Peer] = {
    "oxigraph": Peer(
        serve="{oxigraph} serve --location {location} --bind 127.0.0.1:{port} --union-default-graph",
        path="/query",
        load="{oxigraph} load --location {location} --file {data}",
    ),
    "ours-disk": Peer(
        serve="{stancegraph} serve --store disk --disk-path {location} --port {port}",
        path="/sparql",
        load="{python} -m benchmarks.load_ours {data} {location}",
    ),
    # The like-for-like peer of our memory store: Oxigraph's server in memory, loaded over HTTP.
    "oxigraph-memory": Peer(
        serve="{oxigraph} serve --bind 127.0.0.1:{port} --union-default-graph", path="/query", upload="/store"
    ),
    # Data files get SPARQL's own dataset unless the union is asked for, as the peers are.
    "ours-memory": Peer(
        serve="{stancegraph} serve --data {data} --union-default-graph --port {port}", path="/sparql"
    ),
    "rdflib-endpoint": Peer(serve="{rdflib_endpoint} serve --host 127.0.0.1 --port {port} {data}", path="/"),
}


def executable(name: str) -> str | None:
    """A console script beside this Python (its venv) first, then on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def rdflib_endpoint_script() -> str | None:
    """rdflib-endpoint lives in a venv of its own (README): $RDFLIB_ENDPOINT, then .bench-venv/, then PATH."""
    in_bench_venv = ROOT / ".bench-venv" / "bin" / "rdflib-endpoint"
    if os.environ.get("RDFLIB_ENDPOINT"):
        return os.environ["RDFLIB_ENDPOINT"]
    return str(in_bench_venv) if in_bench_venv.exists() else shutil.which("rdflib-endpoint")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def command(template: str, values: dict[str, Any]) -> list[str]:
    """The template's argv: tool placeholders take command text as given, paths are shell-quoted."""
    filled = {key: value if key in TOOLS else shlex.quote(str(value)) for key, value in values.items()}
    return shlex.split(template.format(**filled))


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process we started, and its own process group (it was started in a new session)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def timed_command(argv: list[str], log: Path, timeout: float) -> dict[str, Any]:
    """Run a command to its end, or stop it at ``timeout``: wall seconds, peak RSS, exit status."""
    started = time.perf_counter()
    timed_out = False
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )
        with RssSampler(process.pid) as sampler:
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                stop(process)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "steps": last_json_line(log),
        "peak_rss_mb": round(sampler.peak_bytes / MB, 1),
        "returncode": process.returncode,
        "timed_out": timed_out,
        "log": str(log),
    }


def json_lines(log: Path) -> list[dict[str, Any]]:
    """The JSON objects a command printed, one per line, ignoring any other output."""
    records = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("{"):
            with contextlib.suppress(json.JSONDecodeError):
                records.append(json.loads(line))
    return records


def last_json_line(log: Path) -> dict[str, Any] | None:
    """The step timings a loader printed as its last line of JSON, if it did."""
    records = json_lines(log)
    return records[-1] if records else None


class Server:
    """A peer's server process: started in its own session, watched for RSS, stopped by its handle."""

    def __init__(
        self,
        argv: list[str],
        endpoint: str,
        log: Path,
        ready_timeout: float,
        upload: tuple[str, Path] | None = None,
    ) -> None:
        self.argv, self.endpoint, self.log, self.ready_timeout = argv, endpoint, log, ready_timeout
        self.upload = upload  # (URL, N-Quads file): POSTed once it answers, part of its start
        self.startup_seconds = 0.0

    def __enter__(self) -> Server:
        started = time.perf_counter()
        self._out = self.log.open("wb")
        self.process = subprocess.Popen(
            self.argv, stdout=self._out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )
        self.sampler = RssSampler(self.process.pid).__enter__()
        try:
            self._wait_ready()
            if self.upload is not None:
                self._upload(*self.upload)
        except BaseException:
            self.__exit__()
            raise
        self.startup_seconds = round(time.perf_counter() - started, 2)
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"exited with {self.process.returncode} before answering; see {self.log}")
            try:
                response = httpx.post(
                    self.endpoint,
                    content=b"ASK { ?s ?p ?o }",
                    timeout=5,
                    headers={
                        "Content-Type": "application/sparql-query",
                        "Accept": "application/sparql-results+json",
                    },
                )
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"not answering after {self.ready_timeout} s; see {self.log}")

    def _upload(self, url: str, data: Path) -> None:
        with data.open("rb") as body:
            response = httpx.post(
                url, content=body, headers={"Content-Type": "application/n-quads"}, timeout=self.ready_timeout
            )
        if response.status_code not in (200, 201, 204):
            raise RuntimeError(f"the upload of {data} answered {response.status_code}: {response.text[:200]}")

    def __exit__(self, *exc: object) -> None:
        stop(self.process)
        self.sampler.__exit__()
        self._out.close()


@dataclass(frozen=True)
class Stage:
    name: str
    triples: int
    peers: list[str]
    seconds: float
    requests: int


def measure(server: Server, workload: list[Request], check: list[Request], stage: Stage) -> dict[str, Any]:
    """The answer check, then the sequential and concurrency-4 phases, against a ready server."""
    digests = asyncio.run(check_answers(server.endpoint, check))
    ready_rss = server.sampler.current_bytes()
    ready_pss = server.sampler.current_bytes(proportional=True)
    phases = [
        asdict(
            asyncio.run(
                run_phase(
                    server.endpoint,
                    workload,
                    concurrency=concurrency,
                    max_requests=stage.requests,
                    max_seconds=stage.seconds,
                )
            )
        )
        for concurrency in (1, 4)
    ]
    return {
        "startup_s": server.startup_seconds,
        "rss_ready_mb": round(ready_rss / MB, 1),
        "pss_ready_mb": round(ready_pss / MB, 1),
        "processes": len(server.sampler.tree()),
        "digests": digests,
        "phases": phases,
    }


def run_stage(stage: Stage, args: argparse.Namespace, peers: dict[str, Peer], work: Path) -> dict[str, Any]:
    data = work / f"data-{stage.triples}.nq"
    print(f"[{stage.name}] generating {stage.triples} triples (seed {args.seed})", flush=True)
    manifest = generate(data, stage.triples, args.seed)
    workload = build_workload(manifest, args.seed + 1, stage.requests)
    check = workload[: len(mix_cycle(load_templates()))]
    result: dict[str, Any] = {
        "triples": manifest.triples,
        "graphs": manifest.graphs,
        "positions": manifest.positions,
        "documents": len(manifest.documents),
        "generate_s": manifest.seconds,
        "phase_bounds": {"seconds": stage.seconds, "requests": stage.requests},
        "peers": {},
    }
    tools = {
        "python": sys.executable,
        "oxigraph": args.oxigraph,
        "stancegraph": args.stancegraph,
        "rdflib_endpoint": args.rdflib_endpoint,
    }
    for name in stage.peers:
        peer = peers[name]
        location = work / f"{name}-{stage.triples}"
        values = {**tools, "data": data, "location": location}
        outcome: dict[str, Any] = {}
        result["peers"][name] = outcome
        templates = peer.serve + (peer.load or "")
        if any(value is None and "{" + tool + "}" in templates for tool, value in tools.items()):
            outcome["skipped"] = "its executable was not found (see benchmarks/README.md)"
            print(f"[{stage.name}] {name}: skipped, executable not found", flush=True)
            continue
        if peer.load:
            shutil.rmtree(location, ignore_errors=True)
            print(f"[{stage.name}] {name}: loading", flush=True)
            outcome["load"] = timed_command(
                command(peer.load, values),
                work / f"{name}-{stage.triples}-load.log",
                timeout=args.load_timeout,
            )
            if outcome["load"]["returncode"] != 0:
                outcome["skipped"] = f"load failed; see {outcome['load']['log']}"
                continue
        port = free_port()
        endpoint = f"http://127.0.0.1:{port}{peer.path}"
        print(f"[{stage.name}] {name}: serving on {endpoint}", flush=True)
        try:
            with Server(
                command(peer.serve, {**values, "port": port}),
                endpoint,
                work / f"{name}-{stage.triples}-serve.log",
                args.ready_timeout,
                (f"http://127.0.0.1:{port}{peer.upload}", data) if peer.upload else None,
            ) as server:
                outcome.update(measure(server, workload, check, stage))
                # The peaks are those of the query phases. The sampler reads /proc for every process
                # of the tree twenty times a second, on the cores the service uses: stopped here, it
                # does not add its time to the latency measured next (0.5 to 0.8 ms of a lookup).
                server.sampler.stop()
                if name.startswith("ours") and stage.name == "large":
                    picks = Picker(manifest, args.seed + 2)
                    slugs = [picks.slug("stakeholder") for _ in range(50)]
                    outcome["rest_entity_lookup"] = analytics.rest_entity_lookup(
                        f"http://127.0.0.1:{port}", slugs
                    )
                    names = [picks.slug("stakeholder") for _ in range(50)]
                    outcome["corpus"] = corpus.corpus_figures(
                        f"http://127.0.0.1:{port}", names, args.seed + 3
                    )
            outcome["peak_rss_mb"] = round(server.sampler.peak_bytes / MB, 1)
            outcome["peak_pss_mb"] = round(server.sampler.peak_pss_bytes / MB, 1)
        except RuntimeError as error:
            outcome["skipped"] = f"server failed: {error}"
        print(f"[{stage.name}] {name}: {summary_line(outcome)}", flush=True)
    result["answer_mismatches"] = mismatches(check, result["peers"])
    if stage.name == "large":
        result["issue4"] = issue4_figures(data, work / f"ours-disk-{stage.triples}", work, args)
    if not args.keep:
        data.unlink()
        for name in stage.peers:
            shutil.rmtree(work / f"{name}-{stage.triples}", ignore_errors=True)
    return result


def summary_line(outcome: dict[str, Any]) -> str:
    if "skipped" in outcome:
        return f"skipped ({outcome['skipped']})"
    return (
        ", ".join(
            f"c{p['concurrency']}: {p['throughput']} q/s p50 {p['p50_ms']} ms ({p['errors']} errors)"
            for p in outcome["phases"]
        )
        + f", peak RSS {outcome['peak_rss_mb']} MB"
    )


def mismatches(check: list[Request], peers: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Check requests whose answers (row or triple counts, ASK booleans) differ between peers."""
    answered = {name: outcome["digests"] for name, outcome in peers.items() if "digests" in outcome}
    found = []
    for index, request in enumerate(check):
        answers = {name: digests[index] for name, digests in answered.items()}
        if len(set(answers.values())) > 1:
            found.append({"query": request.name, "answers": answers})
    return found


def issue4_figures(data: Path, location: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Congruence network and subgraph export through the Python API on our store, bounded in time."""
    print("[large] issue 4 figures: congruence network, subgraph export", flush=True)
    argv = [sys.executable, "-m", "benchmarks.analytics", "--data", str(data), "--seed", str(args.seed + 3)]
    if location.exists():
        argv += ["--location", str(location)]
    run = timed_command(argv, work / "analytics.log", timeout=args.analytics_timeout)
    cut_short = (
        f"no result within the {args.analytics_timeout:g} s bound"
        if run["timed_out"]
        else f"the process failed before a result (exit {run['returncode']}; see {run['log']})"
    )
    figures = analytics.summarize(json_lines(work / "analytics.log"), 20, cut_short)
    figures["process"] = {
        key: run[key] for key in ("seconds", "peak_rss_mb", "returncode", "timed_out", "log")
    }
    return figures


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory_kb / 2**20, 1),
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "load_average_at_start": os.getloadavg(),
    }


def tool_version(argv: list[str]) -> str | None:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def _pairs(values: list[str], flag: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep:
            raise SystemExit(f"{flag} wants NAME=VALUE, not {value!r}")
        pairs[name] = text
    return pairs


def peers_from(args: argparse.Namespace) -> dict[str, Peer]:
    peers = dict(PEERS)
    for name, serve in _pairs(args.peer, "--peer").items():
        peers[name] = replace(peers.get(name, Peer(serve, "/sparql")), serve=serve)
    for name, path in _pairs(args.peer_path, "--peer-path").items():
        peers[name] = replace(peers[name], path=path)
    for name, load in _pairs(args.peer_load, "--peer-load").items():
        peers[name] = replace(peers[name], load=load or None)
    return peers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the large stage")
    parser.add_argument(
        "--small-triples", type=int, default=100_000, help="size of the small stage (0 skips it)"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--seconds", type=float, default=30.0, help="bound of each large-stage phase")
    parser.add_argument(
        "--requests", type=int, default=20_000, help="request bound of each large-stage phase"
    )
    parser.add_argument("--small-seconds", type=float, default=15.0)
    parser.add_argument("--small-requests", type=int, default=2_000)
    parser.add_argument("--large-peers", default="oxigraph,ours-disk")
    parser.add_argument("--small-peers", default="oxigraph,rdflib-endpoint,ours-memory")
    parser.add_argument("--peer", action="append", default=[], metavar="NAME=TEMPLATE")
    parser.add_argument("--peer-path", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument("--peer-load", action="append", default=[], metavar="NAME=TEMPLATE")
    parser.add_argument("--oxigraph", default=executable("oxigraph"))
    parser.add_argument(
        "--stancegraph",
        default=executable("stancegraph") or f"{shlex.quote(sys.executable)} -m api.cli",
        help="our command (default: the stancegraph script, else python -m api.cli)",
    )
    parser.add_argument(
        "--rdflib-endpoint",
        default=rdflib_endpoint_script(),
        help="the rdflib-endpoint script of its own venv (default: $RDFLIB_ENDPOINT, .bench-venv/, PATH)",
    )
    parser.add_argument("--ready-timeout", type=float, default=300.0)
    parser.add_argument("--load-timeout", type=float, default=600.0)
    parser.add_argument(
        "--analytics-timeout", type=float, default=150.0, help="bound of issue 4's in-process figures"
    )
    parser.add_argument(
        "--workdir", type=Path, help="where data, stores and logs go (default: a new temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data files and stores")
    parser.add_argument(
        "--warm-cache",
        action="store_true",
        help="keep our result cache on: the mix repeats its requests, so most are hits (default: off, "
        "STANCEGRAPH_RESULT_CACHE=0, the cold figures; benchmarks.cache_figures gives both apart)",
    )
    parser.add_argument("-o", "--output", type=Path, help="results JSON (default: WORKDIR/results.json)")
    args = parser.parse_args(argv)
    peers = peers_from(args)
    # Our servers inherit it; the peers have no such cache, so cold is the like-for-like figure.
    os.environ["STANCEGRAPH_RESULT_CACHE"] = "1" if args.warm_cache else "0"
    work = args.workdir or Path(tempfile.mkdtemp(prefix="stancegraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"work directory: {work}", flush=True)
    report: dict[str, Any] = {
        "machine": machine(),
        "versions": {
            "oxigraph": tool_version([args.oxigraph, "--version"]) if args.oxigraph else None,
            "rdflib-endpoint": tool_version(
                [
                    str(Path(args.rdflib_endpoint).parent / "python"),
                    "-c",
                    "import importlib.metadata as m; print(m.version('rdflib-endpoint'))",
                ]
            )
            if args.rdflib_endpoint
            else None,
        },
        "stages": {},
        "result_cache": "warm" if args.warm_cache else "cold",
    }
    started = time.perf_counter()
    stages = [Stage("large", args.triples, args.large_peers.split(","), args.seconds, args.requests)]
    if args.small_triples:
        stages.append(
            Stage(
                "small",
                args.small_triples,
                args.small_peers.split(","),
                args.small_seconds,
                args.small_requests,
            )
        )
    for stage in stages:
        unknown = set(stage.peers) - set(peers)
        if unknown:
            parser.error(f"unknown peers: {', '.join(sorted(unknown))}")
        report["stages"][stage.name] = run_stage(stage, args, peers, work)
    report["total_s"] = round(time.perf_counter() - started, 1)
    output = args.output or work / "results.json"
    output.write_text(json.dumps(report, indent=1), encoding="utf-8")
    text = markdown(report)
    (work / "summary.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"results: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
