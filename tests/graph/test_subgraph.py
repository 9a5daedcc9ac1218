"""Ego subgraphs, CBDs and CONSTRUCTs over the Golden Dome data."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, URIRef

from graph.errors import NotFoundError, ValidationFailedError
from graph.namespaces import OA, SG, entity, slug_of
from graph.stores.memory import MemoryStore
from graph.subgraph import cbd, construct, ego_subgraph

ALL_POSITIONS = {
    "analysts-support-joining",
    "authorial-voice-concern-national-security",
    "canada-considers-aligning-with-golden-dome",
    "canada-in-talks-to-join-golden-dome",
    "canadian-government-assesses-ramifications",
    "canadian-officials-optimistic-about-joining",
    "concern-geopolitical-impacts",
    "concern-military-spending",
    "concern-national-sovereignty",
    "experts-support-joining",
    "recommend-cohesive-technological-partnerships",
    "recommend-enhancing-communication-channels",
    "recommend-extensive-review-of-existing-agreements",
    "recommend-pursuing-research-initiatives",
    "recommend-second-measure-garbled",
    "recommend-synchronized-intelligence-sharing",
    "review-collaborative-military-drills",
    "review-intelligence-exchange",
    "review-tactical-innovation",
    "stakeholders-monitor-golden-dome",
}
CANADA_POSITIONS = {"canada-in-talks-to-join-golden-dome", "canada-considers-aligning-with-golden-dome"}


@pytest.fixture(scope="module")
def store(golden_dome: MemoryStore) -> MemoryStore:
    return golden_dome


def slugs(nodes: object) -> set[str]:
    return {slug_of(str(node)) or str(node) for node in nodes}  # type: ignore[attr-defined]


def typed(graph: Graph, rdf_class: URIRef) -> set[str]:
    return slugs(graph.subjects(RDF.type, rdf_class))


def evidence_of(store: MemoryStore, positions: set[str]) -> Graph:
    """Everything the store says about these positions' evidence, asked directly."""
    values = " ".join(entity(p).n3() for p in positions)
    return construct(
        store,
        f"""PREFIX sg: <{SG}> PREFIX oa: <{OA}>
        CONSTRUCT {{ ?part ?p ?o }} WHERE {{
          VALUES ?position {{ {values} }}
          ?position sg:evidence ?evidence .
          ?evidence (oa:hasTarget/oa:hasSelector?)? ?part . ?part ?p ?o }}""",
    )


def test_depth_1_holds_canada_with_its_positions_targets_and_evidence(store: MemoryStore) -> None:
    ego = ego_subgraph(store, "canada", depth=1)

    assert typed(ego, SG.Position) == CANADA_POSITIONS
    evidence = {f"{p}-ev{n}" for p in CANADA_POSITIONS for n in (1, 2)}
    selectors = {f"{e}-{part}" for e in evidence for part in ("target", "quote", "pos")}
    neighbours = {"canada-joins-golden-dome", "canadian-government", "canadian-military-establishments"}
    document, concepts = {"golden-dome-canada"}, {str(SG.considers), str(SG.reported)}
    assert (
        slugs(ego.subjects())
        == {"canada"} | CANADA_POSITIONS | evidence | selectors | neighbours | document | concepts
    )
    assert set(evidence_of(store, CANADA_POSITIONS)) <= set(ego)
    # Nodes one hop out bring their type and labels, nothing more: the proposal's program is two hops away.
    assert not set(ego.triples((entity("canada-joins-golden-dome"), SG.program, None)))
    notes = {
        "http://www.w3.org/2004/02/skos/core#editorialNote",
        "http://www.w3.org/2004/02/skos/core#altLabel",
    }
    assert slugs(ego.predicates()) - notes == {
        *(str(p) for p in (RDF.type, SG.holder, SG.target, SG.stance, SG.stanceValue, SG.attribution)),
        *(str(p) for p in (SG.hedged, SG.hedgeCue, SG.evidence, SG.participant, SG.partOf, SG.mentionedIn)),
        *(str(OA[name]) for name in ("hasTarget", "hasSource", "hasSelector", "exact", "prefix", "suffix")),
        str(OA.start),
        str(OA.end),
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
    }


def test_depth_2_reaches_the_positions_on_the_proposal_and_stops(store: MemoryStore) -> None:
    ego = ego_subgraph(store, "canada", depth=2)

    # Every position but the one on the Golden Dome program itself, which hangs off the program (hop 2).
    assert typed(ego, SG.Position) == ALL_POSITIONS - {"stakeholders-monitor-golden-dome"}
    assert set(evidence_of(store, typed(ego, SG.Position))) <= set(ego)
    assert typed(ego, SG.Evidence) == slugs(ego.objects(None, SG.evidence))
    assert typed(ego, SG.Stakeholder) == {
        "canada",
        "canadian-government",
        "canadian-military-establishments",
        "canadian-officials",
        "experts",
        "analysts",
        "golden-dome-canada-authorial-voice",
        "unidentified-concern-holders",
        "unidentified-reviewers",
    }
    assert typed(ego, SG.Concern) == {
        "national-sovereignty",
        "military-spending",
        "geopolitical-impacts",
        "national-security",
    }
    assert "golden-dome" in typed(ego, SG.Program)
    outside = {"united-states", "donald-trump", "stakeholders-on-both-sides-of-the-border", "missile-threats"}
    assert not outside & slugs(ego.all_nodes())
    # The document is reached, never expanded: its title would come only from expanding it.
    assert not set(ego.triples((entity("golden-dome-canada"), SG.sha256, None)))
    # The ontology's own axioms stay out; the stance concepts bring their type and labels.
    assert (SG.supports, RDF.type, SG.Stance) in ego
    assert not set(ego.triples((SG.supports, SG.defaultValue, None)))


def test_depth_is_bounded(store: MemoryStore) -> None:
    with pytest.raises(ValidationFailedError, match="between 1 and 4"):
        ego_subgraph(store, "canada", depth=5)
    with pytest.raises(ValidationFailedError):
        ego_subgraph(store, "canada", depth=0)


def test_an_unknown_focus_is_named(store: MemoryStore) -> None:
    with pytest.raises(NotFoundError, match="atlantis"):
        ego_subgraph(store, "atlantis")
    with pytest.raises(NotFoundError, match="atlantis"):
        cbd(store, "atlantis")


def test_cbd_is_the_outgoing_description(store: MemoryStore) -> None:
    description = cbd(store, "canada")
    assert set(description.subjects()) == {entity("canada")}
    assert set(description) == set(store_triples(store, "canada"))
    symmetric = cbd(store, "canada", symmetric=True)
    assert slugs(symmetric.subjects(SG.holder, entity("canada"))) == CANADA_POSITIONS


def store_triples(store: MemoryStore, slug: str) -> Graph:
    return construct(
        store, f"CONSTRUCT {{ {entity(slug).n3()} ?p ?o }} WHERE {{ {entity(slug).n3()} ?p ?o }}"
    )


def test_cbd_follows_blank_nodes() -> None:
    store = MemoryStore()
    store.update(
        """INSERT DATA { <http://e/a> <http://e/p> [ <http://e/q> [ <http://e/r> [ <http://e/s> "deep" ] ] ] ;
                            <http://e/t> <http://e/b> .
                         <http://e/b> <http://e/u> [ <http://e/v> 1 ] .
                         [ <http://e/w> <http://e/a> ; <http://e/x> "in" ] }"""
    )
    assert len(cbd(store, "http://e/a")) == 5
    # Symmetric CBD adds what points at the node and (recursively) at those blanks, not their other triples.
    assert len(cbd(store, "http://e/a", symmetric=True)) == 6


def test_construct_runs_any_construct(store: MemoryStore) -> None:
    graph = construct(store, f"CONSTRUCT {{ ?p <{SG.holder}> ?h }} WHERE {{ ?p <{SG.holder}> ?h }}")
    assert slugs(graph.subjects()) == ALL_POSITIONS
    with pytest.raises(ValidationFailedError, match="CONSTRUCT"):
        construct(store, "ASK { ?s ?p ?o }")
