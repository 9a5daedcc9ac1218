"""tests.ontology.owl finds what makes a Turtle document something other than clean OWL 2 DL."""

from __future__ import annotations

import pytest

from graph.errors import QuerySyntaxError, ValidationFailedError
from tests.ontology.owl import check_owl_dl, is_consistent, unsatisfiable_classes

HEADER = """
@prefix : <http://example.org/zoo#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/zoo> a owl:Ontology .
:Animal a owl:Class .
:Plant a owl:Class ; owl:disjointWith :Animal .
:eats a owl:ObjectProperty .
:legs a owl:DatatypeProperty .
:rex a owl:NamedIndividual, :Animal .
"""
ZOO = "http://example.org/zoo#"


def test_a_clean_ontology_has_no_problems() -> None:
    assert check_owl_dl(HEADER) == []
    assert check_owl_dl(HEADER.encode()) == []


@pytest.mark.parametrize(
    ("statements", "problem"),
    [
        (":Animal a owl:NamedIndividual .", f"punning: <{ZOO}Animal> is used as class and individual"),
        (":rex :eats :Animal .", f"punning: <{ZOO}Animal> is used as class and individual"),
        (
            ":eats a owl:DatatypeProperty .",
            f"punning: <{ZOO}eats> is used as data property and object property",
        ),
        (":rex :legs :four .", f"punning: <{ZOO}legs> is used as data property and object property"),
        (":rex :likes :Animal .", f"undeclared object property: <{ZOO}likes>"),
        (":rex :name 'Rex' .", f"undeclared data property: <{ZOO}name>"),
        # Protégé would turn these into annotation properties; we say so instead.
        (
            ":rex <http://www.w3.org/2004/02/skos/core#prefLabel> 'Rex' .",
            "undeclared data property: <http://www.w3.org/2004/02/skos/core#prefLabel>",
        ),
        (
            "<http://example.org/zoo> <http://purl.org/dc/terms/title> 'Zoo' .",
            "undeclared annotation property: <http://purl.org/dc/terms/title>",
        ),
        (":felix a :Cat .", f"undeclared class: <{ZOO}Cat>"),
        (":felix a :Animal .", f"undeclared individual: <{ZOO}felix>"),
        (
            ":rex :legs 'four'^^xsd:integer .",
            'ill-typed literal: "four"^^<http://www.w3.org/2001/XMLSchema#integer>'
            f" in <{ZOO}rex> <{ZOO}legs>",
        ),
        (
            ":born a owl:DatatypeProperty ; rdfs:range xsd:date .",
            "datatype outside the OWL 2 datatype map: <http://www.w3.org/2001/XMLSchema#date>",
        ),
        (
            ":Animal rdfs:subClassOf [ a owl:Restriction ; owl:someValuesFrom :Plant ] .",
            f"not understood as OWL: <{ZOO}Animal> <http://www.w3.org/2000/01/rdf-schema#subClassOf> []",
        ),
        (
            ":Animal rdfs:subClassOf [ a owl:Class ; owl:unionOf ( :Plant ) ] .",
            "not OWL 2 DL: Use of an n-ary class expression with fewer than two operands: "
            f"SubClassOf(<{ZOO}Animal> <{ZOO}Plant>)",
        ),
        ("<http://example.org/zoo2> a owl:Ontology .", "ontology header: expected one owl:Ontology, found 2"),
    ],
)
def test_each_problem_is_named(statements: str, problem: str) -> None:
    assert problem in check_owl_dl(HEADER + statements)


def test_individuals_may_go_undeclared_when_asked() -> None:
    assert check_owl_dl(HEADER + ":felix a :Animal .", individuals_declared=False) == []


def test_turtle_that_does_not_parse_is_one_problem() -> None:
    (problem,) = check_owl_dl(HEADER + ":rex a")
    assert problem.startswith("parse error:")


def test_hermit_tells_consistent_from_inconsistent() -> None:
    assert is_consistent(HEADER)
    assert not is_consistent(HEADER + ":rex a :Plant .")


def test_hermit_lists_unsatisfiable_classes() -> None:
    assert unsatisfiable_classes(HEADER) == []
    mandrake = ":Mandrake a owl:Class ; rdfs:subClassOf :Animal, :Plant ."
    assert unsatisfiable_classes(HEADER + mandrake) == [f"{ZOO}Mandrake"]
    with pytest.raises(ValidationFailedError, match="inconsistent"):
        unsatisfiable_classes(HEADER + ":rex a :Plant .")


def test_hermit_refuses_what_it_cannot_reason_over() -> None:
    with pytest.raises(ValidationFailedError, match="XMLSchema#date"):
        is_consistent(HEADER + ":born a owl:DatatypeProperty ; rdfs:range xsd:date .")
    with pytest.raises(QuerySyntaxError) as caught:
        is_consistent(HEADER + ":rex a")
    assert caught.value.line == HEADER.count("\n") + 1  # the last line, where the statement breaks off
