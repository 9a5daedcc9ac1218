"""The Concise Bounded Description of an entity: its triples, and recursively those of its blank nodes.

>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> store.update('INSERT DATA { <http://e/a> <http://e/p> [ <http://e/q> 1 ] }')
>>> len(cbd(store, "http://e/a"))
2
"""

from __future__ import annotations

from itertools import pairwise

from rdflib import Graph

from graph.stores.base import Store
from graph.subgraph.construct import bind_prefixes, construct
from graph.subgraph.focus import require

MAX_BLANK_DEPTH = 8
"""How deep :func:`cbd` follows chains of blank nodes (one query holds every level)."""


def _blank_chains(levels: int, *, incoming: bool) -> str:
    # Level k of a CBD passes k blank nodes on its way from ?focus to the triple it adds; each
    # level is one UNION branch, since a SPARQL path cannot insist that every node it passes is blank.
    end = "?o" if incoming else "?s"
    branches = ["{ ?s ?p ?focus BIND(?focus AS ?o) }" if incoming else "{ ?focus ?p ?o BIND(?focus AS ?s) }"]
    for level in range(1, levels + 1):
        chain = ["?focus", *(f"?b{step}" for step in range(level - 1)), end]
        links = [
            f"{later} ?l{step} {earlier} ." if incoming else f"{earlier} ?l{step} {later} ."
            for step, (earlier, later) in enumerate(pairwise(chain))
        ]
        blank = " && ".join(f"isBlank({node})" for node in chain[1:])
        triple = "?s ?p ?o ."
        branches.append("{ " + " ".join([*links, triple, f"FILTER({blank})"]) + " }")
    return "\n UNION ".join(branches)


def cbd(store: Store, focus: str, *, symmetric: bool = False) -> Graph:
    """The Concise Bounded Description of ``focus``: its triples, and recursively those of its blank nodes.

    With ``symmetric``, the triples pointing at it (and their blank subjects'
    own incoming triples) come too. Blank-node chains are followed up to
    :data:`MAX_BLANK_DEPTH` deep.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''INSERT DATA { <http://e/a> <http://e/p> [ <http://e/q> [ <http://e/r> 1 ] ] .
    ...   <http://e/z> <http://e/p> <http://e/a> }''')
    >>> len(cbd(store, "http://e/a")), len(cbd(store, "http://e/a", symmetric=True))
    (3, 4)
    """
    iri = require(store, focus)
    branches = _blank_chains(MAX_BLANK_DEPTH, incoming=False)
    if symmetric:
        branches += "\n UNION " + _blank_chains(MAX_BLANK_DEPTH, incoming=True)
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?focus {{ {iri.n3()} }} {branches} }}"
    description = construct(store, query)
    bind_prefixes(description)
    return description
