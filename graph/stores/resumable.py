"""A load into a remote engine that can be run again after an interruption: graph by graph,
each graph skipped when the engine already holds it whole.

A graph is taken as held whole when the engine has as many triples in it as the data does
(the data's graphs are sets, as the engine's are, so counts compare); a graph only partly
there (a load cut short, or a graph that changed since) is replaced, an absent one added.
The default graph cannot be counted on an engine whose default graph is the union: its
triples are added again, which changes nothing when they are there already.

A graph the data and the engine both hold with the same number of triples but different
ones is taken as loaded: load that graph with ``PUT`` (``stancegraph`` REST or Graph Store)
to replace it.

>>> from graph.stores.memory import MemoryStore
>>> graphs = [("http://e/g", b"<http://e/a> <http://e/p> <http://e/o> .\\n")]
>>> with MemoryStore() as store:
...     [step.action for step in load_graphs(store, graphs)]
...     [step.action for step in load_graphs(store, graphs)]
['added']
['skipped']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox

from graph.formats import N_TRIPLES
from graph.stores.base import Store

Action = Literal["skipped", "added", "replaced"]


@dataclass(frozen=True)
class GraphStep:
    """What a resumable load did with one graph: ``found`` triples were in the engine before."""

    graph: str | None
    triples: int
    found: int | None
    action: Action


def triples_in(store: Store, graph: str) -> int:
    """How many triples the store holds in a named graph (0 when it does not exist).

    >>> from graph.stores.memory import MemoryStore
    >>> with MemoryStore() as store:
    ...     store.update("INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> 1, 2 } }")
    ...     triples_in(store, "http://e/g"), triples_in(store, "http://e/h")
    (2, 0)
    """
    # The graph named as the dataset's one named graph: counted even where the store lists
    # the union's graphs (Virtuoso) and that list does not have it yet.
    sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"
    rows = json.loads(store.query(sparql, named_graphs=[graph]).read())["results"]["bindings"]
    return int(rows[0]["n"]["value"])


def load_graphs(
    store: Store,
    graphs: Sequence[tuple[str | None, bytes]],
    told: Callable[[GraphStep], None] | None = None,
) -> list[GraphStep]:
    """Load each graph (its IRI, or None for the default graph, and its N-Triples) that the
    store does not hold whole yet, one request per graph; ``told`` hears of each graph done."""
    steps = []
    for graph, ntriples in graphs:
        triples = ntriples.count(b"\n")
        found = None if graph is None else triples_in(store, graph)
        if found == triples:
            step = GraphStep(graph, triples, found, "skipped")
        elif found:
            store.put_graph(graph, ntriples, N_TRIPLES.media_type)
            step = GraphStep(graph, triples, found, "replaced")
        else:
            store.post_graph(graph, ntriples, N_TRIPLES.media_type)
            step = GraphStep(graph, triples, found, "added")
        steps.append(step)
        if told is not None:
            told(step)
    return steps
