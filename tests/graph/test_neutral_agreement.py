"""Concerns apart from support, neutral positions out of agreement, roll-ups on stated links (issue 16).

On the seed (the embedded Golden Dome article) and on a small fictional bulletin
(tests/data/rollup/inferred-membership.trig) whose one membership is only inferred.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from graph.knowledge import KnowledgeGraph
from graph.network import build_network, congruence_network, position_records, roll_up, signed_network
from graph.paths import ONTOLOGY_FILE
from graph.stores.memory import MemoryStore

BULLETIN = Path(__file__).parents[1] / "data" / "rollup" / "inferred-membership.trig"
JOINING = "Canada joins Golden Dome"
IN_FAVOUR = {
    ("for", frozenset({"Canadian officials", "Experts"})),
    ("for", frozenset({"Canadian officials", "Analysts"})),
    ("for", frozenset({"Experts", "Analysts"})),
}
NEUTRAL_PAIR = ("neutral", frozenset({"Canada", "Canadian government"}))
# Every neutral pair of the seed when asked for: on joining, Canada, its government, the stakeholders who
# react variously (mixed) and the author's framing (frames as); on the program, the author's framing and
# the stakeholders who monitor it. All value 0: DNA compares values, not stance concepts.
VOICE, VARIED = "The article’s authorial voice", "Stakeholders involved at multiple levels"
NEUTRAL_PAIRS = {
    ("neutral", frozenset(pair))
    for pair in (
        ("Canada", "Canadian government"),
        ("Canada", VARIED),
        ("Canada", VOICE),
        ("Canadian government", VARIED),
        ("Canadian government", VOICE),
        (VOICE, VARIED),
        (VOICE, "Stakeholders on both sides of the border"),
    )
}


@pytest.fixture(scope="module")
def kg() -> Iterator[KnowledgeGraph]:
    with KnowledgeGraph.open() as graph:
        yield graph


@pytest.fixture(scope="module")
def bulletin() -> Iterator[KnowledgeGraph]:
    store = MemoryStore()
    store.load_dataset(BULLETIN.read_bytes(), "application/trig")
    store.load_dataset(ONTOLOGY_FILE.read_bytes(), "text/turtle")  # the classes the counts walk up
    with KnowledgeGraph(store) as graph:
        yield graph


def labelled_edges(graph: nx.Graph[str]) -> set[frozenset[str]]:
    return {frozenset((graph.nodes[a]["label"], graph.nodes[b]["label"])) for a, b in graph.edges}


def agreement_pairs(kg: KnowledgeGraph, **params: bool) -> set[tuple[str, frozenset[str]]]:
    found = kg.run("agreements", **params)
    return {
        (side, frozenset((first, second)))
        for side, first, second in zip(
            found["side"], found["holderALabel"], found["holderBLabel"], strict=True
        )
    }


# Neutral agreement


def test_canada_and_its_government_only_weigh_joining_so_they_do_not_agree_by_default(
    kg: KnowledgeGraph,
) -> None:
    assert agreement_pairs(kg) == IN_FAVOUR
    assert set(kg.run("agreements")["targetLabel"]) == {JOINING}
    assert agreement_pairs(kg, include_neutral=True) == IN_FAVOUR | NEUTRAL_PAIRS


def test_the_congruence_network_leaves_neutral_positions_out_unless_asked(kg: KnowledgeGraph) -> None:
    congruence = kg.network("congruence")
    assert congruence.graph["neutral"] is False
    assert frozenset({"Canada", "Canadian government"}) not in labelled_edges(congruence)
    assert labelled_edges(congruence) == {pair for _, pair in IN_FAVOUR}
    # Their holders stay nodes: left out of agreement, not out of the network.
    labels = set(nx.get_node_attributes(congruence, "label").values())
    assert {"Canada", "Canadian government"} <= labels
    with_neutral = kg.network("congruence", neutral=True)
    assert with_neutral.graph["neutral"] is True
    assert labelled_edges(with_neutral) == {pair for _, pair in IN_FAVOUR | NEUTRAL_PAIRS}


def test_the_signed_network_follows_the_same_choice(kg: KnowledgeGraph) -> None:
    records = position_records(kg.store)
    assert frozenset({"Canada", "Canadian government"}) not in labelled_edges(signed_network(records))
    assert frozenset({"Canada", "Canadian government"}) in labelled_edges(
        signed_network(records, neutral=True)
    )
    assert labelled_edges(congruence_network(records, neutral=True)) == labelled_edges(
        signed_network(records, neutral=True)
    )


def test_neutral_agreement_on_the_fictional_bulletin(bulletin: KnowledgeGraph) -> None:
    assert agreement_pairs(bulletin) == {
        ("for", frozenset({"Port officials", "Harbour guild"})),
        ("raises concern", frozenset({"Port officials", "Harbour guild"})),
    }
    assert ("neutral", frozenset({"Ruritania", "Ruritanian ministry"})) in agreement_pairs(
        bulletin, include_neutral=True
    )


# Concerns raised, not support


def test_concerns_raised_are_counted_apart_from_positions_in_favour(kg: KnowledgeGraph) -> None:
    counts = kg.run("positions-per-stakeholder").set_index("stakeholderLabel")
    unidentified = counts.loc["Unidentified holders of the concerns"]
    assert (unidentified["positions"], unidentified["inFavour"], unidentified["concernsRaised"]) == (3, 0, 3)
    authorial = counts.loc["The article’s authorial voice"]
    # 6 recommendations, the national-security concern, and (neutral) 2 framings and the political dynamics.
    assert (authorial["positions"], authorial["inFavour"], authorial["concernsRaised"]) == (10, 6, 1)
    assert counts.loc["Experts", "concernsRaised"] == 0
    sides = counts["inFavour"] + counts["neutral"] + counts["against"] + counts["concernsRaised"]
    assert (counts["positions"] == sides).all()


def test_a_shared_concern_is_raised_together_not_agreed_for(bulletin: KnowledgeGraph) -> None:
    found = bulletin.run("agreements")
    on_cost = found[found["targetLabel"] == "Cost of the tide plan"]
    assert list(on_cost["side"]) == ["raises concern"]
    counts = bulletin.run("positions-per-stakeholder").set_index("stakeholderLabel")
    assert (counts.loc["Port officials", "inFavour"], counts.loc["Port officials", "concernsRaised"]) == (
        1,
        1,
    )


# Roll-ups on stated links


def test_the_nation_roll_up_goes_through_stated_links_unless_asked(bulletin: KnowledgeGraph) -> None:
    stated = bulletin.network("congruence", level="nation")
    assert stated.graph["basis"] == "stated"
    labels = set(nx.get_node_attributes(stated, "label").values())
    # The ministry is stated part of Ruritania; the officials' membership is only inferred.
    assert labels == {"Port officials", "Harbour guild", "Ruritania"}
    assert labelled_edges(stated) == {frozenset({"Port officials", "Harbour guild"})}

    inferred = bulletin.network("congruence", level="nation", inferred=True)
    assert inferred.graph["basis"] == "stated and inferred"
    assert set(nx.get_node_attributes(inferred, "label").values()) == {"Harbour guild", "Ruritania"}
    ruritania_guild = inferred.edges[
        "https://w3id.org/stancegraph/id/ruritania", "https://w3id.org/stancegraph/id/harbour-guild"
    ]
    assert ruritania_guild["weight"] == 2  # on the plan and on its cost


def test_the_records_carry_both_nations(bulletin: KnowledgeGraph) -> None:
    officials = next(r for r in position_records(bulletin.store) if r.holder_label == "Port officials")
    assert officials.nation is None
    assert officials.inferred_nation_label == "Ruritania"
    assert roll_up([officials])[0].holder_label == "Port officials"
    assert roll_up([officials], inferred=True)[0].holder_label == "Ruritania"


def test_a_stakeholder_level_network_says_it_used_stated_links_only(kg: KnowledgeGraph) -> None:
    assert kg.network("two-mode").graph["basis"] == "stated"
    assert kg.network("congruence", inferred=True).graph["basis"] == "stated"  # nothing was rolled up


def test_the_seed_rolls_canadian_officials_up_exactly_as_far_as_the_coding_states(kg: KnowledgeGraph) -> None:
    # The article never says whose officials they are: the seed's coding keeps their membership of the
    # government in the /inferred graph (issue 16), and the roll-up stops at the officials unless asked.
    membership = kg.sparql(
        """PREFIX sg: <https://w3id.org/stancegraph/ontology#> PREFIX sgd: <https://w3id.org/stancegraph/id/>
        SELECT ?graph WHERE { GRAPH ?graph { sgd:canadian-officials sg:memberOf sgd:canadian-government } }"""
    )
    stated = any(not str(graph).endswith("/inferred") for graph in membership["graph"])
    assert not stated
    by_nation = kg.network("congruence", level="nation")
    assert by_nation.graph["basis"] == "stated"
    officials_as_canada = frozenset({"Canada", "Analysts"}) in labelled_edges(by_nation)
    assert officials_as_canada is stated
    with_inferred = build_network(kg.store, "congruence", level="nation", inferred=True)
    assert frozenset({"Canada", "Analysts"}) in labelled_edges(with_inferred)
    assert frozenset({"Canada", "Experts"}) in labelled_edges(with_inferred)
