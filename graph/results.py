"""Run a query and read its results: as SPARQL JSON bindings, as rdflib terms, as a graph or a boolean.

The HTTP hot path never comes here: it passes the engine's bytes through. REST
reads take the bindings (:func:`select_solutions`) straight to Python values;
notebooks and analytics get rows of rdflib terms (:func:`select_rows`). Every
conversion of a term is :mod:`graph.terms`'s, by the one rule it states.

>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> store.update('INSERT DATA { <http://e/a> <http://e/p> "x" }')
>>> select_rows(store, "SELECT ?s ?o WHERE { ?s ?p ?o }")
[{'s': rdflib.term.URIRef('http://e/a'), 'o': rdflib.term.Literal('x')}]
>>> select_solutions(store, "SELECT ?o WHERE { ?s ?p ?o }")
[{'o': {'type': 'literal', 'value': 'x'}}]
>>> len(construct_graph(store, "CONSTRUCT WHERE { ?s ?p ?o }"))
1
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from rdflib import Graph
from rdflib.term import Node

from graph.stores.base import BatchQueryStore, CheckedUpdateStore, Store
from graph.terms import Row, Solution, first_column, rdflib_row

# For stores that cannot evaluate several queries for one caller at once: a thread waits on each.
_WAITERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="queries")


def select_solutions(store: Store, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Solution]:
    """Run a SELECT and return its rows as SPARQL JSON bindings (unbound variables left out)."""
    return _solutions(store.query(sparql, bindings=bindings).read())


def select_all_solutions(store: Store, queries: Sequence[str]) -> list[list[Solution]]:
    """:func:`select_solutions` of each query, evaluated at once: the wait is the slowest's, not the sum.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://e/a> <http://e/p> "x" }')
    >>> select_all_solutions(store, ["SELECT ?s WHERE { ?s ?p ?o }", "SELECT (1 AS ?n) WHERE {}"])
    [[{'s': {'type': 'uri', 'value': 'http://e/a'}}],
     [{'n': {'type': 'literal', 'value': '1', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}}]]
    """
    if isinstance(store, BatchQueryStore):
        bodies = [result.read() for result in store.query_all(queries)]
    else:
        bodies = list(_WAITERS.map(lambda sparql: store.query(sparql).read(), queries))
    return [_solutions(body) for body in bodies]


def _solutions(body: bytes) -> list[Solution]:
    solutions: list[Solution] = json.loads(body)["results"]["bindings"]
    return solutions


def _rows(solutions: list[Solution]) -> list[Row]:
    return [rdflib_row(solution) for solution in solutions]


def select_rows(store: Store, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
    """Run a SELECT and return its rows as dicts of rdflib terms (unbound variables left out)."""
    return _rows(select_solutions(store, sparql, bindings))


def select_all(store: Store, queries: Sequence[str]) -> list[list[Row]]:
    """:func:`select_rows` of each query, evaluated at the same time (as :func:`select_all_solutions`).

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://e/a> <http://e/p> "x" }')
    >>> select_all(store, ["SELECT ?s WHERE { ?s ?p ?o }", "SELECT ?o WHERE { ?s ?p ?o }"])
    [[{'s': rdflib.term.URIRef('http://e/a')}], [{'o': rdflib.term.Literal('x')}]]
    """
    return [_rows(solutions) for solutions in select_all_solutions(store, queries)]


def select_column(store: Store, sparql: str) -> list[str]:
    """Run a one-column SELECT and return the text of each value (IRIs, literals' forms).

    The values travel as TSV, the engine's cheapest form to read many of.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://e/a> <http://e/p> "x" }')
    >>> select_column(store, "SELECT ?s WHERE { ?s ?p ?o }")
    ['http://e/a']
    """
    return first_column(store.query(sparql, results_media_type="text/tab-separated-values").read())


def ask(store: Store, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
    """Run an ASK and return its answer.

    >>> from graph.stores.memory import MemoryStore
    >>> ask(MemoryStore(), "ASK { ?s ?p ?o }")
    False
    """
    body = store.query(sparql, bindings=bindings).read()
    return bool(json.loads(body)["boolean"])


def update_and_ask(store: Store, update: str, sparql: str) -> bool:
    """Apply ``update``, then answer the ASK ``sparql``: whether the update did what it meant to.

    A store that can (:class:`graph.stores.base.CheckedUpdateStore`) asks in its writer, with
    no other write between and no wait for a reader of the new state; another asks after.

    >>> from graph.stores.memory import MemoryStore
    >>> update_and_ask(MemoryStore(), 'INSERT DATA { <http://e/a> <http://e/p> "x" }', "ASK { ?s ?p ?o }")
    True
    """
    if isinstance(store, CheckedUpdateStore):
        return store.update_and_ask(update, sparql)
    store.update(update)
    return ask(store, sparql)


def construct_graph(store: Store, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
    """Run a CONSTRUCT or DESCRIBE and return an rdflib Graph."""
    body = store.query(sparql, graph_media_type="application/n-triples", bindings=bindings).read()
    return Graph().parse(data=body, format="nt")
