"""The engine's SPARQL JSON bindings as rdflib terms, and straight as Python values.

The engine answers SELECTs as SPARQL JSON, one binding per variable
(``{"type": "literal", "value": "2", "datatype": "...#integer"}``). REST reads take
those bindings straight to values (:func:`value_of`, :func:`text_of`, :func:`integer_of`,
:func:`boolean_of`), skipping rdflib where it would leave the value as it is; the rest
go through :func:`rdflib_term` and the rule of :mod:`graph.terms.values`, so both ways
give the same values.

>>> value_of({"type": "literal", "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#integer"})
2
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.term import Node

from graph.terms.nodes import stored_literal
from graph.terms.values import JsonValue, plain_value

Binding = Mapping[str, Any]
"""One variable's value in a SPARQL JSON result: ``type``, ``value``, and ``xml:lang`` or ``datatype``."""
Solution = dict[str, Binding]
"""One row of a SPARQL JSON result, unbound variables left out."""
Row = dict[str, Node]
"""One row as rdflib terms, unbound variables left out."""
SortKey = tuple[int, str, str, str]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
# The engine's own forms of integers and booleans, which rdflib reads as their value: these skip
# rdflib; every other typed literal is read by it, so rdflib alone decides what is well-formed.
# Eighteen digits at most: always inside the engine's 64 bits.
_CANONICAL_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_BOOLEANS = {"true": True, "false": False}
# Literals before IRIs before blank nodes, as their N-Triples forms order ("...", <...>, _:...).
_KIND_ORDER = {"uri": 1, "bnode": 2}


# --- as rdflib terms ----------------------------------------------------------------------------


def rdflib_term(binding: Binding) -> Node:
    """The rdflib term of a SPARQL JSON binding.

    >>> rdflib_term({"type": "uri", "value": "http://e/a"}), rdflib_term({"type": "bnode", "value": "b0"})
    (rdflib.term.URIRef('http://e/a'), rdflib.term.BNode('b0'))
    """
    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    return stored_literal(binding["value"], binding.get("xml:lang"), binding.get("datatype"))


def rdflib_row(solution: Solution) -> Row:
    """A row of SPARQL JSON bindings as rdflib terms.

    >>> rdflib_row({"n": {"type": "literal", "value": "x", "xml:lang": "en"}})
    {'n': rdflib.term.Literal('x', lang='en')}
    """
    return {name: rdflib_term(binding) for name, binding in solution.items()}


def solution_rows(document: Mapping[str, Any]) -> list[Row]:
    """The rows of a parsed SPARQL JSON results document as dicts of rdflib terms.

    >>> solution_rows({"results": {"bindings": [{"n": {"type": "literal", "value": "x"}}]}})
    [{'n': rdflib.term.Literal('x')}]
    """
    return [rdflib_row(solution) for solution in document["results"]["bindings"]]


# --- as values, with no rdflib term in between --------------------------------------------------


def is_iri(binding: Binding) -> bool:
    """Whether the binding is an IRI.

    >>> is_iri({"type": "uri", "value": "http://e/a"}), is_iri({"type": "literal", "value": "a"})
    (True, False)
    """
    return bool(binding["type"] == "uri")


def is_blank(binding: Binding) -> bool:
    """Whether the binding is a blank node.

    >>> is_blank({"type": "bnode", "value": "b0"})
    True
    """
    return bool(binding["type"] == "bnode")


def is_literal(binding: Binding) -> bool:
    """Whether the binding is a literal (anything neither an IRI nor a blank node, as :func:`rdflib_term`).

    >>> is_literal({"type": "literal", "value": "a", "xml:lang": "en"})
    True
    """
    return binding["type"] not in ("uri", "bnode")


def language(binding: Binding) -> str | None:
    """The language tag of a literal, ``None`` for anything else.

    >>> language({"type": "literal", "value": "Canada", "xml:lang": "en"})
    'en'
    """
    tag: str | None = binding.get("xml:lang")
    return tag


def _plain_text(binding: Binding) -> str | None:
    # The text of the terms rdflib leaves as they are: IRIs, blank nodes and untyped strings.
    kind = binding["type"]
    if kind in ("uri", "bnode"):
        return str(binding["value"])
    if kind == "literal" and binding.get("datatype", _XSD_STRING) == _XSD_STRING:
        return str(binding["value"])
    return None


def text_of(binding: Binding) -> str:
    """The binding's text as :func:`rdflib_term` shows it: an IRI, a blank node's label, a literal's form.

    >>> text_of({"type": "uri", "value": "http://e/a"}), text_of({"type": "literal", "value": "a"})
    ('http://e/a', 'a')
    >>> text_of({"type": "literal", "value": "x", "datatype": "http://www.w3.org/2001/XMLSchema#boolean"})
    'x'
    """
    text = _plain_text(binding)
    return str(rdflib_term(binding)) if text is None else text


def value_of(binding: Binding) -> JsonValue:
    """The binding as a JSON value, by the rule of :func:`plain_value`.

    >>> XSD = "http://www.w3.org/2001/XMLSchema#"
    >>> value_of({"type": "literal", "value": "true", "datatype": XSD + "boolean"})
    True
    >>> value_of({"type": "literal", "value": "1E0", "datatype": XSD + "double"})
    1.0
    >>> value_of({"type": "uri", "value": "http://e/two"})
    'http://e/two'
    """
    text = _plain_text(binding)
    if text is not None:
        return text
    datatype, lexical = binding.get("datatype"), binding["value"]
    if datatype == _XSD + "integer" and _CANONICAL_INTEGER.fullmatch(lexical):
        return int(lexical)
    if datatype == _XSD + "boolean" and lexical in _BOOLEANS:
        return _BOOLEANS[lexical]
    return plain_value(rdflib_term(binding))


def integer_of(binding: Binding) -> int | str:
    """An integer field, by the rule of :func:`as_integer`.

    >>> XSD = "http://www.w3.org/2001/XMLSchema#"
    >>> integer_of({"type": "literal", "value": "-2", "datatype": XSD + "integer"})
    -2
    >>> integer_of({"type": "literal", "value": "-5", "datatype": XSD + "nonNegativeInteger"})
    '-5'
    """
    value = value_of(binding)
    return value if isinstance(value, str) or type(value) is int else text_of(binding)


def boolean_of(binding: Binding) -> bool | str:
    """A boolean field, by the rule of :func:`as_boolean`.

    >>> XSD = "http://www.w3.org/2001/XMLSchema#"
    >>> boolean_of({"type": "literal", "value": "1", "datatype": XSD + "boolean"})
    True
    >>> boolean_of({"type": "literal", "value": "1", "datatype": XSD + "integer"})
    '1'
    """
    value = value_of(binding)
    return value if isinstance(value, bool | str) else text_of(binding)


def count_of(binding: Binding) -> int:
    """A number the engine computed (a ``COUNT``), never a stored value: always an ``xsd:integer``.

    >>> count_of({"type": "literal", "value": "14", "datatype": "http://www.w3.org/2001/XMLSchema#integer"})
    14
    """
    return int(binding["value"])


def sort_key(binding: Binding) -> SortKey:
    """A key ordering terms the same way every time: literals, then IRIs, then blank nodes, each by its text.

    >>> sorted([{"type": "uri", "value": "http://e/a"}, {"type": "literal", "value": "b"}], key=sort_key)
    [{'type': 'literal', 'value': 'b'}, {'type': 'uri', 'value': 'http://e/a'}]
    """
    kind = _KIND_ORDER.get(binding["type"], 0)
    return kind, str(binding["value"]), binding.get("xml:lang", ""), binding.get("datatype", "")


def first_column(body: bytes) -> list[str]:
    """The text of each first value of a SPARQL TSV result (IRIs and literals' forms), parsed by pyoxigraph.

    rdflib terms cost more than the query for tens of thousands of rows.

    >>> first_column(b"?s\\n<http://e/a>\\n\\"x\\"\\n")
    ['http://e/a', 'x']
    """
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    if isinstance(solutions, ox.QueryBoolean):  # an ASK's answer: no column at all
        return []
    return [solution[0].value for solution in solutions]
