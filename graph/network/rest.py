"""Networks as the web service answers them: node-link JSON whose nodes are REST ids, IRIs beside.

Every answer repeats what the network was built on (``note``, ``undated``,
``neutral``, ``basis``), so a client reading only the JSON knows why a network is
empty and what it counted.

>>> import networkx as nx
>>> graph = nx.Graph(note="no opposing positions in the sources")
>>> graph.add_edge("https://w3id.org/stancegraph/id/canada", "https://w3id.org/stancegraph/id/analysts")
>>> answer = node_link(graph, "conflict")
>>> [node["id"] for node in answer["nodes"]], answer["links"][0]["target"], answer["note"]
(['canada', 'analysts'], 'analysts', 'no opposing positions in the sources')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from graph.moments import instant_text
from graph.network.choices import Kind
from graph.network.io import to_node_link
from graph.read.names import identifier

if TYPE_CHECKING:
    import networkx as nx

    from graph.network.time import WindowedNetworks

# Attributes holding IRIs of entities, shown as REST ids like the node ids.
_ID_ATTRIBUTES = ("source", "target", "position", "key", "document", "holder")
_ID_LIST_ATTRIBUTES = ("targets", "agreed_targets", "opposed_targets")
_BASIS = ("note", "undated", "neutral", "basis")


def _show_ids(data: dict[str, Any], ids: Callable[[str], str]) -> dict[str, Any]:
    # In place: node_link_data made every link's dict afresh.
    for key in _ID_ATTRIBUTES:
        if isinstance(data.get(key), str):
            data[key] = ids(data[key])
    for key in _ID_LIST_ATTRIBUTES:
        if isinstance(data.get(key), list | tuple):
            data[key] = [ids(item) for item in data[key]]
    return data


def _basis(graph: nx.Graph[str]) -> dict[str, Any]:
    return {key: graph.graph.get(key) for key in _BASIS}


def node_link(graph: nx.Graph[str], kind: str) -> dict[str, Any]:
    """The network as node-link JSON: ``nodes`` (id, iri, label, kind, ...), ``links`` and the ``note``."""
    data = to_node_link(graph)
    # Each IRI made an id once: the 285k links of a large network name a few thousand entities.
    ids = cache(identifier)
    return {
        "kind": kind,
        "directed": data["directed"],
        "multigraph": data["multigraph"],
        "nodes": [{**node, "id": ids(node["id"]), "iri": node["id"]} for node in data["nodes"]],
        "links": [_show_ids(link, ids) for link in data["links"]],
        **_basis(graph),
    }


def windows_json(series: WindowedNetworks, *, include_neutral: bool, basis: str) -> dict[str, Any]:
    """A network per moving window; the series says the kind and the rest once, each window its
    ``start``, ``end``, ``midpoint``, ``positions`` and its ``nodes``, ``links`` and ``note``.
    ``neutral`` is whether neutral positions could agree: None for kinds without agreement."""
    kind = series.kind.value
    windows = []
    for found in series.windows:
        network = node_link(found.network, kind)
        windows.append(
            {
                "start": instant_text(found.start),
                "end": instant_text(found.end),
                "midpoint": instant_text(found.midpoint),
                "positions": found.positions,
                **{key: network[key] for key in ("nodes", "links", "note")},
            }
        )
    return {
        "kind": kind,
        "kernel": series.kernel.value,
        "duplicates": series.duplicates.value,
        "undated": series.undated,
        "neutral": include_neutral if series.kind in (Kind.congruence, Kind.signed) else None,
        "basis": basis,
        "windows": windows,
    }


def _node(graph: nx.Graph[str], node: str) -> dict[str, Any]:
    return {"id": identifier(node), "iri": node, "label": graph.nodes[node].get("label")}


def scores_json(graph: nx.Graph[str], kind: str, measure: str, scores: dict[str, float]) -> dict[str, Any]:
    """Centrality scores, highest first (ties by IRI), each node as an id, its IRI and label."""
    ranked = sorted(scores, key=lambda node: (-scores[node], node))
    return {
        "kind": kind,
        "measure": measure,
        "scores": [{**_node(graph, node), "score": scores[node]} for node in ranked],
        **_basis(graph),
    }


def communities_json(graph: nx.Graph[str], kind: str, found: Iterable[Iterable[str]]) -> dict[str, Any]:
    """Communities in the order given, each a list of nodes (id, IRI, label) sorted by IRI."""
    return {
        "kind": kind,
        "communities": [[_node(graph, node) for node in sorted(community)] for community in found],
        **_basis(graph),
    }
