"""Ego subgraphs, CBDs and CONSTRUCTs over the Golden Dome data."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from graph.errors import NotFoundError, ValidationFailedError
from graph.namespaces import OA, SG, entity, slug_of
from graph.stores.memory import MemoryStore
from graph.subgraph import adjacent_triples, cbd, construct, ego_subgraph

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
    # Coded since issue 16: what the article states and the graph lacked.
    "authorial-voice-frames-golden-dome-as-contentious",
    "authorial-voice-frames-joining-as-alignment-with-us",
    "trump-promotes-golden-dome",
    "authorial-voice-considers-political-dynamics",
    "stakeholders-at-multiple-levels-react-variously",
}
ON_THE_PROGRAM = {  # three hops from Canada: the positions on the program itself
    "stakeholders-monitor-golden-dome",
    "authorial-voice-frames-golden-dome-as-contentious",
    "trump-promotes-golden-dome",
}
# The stated links to Canada, each with its quote (the evidence of the link's axiom annotation).
CANADA_LINK_EVIDENCE = {
    f"{link}-ev1"
    for link in (
        "canadian-government-part-of-canada",
        "canadian-military-establishments-part-of-canada",
        "canada-joins-golden-dome-participant-canada",
    )
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


def positions_on(store: MemoryStore, target: str) -> set[str]:
    """The positions the store holds on ``target``, asked directly."""
    pattern = f"?position <{SG.target}> {entity(target).n3()}"
    return slugs(construct(store, f"CONSTRUCT {{ {pattern} }} WHERE {{ {pattern} }}").subjects())


def expanded(store: MemoryStore, ego: Graph, slug: str) -> bool:
    """Whether the subgraph holds every triple naming the node (blank nodes aside): it was expanded."""
    named = adjacent_triples(store, [entity(slug)])
    return {t for t in named if not any(isinstance(term, BNode) for term in t)} <= set(ego)


def test_depth_1_holds_canada_with_its_positions_whole_and_their_targets_labelled(store: MemoryStore) -> None:
    ego = ego_subgraph(store, "canada", depth=1)

    assert typed(ego, SG.Position) == CANADA_POSITIONS
    evidence = {f"{p}-ev{n}" for p in CANADA_POSITIONS for n in (1, 2)} | CANADA_LINK_EVIDENCE
    selectors = {f"{e}-{part}" for e in evidence for part in ("target", "quote", "pos")}
    neighbours = {"canada-joins-golden-dome", "canadian-government", "canadian-military-establishments"}
    document, concepts = {"golden-dome-canada"}, {str(SG.considers), str(SG.reported)}
    properties = {str(SG.partOf), str(SG.participant)}  # named by the links' axiom annotations
    named = {subject for subject in ego.subjects() if not isinstance(subject, BNode)}
    assert (
        slugs(named)
        == {"canada"}
        | CANADA_POSITIONS
        | evidence
        | selectors
        | neighbours
        | document
        | concepts
        | properties
    )
    assert len(set(ego.subjects()) - named) == 3  # the three axiom annotations
    assert set(evidence_of(store, CANADA_POSITIONS)) <= set(ego)
    # Nodes one hop out bring their type and labels, nothing more: the proposal's program is two hops away.
    assert not any(expanded(store, ego, node) for node in neighbours | document)
    assert not set(ego.triples((entity("canada-joins-golden-dome"), SG.program, None)))
    notes = {
        "http://www.w3.org/2004/02/skos/core#editorialNote",
        "http://www.w3.org/2004/02/skos/core#altLabel",
    }
    axioms = {str(OWL[name]) for name in ("annotatedSource", "annotatedProperty", "annotatedTarget")}
    assert slugs(ego.predicates()) - notes - axioms - {str(SG.linkEvidence)} == {
        *(str(p) for p in (RDF.type, SG.holder, SG.target, SG.stance, SG.stanceValue, SG.attribution)),
        *(str(p) for p in (SG.hedged, SG.hedgeCue, SG.evidence, SG.participant, SG.partOf, SG.mentionedIn)),
        *(str(OA[name]) for name in ("hasTarget", "hasSource", "hasSelector", "exact", "prefix", "suffix")),
        str(OA.start),
        str(OA.end),
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
    }


OFFICIALS_POSITION = "canadian-officials-optimistic-about-joining"
GOVERNMENT_POSITION = "canadian-government-assesses-ramifications"


def test_depth_2_is_a_stakeholder_with_its_positions_their_targets_and_evidence(store: MemoryStore) -> None:
    # Canadian officials are members of the Canadian government: hop 1 is their position and the
    # government, hop 2 what the position names (its target) and the government's own position.
    ego = ego_subgraph(store, "canadian-officials", depth=2)

    assert typed(ego, SG.Position) == {OFFICIALS_POSITION, GOVERNMENT_POSITION}
    assert set(evidence_of(store, {OFFICIALS_POSITION, GOVERNMENT_POSITION})) <= set(ego)
    linked = slugs(ego.objects(None, SG.linkEvidence))  # the quote of the government's part in Canada
    assert typed(ego, SG.Evidence) == slugs(ego.objects(None, SG.evidence)) | linked
    assert expanded(store, ego, "canadian-government")
    # The target is named and labelled, not expanded: the other holders' positions on it are three
    # hops away (officials, their position, the proposal, another position).
    assert (entity(OFFICIALS_POSITION), SG.target, entity("canada-joins-golden-dome")) in ego
    assert ego.value(entity("canada-joins-golden-dome"), RDFS.label) == Literal(
        "Canada joins Golden Dome", lang="en"
    )
    assert not expanded(store, ego, "canada-joins-golden-dome")
    assert not {"experts-support-joining", "analysts-support-joining", "experts"} & slugs(ego.all_nodes())


def test_depth_1_leaves_the_bodies_a_stakeholder_belongs_to_unexpanded(store: MemoryStore) -> None:
    ego = ego_subgraph(store, "canadian-officials", depth=1)

    assert typed(ego, SG.Position) == {OFFICIALS_POSITION}
    assert set(evidence_of(store, {OFFICIALS_POSITION})) <= set(ego)
    assert not expanded(store, ego, "canadian-government")
    assert (entity("canadian-government"), RDF.type, SG.GovernmentBody) in ego
    assert GOVERNMENT_POSITION not in slugs(ego.all_nodes())


def test_depth_3_expands_the_targets(store: MemoryStore) -> None:
    ego = ego_subgraph(store, "canadian-officials", depth=3)

    on_the_proposal = positions_on(store, "canada-joins-golden-dome")
    assert {"experts-support-joining", "analysts-support-joining"} <= on_the_proposal
    assert on_the_proposal <= typed(ego, SG.Position)
    assert set(evidence_of(store, typed(ego, SG.Position))) <= set(ego)
    assert expanded(store, ego, "canada-joins-golden-dome")


def test_depth_2_of_canada_reaches_the_proposal_it_takes_part_in(store: MemoryStore) -> None:
    ego = ego_subgraph(store, "canada", depth=2)

    # Canada is a participant of the proposal to join Golden Dome (one hop), so the positions on the
    # proposal are two hops away: every position but those on the program itself (three hops).
    assert typed(ego, SG.Position) == ALL_POSITIONS - ON_THE_PROGRAM
    assert set(evidence_of(store, typed(ego, SG.Position))) <= set(ego)
    linked = slugs(ego.objects(None, SG.linkEvidence))
    assert typed(ego, SG.Evidence) == slugs(ego.objects(None, SG.evidence)) | linked
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
        "stakeholders-involved-at-multiple-levels",  # their varied reactions to joining
    }
    assert typed(ego, SG.Concern) == {
        "national-sovereignty",
        "military-spending",
        "geopolitical-impacts",
        "national-security",
        "political-dynamics",
    }
    assert expanded(store, ego, "canada-joins-golden-dome")
    # What those positions name (the program, the concerns, their holders) is labelled, not expanded.
    assert not any(expanded(store, ego, node) for node in ("golden-dome", "national-sovereignty", "experts"))
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
