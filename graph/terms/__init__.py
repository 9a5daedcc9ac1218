"""The only conversions between RDF terms and Python values: engine results, rdflib and pyoxigraph terms.

The engine answers SELECTs as SPARQL JSON, one binding per variable
(``{"type": "literal", "value": "2", "datatype": "...#integer"}``). REST reads
take those bindings straight to Python values (:func:`value_of`, :func:`text_of`,
:func:`integer_of`, :func:`boolean_of`); the Python API, notebooks and analytics
get rdflib terms instead (:func:`rdflib_term`, :func:`rdflib_row`,
:func:`from_oxigraph`, :func:`rdflib_triples`) and turn them into values with
:func:`plain_value`, :func:`as_integer` and :func:`as_boolean`. Both ways give the
same values. Notebooks' tables take :func:`python_value`, which keeps dates and
decimals as Python objects.

Terms become JSON values by one rule, :func:`plain_value`, and fields of a known
type by :func:`as_integer` and :func:`as_boolean`: a literal its datatype allows
is a number or boolean; anything else the store holds (``"abc"^^xsd:integer``,
``"x"^^xsd:boolean``, an IRI where a number belongs) is shown as stored, its
text, and never raises. Well-formed means what rdflib, and so the SHACL
validation, accepts: the values a reader shows as text are those validation
reports.

Terms are written into queries by rdflib (``n3()``), as ``VALUES`` blocks
(:func:`values_clause`, :func:`values_block`); rdflib triples become the engine's
for its writers by :func:`oxigraph_triples`.

:mod:`~graph.terms.bindings` reads SPARQL JSON bindings, :mod:`~graph.terms.nodes`
converts between rdflib and pyoxigraph terms, :mod:`~graph.terms.values` makes
values of rdflib terms and :mod:`~graph.terms.writing` writes terms into queries.
The engine process imports none of them: its wire encoding of terms is its own.

>>> XSD = "http://www.w3.org/2001/XMLSchema#"
>>> value_of({"type": "literal", "value": "2", "datatype": XSD + "integer"})
2
>>> value_of({"type": "literal", "value": "abc", "datatype": XSD + "integer"})
'abc'
>>> plain_value(rdflib_term({"type": "literal", "value": "abc", "datatype": XSD + "integer"}))
'abc'
"""

from __future__ import annotations

from graph.terms.bindings import (
    Binding,
    Row,
    Solution,
    SortKey,
    boolean_of,
    count_of,
    first_column,
    integer_of,
    is_blank,
    is_iri,
    is_literal,
    language,
    rdflib_row,
    rdflib_term,
    solution_rows,
    sort_key,
    text_of,
    value_of,
)
from graph.terms.nodes import (
    EngineTerm,
    IllTypedLiteral,
    from_oxigraph,
    oxigraph_triples,
    rdflib_triples,
    stored_literal,
)
from graph.terms.values import JsonValue, as_boolean, as_integer, plain_value, python_value
from graph.terms.writing import values_block, values_clause

__all__ = [
    "Binding",
    "EngineTerm",
    "IllTypedLiteral",
    "JsonValue",
    "Row",
    "Solution",
    "SortKey",
    "as_boolean",
    "as_integer",
    "boolean_of",
    "count_of",
    "first_column",
    "from_oxigraph",
    "integer_of",
    "is_blank",
    "is_iri",
    "is_literal",
    "language",
    "oxigraph_triples",
    "plain_value",
    "python_value",
    "rdflib_row",
    "rdflib_term",
    "rdflib_triples",
    "solution_rows",
    "sort_key",
    "stored_literal",
    "text_of",
    "value_of",
    "values_block",
    "values_clause",
]
