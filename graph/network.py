"""Stakeholder networks from coded positions, the way Discourse Network Analyzer builds them.

A position says that a holder takes a stance, with a value from -2 to +2, on a
target. From the positions:

* the two-mode network links stakeholders to the targets they take positions on;
* the congruence network links two stakeholders who take a position of the same
  sign on a target (both for it, both against it, or both only weighing it);
* the conflict network links two whose positions on a target have opposite
  non-zero signs; the signed network is congruence minus conflict.

The algorithms are plain functions over networkx graphs, so a notebook can mix
them with anything in networkx. Node ids are IRI strings.

>>> records = [
...     PositionRecord("urn:p1", "urn:experts", "Experts", "urn:joining", "Joining", value=2),
...     PositionRecord("urn:p2", "urn:analysts", "Analysts", "urn:joining", "Joining", value=1),
... ]
>>> congruence = congruence_network(records)
>>> congruence.edges["urn:analysts", "urn:experts"]["targets"]
['urn:joining']
>>> conflict_network(records).graph["note"]
'no opposing positions in the sources'
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations, pairwise, product
from typing import Any, Literal

import networkx as nx
from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from graph.errors import NotFoundError, ValidationFailedError
from graph.namespaces import SG
from graph.results import select_rows
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

Normalization = Literal["none", "jaccard", "cosine"]
Measure = Literal["degree", "betweenness", "eigenvector"]
Level = Literal["stakeholder", "nation"]
Triple = tuple[str, str, str]

NO_CONFLICT_NOTE = "no opposing positions in the sources"
NO_CONGRUENCE_NOTE = "no shared stances in the sources"
MAX_PATH_HOPS = 8
"""How far :func:`connection` searches a store before it answers that there is no path."""


@dataclass(frozen=True)
class PositionRecord:
    """One coded position, flat: who holds which stance, with which value, on what.

    ``stance`` and ``attribution`` are concept names (the local part of their
    ``sg:`` IRI, e.g. ``supports``, ``reported``); the other ids are IRIs.
    ``nation`` is the nation the holder belongs to through ``sg:memberOf`` /
    ``sg:partOf`` (itself, for a nation), when there is one.
    """

    position: str
    holder: str
    holder_label: str
    target: str
    target_label: str
    stance: str = ""
    value: int = 0
    hedged: bool = False
    attribution: str = ""
    holder_type: str = ""
    target_type: str = ""
    nation: str | None = None
    nation_label: str | None = None


_POSITIONS_QUERY = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?position ?holder ?target ?stance ?value ?hedged ?attribution ?nation
       (MIN(?holderName) AS ?holderLabel) (MIN(?targetName) AS ?targetLabel)
       (MIN(STR(?holderClass)) AS ?holderType) (MIN(STR(?targetClass)) AS ?targetType)
       (MIN(?nationName) AS ?nationLabel)
WHERE {
  ?position sg:holder ?holder ; sg:target ?target ; sg:stance ?stance .
  OPTIONAL { ?position sg:stanceValue ?statedValue }
  OPTIONAL { ?stance sg:defaultValue ?defaultValue }
  BIND(COALESCE(?statedValue, ?defaultValue) AS ?value)
  FILTER(BOUND(?value))
  OPTIONAL { ?position sg:hedged ?hedged }
  OPTIONAL { ?position sg:attribution ?attribution }
  OPTIONAL { ?holder rdfs:label ?holderName }
  OPTIONAL { ?target rdfs:label ?targetName }
  OPTIONAL {
    ?holder a ?holderClass
    FILTER(STRSTARTS(STR(?holderClass), STR(sg:)) && ?holderClass != sg:Stakeholder)
  }
  OPTIONAL { ?target a ?targetClass FILTER(STRSTARTS(STR(?targetClass), STR(sg:))) }
  OPTIONAL {
    {
      # Starting from the nations keeps the path search small: a few nations, not every node.
      SELECT ?holder (MIN(STR(?someNation)) AS ?nationIri)
      WHERE { ?someNation a sg:Nation . ?holder (sg:memberOf|sg:partOf)* ?someNation }
      GROUP BY ?holder
    }
    BIND(IRI(?nationIri) AS ?nation)
    OPTIONAL { ?nation rdfs:label ?nationName }
  }
}
GROUP BY ?position ?holder ?target ?stance ?value ?hedged ?attribution ?nation
ORDER BY ?position
"""


def _local_name(iri: str) -> str:
    return iri.removeprefix(str(SG)).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri else ""


def position_records(store: Store) -> list[PositionRecord]:
    """Every position in the store as a flat record, fetched with one SPARQL query.

    A position with no ``sg:stanceValue`` takes its stance's ``sg:defaultValue``.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
    ...   INSERT DATA { <urn:p> sg:holder <urn:experts> ; sg:target <urn:joining> ;
    ...                 sg:stance sg:supports ; sg:stanceValue 2 ; sg:hedged true }''')
    >>> [(r.holder, r.stance, r.value, r.hedged) for r in position_records(store)]
    [('urn:experts', 'supports', 2, True)]
    """
    records = []
    for row in select_rows(store, _POSITIONS_QUERY):
        holder, target = str(row["holder"]), str(row["target"])
        records.append(
            PositionRecord(
                position=str(row["position"]),
                holder=holder,
                holder_label=str(row.get("holderLabel", holder)),
                target=target,
                target_label=str(row.get("targetLabel", target)),
                stance=_local_name(str(row["stance"])),
                value=int(row["value"].toPython()),  # type: ignore[union-attr]
                hedged=bool(row["hedged"].toPython()) if "hedged" in row else False,  # type: ignore[union-attr]
                attribution=_local_name(str(row.get("attribution", ""))),
                holder_type=_local_name(str(row.get("holderType", ""))),
                target_type=_local_name(str(row.get("targetType", ""))),
                nation=str(row["nation"]) if "nation" in row else None,
                nation_label=str(row["nationLabel"]) if "nationLabel" in row else None,
            )
        )
    return records


def roll_up(records: Iterable[PositionRecord], level: Level = "nation") -> list[PositionRecord]:
    """The records with each holder replaced by the group it belongs to.

    At ``level="nation"`` a holder becomes its nation (the Canadian officials,
    members of the Canadian government, which is part of Canada, become
    Canada); a holder with no nation stays itself. ``"stakeholder"`` changes
    nothing.

    >>> officials = PositionRecord("urn:p", "urn:officials", "Officials", "urn:t", "T",
    ...                            nation="urn:canada", nation_label="Canada")
    >>> [(r.holder, r.holder_label) for r in roll_up([officials])]
    [('urn:canada', 'Canada')]
    """
    if level not in ("stakeholder", "nation"):
        raise ValidationFailedError(f"unknown roll-up level {level!r} (valid: stakeholder, nation)")
    if level == "stakeholder":
        return list(records)
    return [
        replace(
            record,
            holder=record.nation,
            holder_label=record.nation_label or record.nation,
            holder_type="Nation",
        )
        if record.nation
        else record
        for record in records
    ]


def two_mode_network(records: Iterable[PositionRecord]) -> nx.MultiGraph:
    """The stakeholder x target network: one edge per position, keyed by the position's IRI.

    Nodes carry ``label``, ``kind`` (``stakeholder`` or ``target``),
    ``type`` (their class) and ``bipartite`` (0 or 1); edges carry
    ``stance``, ``value``, ``hedged``, ``attribution`` and ``position``.

    >>> graph = two_mode_network([PositionRecord("urn:p", "urn:a", "A", "urn:t", "T", "supports", 2)])
    >>> graph.nodes["urn:a"]["bipartite"], graph.edges["urn:a", "urn:t", "urn:p"]["value"]
    (0, 2)
    """
    graph = nx.MultiGraph(name="stakeholder x target")
    records = list(records)
    for record in records:
        graph.add_node(
            record.holder, label=record.holder_label, kind="stakeholder", type=record.holder_type, bipartite=0
        )
    for record in records:
        if record.target not in graph:  # a node that is both keeps its stakeholder side
            graph.add_node(
                record.target, label=record.target_label, kind="target", type=record.target_type, bipartite=1
            )
    for record in records:
        graph.add_edge(
            record.holder,
            record.target,
            key=record.position,
            stance=record.stance,
            value=record.value,
            hedged=record.hedged,
            attribution=record.attribution,
            position=record.position,
        )
    return graph


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def _one_mode(records: Iterable[PositionRecord], relation: str, normalization: Normalization) -> nx.Graph:
    if normalization not in ("none", "jaccard", "cosine"):
        raise ValidationFailedError(f"unknown normalization {normalization!r} (valid: none, jaccard, cosine)")
    graph = nx.Graph(name=f"{relation} network", relation=relation, normalization=normalization)
    signs: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))  # target -> holder -> signs
    targets_of: dict[str, set[str]] = defaultdict(set)
    target_labels: dict[str, str] = {}
    for record in records:
        graph.add_node(record.holder, label=record.holder_label, kind="stakeholder", type=record.holder_type)
        signs[record.target][record.holder].add(_sign(record.value))
        targets_of[record.holder].add(record.target)
        target_labels[record.target] = record.target_label
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    # Per target, not per pair of holders: the work grows with the positions, not with holders squared.
    for target, by_holder in signs.items():
        for first, second in combinations(sorted(by_holder), 2):
            pairs = product(by_holder[first], by_holder[second])
            if relation == "congruence":
                related = any(a == b for a, b in pairs)
            else:
                related = any(a == -b != 0 for a, b in pairs)
            if related:
                shared[first, second].add(target)
    for (first, second), targets in shared.items():
        count = len(targets)
        if normalization == "jaccard":
            weight: float = count / len(targets_of[first] | targets_of[second])
        elif normalization == "cosine":
            weight = count / math.sqrt(len(targets_of[first]) * len(targets_of[second]))
        else:
            weight = count
        ordered = sorted(targets)
        graph.add_edge(
            first, second, weight=weight, targets=ordered, target_labels=[target_labels[t] for t in ordered]
        )
    if graph.number_of_edges() == 0:
        graph.graph["note"] = NO_CONGRUENCE_NOTE if relation == "congruence" else NO_CONFLICT_NOTE
    return graph


def congruence_network(records: Iterable[PositionRecord], normalization: Normalization = "none") -> nx.Graph:
    """Stakeholders linked when they take positions of the same sign on a target.

    The edge ``weight`` counts the targets they agree on (``none``), divided
    by the targets either takes a position on (``jaccard``) or by the
    geometric mean of their target counts (``cosine``); ``targets`` lists
    them. Value 0 counts as a sign, as DNA counts equal qualifiers: two holders
    who both only weigh a target are congruent on it. With no edge at all,
    ``graph.graph["note"]`` says so.

    >>> records = [PositionRecord("urn:1", "urn:a", "A", "urn:t", "T", value=2),
    ...            PositionRecord("urn:2", "urn:b", "B", "urn:t", "T", value=1),
    ...            PositionRecord("urn:3", "urn:b", "B", "urn:u", "U", value=1)]
    >>> congruence_network(records, "jaccard").edges["urn:a", "urn:b"]["weight"]
    0.5
    """
    return _one_mode(records, "congruence", normalization)


def conflict_network(records: Iterable[PositionRecord], normalization: Normalization = "none") -> nx.Graph:
    """Stakeholders linked when their positions on a target have opposite non-zero signs.

    Weights and normalization as in :func:`congruence_network`. An empty
    network is a finding, not an error: ``graph.graph["note"]`` then reads
    :data:`NO_CONFLICT_NOTE`.

    >>> records = [PositionRecord("urn:1", "urn:a", "A", "urn:t", "T", value=2),
    ...            PositionRecord("urn:2", "urn:b", "B", "urn:t", "T", value=-2)]
    >>> conflict_network(records).edges["urn:a", "urn:b"]["weight"]
    1
    """
    return _one_mode(records, "conflict", normalization)


def signed_network(records: Iterable[PositionRecord], normalization: Normalization = "none") -> nx.Graph:
    """Congruence minus conflict: edge ``weight`` is positive where agreement prevails.

    Each edge keeps its ``congruence`` and ``conflict`` weights and their
    target lists (``agreed_targets``, ``opposed_targets``).

    >>> records = [PositionRecord("urn:1", "urn:a", "A", "urn:t", "T", value=2),
    ...            PositionRecord("urn:2", "urn:b", "B", "urn:t", "T", value=-1)]
    >>> signed_network(records).edges["urn:a", "urn:b"]["weight"]
    -1
    """
    records = list(records)
    congruence = congruence_network(records, normalization)
    conflict = conflict_network(records, normalization)
    graph = nx.Graph(name="signed network", relation="signed", normalization=normalization)
    graph.add_nodes_from(congruence.nodes(data=True))
    for first, second in set(congruence.edges) | set(conflict.edges):
        agreed = congruence.get_edge_data(first, second, {"weight": 0, "targets": []})
        opposed = conflict.get_edge_data(first, second, {"weight": 0, "targets": []})
        graph.add_edge(
            first,
            second,
            weight=agreed["weight"] - opposed["weight"],
            congruence=agreed["weight"],
            conflict=opposed["weight"],
            agreed_targets=agreed["targets"],
            opposed_targets=opposed["targets"],
        )
    if "note" in conflict.graph:
        graph.graph["note"] = conflict.graph["note"]
    return graph


def _simple(graph: nx.Graph) -> nx.Graph:
    # Parallel edges (several positions on one target) become one edge weighted by their number.
    if not graph.is_multigraph():
        return graph
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for first, second in graph.edges():
        if simple.has_edge(first, second):
            simple[first][second]["weight"] += 1
        else:
            simple.add_edge(first, second, weight=1)
    return simple


def _eigenvector(graph: nx.Graph, weight: str | None) -> dict[str, float]:
    # Eigenvector centrality is defined for a connected graph only: each component is scored on
    # its own (unit norm within it), and a node with no edge scores 0.
    scores = dict.fromkeys(graph, 0.0)
    for component in nx.connected_components(graph):
        if len(component) > 1:
            scores.update(nx.eigenvector_centrality(graph.subgraph(component), max_iter=1000, weight=weight))
    return scores


def centrality(graph: nx.Graph, measure: Measure = "degree", weight: str | None = None) -> dict[str, float]:
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
    simple = _simple(graph)
    if measure == "degree":
        return nx.degree_centrality(simple) if len(simple) > 1 else dict.fromkeys(simple, 0.0)
    if measure == "betweenness":
        return nx.betweenness_centrality(simple, weight=weight)
    if measure == "eigenvector":
        return _eigenvector(simple, weight)
    raise ValidationFailedError(
        f"unknown centrality measure {measure!r} (valid: degree, betweenness, eigenvector)"
    )


def communities(graph: nx.Graph, seed: int = 0) -> list[set[str]]:
    """Communities by Louvain modularity, largest first; every node belongs to one.

    Only positive ties bind a community, so in a signed network conflict
    edges are left out. ``seed`` makes the result repeatable.

    >>> graph = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> [sorted(community) for community in communities(graph)]
    [['a', 'b', 'c'], ['x', 'y']]
    """
    ties = nx.Graph()
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
    links = nx.Graph()
    for subject, predicate, value in sorted(graph):
        # The first triple in sort order names the link, so the answer does not vary between runs.
        linking = predicate != RDF.type and isinstance(value, URIRef) and subject != value
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
        hub_nodes = {s for hub in HUB_TYPES for s in graph.subjects(RDF.type, hub)}
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


def _graphml_value(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return " | ".join(str(item) for item in value)
    return value


def to_node_link(graph: nx.Graph) -> dict[str, Any]:
    """The graph as node-link JSON: ``nodes``, ``links`` and the graph's own attributes under ``graph``.

    >>> data = to_node_link(nx.Graph([("a", "b")], note="x"))
    >>> data["links"], data["graph"]
    ([{'source': 'a', 'target': 'b'}], {'note': 'x'})
    """
    return nx.node_link_data(graph, edges="links")


def to_graphml(graph: nx.Graph) -> bytes:
    """The graph as GraphML (for Gephi, Cytoscape, yEd), lists flattened to ``" | "``-joined text.

    GraphML holds scalar attributes only; ``None`` values are left out.

    >>> graph = nx.Graph()
    >>> graph.add_edge("a", "b", targets=["t1", "t2"])
    >>> nx.parse_graphml(to_graphml(graph)).edges["a", "b"]["targets"]
    't1 | t2'
    """
    clean = graph.__class__()
    clean.graph.update({k: _graphml_value(v) for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        clean.add_node(node, **{k: _graphml_value(v) for k, v in data.items() if v is not None})
    edges: Sequence[tuple[Any, ...]] = (
        list(graph.edges(keys=True, data=True)) if graph.is_multigraph() else list(graph.edges(data=True))
    )
    for *ends, data in edges:
        clean.add_edge(*ends, **{k: _graphml_value(v) for k, v in data.items() if v is not None})
    return "\n".join(nx.generate_graphml(clean, prettyprint=True)).encode("utf-8")
