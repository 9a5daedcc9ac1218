"""Issue 4's figures on the generated graph: entity lookup, 2-hop subgraph export, congruence network.

The entity lookup is timed over HTTP against the running service (the REST
resource ``/stakeholders/{id}`` when the service has it); the subgraph export and
the network build are timed in-process through the Python API on our store, as
a notebook would call them. Each piece reports why it was skipped when the API
it needs is missing, so the harness runs before every piece has landed.
"""

from __future__ import annotations

import statistics
import time
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


def subgraph_export(store: Store, slugs: list[str], depth: int = 2) -> dict[str, Any]:
    """Median time of ``ego_subgraph`` then a self-contained OWL Turtle ``export``, per stakeholder.

    The ontology the export declares terms from is read from the store once, as a
    service would hold it, and not counted.
    """
    try:
        from graph.export import export, ontology_graph
        from graph.subgraph import ego_subgraph
    except ImportError as error:
        return {"skipped": f"not available yet: {error}"}
    ontology = ontology_graph(store)
    totals, extracts, sizes = [], [], []
    for slug in slugs:
        started = time.perf_counter()
        subgraph = ego_subgraph(store, slug, depth)
        extracted = time.perf_counter()
        export(subgraph, "turtle", ontology=ontology, name=slug)
        totals.append((time.perf_counter() - started) * 1000)
        extracts.append((extracted - started) * 1000)
        sizes.append(len(subgraph))
    return {
        "stakeholders": len(slugs),
        "depth": depth,
        "p50_ms": round(statistics.median(totals), 2),
        "max_ms": round(max(totals), 2),
        "ego_subgraph_p50_ms": round(statistics.median(extracts), 2),
        "median_triples": statistics.median(sizes),
    }


def congruence_build(store: Store, runs: int = 3) -> dict[str, Any]:
    """Time to fetch every position and build the congruence network: each run, and the median."""
    try:
        from graph.network import congruence_network, position_records
    except ImportError as error:
        return {"skipped": f"not available yet: {error}"}
    totals, fetches = [], []
    for _ in range(runs):
        started = time.perf_counter()
        records = position_records(store)
        fetched = time.perf_counter()
        network = congruence_network(records)
        totals.append(round(time.perf_counter() - started, 3))
        fetches.append(round(fetched - started, 3))
    return {
        "runs_s": totals,
        "median_s": statistics.median(totals),
        "fetch_positions_median_s": statistics.median(fetches),
        "positions": len(records),
        "nodes": network.number_of_nodes(),
        "edges": network.number_of_edges(),
    }


def open_loaded_store(location: Path | None, data: Path) -> Store:
    """Our disk store at ``location`` when it was loaded, else a memory store loaded from ``data``."""
    from graph.stores import open_store

    if location is not None and location.exists():
        return open_store("disk", path=location)
    store = open_store("memory")
    store.load_dataset(data.read_bytes(), "application/n-quads")
    return store
