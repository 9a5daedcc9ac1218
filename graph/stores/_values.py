"""Binding variables on a remote store: an inline ``VALUES`` block at the head of the WHERE clause.

A remote endpoint has no SEP-0007 substitution, so bound terms travel as data in
``VALUES``. Placed at the start of the query's outermost group, the block is joined
before the rest of the pattern is evaluated, so a FILTER or BIND over a bound
variable sees its value, as with the embedded stores' substitution. The place is
found with a SPARQL lexer (:mod:`graph.lexer`) that knows strings, IRIs and comments, so a
brace inside a literal is never mistaken for the group.

>>> from rdflib import Literal, URIRef
>>> print(inline_values('SELECT ?l WHERE { ?s <http://e/label> ?l FILTER(CONTAINS(?l, ?q)) }',
...                     {"q": Literal("{x}")}))
SELECT ?l WHERE { VALUES (?q) { ("{x}") } ?s <http://e/label> ?l FILTER(CONTAINS(?l, ?q)) }
>>> print(inline_values('DESCRIBE ?s', {"s": URIRef("http://e/a")}))
DESCRIBE ?s
VALUES (?s) { (<http://e/a>) }
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox
from pygments.token import Keyword, Punctuation
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.errors import ValidationFailedError
from graph.lexer import SparqlLexer

_VARIABLE_NAME = re.compile(r"[^\W\d]\w*")
_LEXER = SparqlLexer()


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


def _where_group_end(sparql: str) -> int | None:
    """The offset just after the ``{`` opening the query's WHERE clause, if it has one.

    It is the first top-level ``{`` after a WHERE keyword or, in ``SELECT * { }`` and
    ``ASK { }`` (WHERE omitted), the first top-level ``{`` at all; a CONSTRUCT template
    is skipped. ``CONSTRUCT WHERE { }`` and ``DESCRIBE <iri>`` have no such group.

    >>> _where_group_end("CONSTRUCT WHERE { ?s ?p ?o }") is None
    True
    >>> _where_group_end("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    30
    """
    depth, construct, template_done, after_where = 0, False, False, False
    for offset, kind, value in _LEXER.get_tokens_unprocessed(sparql):
        if kind in Keyword and depth == 0:
            word = value.upper()
            if word == "CONSTRUCT":
                construct = True
            elif word == "WHERE":
                if construct and not template_done:
                    return None
                after_where = True
        elif kind in Punctuation and value == "{":
            if depth == 0 and (after_where or not construct):
                return offset + 1
            depth += 1
        elif kind in Punctuation and value == "}":
            depth -= 1
            template_done = template_done or (construct and depth == 0)
    return None


def inline_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """``sparql`` with ``bindings`` as a VALUES block at the head of its WHERE clause.

    A query without such a group (``DESCRIBE <iri>``, ``CONSTRUCT WHERE``) gets the
    block after it instead, where the grammar allows a trailing VALUES clause.
    """
    block = values_block(bindings)
    end = _where_group_end(sparql)
    if end is None:
        return f"{sparql}\n{block}"  # the newline ends a trailing comment
    return f"{sparql[:end]} {block}{sparql[end:]}"
