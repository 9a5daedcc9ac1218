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
('urn:joining',)
>>> conflict_network(records).graph["note"]
'no opposing positions in the sources'
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from itertools import combinations, pairwise, product
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from graph._lazy import lazy_module
from graph.errors import NotFoundError, ValidationFailedError
from graph.namespaces import SG
from graph.results import as_boolean, as_integer, from_oxigraph
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

Normalization = Literal["none", "jaccard", "cosine"]
Measure = Literal["degree", "betweenness", "eigenvector"]
Level = Literal["stakeholder", "nation"]
Triple = tuple[str, str, str]

NO_CONFLICT_NOTE = "no opposing positions in the sources"
NO_CONGRUENCE_NOTE = "no shared stances in the sources"
MAX_PATH_HOPS = 8
"""How far :func:`connection` searches a store before it answers that there is no path."""


class PositionRecord(NamedTuple):
    """One coded position, flat: who holds which stance, with which value, on what.

    ``stance`` and ``attribution`` are concept names (the local part of their
    ``sg:`` IRI, e.g. ``supports``, ``reported``); the other ids are IRIs.
    ``value`` and ``hedged`` are shown as stored: one that is not a well-formed
    integer (boolean) is its text (:func:`graph.results.as_integer`), and a
    record whose value is not an integer takes no part in the one-mode networks.
    ``nation`` is the nation the holder belongs to through ``sg:memberOf`` /
    ``sg:partOf`` (itself, for a nation), when there is one. A named tuple: a
    store holds tens of thousands of positions, and a tuple is made several
    times quicker than a frozen dataclass.
    """

    position: str
    holder: str
    holder_label: str
    target: str
    target_label: str
    stance: str = ""
    value: int | str = 0
    hedged: bool | str = False
    attribution: str = ""
    holder_type: str = ""
    target_type: str = ""
    nation: str | None = None
    nation_label: str | None = None


_PREFIXES = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

_TSV = "text/tab-separated-values"
_SG = str(SG)
_STAKEHOLDER = str(SG.Stakeholder)

# A position's properties, in the order of the slots its values are sorted into.
_POSITION_PROPERTIES = ("holder", "target", "stance", "stanceValue", "hedged", "attribution")
_ENTITIES = ("holder", "target")

# Every value a position property takes, once: each gets a code, its index in the answer.
_PROPERTY_VALUES_QUERY = (
    _PREFIXES
    + """
SELECT DISTINCT ?property ?value WHERE {
  VALUES ?property { sg:holder sg:target sg:stance sg:stanceValue sg:hedged sg:attribution }
  ?position ?property ?value
}"""
)

# Each position once, with the codes of its values: one index scan per property, grouped by
# position in the engine. Oxigraph reads the text of every IRI it writes out from RocksDB (a lookup
# each): this way a position's IRI is read once, not once per property, and a holder's or target's
# not once per position. For 34k positions on disk: 0.4 s of engine time, against 1 s for one
# scan per property joined in Python and 1.8 s for one join of all the properties.
_POSITIONS_QUERY = (
    _PREFIXES + "SELECT ?position (GROUP_CONCAT(?code) AS ?codes) WHERE {\n  %s\n}\nGROUP BY ?position"
)
_PROPERTY_BRANCH = "{ VALUES (?value ?code) { %s } ?position sg:%s ?value }"

# The labels and classes of holders and targets: asked beside the two queries above.
_NODES_QUERY = (
    _PREFIXES
    + """
SELECT ?node ?name ?class WHERE {
  { SELECT DISTINCT ?node WHERE { VALUES ?property { sg:holder sg:target } ?position ?property ?node } }
  OPTIONAL { ?node rdfs:label ?name }
  OPTIONAL { ?node a ?class }
}"""
)

_DEFAULT_VALUES_QUERY = _PREFIXES + "SELECT ?stance ?value WHERE { ?stance sg:defaultValue ?value }"

# Starting from the nations keeps the path search small: a few nations, not every node.
_NATIONS_QUERY = (
    _PREFIXES
    + """
SELECT ?holder (MIN(STR(?someNation)) AS ?nation)
WHERE { ?someNation a sg:Nation . ?holder (sg:memberOf|sg:partOf)* ?someNation }
GROUP BY ?holder
"""
)

# Apart from the nations query: joined with it, the label lookup took seconds, not milliseconds.
_NATION_LABELS_QUERY = (
    _PREFIXES
    + """
SELECT ?nation (MIN(?name) AS ?label)
WHERE { ?nation a sg:Nation OPTIONAL { ?nation rdfs:label ?name } }
GROUP BY ?nation
"""
)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    # Building a network allocates hundreds of thousands of dicts, lists and tuples that form no
    # cycles: the cyclic collector ran over all of them again and again, half the build time on
    # a million triples. Reference counting frees them all the same.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@lru_cache(maxsize=1024)  # a handful of classes and concepts, met again on every record
def _local_name(iri: str) -> str:
    return iri.removeprefix(_SG).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri else ""


def _solutions(store: Store, sparql: str) -> ox.QuerySolutions:
    # TSV parsed by pyoxigraph, not SPARQL JSON turned into rdflib terms: tens of thousands of rows
    # want plain strings. Not CSV: Oxigraph writes an IRI holding a comma unquoted there.
    body = store.query(sparql, results_media_type=_TSV).read()
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)  # type: ignore[return-value]


def _rows(store: Store, sparql: str) -> list[dict[str, str]]:
    # The rows of a SELECT as plain strings; an unbound variable is left out.
    solutions = _solutions(store, sparql)
    names = [variable.value for variable in solutions.variables]
    return [
        {name: term.value for name, term in zip(names, solution, strict=True) if term is not None}
        for solution in solutions
    ]


def _concept(term: ox.NamedNode | ox.Literal) -> str:
    # A concept by its local name; a literal where a concept belongs as stored.
    return _local_name(term.value) if isinstance(term, ox.NamedNode) else term.value


def _property_values(store: Store) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
    # Blank nodes are left out here rather than by a FILTER, which cost 0.4 s on a million triples:
    # the positions query names each value in VALUES, where no blank node may stand. So are literal
    # holders and targets: a network's nodes are entities.
    found = []
    for prop, value in _solutions(store, _PROPERTY_VALUES_QUERY):
        name = _local_name(prop.value)
        if isinstance(value, ox.NamedNode) or (isinstance(value, ox.Literal) and name not in _ENTITIES):
            found.append((name, value))
    return found


def _coded_positions(
    store: Store, pairs: list[tuple[str, ox.NamedNode | ox.Literal]]
) -> list[tuple[str, set[str]]]:
    # Each position with the codes of its values (a set: a triple stated in two graphs counts once).
    values: dict[str, list[str]] = defaultdict(list)
    for code, (name, value) in enumerate(pairs):
        values[name].append(f'({value} "{code}")')
    if not values:
        return []
    branches = "\n  UNION ".join(_PROPERTY_BRANCH % (" ".join(terms), name) for name, terms in values.items())
    return [
        (position.value, set(codes.value.split(" ")))
        for position, codes in _solutions(store, _POSITIONS_QUERY % branches)
    ]


def _labels_and_classes(store: Store) -> tuple[dict[str, str], dict[str, set[str]]]:
    # The least label of each holder and target (in string order, so it never varies), and its classes.
    labels: dict[str, str] = {}
    classes: dict[str, set[str]] = defaultdict(set)
    for node, name, cls in _solutions(store, _NODES_QUERY):
        if isinstance(name, ox.BlankNode):  # names nothing a reader could see
            name = None
        if name is not None and (node.value not in labels or name.value < labels[node.value]):
            labels[node.value] = name.value
        if cls is not None:
            classes[node.value].add(cls.value)
    return labels, classes


def _default_values(store: Store) -> dict[str, list[int | str]]:
    # Each stance's default values, as stored when they are not integers. Read in the thread that
    # asked: pyoxigraph's solutions may not cross threads.
    defaults: dict[str, list[int | str]] = defaultdict(list)
    for stance, value in _solutions(store, _DEFAULT_VALUES_QUERY):
        defaults[stance.value].append(as_integer(from_oxigraph(value)))
    return defaults


def _records(
    positions: list[tuple[str, set[str]]], meanings: dict[str, tuple[int, Any]]
) -> list[PositionRecord]:
    # The records of coded positions; a code means a slot (a property) and a value made ready for
    # the record: a holder's or target's fields, a stance's name and default values, or a value.
    records = []
    with _cycle_collection_paused():
        for position, codes in sorted(positions):
            slots: tuple[list[Any], ...] = ([], [], [], [], [], [])  # one per _POSITION_PROPERTIES
            for code in codes:
                slot, value = meanings[code]
                slots[slot].append(value)
            for values in slots:
                values.sort(key=repr)  # several values are rare, but then their order must not vary
            holders, targets, stances, stated, hedges, attributions = slots
            # A functional property has one value; should a position have several, each combination
            # is a record, as the join of the triples would give.
            for holder_fields, target_fields, (stance, stance_defaults) in product(holders, targets, stances):
                holder, holder_label, holder_type, nation, nation_label = holder_fields
                target, target_label, target_type = target_fields
                for value, hedged, attribution in product(
                    stated or stance_defaults, hedges or [False], attributions or [""]
                ):
                    records.append(
                        PositionRecord(
                            position,
                            holder,
                            holder_label,
                            target,
                            target_label,
                            stance,
                            value,
                            hedged,
                            attribution,
                            holder_type,
                            target_type,
                            nation,
                            nation_label,
                        )
                    )
    return records


def position_records(store: Store) -> list[PositionRecord]:
    """Every position in the store as a flat record, ordered by position IRI.

    A position with no ``sg:stanceValue`` takes its stance's ``sg:defaultValue``;
    one with neither, or lacking a holder, target or stance, is left out; so are
    values that are blank nodes, and holders and targets that are literals.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
    ...   INSERT DATA { <urn:p> sg:holder <urn:experts> ; sg:target <urn:joining> ;
    ...                 sg:stance sg:supports ; sg:stanceValue 2 ; sg:hedged true }''')
    >>> [(r.holder, r.stance, r.value, r.hedged) for r in position_records(store)]
    [('urn:experts', 'supports', 2, True)]
    """
    # The other queries beside the two that depend on each other: the embedded stores evaluate
    # reads in two worker processes (at least).
    with ThreadPoolExecutor(max_workers=2) as pool:
        described = pool.submit(_labels_and_classes, store)
        stated_defaults = pool.submit(_default_values, store)
        tables = pool.map(partial(_rows, store), (_NATIONS_QUERY, _NATION_LABELS_QUERY))
        pairs = _property_values(store)
        positions = _coded_positions(store, pairs)
        labels, classes = described.result()
        nation_rows, nation_label_rows = tables
        defaults = stated_defaults.result()
    nations = {row["holder"]: row["nation"] for row in nation_rows}
    nation_labels = {row["nation"]: row.get("label") or None for row in nation_label_rows}

    def node_type(iri: str, excluded: str = "") -> str:
        # Its stancegraph class: for a holder the narrower one, not sg:Stakeholder itself.
        ours = [cls for cls in classes.get(iri, ()) if cls.startswith(_SG) and cls != excluded]
        return _local_name(min(ours)) if ours else ""

    def holder(iri: str) -> tuple[str, str, str, str | None, str | None]:
        nation = nations.get(iri)
        label = labels.get(iri) or iri
        return iri, label, node_type(iri, _STAKEHOLDER), nation, nation_labels.get(nation) if nation else None

    meaning: dict[str, Callable[[ox.NamedNode | ox.Literal], Any]] = {
        "holder": lambda term: holder(term.value),
        "target": lambda term: (term.value, labels.get(term.value) or term.value, node_type(term.value)),
        "stance": lambda term: (_concept(term), defaults.get(term.value, [])),
        "stanceValue": lambda term: as_integer(from_oxigraph(term)),
        "hedged": lambda term: as_boolean(from_oxigraph(term)),
        "attribution": _concept,
    }
    slots = {name: slot for slot, name in enumerate(_POSITION_PROPERTIES)}
    meanings = {str(code): (slots[name], meaning[name](value)) for code, (name, value) in enumerate(pairs)}
    return _records(positions, meanings)


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
        record._replace(
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


def _related_pairs(holders_by_sign: dict[int, set[str]], relation: str) -> Iterator[tuple[str, str]]:
    # The pairs of holders related on one target, each as (smaller, larger): generated directly
    # from the holders grouped by sign, so no unrelated pair is ever looked at.
    if relation == "congruence":
        for holders in holders_by_sign.values():
            yield from combinations(sorted(holders), 2)
    else:
        for first, second in product(holders_by_sign.get(1, ()), holders_by_sign.get(-1, ())):
            if first != second:
                yield (first, second) if first < second else (second, first)


def _one_mode(records: Iterable[PositionRecord], relation: str, normalization: Normalization) -> nx.Graph:
    if normalization not in ("none", "jaccard", "cosine"):
        raise ValidationFailedError(f"unknown normalization {normalization!r} (valid: none, jaccard, cosine)")
    graph = nx.Graph(name=f"{relation} network", relation=relation, normalization=normalization)
    with _cycle_collection_paused():
        holders: dict[str, tuple[str, str]] = {}  # label and type
        by_target: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))  # holders by sign
        targets_of: dict[str, set[str]] = defaultdict(set)
        target_labels: dict[str, str] = {}
        for record in records:
            holders[record.holder] = record.holder_label, record.holder_type
            if type(record.value) is not int:  # a value as stored, not a number: it has no sign
                continue
            by_target[record.target][_sign(record.value)].add(record.holder)
            targets_of[record.holder].add(record.target)
            target_labels[record.target] = record.target_label
        graph.add_nodes_from(
            (holder, {"label": label, "kind": "stakeholder", "type": holder_type})
            for holder, (label, holder_type) in holders.items()
        )

        def weight(first: str, second: str, count: int) -> float:
            if normalization == "jaccard":
                return count / len(targets_of[first] | targets_of[second])
            if normalization == "cosine":
                return count / math.sqrt(len(targets_of[first]) * len(targets_of[second]))
            return count

        # Per target, not per pair of holders: the work grows with the related pairs, not holders squared.
        shared: dict[tuple[str, str], list[str]] = defaultdict(list)
        for target, holders_by_sign in by_target.items():
            for pair in _related_pairs(holders_by_sign, relation):
                shared[pair].append(target)
        # Tuples, not lists: the cyclic collector stops tracking a tuple of strings once it has seen
        # it. A graph whose views were used is freed only by a full collection (the views refer back
        # to it), which then walks a third as many objects: 0.3 s rather than 1 s for 285k edges.
        # Most pairs agree on one target only: they share its tuples (immutable, so safely).
        alone = {target: ((target,), (label,)) for target, label in target_labels.items()}

        def targets_and_labels(found: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
            if len(found) == 1:
                return alone[found[0]]
            targets = tuple(sorted(set(found)))  # a holder with two signs on a target meets a pair twice
            return targets, tuple([target_labels[target] for target in targets])

        # One add_edges_from, not add_edge per pair: networkx clears its caches once, not 285k times.
        graph.add_edges_from(
            (
                first,
                second,
                {"weight": weight(first, second, len(targets)), "targets": targets, "target_labels": labels},
            )
            for (first, second), found in shared.items()
            for targets, labels in [targets_and_labels(found)]
        )
    # Not graph.number_of_edges(), whose cached view would tie the graph in such a cycle.
    if not shared:
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
        agreed = congruence.get_edge_data(first, second, {"weight": 0, "targets": ()})
        opposed = conflict.get_edge_data(first, second, {"weight": 0, "targets": ()})
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


def _graphml_attributes(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    # Scalar, with no None; a GraphML key has one type, so an attribute whose values differ in type
    # (a value shown as stored, "abc", beside integers) is written as text throughout.
    cleaned = [{k: _graphml_value(v) for k, v in data.items() if v is not None} for data in items]
    kinds: dict[str, set[type]] = defaultdict(set)
    for data in cleaned:
        for key, value in data.items():
            kinds[key].add(type(value))
    mixed = {key for key, found in kinds.items() if len(found) > 1}
    if not mixed:
        return cleaned
    return [{k: _as_text(v) if k in mixed else v for k, v in data.items()} for data in cleaned]


def _as_text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def to_node_link(graph: nx.Graph) -> dict[str, Any]:
    """The graph as node-link JSON: ``nodes``, ``links`` and the graph's own attributes under ``graph``.

    >>> data = to_node_link(nx.Graph([("a", "b")], note="x"))
    >>> data["links"], data["graph"]
    ([{'source': 'a', 'target': 'b'}], {'note': 'x'})
    """
    return nx.node_link_data(graph, edges="links")


def to_graphml(graph: nx.Graph) -> bytes:
    """The graph as GraphML (for Gephi, Cytoscape, yEd), lists flattened to ``" | "``-joined text.

    GraphML holds scalar attributes only; ``None`` values are left out. A key
    has one type: an attribute whose values differ in type is written as text.

    >>> graph = nx.Graph()
    >>> graph.add_edge("a", "b", targets=["t1", "t2"], value=2)
    >>> nx.parse_graphml(to_graphml(graph)).edges["a", "b"]["targets"]
    't1 | t2'
    >>> graph.add_edge("a", "c", value="abc")
    >>> sorted(nx.parse_graphml(to_graphml(graph)).edges(data="value"))
    [('a', 'b', '2'), ('a', 'c', 'abc')]
    """
    clean = graph.__class__()
    clean.graph.update(_graphml_attributes([graph.graph])[0])
    nodes = list(graph.nodes(data=True))
    clean.add_nodes_from(
        zip((node for node, _ in nodes), _graphml_attributes([data for _, data in nodes]), strict=True)
    )
    edges: Sequence[tuple[Any, ...]] = (
        list(graph.edges(keys=True, data=True)) if graph.is_multigraph() else list(graph.edges(data=True))
    )
    for (*ends, _), data in zip(edges, _graphml_attributes([edge[-1] for edge in edges]), strict=True):
        clean.add_edge(*ends, **data)
    return "\n".join(nx.generate_graphml(clean, prettyprint=True)).encode("utf-8")
