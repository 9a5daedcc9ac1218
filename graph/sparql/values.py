"""Binding variables on a remote store: an inline ``VALUES`` block at the head of the WHERE clause.

A remote endpoint has no SEP-0007 substitution, so bound terms travel as data in
``VALUES``. Placed at the start of the query's outermost group, the block is joined
before the rest of the pattern is evaluated, so a FILTER or BIND over a bound
variable sees its value, as with the embedded stores' substitution. The place is
found with a SPARQL lexer (:mod:`graph.sparql.lexer`) that knows strings, IRIs and comments, so a
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

from collections.abc import Mapping

from pygments.token import Keyword, Punctuation, is_token_subtype
from rdflib.term import Node

from graph.sparql.lexer import SparqlLexer
from graph.terms import values_block

_LEXER = SparqlLexer()


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
        if is_token_subtype(kind, Keyword) and depth == 0:
            word = value.upper()
            if word == "CONSTRUCT":
                construct = True
            elif word == "WHERE":
                if construct and not template_done:
                    return None
                after_where = True
        elif is_token_subtype(kind, Punctuation) and value == "{":
            if depth == 0 and (after_where or not construct):
                return offset + 1
            depth += 1
        elif is_token_subtype(kind, Punctuation) and value == "}":
            depth -= 1
            template_done = template_done or (construct and depth == 0)
    return None


def inline_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """``sparql`` with ``bindings`` as a VALUES block at the head of its WHERE clause.

    A query without such a group (``DESCRIBE <iri>``, ``CONSTRUCT WHERE``) gets the
    block after it instead, where the grammar allows a trailing VALUES clause.

    >>> from rdflib import URIRef
    >>> inline_values("ASK { ?s ?p ?o }", {"s": URIRef("http://e/a")})
    'ASK { VALUES (?s) { (<http://e/a>) } ?s ?p ?o }'
    """
    block = values_block(bindings)
    end = _where_group_end(sparql)
    if end is None:
        return f"{sparql}\n{block}"  # the newline ends a trailing comment
    return f"{sparql[:end]} {block}{sparql[end:]}"
