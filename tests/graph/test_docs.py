"""The documentation records of graph.docs: what the ontology and entity pages are made of.

The entity fixture is fictional (a made-up holder and document), written for these tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import RDFS, Graph

from graph.docs.entity import entity_doc
from graph.docs.ontology import load_ontology, ontology_doc
from graph.docs.values import Blank, Expression, LiteralValue, Ref, Value, class_expression
from graph.errors import NotFoundError
from graph.namespaces import SG
from graph.stores.memory import MemoryStore

AXIOMS = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sg: <https://w3id.org/stancegraph/ontology#> .
sg:some rdfs:range [ a owl:Restriction ; owl:onProperty sg:holder ; owl:someValuesFrom sg:Stakeholder ] .
sg:qualified rdfs:range [ a owl:Restriction ; owl:onProperty sg:evidence ;
    owl:minQualifiedCardinality 1 ; owl:onClass sg:Evidence ] .
sg:facets rdfs:range [ a rdfs:Datatype ; owl:onDatatype xsd:integer ;
    owl:withRestrictions ( [ xsd:minInclusive -2 ] [ xsd:maxInclusive 2 ] ) ] .
sg:both rdfs:range [ owl:intersectionOf ( sg:Position [ owl:complementOf sg:Document ] ) ] .
sg:either rdfs:range [ owl:oneOf ( sg:supports sg:opposes ) ] .
"""

# A fictional holder with one position whose value and flag are not of their datatype, quoted from
# a document that has no title.
ENTITY = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX sgd: <https://w3id.org/stancegraph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA { GRAPH <urn:test> {
  sgd:zed a sg:Person ; rdfs:label "Zed"@en .
  sgd:zed-position sg:holder sgd:zed ; sg:target sgd:plan ; sg:stance sg:supports ;
      sg:stanceValue "strong"^^xsd:integer ; sg:attribution sg:direct ; sg:hedged "maybe"^^xsd:boolean ;
      sg:evidence sgd:zed-evidence .
  sgd:plan rdfs:label "The plan"@en .
  sg:supports rdfs:label "supports"@en .
  sg:direct rdfs:label "direct"@en .
  sgd:zed-evidence sg:garbled true ; oa:hasTarget [ oa:hasSource sgd:untitled ;
      oa:hasSelector [ oa:exact "we back it" ; oa:prefix "Zed: " ] , [ oa:start 6 ; oa:end 16 ] ] .
} }
"""


def _shown(value: Value | str) -> str:
    if isinstance(value, str):
        return value
    return value.id if isinstance(value, Blank) else value.text


def _text(expression: Expression) -> str:
    return "".join(_shown(part) for part in expression)


@pytest.mark.parametrize(
    ("term", "manchester"),
    [
        ("some", "sg:holder some sg:Stakeholder"),
        ("qualified", "sg:evidence min 1 sg:Evidence"),
        ("facets", "xsd:integer[>= -2, <= 2]"),
        ("both", "sg:Position and (not sg:Document)"),
        ("either", "{sg:supports, sg:opposes}"),
    ],
)
def test_class_expressions_read_in_manchester_syntax(term: str, manchester: str) -> None:
    graph = Graph().parse(data=AXIOMS, format="turtle")
    range_ = graph.value(SG[term], RDFS.range)
    assert range_ is not None
    expression = class_expression(graph, range_)
    assert _text(expression) == manchester
    named = [part for part in expression if isinstance(part, Ref)]
    assert named and all(part.iri.startswith("http") for part in named)


def test_every_own_term_is_in_the_section_of_its_kind_sorted_by_label() -> None:
    doc = ontology_doc(load_ontology())
    # sg:linkEvidence, on a stated link's axiom annotation, is its one annotation property (issue 16).
    assert [section.id for section in doc.sections] == [
        "classes",
        "object-properties",
        "datatype-properties",
        "annotation-properties",
        "individuals",
    ]
    for section in doc.sections:
        labels = [term.label.lower() for term in section.terms]
        assert labels == sorted(labels), section.id
        assert all(fact.values for term in section.terms for fact in term.facts)
    position = next(term for term in doc.sections[0].terms if term.id == "Position")
    assert position.definition and position.definition.startswith("The n-ary relation of a stakeholder")
    assert "prov:Agent" in [term.curie for term in doc.reused]
    assert ("sg", str(SG)) in doc.namespaces


@pytest.fixture(scope="module")
def store() -> Iterator[MemoryStore]:
    with MemoryStore() as store:
        store.update(ENTITY)
        yield store


def test_values_not_of_their_type_are_kept_as_stored(store: MemoryStore) -> None:
    doc = entity_doc(store, "zed")
    assert doc.label == "Zed"
    (position,) = doc.positions
    assert (position.id, position.value, position.hedged) == ("zed-position", "strong", "maybe")
    assert position.target == Ref("https://w3id.org/stancegraph/id/plan", "The plan")
    (evidence,) = position.evidence
    assert (evidence.quote, evidence.prefix, evidence.suffix) == ("we back it", "Zed: ", "")
    assert (evidence.garbled, evidence.start, evidence.end) == (True, 6, 16)
    # A document without a title is named by its id.
    assert evidence.document == Ref("https://w3id.org/stancegraph/id/untitled", "untitled")


def test_statements_and_referrers_show_labels_literals_and_blank_nodes(store: MemoryStore) -> None:
    evidence = entity_doc(store, "zed-evidence")
    assert evidence.types == ()
    # The store holds no ontology here: a property without a label is shown by its IRI.
    shown = {_shown(statement.predicate): statement.values for statement in evidence.statements}
    assert shown[str(SG.garbled)] == (LiteralValue("true", "xsd:boolean"),)
    assert isinstance(shown["http://www.w3.org/ns/oa#hasTarget"][0], Blank)
    referrers = [(_shown(referrer.subject), _shown(referrer.predicate)) for referrer in evidence.referrers]
    assert referrers == [("zed-position", str(SG.evidence))]


def test_an_unknown_entity_is_not_found(store: MemoryStore) -> None:
    with pytest.raises(NotFoundError, match="atlantis"):
        entity_doc(store, "atlantis")
