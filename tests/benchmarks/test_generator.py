"""The benchmark data generator: seeded, sized as asked, and in the ontology's vocabulary."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from benchmarks.generate import Manifest, generate
from benchmarks.workload import build_workload, load_templates
from graph.namespaces import GRAPH_BASE, ONTOLOGY_GRAPH, SG
from graph.paths import ONTOLOGY_FILE
from graph.validation import shacl_problems

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
OWL = "http://www.w3.org/2002/07/owl#"
PREFIXES = f"PREFIX sg: <{SG}>\nPREFIX oa: <http://www.w3.org/ns/oa#>\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest, ox.Store]:
    path = tmp_path_factory.mktemp("bench") / "data.nq"
    manifest = generate(path, 20_000, seed=42)
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    return path, manifest, store


def select(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    return list(store.query(PREFIXES + query, use_default_graph_as_union=True))


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(tmp_path: Path) -> None:
    first, again, other = tmp_path / "a.nq", tmp_path / "b.nq", tmp_path / "c.nq"
    generate(first, 5_000, seed=7)
    generate(again, 5_000, seed=7)
    generate(other, 5_000, seed=8)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    assert replace(Manifest.load(first), seconds=0) == replace(Manifest.load(again), seconds=0)


@pytest.mark.parametrize("triples", [10_000, 50_000])
def test_the_triple_count_is_within_two_percent_of_the_request(tmp_path: Path, triples: int) -> None:
    path = tmp_path / "data.nq"
    manifest = generate(path, triples, seed=1)
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    assert abs(manifest.triples - triples) <= 0.02 * triples
    # Every line is a distinct quad, and the manifest counts them.
    assert len(store) == manifest.triples == len(path.read_bytes().splitlines())


def test_every_term_used_is_declared_in_the_ontology(generated: tuple[Path, Manifest, ox.Store]) -> None:
    _, _, store = generated
    ontology = ox.Store()
    ontology.load(path=ONTOLOGY_FILE, format=ox.RdfFormat.TURTLE)
    declared = {
        str(row[0].value)
        for row in ontology.query(
            f"SELECT ?term WHERE {{ ?term a ?kind VALUES ?kind {{ <{OWL}Class> <{OWL}ObjectProperty> "
            f"<{OWL}DatatypeProperty> <{OWL}AnnotationProperty> <{OWL}NamedIndividual> }} }}"
        )
    }
    data = f"FILTER (?g != <{ONTOLOGY_GRAPH}>)"
    predicates = {
        str(r[0].value)
        for r in select(store, f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {data} }}")
    }
    classes = {
        str(r[0].value)
        for r in select(store, f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?s a ?c }} {data} }}")
    }
    concepts = {
        str(r[0].value)
        for r in select(
            store,
            "SELECT DISTINCT ?c WHERE { GRAPH ?g { ?s sg:stance|sg:attribution|sg:measureStatus ?c } "
            + data
            + " }",
        )
    }
    assert predicates - declared == {RDF_TYPE, RDFS_LABEL}
    assert classes <= declared
    assert concepts <= declared
    assert {f"{SG}Position", f"{SG}Evidence", f"{SG}Nation", f"{SG}Measure", f"{SG}Concern"} <= classes


def test_a_small_generated_graph_conforms_to_the_shapes(tmp_path: Path) -> None:
    path = tmp_path / "data.nq"
    generate(path, 4_000, seed=5)
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    assert shacl_problems(dataset) == []


def test_positions_have_the_required_shape(generated: tuple[Path, Manifest, ox.Store]) -> None:
    _, manifest, store = generated
    broken = select(
        store,
        """SELECT ?p WHERE {
          ?p a sg:Position .
          OPTIONAL { ?p sg:holder ?h } OPTIONAL { ?p sg:target ?t } OPTIONAL { ?p sg:stance ?s }
          OPTIONAL { ?p sg:stanceValue ?v } OPTIONAL { ?p sg:hedged ?hedged } OPTIONAL { ?p sg:evidence ?e }
          FILTER (!BOUND(?h) || !BOUND(?t) || !BOUND(?s) || !BOUND(?v) || !BOUND(?hedged) || !BOUND(?e)
                  || ?v < -2 || ?v > 2)
        }""",
    )
    assert broken == []
    counted = select(store, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a sg:Position }")
    assert int(counted[0][0].value) == manifest.positions
    offsets = select(
        store,
        """SELECT ?exact ?start ?end WHERE {
          ?e oa:hasTarget/oa:hasSelector ?q, ?o . ?q oa:exact ?exact . ?o oa:start ?start ; oa:end ?end }""",
    )
    assert offsets and all(
        int(end.value) - int(start.value) == len(exact.value) for exact, start, end in offsets
    )


def test_each_document_has_its_own_graph_and_conflict_is_not_empty(
    generated: tuple[Path, Manifest, ox.Store],
) -> None:
    _, manifest, store = generated
    graphs = {str(graph.value) for graph in store.named_graphs()}
    assert {GRAPH_BASE + slug for slug in manifest.documents} <= graphs
    assert str(ONTOLOGY_GRAPH) in graphs
    conflict = """ASK { ?a sg:target ?t ; sg:stanceValue ?x .
                        ?b sg:target ?t ; sg:stanceValue ?y . FILTER (?x * ?y < 0) }"""
    assert bool(store.query(PREFIXES + conflict, use_default_graph_as_union=True))


def test_the_query_mix_runs_on_the_generated_graph(generated: tuple[Path, Manifest, ox.Store]) -> None:
    _, manifest, store = generated
    templates = load_templates()
    workload = build_workload(manifest, seed=3, count=len(templates) * 4)
    assert {request.name for request in workload} == {template.name for template in templates}
    answered = 0
    for request in workload:
        result = store.query(request.query, use_default_graph_as_union=True)
        answered += bool(result) if isinstance(result, ox.QueryBoolean) else len(list(result))
    assert answered > 0
