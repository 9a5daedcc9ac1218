"""Shared material for the ontology tests: the ontology, the shapes, and a tiny conforming coding."""

from __future__ import annotations

from collections.abc import Callable

import pyshacl
import pytest
from rdflib import Graph, Namespace

from graph.paths import ONTOLOGY_FILE, SHAPES_FILE

SH = Namespace("http://www.w3.org/ns/shacl#")

# One position of Canada on Golden Dome with its evidence, as the coding compiler
# is to write it (see the contract's evidence shape), in a dated document carrying its text.
TINY_CODING = """
@prefix sg:   <https://w3id.org/stancegraph/ontology#> .
@prefix sgd:  <https://w3id.org/stancegraph/id/> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa:   <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

sgd:canada a owl:NamedIndividual, sg:Nation ; rdfs:label "Canada"@en .
sgd:golden-dome a owl:NamedIndividual, sg:Program ; rdfs:label "Golden Dome"@en .
sgd:article a owl:NamedIndividual, sg:Document ;
    rdfs:label "An article on Golden Dome"@en ;
    sg:sourceText "data/sources/article.txt" ;
    sg:text "Canada is considering joining Golden Dome" ;
    sg:sha256 "3e4ec0bc806ac54cc24c7922b626bfb40251fdd64f5102b1d278629d56d7e469" ;
    dcterms:issued "2025-03-14T00:00:00Z"^^xsd:dateTime ;
    sg:timePrecision "day" ;
    dcterms:source <https://example.org/article> .

sgd:canada-considers-golden-dome a owl:NamedIndividual, sg:Position ;
    sg:holder sgd:canada ;
    sg:target sgd:golden-dome ;
    sg:stance sg:considers ;
    sg:stanceValue 0 ;
    sg:hedged false ;
    sg:attribution sg:direct ;
    sg:validAt "2025-03-01T00:00:00Z"^^xsd:dateTime ;
    sg:timePrecision "month" ;
    prov:wasDerivedFrom sgd:article ;
    sg:evidence sgd:canada-considers-golden-dome-ev1 .

sgd:canada-considers-golden-dome-ev1 a owl:NamedIndividual, sg:Evidence ;
    prov:wasDerivedFrom sgd:article ;
    oa:hasTarget sgd:canada-considers-golden-dome-ev1-target .
sgd:canada-considers-golden-dome-ev1-target a owl:NamedIndividual, oa:SpecificResource ;
    oa:hasSource sgd:article ;
    oa:hasSelector sgd:canada-considers-golden-dome-ev1-quote, sgd:canada-considers-golden-dome-ev1-pos .
sgd:canada-considers-golden-dome-ev1-quote a owl:NamedIndividual, oa:TextQuoteSelector ;
    oa:exact "Canada is considering joining" ;
    oa:suffix " Golden Dome" .
sgd:canada-considers-golden-dome-ev1-pos a owl:NamedIndividual, oa:TextPositionSelector ;
    oa:start "0"^^xsd:nonNegativeInteger ;
    oa:end "29"^^xsd:nonNegativeInteger .
"""


@pytest.fixture(scope="session")
def ontology_turtle() -> str:
    return ONTOLOGY_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def ontology(ontology_turtle: str) -> Graph:
    return Graph().parse(data=ontology_turtle, format="turtle")


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@pytest.fixture(scope="session")
def tiny_coding_turtle() -> str:
    return TINY_CODING


@pytest.fixture
def tiny_coding() -> Graph:
    return Graph().parse(data=TINY_CODING, format="turtle")


@pytest.fixture(scope="session")
def shacl_messages(shapes: Graph, ontology: Graph) -> Callable[[Graph], list[str]]:
    """The messages of every SHACL violation in a data graph, validated as shapes.ttl says."""

    def validate(data: Graph) -> list[str]:
        conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
        messages = sorted(str(message) for message in report.objects(None, SH.resultMessage))
        assert conforms == (not messages)
        return messages

    return validate
