"""Issue 13's figures over HTTP on the dated corpus: trajectory, twelve monthly windows, shifts, search.

Each is timed as a client sees it, against the running service on the generated graph (a disk
store). The picks are those a user would make: the holder-target pairs with the longest
trajectories, the first twelve months of the corpus, and stakeholders' names as search terms.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

import httpx

from benchmarks.generate import CORPUS_START

_PAIRS = """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
SELECT ?holder ?target (COUNT(?position) AS ?positions) WHERE {
  ?position sg:holder ?holder ; sg:target ?target
} GROUP BY ?holder ?target HAVING (COUNT(?position) >= 3)
ORDER BY DESC(?positions) ?holder ?target LIMIT 200"""

_SGD = "https://w3id.org/stancegraph/id/"


def _timed(client: httpx.Client, url: str, params: dict[str, Any]) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url, params=params)
    return (time.perf_counter() - started) * 1000, response.status_code


def _summary(latencies: list[float], statuses: set[int]) -> dict[str, Any]:
    return {
        "requests": len(latencies),
        "p50_ms": round(statistics.median(latencies), 2),
        "max_ms": round(max(latencies), 2),
        "statuses": sorted(statuses),
    }


def _pairs(client: httpx.Client, seed: int, count: int) -> list[tuple[str, str]]:
    response = client.get(
        "/sparql", params={"query": _PAIRS}, headers={"Accept": "application/sparql-results+json"}
    )
    response.raise_for_status()
    rows = response.json()["results"]["bindings"]
    pairs = [
        (row["holder"]["value"].removeprefix(_SGD), row["target"]["value"].removeprefix(_SGD)) for row in rows
    ]
    return random.Random(seed).choices(pairs, k=count) if pairs else []


def corpus_figures(base_url: str, names: list[str], seed: int, runs: int = 3) -> dict[str, Any]:
    """The figures: each a p50 over requests (trajectory, search) or the times of ``runs`` requests.

    The first run of the windows reads every position record (kept per store revision after it,
    :func:`graph.network.records.position_records`): what the first request after a start or a
    write costs. The first search builds the text index, likewise, and is ``search_first_ms``."""
    figures: dict[str, Any] = {}
    with httpx.Client(base_url=base_url, timeout=120) as client:
        pairs = _pairs(client, seed, 50)
        if pairs:
            client.get(f"/stakeholders/{pairs[0][0]}/trajectory", params={"target": pairs[0][1]})
            timed = [_timed(client, f"/stakeholders/{h}/trajectory", {"target": t}) for h, t in pairs]
            figures["trajectory"] = _summary([ms for ms, _ in timed], {status for _, status in timed})
        year = {"window": "1m", "from": CORPUS_START.date().isoformat(), "to": "2025-12-31"}
        windows = [_timed(client, "/network/congruence", year) for _ in range(runs)]
        figures["twelve_monthly_windows"] = {
            "runs_ms": [round(ms) for ms, _ in windows],
            "statuses": sorted({status for _, status in windows}),
        }
        shifts = [_timed(client, "/analysis/shifts", {}) for _ in range(runs)]
        figures["shifts"] = {
            "runs_ms": [round(ms) for ms, _ in shifts],
            "statuses": sorted({status for _, status in shifts}),
        }
        terms = [f'"{name.replace("-", " ")}"' for name in random.Random(seed + 1).choices(names, k=50)]
        # The first search after a start or a write builds the text index: timed apart.
        everywhere = "labels,quotes,texts"
        figures["search_first_ms"] = round(_timed(client, "/search", {"q": terms[0], "in": everywhere})[0])
        searched = [_timed(client, "/search", {"q": q, "in": everywhere}) for q in terms]
        figures["search"] = _summary([ms for ms, _ in searched], {status for _, status in searched})
    return figures
