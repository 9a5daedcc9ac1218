"""graph.terms: engine results read straight into values give what the rdflib terms give, by one rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from graph.dataset import embedded_nquads
from graph.terms import (
    Binding,
    as_boolean,
    as_integer,
    boolean_of,
    integer_of,
    plain_value,
    rdflib_term,
    text_of,
    value_of,
)

TOLERANT = Path(__file__).resolve().parent.parent / "data" / "tolerant" / "ill-typed.ttl"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Forms the engine never gives for a well-formed value but another engine, or a stored text, may:
# each must be read as rdflib reads it.
LEXICAL_FORMS: dict[str, tuple[str, ...]] = {
    "integer": (
        "0",
        "-0",
        "01",
        "+5",
        " 5 ",
        "1_000",
        "abc",
        "1.5",
        "",
        "9" * 18,
        "9" * 19,
        str(2**63),
        "-" + str(2**63),
    ),
    "int": ("7", "2147483648", "-2147483649"),
    "nonNegativeInteger": ("5", "-5"),
    "unsignedByte": ("255", "256"),
    "boolean": ("true", "false", "1", "0", "TRUE", "x", " true"),
    "double": ("1", "1E0", "NaN", "INF", "-INF", "1e400", "abc", "1_0"),
    "float": ("1.5", "x"),
    "decimal": ("1.50", "1", "x"),
    "dateTime": ("2025-03-01T00:00:00Z", "2025-03-01T00:00:00.000+00:00", "yesterday"),
    "date": ("2025-03-01", "2025-3-1"),
    "string": ("plain", ""),
    "token": ("  spaced   out ",),
}
EXTRA: list[Binding] = [
    {"type": "uri", "value": "https://w3id.org/stancegraph/id/canada"},
    {"type": "bnode", "value": "b0"},
    {"type": "literal", "value": "Canada", "xml:lang": "en"},
    {"type": "literal", "value": 'line\n"two"\\'},
    {"type": "literal", "value": "x", "datatype": "http://example.org/unknown"},
    {"type": "typed-literal", "value": "5", "datatype": XSD + "integer"},  # SPARQL JSON of old engines
    {"type": "typed-literal", "value": "5", "datatype": XSD + "string"},
]


def _crafted() -> list[Binding]:
    return [
        {"type": "literal", "value": lexical, "datatype": XSD + datatype}
        for datatype, forms in LEXICAL_FORMS.items()
        for lexical in forms
    ] + EXTRA


def _stored() -> list[Binding]:
    # Every term of the embedded data and the fictional bad values, as the engine answers them.
    store = ox.Store()
    store.load(embedded_nquads(), format=ox.RdfFormat.N_QUADS)
    store.load(TOLERANT.read_bytes(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:tolerant"))
    result = store.query(
        "SELECT DISTINCT ?term WHERE { { ?term ?p ?o } UNION { ?s ?p ?term } }",
        use_default_graph_as_union=True,
    )
    assert isinstance(result, ox.QuerySolutions)
    body = result.serialize(format=ox.QueryResultsFormat.JSON)
    assert body is not None
    document: dict[str, Any] = json.loads(body)
    return [row["term"] for row in document["results"]["bindings"]]


def _same(read: object, expected: object) -> bool:
    return type(read) is type(expected) and read == expected


@pytest.mark.parametrize("binding", _crafted(), ids=lambda binding: json.dumps(binding)[:80])
def test_a_crafted_binding_reads_as_its_rdflib_term(binding: Binding) -> None:
    term = rdflib_term(binding)
    assert _same(value_of(binding), plain_value(term))
    assert _same(text_of(binding), str(term))
    assert _same(integer_of(binding), as_integer(term))
    assert _same(boolean_of(binding), as_boolean(term))


def test_every_stored_term_reads_as_its_rdflib_term() -> None:
    stored = _stored()
    assert len(stored) > 500
    differing = [
        binding
        for binding in stored
        if not (
            _same(value_of(binding), plain_value(rdflib_term(binding)))
            and _same(text_of(binding), str(rdflib_term(binding)))
            and _same(integer_of(binding), as_integer(rdflib_term(binding)))
            and _same(boolean_of(binding), as_boolean(rdflib_term(binding)))
        )
    ]
    assert differing == []


def test_values_follow_the_tolerant_rule() -> None:
    def literal(lexical: str, datatype: str) -> Binding:
        return {"type": "literal", "value": lexical, "datatype": XSD + datatype}

    assert _same(value_of(literal("2", "integer")), 2)
    assert _same(value_of(literal("true", "boolean")), True)
    assert _same(value_of(literal("1.5", "double")), 1.5)
    # Not well-formed, or no number JSON holds: the text as stored, never an error.
    assert value_of(literal("abc", "integer")) == "abc"
    assert value_of(literal("x", "boolean")) == "x"
    assert value_of(literal("NaN", "double")) == "NaN"
    assert value_of(literal(str(2**64), "integer")) == str(2**64)
    assert integer_of(literal("1.5", "double")) == "1.5"
    assert boolean_of(literal("1", "integer")) == "1"
    assert value_of({"type": "uri", "value": "http://example.org/two"}) == "http://example.org/two"
    assert plain_value(Literal("abc", datatype=URIRef(XSD + "integer"))) == "abc"
