"""tests.ontology.owlapi finds each way the OWL API (inside Protégé) reads a document otherwise than meant."""

from __future__ import annotations

import pytest

from tests.ontology.owlapi import OwlApiError, read

ZOO = "http://example.org/zoo#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
HEADER = f"""
@prefix : <{ZOO}> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/zoo> a owl:Ontology .
:Animal a owl:Class .
:Plant a owl:Class ; owl:disjointWith :Animal .
:eats a owl:ObjectProperty .
:note a owl:AnnotationProperty .
:rex a owl:NamedIndividual, :Animal ; :note "Rex"@en .
"""


def test_a_clean_document_has_no_problems_in_either_syntax() -> None:
    assert read(HEADER.encode(), "turtle").problems == []
    rdfxml = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:owl="http://www.w3.org/2002/07/owl#" xmlns:zoo="{ZOO}">
  <owl:Ontology rdf:about="http://example.org/zoo"/>
  <owl:AnnotationProperty rdf:about="{ZOO}note"/>
  <owl:NamedIndividual rdf:about="{ZOO}rex"><zoo:note>two
lines</zoo:note></owl:NamedIndividual>
</rdf:RDF>"""
    assert read(rdfxml.encode(), "rdfxml").problems == []


def test_a_string_escape_the_owl_api_misreads_is_found_literal_by_literal() -> None:
    problems = read((HEADER + ':rex :note "two\\nlines" .').encode(), "turtle").problems
    assert problems == [
        f'read by rdflib, not by the OWL API: <{ZOO}rex> <{ZOO}note> "two\\nlines"^^<{XSD_STRING}>',
        f'read by the OWL API, not by rdflib: <{ZOO}rex> <{ZOO}note> "twonlines"^^<{XSD_STRING}>',
    ]


@pytest.mark.parametrize(
    ("statements", "problem"),
    [
        ("[] a owl:Restriction .", "read by rdflib, not by the OWL API: [ <http://www.w3.org/1999/02/"),
        (":Animal rdfs:subClassOf [ a owl:Class ; owl:unionOf ( :Plant ) ] .", "not OWL 2 DL: Not enough"),
        (":rex :likes :ham .", f"undeclared: <{ZOO}likes>"),
        (":Animal a owl:NamedIndividual .", f"punned: <{ZOO}Animal> as Class and NamedIndividual"),
        (":rex a :Plant .", "HermiT: inconsistent"),
        (":rex a :Plant .", "Openllet: inconsistent"),
    ],
)
def test_each_problem_is_named(statements: str, problem: str) -> None:
    found = read((HEADER + statements).encode(), "turtle").problems
    assert any(finding.startswith(problem) for finding in found), found


def test_what_the_loader_cannot_load_is_an_error_naming_the_java_exception() -> None:
    with pytest.raises(OwlApiError, match="IllegalStateException"):
        read((HEADER + "[] a owl:Axiom .").encode(), "turtle")


def test_a_document_with_imports_is_refused_before_java_sees_it() -> None:
    with pytest.raises(OwlApiError, match=r"owl:imports <http://example\.org/farm>"):
        read((HEADER + "<http://example.org/zoo> owl:imports <http://example.org/farm> .").encode(), "turtle")


def test_blank_nodes_compare_by_structure_and_set_valued_lists_in_any_order() -> None:
    union = ":Animal rdfs:subClassOf [ a owl:Class ; owl:unionOf ( :Plant :Fungus :Mineral ) ] ."
    classes = ":Fungus a owl:Class . :Mineral a owl:Class ."
    assert read((HEADER + classes + union).encode(), "turtle", reason=False).problems == []
