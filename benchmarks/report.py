"""Turn a benchmark run's results (``results.json``) into Markdown tables with the target ratios.

python -m benchmarks.report results.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# The targets of issues 3 and 4: ratios of our service to a peer, and absolute figures.
THROUGHPUT_VS_OXIGRAPH = 0.8
THROUGHPUT_VS_RDFLIB = 10.0
LOAD_VS_OXIGRAPH = 1.5
MEMORY_VS_OXIGRAPH = 1.5
LOOKUP_P50_MS = 5.0
EXPORT_MS = 50.0
CONGRUENCE_S = 2.0


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _verdict(ratio: float, bound: float, at_least: bool) -> str:
    met = ratio >= bound if at_least else ratio <= bound
    return f"{ratio:.2f}x ({'met' if met else 'MISSED'}: target {'>=' if at_least else '<='} {bound}x)"


def _ours(peers: dict[str, Any]) -> str | None:
    return next(
        (name for name, outcome in peers.items() if name.startswith("ours") and "phases" in outcome), None
    )


def _phase(outcome: dict[str, Any], concurrency: int) -> dict[str, Any]:
    return next(phase for phase in outcome["phases"] if phase["concurrency"] == concurrency)


def targets(stage: dict[str, Any]) -> list[list[str]]:
    """Rows of (target, figure) for one stage: our service against each peer present."""
    peers = stage["peers"]
    ours = _ours(peers)
    if ours is None:
        return []
    rows = []
    for peer, bound in (("oxigraph", THROUGHPUT_VS_OXIGRAPH), ("rdflib-endpoint", THROUGHPUT_VS_RDFLIB)):
        if "phases" not in peers.get(peer, {}):
            continue
        for concurrency, label in ((1, "sequential"), (4, "concurrency 4")):
            ratio = (
                _phase(peers[ours], concurrency)["throughput"]
                / _phase(peers[peer], concurrency)["throughput"]
            )
            rows.append([f"throughput {label}, {ours} / {peer}", _verdict(ratio, bound, at_least=True)])
    if "peak_rss_mb" in peers.get("oxigraph", {}):
        for key, label in (("peak_rss_mb", "RSS"), ("peak_pss_mb", "PSS")):
            ratio = peers[ours][key] / peers["oxigraph"][key]
            rows.append(
                [
                    f"peak memory ({label}), {ours} / oxigraph",
                    _verdict(ratio, MEMORY_VS_OXIGRAPH, at_least=False),
                ]
            )
    loads = {name: outcome["load"] for name, outcome in peers.items() if "load" in outcome}
    if "oxigraph" in loads and len(loads) > 1:
        for name, load in loads.items():
            if name != "oxigraph" and load["returncode"] == 0:
                ratio = load["seconds"] / loads["oxigraph"]["seconds"]
                rows.append(
                    [f"load time, {name} / oxigraph load", _verdict(ratio, LOAD_VS_OXIGRAPH, at_least=False)]
                )
    return rows


TRAJECTORY_P50_MS = 20
TWELVE_WINDOWS_MS = 3000
SHIFTS_MS = 2000
SEARCH_P50_MS = 50


def _verdict_below(value: float, target: float) -> str:
    return "met" if value < target else "MISSED"


def issue13_rows(stage: dict[str, Any]) -> list[list[str]]:
    """Trajectory p50, twelve monthly congruence windows, /analysis/shifts and search p50.

    The windows and shifts are judged by their best run: the first reads the position records,
    which the later ones share (kept per store revision); every run is shown."""
    ours = _ours(stage["peers"])
    figures = stage["peers"].get(ours, {}).get("corpus", {}) if ours else {}
    rows = []
    if "trajectory" in figures:
        p50 = figures["trajectory"]["p50_ms"]
        rows.append(
            [
                "trajectory p50",
                f"{p50} ms",
                _verdict_below(p50, TRAJECTORY_P50_MS),
                f"< {TRAJECTORY_P50_MS} ms",
            ]
        )
    for key, label, target in (
        ("twelve_monthly_windows", "twelve monthly congruence windows, in all", TWELVE_WINDOWS_MS),
        ("shifts", "/analysis/shifts", SHIFTS_MS),
    ):
        if key in figures:
            runs = figures[key]["runs_ms"]
            best = min(runs)
            rows.append(
                [label, " / ".join(f"{ms} ms" for ms in runs), _verdict_below(best, target), f"< {target} ms"]
            )
    if "search" in figures:
        p50 = figures["search"]["p50_ms"]
        rows.append(
            [
                "search p50 (labels, quotes, texts)",
                f"{p50} ms",
                _verdict_below(p50, SEARCH_P50_MS),
                f"< {SEARCH_P50_MS} ms",
            ]
        )
    if "search_first_ms" in figures:
        rows.append(["first search (builds the text index)", f"{figures['search_first_ms']} ms", "-", "-"])
    return rows


def issue4_rows(stage: dict[str, Any]) -> list[list[str]]:
    rows = []
    ours = _ours(stage["peers"])
    lookup = stage["peers"].get(ours, {}).get("rest_entity_lookup", {}) if ours else {}
    if "p50_ms" in lookup:
        rows.append(
            [
                "entity lookup p50 (REST /stakeholders/{id})",
                f"{lookup['p50_ms']} ms",
                "met" if lookup["p50_ms"] < LOOKUP_P50_MS else "MISSED",
                f"< {LOOKUP_P50_MS} ms",
            ]
        )
    elif ours:
        sparql = _phase(stage["peers"][ours], 1)["by_query"].get("stakeholder-description", {})
        note = lookup.get("skipped", "")
        rows.append(
            [
                f"entity lookup p50 (SPARQL stakeholder-description; REST: {note})",
                f"{sparql.get('p50_ms')} ms",
                "met" if sparql.get("p50_ms", 1e9) < LOOKUP_P50_MS else "MISSED",
                f"< {LOOKUP_P50_MS} ms",
            ]
        )
    figures = stage.get("issue4", {})
    export = figures.get("subgraph_export", {})
    if "p50_ms" in export:
        rows.append(
            [
                f"2-hop subgraph export to Turtle p50 ({export['stakeholders']} of {export['planned']} "
                f"stakeholders measured; ego_subgraph alone p50 {export['ego_subgraph_p50_ms']} ms; "
                f"max {export['max_ms']} ms; median {export['median_triples']} triples)",
                f"{export['p50_ms']} ms",
                "met" if export["p50_ms"] < EXPORT_MS else "MISSED",
                f"< {EXPORT_MS} ms",
            ]
        )
    else:
        rows.append(
            ["2-hop subgraph export to Turtle", "not measured", export.get("skipped"), f"< {EXPORT_MS} ms"]
        )
    network = figures.get("congruence_network", {})
    if "median_s" in network:
        rows.append(
            [
                f"congruence network build (median of {len(network['runs_s'])}; fetching the "
                f"{network['positions']} positions {network['fetch_positions_median_s']} s; "
                f"{network['nodes']} nodes, {network['edges']} edges)",
                f"{network['median_s']} s",
                "met" if network["median_s"] < CONGRUENCE_S else "MISSED",
                f"< {CONGRUENCE_S} s",
            ]
        )
    else:
        rows.append(
            ["congruence network build", "not measured", network.get("skipped"), f"< {CONGRUENCE_S} s"]
        )
    return rows


PHASE_COLUMNS = ["peer", "phase", "queries/s", "p50 ms", "p95 ms", "p99 ms", "requests", "errors"]
MEMORY_COLUMNS = [
    "peer",
    "processes",
    "start-up s",
    "RSS ready MB",
    "PSS ready MB",
    "peak RSS MB",
    "peak PSS MB",
]


def _phases_table(measured: dict[str, Any]) -> str:
    rows = [
        [peer, "sequential" if p["concurrency"] == 1 else f"concurrency {p['concurrency']}", p["throughput"]]
        + [p[key] for key in ("p50_ms", "p95_ms", "p99_ms", "requests", "errors")]
        for peer, outcome in measured.items()
        for p in outcome["phases"]
    ]
    return "Throughput and latency (the same request sequence for every peer):\n\n" + _table(
        PHASE_COLUMNS, rows
    )


def _memory_table(measured: dict[str, Any]) -> str:
    keys = ("processes", "startup_s", "rss_ready_mb", "pss_ready_mb", "peak_rss_mb", "peak_pss_mb")
    rows = [[peer] + [outcome[key] for key in keys] for peer, outcome in measured.items()]
    return (
        "Memory of the server's process tree (RSS summed over processes; PSS shares common pages out):\n\n"
        + _table(MEMORY_COLUMNS, rows)
    )


def _per_query_table(measured: dict[str, Any]) -> str:
    queries = sorted({query for outcome in measured.values() for query in _phase(outcome, 1)["by_query"]})
    rows = [
        [query] + [_phase(o, 1)["by_query"].get(query, {}).get("p50_ms", "-") for o in measured.values()]
        for query in queries
    ]
    return "Sequential p50 per query, ms:\n\n" + _table(["query", *measured], rows)


def stage_section(name: str, stage: dict[str, Any]) -> str:
    peers = stage["peers"]
    measured = {peer: outcome for peer, outcome in peers.items() if "phases" in outcome}
    bounds = stage["phase_bounds"]
    parts = [
        f"## {name.capitalize()} stage: {stage['triples']:,} triples",
        f"{stage['graphs']:,} named graphs, {stage['documents']:,} documents, "
        f"{stage['positions']:,} positions; generated in {stage['generate_s']} s. "
        f"Each phase: at most {bounds['seconds']:g} s or {bounds['requests']:,} requests.",
    ]
    skipped = [f"- {peer}: {outcome['skipped']}" for peer, outcome in peers.items() if "skipped" in outcome]
    if skipped:
        parts.append("Not measured:\n" + "\n".join(skipped))
    loads = [
        [
            peer,
            f"{o['load']['seconds']} s" if o["load"]["returncode"] == 0 else "failed",
            o["load"]["peak_rss_mb"],
            ", ".join(f"{step} {seconds}" for step, seconds in (o["load"].get("steps") or {}).items()),
        ]
        for peer, o in peers.items()
        if "load" in o
    ]
    if loads:
        parts.append(
            "Loading the N-Quads file into a disk store (whole process, wall time):\n\n"
            + _table(["peer", "load time", "peak RSS while loading, MB", "steps, s"], loads)
        )
    if measured:
        parts += [_phases_table(measured), _memory_table(measured), _per_query_table(measured)]
    mismatches = stage["answer_mismatches"]
    parts.append(
        f"Answer check: {len(mismatches)} of the mix cycle's queries answered differently between peers."
        + "".join(f"\n- {m['query']}: {m['answers']}" for m in mismatches)
    )
    if target_rows := targets(stage):
        parts.append("Targets:\n\n" + _table(["target", "ratio"], target_rows))
    if name == "large":
        parts.append(
            "Issue 4 figures on this graph:\n\n"
            + _table(["figure", "value", "verdict", "target"], issue4_rows(stage))
        )
    if name == "large" and (corpus_rows := issue13_rows(stage)):
        parts.append(
            "Issue 13 figures on this graph (over HTTP, disk store):\n\n"
            + _table(["figure", "value", "verdict", "target"], corpus_rows)
        )
    errors = {
        peer: p["error_examples"] for peer, o in measured.items() for p in o["phases"] if p["error_examples"]
    }
    if errors:
        parts.append(
            "Error examples:\n" + "\n".join(f"- {peer}: {examples}" for peer, examples in errors.items())
        )
    return "\n\n".join(parts)


def markdown(report: dict[str, Any]) -> str:
    """The whole run as Markdown."""
    m = report["machine"]
    facts = (
        f"{m['date']}; {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM; Python {m['python']}, "
        f"pyoxigraph {m['pyoxigraph']}, {report['versions'].get('oxigraph')}, rdflib-endpoint "
        f"{report['versions'].get('rdflib-endpoint')}; load average at start {m['load_average_at_start']}; "
        f"whole run {report.get('total_s')} s."
    )
    sections = [stage_section(name, stage) for name, stage in report["stages"].items()]
    return "\n\n".join(["# Benchmark run", facts, *sections]) + "\n"


def main(argv: list[str] | None = None) -> int:
    path = Path((argv if argv is not None else sys.argv[1:])[0])
    print(markdown(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
