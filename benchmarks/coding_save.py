"""How long saving a position takes through the coding write API, on a 1M-triple disk store over HTTP.

Generates the corpus (:mod:`benchmarks.generate`) unless given one, loads it into a disk store
(:mod:`benchmarks.load_ours`), serves it with ``stancegraph serve --store disk`` and a write
token, then, one request at a time with httpx, creates positions (``POST
/documents/{slug}/positions``) and edits each once (``PUT /positions/{id}`` with ``replaces``),
each in a document of the corpus, on a quote picked from its text, by entities defined in it.
Prints the p50 and p99 of each as one JSON line, beside the p50 of a one-triple SPARQL Update on
the same server: what any write costs the store (its commit and the checkpoint readers open).

    python -m benchmarks.coding_save --triples 1000000 --saves 200
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.run import Server, free_port

TOKEN = "benchmark-write-token"  # a token made up for the benchmark's own server
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
_SITES = """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?g (SAMPLE(?h) AS ?holder) (SAMPLE(?t) AS ?target) WHERE {
  GRAPH ?g {
    VALUES ?type {
      sg:Nation sg:GovernmentBody sg:OfficialsGroup sg:Person sg:ExpertCommunity sg:InterestGroup
    }
    ?h a ?type ; rdfs:label ?hl .
    VALUES ?kind { sg:Program sg:Concern sg:Measure sg:Threat }
    ?t a ?kind ; rdfs:label ?tl .
  }
} GROUP BY ?g LIMIT %d"""


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank), in milliseconds to 0.1.

    >>> percentile([0.001, 0.002, 0.003, 0.004], 0.5)
    2.0
    """
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))
    return round(ordered[rank] * 1000, 1)


def sites(client: httpx.Client, count: int) -> list[tuple[str, str, str]]:
    """Documents of the corpus with a stakeholder and a target each defines: (slug, holder, target)."""
    answer = client.post(
        "/sparql", data={"query": _SITES % count}, headers={"Accept": "application/sparql-results+json"}
    )
    answer.raise_for_status()
    prefix = "https://w3id.org/stancegraph/"
    return [
        (
            row["g"]["value"][len(prefix + "graph/") :],
            row["holder"]["value"][len(prefix + "id/") :],
            row["target"]["value"][len(prefix + "id/") :],
        )
        for row in answer.json()["results"]["bindings"]
        if "/" not in row["g"]["value"][len(prefix + "graph/") :]
    ]


def quote_in(text: str, rng: random.Random) -> tuple[str, int]:
    """A 40-character span of ``text`` that occurs once in it, and where it starts."""
    while True:
        start = rng.randrange(0, max(1, len(text) - 40))
        span = text[start : start + 40]
        if span.strip() == span and text.count(span) == 1:
            return span, start


def run(base: str, saves: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    posts: list[float] = []
    puts: list[float] = []
    with httpx.Client(base_url=base, timeout=60, headers=HEADERS) as client:
        chosen = sites(client, saves)
        texts = {slug: client.get(f"/documents/{slug}/text").json()["text"] for slug, _, _ in chosen}
        for number in range(saves):
            slug, holder, target = chosen[number % len(chosen)]
            quote, start = quote_in(texts[slug], rng)
            body = {
                "id": f"bench-{seed}-{number}",
                "holder": holder,
                "target": target,
                "stance": "considers",
                "attribution": "direct",
                "reason": "benchmark",
                "evidence": [{"quote": quote, "start": start}],
            }
            began = time.perf_counter()
            created = client.post(f"/documents/{slug}/positions", json=body)
            posts.append(time.perf_counter() - began)
            created.raise_for_status()
            began = time.perf_counter()
            edited = client.put(f"/positions/{body['id']}", json=body | {"stance": "assesses", "replaces": 1})
            puts.append(time.perf_counter() - began)
            edited.raise_for_status()
        # The store's own cost of one write, for scale: a one-triple SPARQL Update, as many times.
        writes: list[float] = []
        for number in range(saves):
            began = time.perf_counter()
            answer = client.post(
                "/update",
                content=f'INSERT DATA {{ GRAPH <urn:benchmark> {{ <urn:s> <urn:p> "{number}" }} }}',
                headers={"Content-Type": "application/sparql-update"},
            )
            writes.append(time.perf_counter() - began)
            answer.raise_for_status()
    warm = slice(min(10, saves // 10), None)  # the first requests warm the readers
    return {
        "update_p50_ms": percentile(writes[warm], 0.5),
        "saves": saves,
        "post_p50_ms": percentile(posts[warm], 0.5),
        "post_p99_ms": percentile(posts[warm], 0.99),
        "put_p50_ms": percentile(puts[warm], 0.5),
        "put_p99_ms": percentile(puts[warm], 0.99),
        "post_mean_ms": round(statistics.mean(posts[warm]) * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, help="a generated corpus (N-Quads) to use instead")
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        work = args.workdir or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        data = args.data or work / f"corpus-{args.triples}.nq"
        if not data.exists():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.generate",
                    "--triples",
                    str(args.triples),
                    "-o",
                    str(data),
                ],
                check=True,
            )
        location = work / "store"
        if not location.exists():
            subprocess.run(
                [sys.executable, "-m", "benchmarks.load_ours", str(data), str(location)], check=True
            )
        port = free_port()
        stancegraph = str(Path(sys.executable).parent / "stancegraph")
        argv_ = [stancegraph, "serve", "--store", "disk", "--disk-path", str(location), "--port", str(port)]
        os.environ["STANCEGRAPH_WRITE_TOKEN"] = TOKEN
        with Server(argv_, f"http://127.0.0.1:{port}/sparql", work / "serve.log", ready_timeout=300):
            result = run(f"http://127.0.0.1:{port}", args.saves, args.seed)
    result["triples"] = args.triples
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
