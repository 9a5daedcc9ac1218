"""The compiled data set against the ontology: every term declared, OWL 2 DL, consistent, SHACL-conformant."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from graph.namespaces import SG
from graph.paths import DATA_DIR
from tests.ontology.owl import check_owl_dl, is_consistent, unsatisfiable_classes

coding = pytest.importorskip(
    "graph.coding", reason="graph/coding.py (the coding compiler) has not landed yet"
)
if not list(DATA_DIR.glob("*.yaml")):
    pytest.skip("data/ has no coding file yet", allow_module_level=True)

OWL_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual}
# OWL's built-in vocabulary the data may use without the ontology declaring it.
BUILT_IN = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    OWL.NamedIndividual,
    OWL.Axiom,
    OWL.annotatedSource,
    OWL.annotatedProperty,
    OWL.annotatedTarget,
}


# The real data, and the fictional dated corpus with its entity registry.
CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


@pytest.fixture(scope="module", params=[DATA_DIR, CORPUS], ids=["data", "corpus"])
def data(request: pytest.FixtureRequest) -> Graph:
    """Every graph of the data set (documents, inferences, registry), merged, without the ontology."""
    merged = Graph()
    for subject, predicate, obj, _ in coding.build_dataset(request.param, include_ontology=False).quads():
        merged.add((subject, predicate, obj))
    assert len(merged) > 0
    return merged


@pytest.fixture(scope="module")
def ontology_and_data(ontology: Graph, data: Graph) -> str:
    return (ontology + data).serialize(format="turtle")


def test_every_term_the_data_uses_is_declared_in_the_ontology(ontology: Graph, data: Graph) -> None:
    declared = {subject for subject, kind in ontology.subject_objects(RDF.type) if kind in OWL_TYPES}
    ours = {term for triple in data for term in triple if isinstance(term, URIRef) and term in SG}
    vocabulary = set(data.predicates()) | {kind for kind in data.objects(None, RDF.type) if kind not in ours}
    assert ours - declared == set()
    assert vocabulary - declared - BUILT_IN == set()


def test_ontology_and_data_are_clean_owl2_dl(ontology_and_data: str) -> None:
    assert check_owl_dl(ontology_and_data) == []


def test_hermit_finds_ontology_and_data_consistent(ontology_and_data: str) -> None:
    assert is_consistent(ontology_and_data)
    assert unsatisfiable_classes(ontology_and_data) == []


def test_data_conforms_to_the_shapes(data: Graph, shacl_messages: Callable[[Graph], list[str]]) -> None:
    assert shacl_messages(data) == []
