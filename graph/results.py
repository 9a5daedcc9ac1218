"""Turn serialized query results into Python values, for the Python API and analytics.

The HTTP hot path never comes here: it passes the engine's bytes through. These
helpers serve notebooks, REST resources and network analytics, where rows are
wanted as rdflib terms.

Terms become JSON values by one rule, :func:`plain_value`, and fields of a known
type by :func:`as_integer` and :func:`as_boolean`: a literal its datatype allows
is a number or boolean; anything else the store holds (``"abc"^^xsd:integer``,
``"x"^^xsd:boolean``, an IRI where a number belongs) is shown as stored, its
text, and never raises. Well-formed means what rdflib, and so the SHACL
validation, accepts: the values a reader shows as text are those validation
reports.

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
import logging
import math
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.stores.base import BatchQueryStore, Store

Row = dict[str, Node]
JsonValue = str | int | float | bool

# JSON has no NaN nor infinities: such a double is given as its XSD lexical form.
_NON_FINITE = {"nan": "NaN", "inf": "INF", "-inf": "-INF"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# The engine's integers (Oxigraph's are 64-bit): to it a longer one is no number, and JSON readers
# lose its digits.
_INTEGERS = range(-(2**63), 2**63)

# rdflib logs a traceback whenever it meets a literal its datatype does not allow. The readers meet
# such literals by design (they show them as stored) and validation reports them: a service would
# log the same traceback on every read of them.
logging.getLogger("rdflib.term").addFilter(
    lambda record: not record.getMessage().startswith("Failed to convert Literal lexical form to value")
)

# For stores that cannot evaluate several queries for one caller at once: a thread waits on each.
_WAITERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="queries")


class IllTypedLiteral(Literal):
    """A literal its datatype does not allow, holding its text as stored and no value.

    rdflib gives some of them a value all the same (``"x"^^xsd:boolean`` is ``False``), which its
    Turtle writer then prints bare, as ``x``: no value, and every writer quotes the text.
    """

    __slots__ = ()

    @property
    def value(self) -> None:
        return None


def stored_literal(lexical: str, lang: str | None = None, datatype: str | None = None) -> Literal:
    """The rdflib literal of a stored one; a literal its datatype does not allow keeps its text.

    rdflib rewrites a lexical form to its value's canonical one ("01" to "1"), even for a literal
    its datatype does not allow ("x"^^xsd:boolean to "false"), which would show another value
    than the one stored.

    >>> str(stored_literal("x", datatype="http://www.w3.org/2001/XMLSchema#boolean"))
    'x'
    """
    typed = URIRef(datatype) if datatype else None
    literal = Literal(lexical, lang=lang, datatype=typed)
    if literal.ill_typed:
        return IllTypedLiteral(lexical, lang=lang, datatype=typed, normalize=False)
    return literal


def _term(binding: Mapping[str, str]) -> Node:
    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    return stored_literal(binding["value"], binding.get("xml:lang"), binding.get("datatype"))


def plain_value(term: Node) -> JsonValue:
    """A term as a JSON value: a well-formed number or boolean as such, anything else as its text.

    Well-formed: a literal its datatype allows, as rdflib (and so the SHACL validation) reads it,
    that JSON can hold (a finite double, a 64-bit integer as the engine computes with).

    >>> plain_value(Literal(2)), plain_value(Literal(True)), plain_value(URIRef("http://e/a"))
    (2, True, 'http://e/a')
    >>> XSD = "http://www.w3.org/2001/XMLSchema#"
    >>> plain_value(Literal("abc", datatype=URIRef(XSD + "integer")))
    'abc'
    >>> plain_value(Literal("NaN", datatype=URIRef(XSD + "double"))), plain_value(Literal(2**64))
    ('NaN', '18446744073709551616')
    """
    if isinstance(term, Literal) and not term.ill_typed:
        value = term.toPython()
        if isinstance(value, float) and not math.isfinite(value):
            return _NON_FINITE[str(value)]
        if isinstance(value, bool | float) or (isinstance(value, int) and value in _INTEGERS):
            return value
    return str(term)


def as_integer(term: Node) -> int | str:
    """An integer field: the ``int`` of a well-formed integer literal, else the term as stored.

    >>> XSD = "http://www.w3.org/2001/XMLSchema#"
    >>> as_integer(Literal(-2)), as_integer(Literal("1.5", datatype=URIRef(XSD + "integer")))
    (-2, '1.5')
    >>> as_integer(Literal("-5", datatype=URIRef(XSD + "nonNegativeInteger"))), as_integer(Literal(1.5))
    ('-5', '1.5')
    """
    value = plain_value(term)
    return value if isinstance(value, str) or type(value) is int else str(term)


def as_boolean(term: Node) -> bool | str:
    """A boolean field: the ``bool`` of a well-formed boolean literal, else the term as stored.

    >>> XSD = "http://www.w3.org/2001/XMLSchema#"
    >>> as_boolean(Literal("1", datatype=URIRef(XSD + "boolean"))), as_boolean(Literal(1))
    (True, '1')
    >>> as_boolean(from_oxigraph(ox.Literal("x", datatype=ox.NamedNode(XSD + "boolean"))))
    'x'
    """
    value = plain_value(term)
    return value if isinstance(value, bool | str) else str(term)


def from_oxigraph(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """The rdflib term of a pyoxigraph one, as rdflib's parsers make it (a plain string has no
    datatype), a literal its datatype does not allow keeping its text.

    >>> from_oxigraph(ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    rdflib.term.Literal('2', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    >>> from_oxigraph(ox.Literal("x")), from_oxigraph(ox.BlankNode("b1"))
    (rdflib.term.Literal('x'), rdflib.term.BNode('b1'))
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    datatype = None if term.language or term.datatype.value == _XSD_STRING else term.datatype.value
    return stored_literal(term.value, term.language, datatype)


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
    return solution_rows(json.loads(body))


def solution_rows(document: Mapping[str, Any]) -> list[Row]:
    """The rows of a parsed SPARQL JSON results document as dicts of rdflib terms.

    >>> solution_rows({"results": {"bindings": [{"n": {"type": "literal", "value": "x"}}]}})
    [{'n': rdflib.term.Literal('x')}]
    """
    bindings = document["results"]["bindings"]
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
