"""Subgraphs as the store builds them: CONSTRUCT results as engine triples, then as rdflib graphs.

A neighbourhood is gathered as engine triples, a few queries of it, and made an
rdflib graph once at the end (:func:`rdflib_graph`), from the distinct triples only.

>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> store.update('INSERT DATA { <http://e/a> <http://e/p> <http://e/b> }')
>>> len(rdflib_graph(constructed(store, "CONSTRUCT WHERE { ?s ?p ?o }")))
1
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph

from graph.errors import ValidationFailedError
from graph.namespaces import PREFIXES
from graph.stores.base import Store
from graph.terms import rdflib_triples


def construct(store: Store, query: str) -> Graph:
    """The graph a CONSTRUCT (or DESCRIBE) query builds.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://e/a> <http://e/p> <http://e/b> }')
    >>> len(construct(store, "CONSTRUCT WHERE { ?s ?p ?o }"))
    1
    >>> construct(store, "SELECT * WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: a subgraph needs a CONSTRUCT or DESCRIBE query, not SELECT
    """
    return rdflib_graph(constructed(store, query))


def constructed(store: Store, query: str) -> set[ox.Triple]:
    """The distinct triples a CONSTRUCT (or DESCRIBE) query builds, as engine terms.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://e/a> <http://e/p> [ <http://e/q> 1 ] }')
    >>> len(constructed(store, "CONSTRUCT WHERE { ?s ?p ?o }"))
    2
    """
    # A neighbourhood is gathered as engine triples and made an rdflib Graph once at the end, from
    # the distinct triples only: rdflib's terms and graph inserts cost more than the queries.
    result = store.query(query, graph_media_type="application/n-triples")
    body = result.read()
    if result.form not in ("CONSTRUCT", "DESCRIBE"):
        raise ValidationFailedError(f"a subgraph needs a CONSTRUCT or DESCRIBE query, not {result.form}")
    # Each query names its blank nodes afresh: they get labels of their own here, so that two
    # queries' labels never meet (the ego neighbourhood merges true copies).
    blanks: dict[ox.BlankNode, ox.BlankNode] = defaultdict(ox.BlankNode)
    found = set()
    for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        subject, value = quad.subject, quad.object
        if isinstance(subject, ox.BlankNode):
            subject = blanks[subject]
        if isinstance(value, ox.BlankNode):
            value = blanks[value]
        found.add(ox.Triple(subject, quad.predicate, value))
    return found


def rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    """Engine triples as an rdflib graph, each blank node one rdflib blank node.

    >>> a, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
    >>> sorted(rdflib_graph([ox.Triple(a, p, ox.Literal("x"))]).objects())
    [rdflib.term.Literal('x')]
    """
    # A store that keeps no record of named graphs (a subgraph has none): inserts cost half as much.
    graph = Graph(store="SimpleMemory")
    graph.addN((subject, predicate, value, graph) for subject, predicate, value in rdflib_triples(triples))
    return graph


def bind_prefixes(graph: Graph) -> None:
    """Bind stancegraph's usual prefixes in ``graph``, for the serializations of it.

    >>> graph = Graph()
    >>> bind_prefixes(graph)
    >>> dict(graph.namespaces())["sg"]
    rdflib.term.URIRef('https://w3id.org/stancegraph/ontology#')
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
