"""Issue 4's figures on the generated graph: entity lookup, 2-hop subgraph export, congruence network.

The entity lookup is timed over HTTP against the running service (the REST
resource ``/stakeholders/{id}`` when the service has it). The subgraph export and
the network build are timed through the Python API on our store, as a notebook
would call them, in a process of their own that prints one JSON line per
measurement: the runner bounds it in time and keeps what was measured before a
slow call ran out of it. A piece whose API is missing reports why it was skipped.

    python -m benchmarks.analytics --data data.nq --location var/bench-store
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from graph.stores.base import Store


def rest_entity_lookup(base_url: str, slugs: list[str]) -> dict[str, Any]:
    """Median latency of ``GET /stakeholders/{id}`` over ``slugs`` (after one warm-up request)."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        openapi = client.get("/openapi.json")
        paths = openapi.json().get("paths", {}) if openapi.status_code == 200 else {}
        if not any(path.startswith("/stakeholders/{") for path in paths):
            return {"skipped": "the service has no /stakeholders/{id} route yet"}
        client.get(f"/stakeholders/{slugs[0]}")
        latencies, statuses = [], set()
        for slug in slugs:
            started = time.perf_counter()
            response = client.get(f"/stakeholders/{slug}")
            latencies.append((time.perf_counter() - started) * 1000)
            statuses.add(response.status_code)
    return {
        "requests": len(slugs),
        "p50_ms": round(statistics.median(latencies), 2),
        "max_ms": round(max(latencies), 2),
        "statuses": sorted(statuses),
    }


def congruence_runs(store: Store, runs: int = 3) -> Iterator[dict[str, Any]]:
    """Fetch every position and build the congruence network, ``runs`` times: one record per run."""
    try:
        from graph.network import congruence_network, position_records
    except ImportError as error:
        yield {"piece": "congruence_network", "skipped": f"not available yet: {error}"}
        return
    for _ in range(runs):
        started = time.perf_counter()
        records = position_records(store)
        fetched = time.perf_counter()
        network = congruence_network(records)
        yield {
            "piece": "congruence_network",
            "seconds": round(time.perf_counter() - started, 3),
            "fetch_positions_s": round(fetched - started, 3),
            "positions": len(records),
            "nodes": network.number_of_nodes(),
            "edges": network.number_of_edges(),
        }


def subgraph_exports(store: Store, slugs: list[str], depth: int = 2) -> Iterator[dict[str, Any]]:
    """For each stakeholder, ``ego_subgraph`` then a self-contained OWL Turtle ``export``: one record each.

    The ontology the export declares terms from is read from the store once, as a
    service would hold it, and not counted.
    """
    try:
        from graph.export import export, ontology_graph
        from graph.subgraph import ego_subgraph
    except ImportError as error:
        yield {"piece": "subgraph_export", "skipped": f"not available yet: {error}"}
        return
    ontology = ontology_graph(store)
    for slug in slugs:
        started = time.perf_counter()
        subgraph = ego_subgraph(store, slug, depth)
        extracted = time.perf_counter()
        export(subgraph, "turtle", ontology=ontology, name=slug)
        yield {
            "piece": "subgraph_export",
            "stakeholder": slug,
            "depth": depth,
            "ms": round((time.perf_counter() - started) * 1000, 2),
            "ego_subgraph_ms": round((extracted - started) * 1000, 2),
            "triples": len(subgraph),
        }


def summarize(records: list[dict[str, Any]], planned_exports: int, cut_short: str) -> dict[str, Any]:
    """The runner's figures from the records a run printed; ``cut_short`` says why a piece has none."""
    figures: dict[str, Any] = {}
    for piece in ("congruence_network", "subgraph_export"):
        done = [r for r in records if r["piece"] == piece]
        skipped = next((r["skipped"] for r in done if "skipped" in r), None)
        if skipped or not done:
            figures[piece] = {"skipped": skipped or cut_short}
        elif piece == "congruence_network":
            figures[piece] = {
                "runs_s": [r["seconds"] for r in done],
                "median_s": statistics.median(r["seconds"] for r in done),
                "fetch_positions_median_s": statistics.median(r["fetch_positions_s"] for r in done),
                **{key: done[-1][key] for key in ("positions", "nodes", "edges")},
            }
        else:
            figures[piece] = {
                "stakeholders": len(done),
                "planned": planned_exports,
                "p50_ms": round(statistics.median(r["ms"] for r in done), 2),
                "max_ms": max(r["ms"] for r in done),
                "ego_subgraph_p50_ms": round(statistics.median(r["ego_subgraph_ms"] for r in done), 2),
                "median_triples": statistics.median(r["triples"] for r in done),
            }
    return figures


def open_loaded_store(location: Path | None, data: Path) -> Store:
    """Our disk store at ``location`` when it was loaded, else a memory store loaded from ``data``."""
    from graph.stores import open_store

    if location is not None and location.exists():
        return open_store("disk", path=location)
    store = open_store("memory")
    store.load_dataset(data.read_bytes(), "application/n-quads")
    return store


def main(argv: list[str] | None = None) -> int:
    from benchmarks.generate import Manifest
    from benchmarks.workload import Picker

    parser = argparse.ArgumentParser(description="Time subgraph export and congruence network on our store.")
    parser.add_argument("--data", type=Path, required=True, help="the generated N-Quads file")
    parser.add_argument("--location", type=Path, help="our disk store holding that data (else: memory)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--stakeholders", type=int, default=20)
    args = parser.parse_args(argv)
    picker = Picker(Manifest.load(args.data), args.seed)
    slugs = [picker.slug("holder") for _ in range(args.stakeholders)]
    store = open_loaded_store(args.location, args.data)
    try:
        for record in congruence_runs(store):
            print(json.dumps(record), flush=True)
        for record in subgraph_exports(store, slugs):
            print(json.dumps(record), flush=True)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
