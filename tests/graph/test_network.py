"""Stakeholder networks over the Golden Dome data: the findings the article supports."""

from __future__ import annotations

import json
from itertools import pairwise

import networkx as nx
import pytest
from rdflib import Graph

from graph.coding import build_dataset, serialize
from graph.errors import NotFoundError, ValidationFailedError
from graph.namespaces import SG, entity
from graph.network import (
    Kind,
    Level,
    Measure,
    Normalization,
    PositionRecord,
    build_network,
    centrality,
    communities,
    conflict_network,
    congruence_network,
    connection,
    position_records,
    roll_up,
    signed_network,
    to_graphml,
    to_node_link,
    two_mode_network,
)
from graph.stores.memory import MemoryStore
from graph.subgraph import construct

SEED_CONFLICT_NOTE = (
    "no two coded positions take opposite sides on one target "
    "(25 positions coded, 3 concerns with no identified holder); absence of coded opposition is not consensus"
)
"""What the seed's empty conflict network says: what was coded, and that no opposition is no consensus."""

OFFICIALS, EXPERTS, ANALYSTS = (str(entity(s)) for s in ("canadian-officials", "experts", "analysts"))
CANADA, GOVERNMENT, JOINING = (
    str(entity(s)) for s in ("canada", "canadian-government", "canada-joins-golden-dome")
)
ATTRIBUTION_MODES = {"direct", "reported", "unattributed", "authorial"}


@pytest.fixture(scope="module")
def store(golden_dome: MemoryStore) -> MemoryStore:
    return golden_dome


@pytest.fixture(scope="module")
def records(store: MemoryStore) -> list[PositionRecord]:
    return position_records(store)


def test_records_flatten_every_position(records: list[PositionRecord]) -> None:
    by_holder = {(r.holder_label, r.target_label, r.stance, r.value) for r in records}
    assert ("Experts", "Canada joins Golden Dome", "supports", 2) in by_holder
    assert ("Canadian officials", "Canada joins Golden Dome", "optimistic", 1) in by_holder
    officials = next(r for r in records if r.holder == OFFICIALS)
    assert (officials.holder_type, officials.target_type) == ("OfficialsGroup", "ParticipationProposal")
    assert {r.attribution for r in records} <= ATTRIBUTION_MODES
    # The text never says whose officials they are: their nation is Canada through the inferred link only.
    assert officials.hedged and officials.nation is None and officials.inferred_nation == CANADA
    assert len({r.position for r in records}) == len(records)


def test_officials_experts_and_analysts_agree_on_canada_joining(records: list[PositionRecord]) -> None:
    congruence = congruence_network(records)
    for first, second in ((OFFICIALS, EXPERTS), (OFFICIALS, ANALYSTS), (EXPERTS, ANALYSTS)):
        assert congruence.edges[first, second]["targets"] == (JOINING,)
        assert congruence.edges[first, second]["target_labels"] == ("Canada joins Golden Dome",)
        assert congruence.edges[first, second]["weight"] == 1
    # Every holder is a node, even one who shares a target with no one.
    assert set(congruence) == {r.holder for r in records}
    assert "note" not in congruence.graph


def test_normalizations_scale_by_the_targets_each_holds(records: list[PositionRecord]) -> None:
    for normalization in (Normalization.jaccard, Normalization.cosine):
        network = congruence_network(records, normalization)
        assert network.edges[OFFICIALS, EXPERTS]["weight"] == pytest.approx(1.0)
        # The value, a plain string: GraphML writes attributes of the built-in types only.
        assert type(network.graph["normalization"]) is str
    with pytest.raises(ValidationFailedError, match="normalization"):
        congruence_network(records, "average")  # type: ignore[arg-type]


def test_the_conflict_network_is_empty_and_says_why(records: list[PositionRecord]) -> None:
    conflict = conflict_network(records)
    assert conflict.number_of_edges() == 0
    assert conflict.graph["note"] == SEED_CONFLICT_NOTE
    assert set(conflict) == {r.holder for r in records}
    signed = signed_network(records)
    assert signed.graph["note"] == SEED_CONFLICT_NOTE
    assert all(weight > 0 or data["congruence"] == 0 for *_, weight, data in _weights(signed))
    assert to_node_link(conflict)["graph"]["note"] == SEED_CONFLICT_NOTE


def _weights(graph: nx.Graph[str]) -> list[tuple[str, str, float, dict[str, object]]]:
    return [(a, b, data["weight"], data) for a, b, data in graph.edges(data=True)]


def test_a_made_up_opposition_shows_in_conflict_and_signed_networks(records: list[PositionRecord]) -> None:
    opponent = PositionRecord(
        "urn:opposes", "urn:critics", "Critics", JOINING, "Canada joins Golden Dome", "opposes", -2
    )
    conflict = conflict_network([*records, opponent])
    assert sorted(conflict.neighbors("urn:critics")) == sorted([OFFICIALS, EXPERTS, ANALYSTS])
    assert signed_network([*records, opponent]).edges["urn:critics", EXPERTS]["weight"] == -1


def test_roll_up_puts_canadian_officials_and_government_under_canada(records: list[PositionRecord]) -> None:
    stated = {r.position.rsplit("/", 1)[-1]: r.holder for r in roll_up(records)}
    assert stated["canadian-officials-optimistic-about-joining"] == OFFICIALS  # membership not stated
    assert stated["canadian-government-assesses-ramifications"] == CANADA  # "The Canadian government"
    rolled = roll_up(records, inferred=True)
    holders = {r.position.rsplit("/", 1)[-1]: r.holder for r in rolled}
    assert holders["canadian-officials-optimistic-about-joining"] == CANADA
    assert holders["canadian-government-assesses-ramifications"] == CANADA
    assert holders["experts-support-joining"] == EXPERTS  # no nation: stays itself
    congruence = congruence_network(rolled)
    assert OFFICIALS not in congruence and GOVERNMENT not in congruence
    assert congruence.nodes[CANADA]["label"] == "Canada"
    assert congruence.has_edge(CANADA, EXPERTS) and congruence.has_edge(CANADA, ANALYSTS)
    assert roll_up(records, Level.stakeholder) == records


def test_networks_are_built_from_the_choices_or_their_values(store: MemoryStore) -> None:
    for kind in Kind:
        chosen = build_network(store, kind, normalization=Normalization.jaccard, level=Level.nation)
        # The Python API takes the values as plain strings too, as the notebook passes them.
        named = build_network(store, kind.value, normalization="jaccard", level="nation")  # type: ignore[arg-type]
        assert nx.utils.graphs_equal(chosen, named) and len(chosen)
    with pytest.raises(ValidationFailedError, match="unknown network 'triangle'"):
        build_network(store, "triangle")  # type: ignore[arg-type]


def test_two_mode_network_carries_stances(records: list[PositionRecord]) -> None:
    network = two_mode_network(records)
    assert nx.is_bipartite(network)
    assert network.nodes[EXPERTS]["bipartite"] == 0 and network.nodes[JOINING]["bipartite"] == 1
    assert network.nodes[JOINING]["kind"] == "target"
    edge = network.edges[EXPERTS, JOINING, str(entity("experts-support-joining"))]
    assert (edge["stance"], edge["value"]) == ("supports", 2) and edge["attribution"] in ATTRIBUTION_MODES
    assert network.number_of_edges() == len(records)


def test_centrality_and_communities_run_on_every_network(records: list[PositionRecord]) -> None:
    congruence = congruence_network(records)
    for graph in (congruence, two_mode_network(records), conflict_network(records), nx.Graph()):
        for measure in Measure:
            scores = centrality(graph, measure)
            assert set(scores) == set(graph)
    eigenvector = centrality(congruence, Measure.eigenvector)
    assert eigenvector[OFFICIALS] == pytest.approx(eigenvector[EXPERTS])
    assert eigenvector[OFFICIALS] > 0
    assert eigenvector[str(entity("unidentified-reviewers"))] == 0.0
    assert {OFFICIALS, EXPERTS, ANALYSTS} in communities(congruence)
    assert sorted(node for community in communities(congruence) for node in community) == sorted(congruence)
    assert communities(nx.Graph()) == []
    with pytest.raises(ValidationFailedError):
        centrality(congruence, "pagerank")  # type: ignore[arg-type]


def test_connection_from_canada_to_golden_dome(store: MemoryStore) -> None:
    path = connection(store, "canada", "golden-dome")
    assert path.nodes[0] == CANADA and path.nodes[-1] == str(entity("golden-dome"))
    assert len(path.triples) == len(path.nodes) - 1 >= 1
    for (first, second), (subject, _, value) in zip(pairwise(path.nodes), path.triples, strict=True):
        assert {first, second} == {subject, value}
    assert path.triples == [
        (JOINING, str(SG.participant), CANADA),
        (JOINING, str(SG.program), str(entity("golden-dome"))),
    ]
    assert path.labels[CANADA] == "Canada" and path.message is None


def test_connection_never_passes_through_the_document(store: MemoryStore) -> None:
    # Both are mentioned in the document; the path must say something about them instead.
    path = connection(store, "experts", "analysts")
    assert str(entity("golden-dome-canada")) not in path.nodes
    assert JOINING in path.nodes


def test_connection_errors_and_no_path(store: MemoryStore) -> None:
    with pytest.raises(NotFoundError, match="atlantis"):
        connection(store, "canada", "atlantis")
    island = MemoryStore()
    island.load_dataset(serialize(build_dataset()), "application/n-quads")
    island.update("INSERT DATA { <http://e/island> <http://e/near> <http://e/islet> }")
    lost = connection(island, "canada", "http://e/island")
    assert lost.nodes == [] and lost.triples == [] and "not connected" in (lost.message or "")


def test_connection_over_an_rdflib_graph(store: MemoryStore) -> None:
    graph = construct(store, "CONSTRUCT WHERE { ?s ?p ?o }")
    path = connection(graph, "canada", "golden-dome")
    assert len(path.nodes) == 3 and path.labels[CANADA] == "Canada"
    with pytest.raises(NotFoundError):
        connection(Graph(), "canada", "golden-dome")


def test_node_link_json_and_graphml(records: list[PositionRecord]) -> None:
    congruence = congruence_network(records)
    data = to_node_link(congruence)
    assert json.loads(json.dumps(data))["links"]
    assert {node["id"] for node in data["nodes"]} == set(congruence)
    for network in (congruence, two_mode_network(records), conflict_network(records)):
        parsed = nx.parse_graphml(to_graphml(network).decode())
        assert set(parsed) == set(network) and parsed.number_of_edges() == network.number_of_edges()
    parsed = nx.parse_graphml(to_graphml(congruence).decode())
    assert parsed.edges[OFFICIALS, EXPERTS]["targets"] == JOINING
    parsed_conflict = nx.parse_graphml(to_graphml(conflict_network(records)).decode())
    assert parsed_conflict.graph["note"] == SEED_CONFLICT_NOTE


def test_records_take_default_values_and_leave_out_incomplete_positions() -> None:
    store = MemoryStore()
    store.update(
        """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
        INSERT DATA {
          sg:supports sg:defaultValue 2 .
          <urn:stated> sg:holder <urn:a> ; sg:target <urn:t> ; sg:stance sg:supports ; sg:stanceValue 1 .
          <urn:default> sg:holder <urn:a> ; sg:target <urn:t> ; sg:stance sg:supports ;
                        sg:attribution sg:reported ; sg:hedged true .
          <urn:no-target> sg:holder <urn:a> ; sg:stance sg:supports ; sg:stanceValue 1 .
          <urn:no-value> sg:holder <urn:a> ; sg:target <urn:t> ; sg:stance sg:opposes .
          <urn:two-holders> sg:holder <urn:a>, <urn:b> ; sg:target <urn:t> ; sg:stance sg:supports .
        }"""
    )
    records = position_records(store)
    store.close()
    assert [(r.position, r.holder, r.value, r.hedged, r.attribution) for r in records] == [
        ("urn:default", "urn:a", 2, True, "reported"),
        ("urn:stated", "urn:a", 1, False, ""),
        ("urn:two-holders", "urn:a", 2, False, ""),
        ("urn:two-holders", "urn:b", 2, False, ""),
    ]
    assert {(r.holder_label, r.target_label) for r in records} == {("urn:a", "urn:t"), ("urn:b", "urn:t")}
