"""Analyses of a network: centrality, communities, and how two entities are connected.

Plain functions over networkx graphs, so a notebook can mix them with anything
in networkx; :func:`connection` searches the RDF graph itself (a store, or an
rdflib graph) for the shortest path between two entities, with its triples.

>>> graph = nx.Graph([("a", "b"), ("b", "c"), ("x", "y")])
>>> centrality(graph, Measure.degree)["b"]
0.5
>>> [sorted(community) for community in communities(graph)]
[['a', 'b', 'c'], ['x', 'y']]
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING

from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from graph._lazy import lazy_module
from graph.errors import NotFoundError
from graph.network.choices import Measure, choose
from graph.stores.base import Store
from graph.subgraph import (
    HUB_TYPES,
    adjacent_triples,
    hubs,
    linked_nodes,
    node_label,
    require,
    resolve,
    types_and_labels,
)

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = lazy_module("networkx")  # only the analyses need it, not every process importing this module

Triple = tuple[str, str, str]

MAX_PATH_HOPS = 8
"""How far :func:`connection` searches a store before it answers that there is no path."""


def _simple(graph: nx.Graph[str]) -> nx.Graph[str]:
    # Parallel edges (several positions on one target) become one edge weighted by their number.
    if not graph.is_multigraph():
        return graph
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for first, second in graph.edges():
        if simple.has_edge(first, second):
            simple[first][second]["weight"] += 1
        else:
            simple.add_edge(first, second, weight=1)
    return simple


def _eigenvector(graph: nx.Graph[str], weight: str | None) -> dict[str, float]:
    # Eigenvector centrality is defined for a connected graph only: each component is scored on
    # its own (unit norm within it), and a node with no edge scores 0.
    scores = dict.fromkeys(graph, 0.0)
    for component in nx.connected_components(graph):
        if len(component) > 1:
            scores.update(nx.eigenvector_centrality(graph.subgraph(component), max_iter=1000, weight=weight))
    return scores


def centrality(
    graph: nx.Graph[str], measure: Measure = Measure.degree, weight: str | None = None
) -> dict[str, float]:
    """Centrality of every node: ``degree``, ``betweenness`` or ``eigenvector``.

    Unweighted unless ``weight`` names an edge attribute (betweenness reads it
    as a distance). Eigenvector centrality is computed per connected component,
    so a disconnected or edgeless graph gets scores rather than an error.

    >>> graph = nx.Graph([("a", "b"), ("b", "c")])
    >>> centrality(graph, "betweenness")
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    >>> graph.add_node("alone")
    >>> centrality(graph, "eigenvector")["alone"]
    0.0
    """
    chosen = choose(Measure, measure, "centrality measure")
    simple = _simple(graph)
    if chosen is Measure.degree:
        return nx.degree_centrality(simple) if len(simple) > 1 else dict.fromkeys(simple, 0.0)
    if chosen is Measure.betweenness:
        return nx.betweenness_centrality(simple, weight=weight)
    return _eigenvector(simple, weight)


def communities(graph: nx.Graph[str], seed: int = 0) -> list[set[str]]:
    """Communities by Louvain modularity, largest first; every node belongs to one.

    Only positive ties bind a community, so in a signed network conflict
    edges are left out. ``seed`` makes the result repeatable.

    >>> graph = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> [sorted(community) for community in communities(graph)]
    [['a', 'b', 'c'], ['x', 'y']]
    """
    ties: nx.Graph[str] = nx.Graph()
    ties.add_nodes_from(graph)
    for first, second, weight in _simple(graph).edges(data="weight", default=1):
        if weight > 0:
            ties.add_edge(first, second, weight=weight)
    found = nx.community.louvain_communities(ties, weight="weight", seed=seed) if len(ties) else []
    return sorted((set(community) for community in found), key=lambda c: (-len(c), min(c)))


@dataclass(frozen=True)
class Connection:
    """How two nodes are connected: the nodes of a shortest path and the RDF triples along it.

    ``triples`` are oriented as stored (subject, predicate, object), so a step
    may run against the arrow; ``message`` explains an empty path.
    """

    source: str
    target: str
    nodes: list[str]
    triples: list[Triple]
    labels: dict[str, str]
    message: str | None = None


def _path(graph: Graph, source: URIRef, target: URIRef, hub_nodes: Collection[Node]) -> Connection:
    links: nx.Graph[Node] = nx.Graph()
    for subject, predicate, value in sorted(graph):
        # The first triple in sort order names the link, so the answer does not vary between runs.
        # Only between IRIs: a blank node has no name a path could show or a later query bind.
        linking = predicate != RDF.type and isinstance(subject, URIRef) and isinstance(value, URIRef)
        linking = linking and subject != value
        if linking and not links.has_edge(subject, value):
            links.add_edge(subject, value, triple=(str(subject), str(predicate), str(value)))
    passable = links.subgraph([node for node in links if node not in hub_nodes or node in (source, target)])
    try:
        nodes = nx.shortest_path(passable, source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return Connection(str(source), str(target), [], [], {}, f"{source} and {target} are not connected")
    steps = [passable.edges[first, second]["triple"] for first, second in pairwise(nodes)]
    return Connection(str(source), str(target), [str(node) for node in nodes], steps, {})


def connection(store_or_graph: Store | Graph, source: str, target: str) -> Connection:
    """How is ``source`` connected to ``target`` (ids or IRIs)? The shortest path over the RDF graph.

    Links run either way along object-valued triples; rdf:type links, the
    ontology's own triples and passage through hubs (documents, concept
    schemes, stance concepts: everything is mentioned in the document) are
    left out. A store is searched outwards from ``source``, one query per hop,
    up to :data:`MAX_PATH_HOPS`. NotFoundError names an endpoint that does not
    exist; endpoints with no path give an empty path and a ``message``.

    >>> g = Graph().parse(format="turtle", data='''@prefix sg: <https://w3id.org/stancegraph/ontology#> .
    ...   <urn:proposal> sg:participant <urn:canada> ; sg:program <urn:golden-dome> .''')
    >>> connection(g, "urn:canada", "urn:golden-dome").nodes
    ['urn:canada', 'urn:proposal', 'urn:golden-dome']
    """
    if isinstance(store_or_graph, Graph):
        graph = store_or_graph
        start, goal = resolve(source), resolve(target)
        for endpoint, name in ((start, source), (goal, target)):
            if (endpoint, None, None) not in graph and (None, None, endpoint) not in graph:
                raise NotFoundError(f"no entity {name!r} in the graph")
        hub_nodes: Collection[Node] = {s for hub in HUB_TYPES for s in graph.subjects(RDF.type, hub)}
        found = _path(graph, start, goal, hub_nodes)
        described = graph
    else:
        store = store_or_graph
        start, goal = require(store, source), require(store, target)
        ball, hub_nodes = _search(store, start, goal)
        found = _path(ball, start, goal, hub_nodes)
        if not found.nodes:
            found = replace(
                found, message=f"{source} and {target} are not connected within {MAX_PATH_HOPS} hops"
            )
        described = types_and_labels(store, [URIRef(node) for node in found.nodes])
    return replace(found, labels={node: node_label(described, URIRef(node)) for node in found.nodes})


def _search(store: Store, start: URIRef, goal: URIRef) -> tuple[Graph, set[URIRef]]:
    # Breadth first from the start, one query per hop, until the goal is reached: the ball holds
    # every triple of every expanded node, so a shortest path within it is a shortest path overall.
    ball = Graph()
    reached, frontier, hub_nodes = {start}, {start}, set()
    for _ in range(MAX_PATH_HOPS):
        if goal in reached or not frontier:
            break
        frontier_hubs = hubs(store, frontier) - {start}
        hub_nodes |= frontier_hubs
        ball += adjacent_triples(store, frontier - frontier_hubs)
        frontier = linked_nodes(ball) - reached
        reached |= frontier
    hub_nodes |= hubs(store, {goal})
    return ball, hub_nodes
