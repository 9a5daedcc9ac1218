"""The ontology: OWL 2 DL for a real OWL parser, consistent for HermiT, documented term by term."""

from __future__ import annotations

import pyhornedowl
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from graph.namespaces import ONTOLOGY_IRI, SG, SGD
from tests.ontology.owl import check_owl_dl, is_consistent, unsatisfiable_classes

OWL_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual}
DCTERMS_TITLE = URIRef("http://purl.org/dc/terms/title")


def our_terms(ontology: Graph) -> set[URIRef]:
    return {term for triple in ontology for term in triple if isinstance(term, URIRef) and term in SG}


def test_horned_owl_reads_the_ontology_iri_and_version(ontology_turtle: str) -> None:
    ontology = pyhornedowl.open_ontology_from_string(ontology_turtle, "ttl")
    assert str(ontology.get_iri()) == str(ONTOLOGY_IRI)
    assert str(ontology.get_version_iri()) == "https://w3id.org/stancegraph/ontology/0.1.0"


def test_ontology_is_clean_owl2_dl(ontology_turtle: str) -> None:
    assert check_owl_dl(ontology_turtle) == []


def test_hermit_finds_the_ontology_consistent_with_every_class_satisfiable(ontology_turtle: str) -> None:
    assert is_consistent(ontology_turtle)
    assert unsatisfiable_classes(ontology_turtle) == []


def test_header_metadata(ontology: Graph) -> None:
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS_TITLE) is not None
    assert (ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/license"), None) in ontology
    # Nothing invented: no author is claimed.
    assert (ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/creator"), None) not in ontology
    assert (None, OWL.imports, None) not in ontology


def test_labels_tell_our_terms_apart(ontology: Graph) -> None:
    # Protégé shows terms by label: two terms with one label would look like one.
    labels = [str(ontology.value(term, RDFS.label)) for term in our_terms(ontology)]
    assert sorted(label for label in set(labels) if labels.count(label) > 1) == []


def test_every_term_of_ours_has_one_owl_type_an_english_label_and_a_definition(ontology: Graph) -> None:
    terms = our_terms(ontology)
    assert len(terms) > 50
    for term in sorted(terms):
        owl_types = set(ontology.objects(term, RDF.type)) & OWL_TYPES
        assert len(owl_types) == 1, f"{term} has OWL types {owl_types}"
        labels = [label for label in ontology.objects(term, RDFS.label) if label.language == "en"]
        assert len(labels) == 1, f"{term} has English labels {labels}"
        assert (term, SKOS.definition, None) in ontology, f"{term} has no skos:definition"


@pytest.mark.parametrize(
    ("stance", "value"),
    [
        ("supports", 2),
        ("proposes", 2),
        ("recommends", 2),
        ("optimistic", 1),
        ("concerned", 1),
        ("considers", 0),
        ("assesses", 0),
        ("monitors", 0),
        ("opposes", -2),
    ],
)
def test_stances_are_concepts_with_their_dna_value(ontology: Graph, stance: str, value: int) -> None:
    concept = SG[stance]
    assert (concept, RDF.type, SG.Stance) in ontology
    assert (concept, SKOS.inScheme, SG.StanceScheme) in ontology
    assert ontology.value(concept, SKOS.prefLabel) is not None
    assert ontology.value(concept, SG.defaultValue) == Literal(value)


def test_controlled_vocabularies_are_complete(ontology: Graph) -> None:
    assert set(ontology.subjects(RDF.type, SG.AttributionMode)) == {
        SG.direct,
        SG.reported,
        SG.unattributed,
        SG.authorial,
    }
    assert set(ontology.subjects(RDF.type, SG.MeasureStatus)) == {SG.underReview, SG.recommended}
    assert (SG.recommends, SKOS.broader, SG.proposes) in ontology


def test_the_contract_properties_are_functional(ontology: Graph) -> None:
    for name in ("holder", "target", "stance", "attribution", "stanceValue", "hedged"):
        assert (SG[name], RDF.type, OWL.FunctionalProperty) in ontology, name


def test_ontology_with_a_tiny_coding_is_dl_and_consistent(
    ontology_turtle: str, tiny_coding_turtle: str
) -> None:
    combined = ontology_turtle + tiny_coding_turtle
    assert check_owl_dl(combined) == []
    assert is_consistent(combined)


def test_times_are_date_times_because_xsd_date_is_not_owl2_dl(
    ontology_turtle: str, tiny_coding_turtle: str
) -> None:
    valid_at = 'sg:validAt "2025-03-01T00:00:00Z"^^xsd:dateTime'
    assert valid_at in tiny_coding_turtle
    as_date = tiny_coding_turtle.replace(valid_at, 'sg:validAt "2025-03-01"^^xsd:date')
    assert check_owl_dl(ontology_turtle + as_date) != []


@pytest.mark.parametrize(
    ("why", "coded", "miscoded"),
    [
        ("a stance value outside -2..2", "sg:stanceValue 0 ;", "sg:stanceValue 3 ;"),
        (
            "a program as holder: stakeholders and targets are disjoint",
            "sg:holder sgd:canada ;",
            "sg:holder sgd:golden-dome ;",
        ),
        (
            "two stances that differ, on a functional property",
            "sg:stance sg:considers ;",
            "sg:stance sg:considers, sg:supports ;",
        ),
        ("a stance used as attribution mode", "sg:attribution sg:direct ;", "sg:attribution sg:supports ;"),
    ],
)
def test_hermit_catches_contradicting_codings(
    ontology_turtle: str, tiny_coding_turtle: str, why: str, coded: str, miscoded: str
) -> None:
    assert is_consistent(ontology_turtle + tiny_coding_turtle)
    assert coded in tiny_coding_turtle
    assert not is_consistent(ontology_turtle + tiny_coding_turtle.replace(coded, miscoded)), why


def test_tiny_coding_terms_are_declared(ontology: Graph, tiny_coding: Graph) -> None:
    # The same check the full data set gets in test_data.py, here on data we control.
    declared = {s for s, o in ontology.subject_objects(RDF.type) if o in OWL_TYPES}
    used = set(tiny_coding.predicates()) | set(tiny_coding.objects(None, RDF.type))
    assert used - declared - {RDF.type, RDFS.label, OWL.NamedIndividual} == set()
    assert all(term in declared for term in our_terms(tiny_coding) if term not in SGD)
