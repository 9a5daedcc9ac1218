"""The only conversions between RDF terms and Python values: engine results, rdflib and pyoxigraph terms.

The engine answers SELECTs as SPARQL JSON, one binding per variable
(``{"type": "literal", "value": "2", "datatype": "...#integer"}``). REST reads
take those bindings straight to Python values (:func:`value_of`, :func:`text_of`,
:func:`integer_of`, :func:`boolean_of`); the Python API, notebooks and analytics
get rdflib terms instead (:func:`rdflib_term`, :func:`rdflib_row`,
:func:`from_oxigraph`) and turn them into values with :func:`plain_value`,
:func:`as_integer` and :func:`as_boolean`. Both ways give the same values.

Terms become JSON values by one rule, :func:`plain_value`, and fields of a known
type by :func:`as_integer` and :func:`as_boolean`: a literal its datatype allows
is a number or boolean; anything else the store holds (``"abc"^^xsd:integer``,
``"x"^^xsd:boolean``, an IRI where a number belongs) is shown as stored, its
text, and never raises. Well-formed means what rdflib, and so the SHACL
validation, accepts: the values a reader shows as text are those validation
reports.

Terms are written into queries by rdflib (``n3()``), as ``VALUES`` blocks.

>>> XSD = "http://www.w3.org/2001/XMLSchema#"
>>> value_of({"type": "literal", "value": "2", "datatype": XSD + "integer"})
2
>>> value_of({"type": "literal", "value": "abc", "datatype": XSD + "integer"})
'abc'
>>> plain_value(rdflib_term({"type": "literal", "value": "abc", "datatype": XSD + "integer"}))
'abc'
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.errors import ValidationFailedError

Binding = Mapping[str, Any]
"""One variable's value in a SPARQL JSON result: ``type``, ``value``, and ``xml:lang`` or ``datatype``."""
Solution = dict[str, Binding]
"""One row of a SPARQL JSON result, unbound variables left out."""
Row = dict[str, Node]
"""One row as rdflib terms, unbound variables left out."""
JsonValue = str | int | float | bool
SortKey = tuple[int, str, str, str]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
# JSON has no NaN nor infinities: such a double is given as its XSD lexical form.
_NON_FINITE = {"nan": "NaN", "inf": "INF", "-inf": "-INF"}
# The engine's integers (Oxigraph's are 64-bit): to it a longer one is no number, and JSON readers
# lose its digits.
_INTEGERS = range(-(2**63), 2**63)
# The engine's own forms of integers and booleans, which rdflib reads as their value: these skip
# rdflib; every other typed literal is read by it, so rdflib alone decides what is well-formed.
# Eighteen digits at most: always inside the engine's 64 bits.
_CANONICAL_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_BOOLEANS = {"true": True, "false": False}
_VARIABLE_NAME = re.compile(r"[^\W\d]\w*")
# Literals before IRIs before blank nodes, as their N-Triples forms order ("...", <...>, _:...).
_KIND_ORDER = {"uri": 1, "bnode": 2}

# rdflib logs a traceback whenever it meets a literal its datatype does not allow. The readers meet
# such literals by design (they show them as stored) and validation reports them: a service would
# log the same traceback on every read of them.
logging.getLogger("rdflib.term").addFilter(
    lambda record: not record.getMessage().startswith("Failed to convert Literal lexical form to value")
)


# --- rdflib terms -------------------------------------------------------------------------------


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


# --- rdflib terms as values ---------------------------------------------------------------------


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


# --- engine results as values, with no rdflib term in between ------------------------------------


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


# --- terms written into queries ---------------------------------------------------------------


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
