"""Turn serialized query results into Python values, for the Python API and analytics.

The HTTP hot path never comes here: it passes the engine's bytes through. These
helpers serve notebooks, REST resources and network analytics, where rows are
wanted as rdflib terms.

>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> store.update('INSERT DATA { <http://e/a> <http://e/p> "x" }')
>>> select_rows(store, "SELECT ?s ?o WHERE { ?s ?p ?o }")
[{'s': rdflib.term.URIRef('http://e/a'), 'o': rdflib.term.Literal('x')}]
>>> len(construct_graph(store, "CONSTRUCT WHERE { ?s ?p ?o }"))
1
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.stores.base import BatchQueryStore, Store

Row = dict[str, Node]

# For stores that cannot evaluate several queries for one caller at once: a thread waits on each.
_WAITERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="queries")


def _term(binding: Mapping[str, str]) -> Node:
    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    datatype = binding.get("datatype")
    return Literal(
        binding["value"],
        lang=binding.get("xml:lang"),
        datatype=URIRef(datatype) if datatype else None,
    )


def select_rows(store: Store, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
    """Run a SELECT and return its rows as dicts of rdflib terms (unbound variables left out)."""
    return _rows(store.query(sparql, bindings=bindings).read())


def select_all(store: Store, queries: Sequence[str]) -> list[list[Row]]:
    """:func:`select_rows` of each query, evaluated at the same time: the wait is the slowest's, not the sum.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://e/a> <http://e/p> "x" }')
    >>> select_all(store, ["SELECT ?s WHERE { ?s ?p ?o }", "SELECT ?o WHERE { ?s ?p ?o }"])
    [[{'s': rdflib.term.URIRef('http://e/a')}], [{'o': rdflib.term.Literal('x')}]]
    """
    if isinstance(store, BatchQueryStore):
        bodies = [result.read() for result in store.query_all(queries)]
    else:
        bodies = list(_WAITERS.map(lambda sparql: store.query(sparql).read(), queries))
    return [_rows(body) for body in bodies]


def _rows(body: bytes) -> list[Row]:
    bindings = json.loads(body)["results"]["bindings"]
    return [{name: _term(value) for name, value in row.items()} for row in bindings]


def ask(store: Store, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
    """Run an ASK and return its answer.

    >>> from graph.stores.memory import MemoryStore
    >>> ask(MemoryStore(), "ASK { ?s ?p ?o }")
    False
    """
    body = store.query(sparql, bindings=bindings).read()
    return bool(json.loads(body)["boolean"])


def construct_graph(store: Store, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
    """Run a CONSTRUCT or DESCRIBE and return an rdflib Graph."""
    body = store.query(sparql, graph_media_type="application/n-triples", bindings=bindings).read()
    return Graph().parse(data=body, format="nt")
