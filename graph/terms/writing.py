"""Terms written into queries: rdflib writes them (``n3()``), as ``VALUES`` blocks.

>>> values_clause("x", [Literal("a")])
'VALUES ?x { "a" }'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.errors import ValidationFailedError

_VARIABLE_NAME = re.compile(r"[^\W\d]\w*")


def values_clause(variable: str, terms: Iterable[Node]) -> str:
    """A ``VALUES`` clause binding ``?variable`` to each of ``terms`` in turn, in a stable order.

    >>> values_clause("x", [URIRef("http://e/b"), URIRef("http://e/a")])
    'VALUES ?x { <http://e/a> <http://e/b> }'
    """
    return f"VALUES ?{variable} {{ {' '.join(sorted(term.n3() for term in terms))} }}"


def values_block(bindings: Mapping[str, Node]) -> str:
    """A one-row VALUES block binding each variable to its term (rdflib writes the terms).

    >>> values_block({"x": Literal(1)})
    'VALUES (?x) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
    """
    names, terms = [], []
    for name, term in bindings.items():
        if not _VARIABLE_NAME.fullmatch(name):
            raise ValidationFailedError(f"not a SPARQL variable name: {name!r}")
        if isinstance(term, URIRef):
            try:
                ox.NamedNode(str(term))
            except ValueError as error:
                raise ValidationFailedError(f"cannot bind ?{name}: {error}") from error
        elif not isinstance(term, Literal):
            kind = "a blank node" if isinstance(term, BNode) else repr(term)
            raise ValidationFailedError(f"cannot bind ?{name} to {kind} on a remote store")
        names.append(f"?{name}")
        terms.append(term.n3())
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
