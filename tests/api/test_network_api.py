"""/network on the Golden Dome data, through a real uvicorn on loopback."""

from __future__ import annotations

import io
from typing import Any

import httpx
import networkx as nx
import pytest

from graph.namespaces import SGD

SEED_CONFLICT_NOTE = (
    "no two coded positions take opposite sides on one target "
    "(25 positions coded, 3 concerns with no identified holder); absence of coded opposition is not consensus"
)
"""What the seed's empty conflict network says: what was coded, and that no opposition is no consensus."""

FAVOURABLE = {"Canadian officials", "Experts", "Analysts"}


@pytest.fixture(scope="module")
def client(golden_dome_client: httpx.Client) -> httpx.Client:
    return golden_dome_client


def network(client: httpx.Client, url: str, **params: str) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def labelled_links(body: dict[str, Any]) -> set[frozenset[str]]:
    label = {node["id"]: node["label"] for node in body["nodes"]}
    return {frozenset((label[link["source"]], label[link["target"]])) for link in body["links"]}


def test_officials_experts_and_analysts_agree(client: httpx.Client) -> None:
    congruence = network(client, "/network/congruence")
    assert congruence["directed"] is False
    links = labelled_links(congruence)
    for first in FAVOURABLE:
        for second in FAVOURABLE - {first}:
            assert frozenset((first, second)) in links
    experts_analysts = next(
        link for link in congruence["links"] if {link["source"], link["target"]} == {"experts", "analysts"}
    )
    assert experts_analysts["targets"] == ["canada-joins-golden-dome"]
    assert experts_analysts["weight"] == 1
    assert congruence["note"] is None


def test_the_conflict_network_is_empty_with_a_note(client: httpx.Client) -> None:
    conflict = network(client, "/network/conflict")
    assert conflict["links"] == []
    assert conflict["note"] == SEED_CONFLICT_NOTE
    assert {node["label"] for node in conflict["nodes"]} >= FAVOURABLE
    signed = network(client, "/network/signed")
    assert all(link["weight"] > 0 for link in signed["links"])
    assert signed["note"] == SEED_CONFLICT_NOTE


def test_the_two_mode_network_carries_stances(client: httpx.Client) -> None:
    two_mode = network(client, "/network/two-mode")
    assert two_mode["multigraph"] is True
    kinds = {node["label"]: node["kind"] for node in two_mode["nodes"]}
    assert kinds["Experts"] == "stakeholder"
    assert kinds["Canada joins Golden Dome"] == "target"
    experts = next(link for link in two_mode["links"] if link["source"] == "experts")
    assert (experts["target"], experts["stance"], experts["value"]) == (
        "canada-joins-golden-dome",
        "supports",
        2,
    )
    assert experts["position"] == "experts-support-joining"
    assert len(two_mode["links"]) == 25


def test_normalization_and_roll_up_to_nations(client: httpx.Client) -> None:
    jaccard = network(client, "/network/congruence", normalization="jaccard")
    assert all(0 < link["weight"] <= 1 for link in jaccard["links"])
    nations = network(client, "/network/congruence", level="nation")
    labels = {node["label"] for node in nations["nodes"]}
    assert "Canada" in labels
    # Whose officials they are the text does not say: they roll up to Canada only when asked for inferred.
    assert labels & {"Canadian officials", "Canadian government"} == {"Canadian officials"}
    inferred = network(client, "/network/congruence", level="nation", inferred="true")
    assert not {node["label"] for node in inferred["nodes"]} & {"Canadian officials", "Canadian government"}


def test_graphml_loads_in_networkx(client: httpx.Client) -> None:
    for response in (
        client.get("/network/congruence", params={"format": "graphml"}),
        client.get("/network/congruence", headers={"Accept": "application/graphml+xml"}),
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/graphml+xml")
        graph = nx.read_graphml(io.BytesIO(response.content))
        labels = {data["label"] for _, data in graph.nodes(data=True)}
        assert labels >= FAVOURABLE
        assert graph.has_edge(str(SGD.experts), str(SGD.analysts))
    empty = client.get("/network/conflict", params={"format": "graphml"})
    assert nx.read_graphml(io.BytesIO(empty.content)).number_of_edges() == 0


def test_centrality_and_communities(client: httpx.Client) -> None:
    for measure in ("degree", "betweenness", "eigenvector"):
        scores = network(client, "/network/congruence/centrality", measure=measure)["scores"]
        assert [score["score"] for score in scores] == sorted(
            (score["score"] for score in scores), reverse=True
        )
    degree = {s["label"]: s["score"] for s in network(client, "/network/congruence/centrality")["scores"]}
    assert degree["Experts"] > degree["Stakeholders on both sides of the border"]
    communities = network(client, "/network/congruence/communities")["communities"]
    favourable = next(c for c in communities if "experts" in {member["id"] for member in c})
    assert {member["label"] for member in favourable} >= FAVOURABLE
    assert network(client, "/network/conflict/communities")["note"] == SEED_CONFLICT_NOTE


def test_how_two_entities_are_connected(client: httpx.Client) -> None:
    path = network(client, "/network/path", **{"from": "canada", "to": "golden-dome"})
    assert [node["label"] for node in path["nodes"]] == ["Canada", "Canada joins Golden Dome", "Golden Dome"]
    assert len(path["triples"]) == 2
    assert all(len(triple) == 3 for triple in path["triples"])
    response = client.get("/network/path", params={"from": "canada", "to": "atlantis"})
    assert response.status_code == 404
    assert "atlantis" in response.json()["message"]


def test_bad_parameters_are_422_naming_them(client: httpx.Client) -> None:
    for url, parameter in (
        ("/network/friendship", "kind"),
        ("/network/congruence?normalization=pearson", "normalization"),
        ("/network/congruence?level=planet", "level"),
        ("/network/congruence/centrality?measure=fame", "measure"),
    ):
        response = client.get(url)
        assert response.status_code == 422, url
        assert parameter in response.json()["message"], url
