"""rdflib terms as Python values: JSON values by one rule, fields of a known type, notebook values.

A literal its datatype allows is a number or boolean; anything else the store
holds (``"abc"^^xsd:integer``, ``"x"^^xsd:boolean``, an IRI where a number
belongs) is shown as stored, its text, and never raises.

>>> from rdflib import URIRef
>>> INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
>>> plain_value(Literal("2", datatype=INTEGER)), as_integer(Literal("x", datatype=INTEGER))
(2, 'x')
"""

from __future__ import annotations

import math
from typing import Any

from rdflib import Literal
from rdflib.term import Node

JsonValue = str | int | float | bool

# JSON has no NaN nor infinities: such a double is given as its XSD lexical form.
_NON_FINITE = {"nan": "NaN", "inf": "INF", "-inf": "-INF"}
# The engine's integers (Oxigraph's are 64-bit): to it a longer one is no number, and JSON readers
# lose its digits.
_INTEGERS = range(-(2**63), 2**63)


def plain_value(term: Node) -> JsonValue:
    """A term as a JSON value: a well-formed number or boolean as such, anything else as its text.

    Well-formed: a literal its datatype allows, as rdflib (and so the SHACL validation) reads it,
    that JSON can hold (a finite double, a 64-bit integer as the engine computes with).

    >>> from rdflib import URIRef
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

    >>> from rdflib import URIRef
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

    >>> import pyoxigraph as ox
    >>> from rdflib import URIRef
    >>> from graph.terms.nodes import from_oxigraph
    >>> XSD = "http://www.w3.org/2001/XMLSchema#"
    >>> as_boolean(Literal("1", datatype=URIRef(XSD + "boolean"))), as_boolean(Literal(1))
    (True, '1')
    >>> as_boolean(from_oxigraph(ox.Literal("x", datatype=ox.NamedNode(XSD + "boolean"))))
    'x'
    """
    value = plain_value(term)
    return value if isinstance(value, bool | str) else str(term)


def python_value(term: Node | None) -> Any:
    """A result term as a plain Python value: IRIs as ``str``, literals via rdflib's ``toPython``.

    What notebooks get (:class:`graph.knowledge.KnowledgeGraph`): unlike :func:`plain_value`, dates,
    decimals and integers of any size keep their Python types, for pandas. A literal its datatype
    does not allow (``"abc"^^xsd:integer``) is its text, as stored.

    >>> from rdflib import URIRef
    >>> python_value(Literal(3)), python_value(URIRef("https://w3id.org/stancegraph/id/canada"))
    (3, 'https://w3id.org/stancegraph/id/canada')
    >>> python_value(Literal("Canada", lang="en")), python_value(None)
    ('Canada', None)
    >>> python_value(Literal("-5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")))
    '-5'
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.ill_typed:
            return str(term)
        value = term.toPython()
        # A literal rdflib has no Python type for (language-tagged, unknown datatype) stays a Literal.
        return str(value) if isinstance(value, Literal) else value
    return str(term)
