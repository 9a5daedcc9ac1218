"""The networks of the position records, as Discourse Network Analyzer builds them.

A position says that a holder takes a stance, with a value from -2 to +2, on a
target. From the positions:

* the two-mode network links stakeholders to the targets they take positions on;
* the congruence network links two stakeholders who take a position of the same
  sign on a target (both for it, both against it, or both only weighing it);
* the conflict network links two whose positions on a target have opposite
  non-zero signs; the signed network is congruence minus conflict.

Holders may first be rolled up to their nation (:func:`roll_up`). Node ids are
IRI strings.

>>> records = [
...     PositionRecord("urn:p1", "urn:experts", "Experts", "urn:joining", "Joining", value=2),
...     PositionRecord("urn:p2", "urn:analysts", "Analysts", "urn:joining", "Joining", value=1),
... ]
>>> congruence_network(records).edges["urn:analysts", "urn:experts"]["targets"]
('urn:joining',)
>>> conflict_network(records).graph["note"]
'no opposing positions in the sources'
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import combinations, product
from typing import TYPE_CHECKING

from graph._lazy import lazy_module
from graph.errors import ValidationFailedError
from graph.network._gc import cycle_collection_paused
from graph.network.choices import Duplicates, Kind, Level, Normalization, choose, time_options
from graph.network.records import PositionRecord, position_records
from graph.network.selection import roll_up, window_records
from graph.stores.base import Store

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = lazy_module("networkx")  # only the analyses need it, not every process importing this module

NO_CONFLICT_NOTE = "no opposing positions in the sources"
NO_CONGRUENCE_NOTE = "no shared stances in the sources"

Weights = Mapping[str, float]
"""A weight for each position IRI, as a kernel gives them (see :mod:`graph.network.time`)."""
PairWeight = Callable[[str, str, str], float]


def _iso(time: datetime.datetime | None) -> str | None:
    return time.isoformat() if time is not None else None


def two_mode_network(records: Iterable[PositionRecord], weights: Weights | None = None) -> nx.MultiGraph[str]:
    """The stakeholder x target network: one edge per position, keyed by the position's IRI.

    Nodes carry ``label``, ``kind`` (``stakeholder`` or ``target``),
    ``type`` (their class) and ``bipartite`` (0 or 1); edges carry
    ``stance``, ``value``, ``hedged``, ``attribution``, ``position``, its ``holder``, its
    ``document``, ``time`` (ISO 8601; None when undated) and that time's ``precision``, and with ``weights``
    the position's ``weight``.

    >>> graph = two_mode_network([PositionRecord("urn:p", "urn:a", "A", "urn:t", "T", "supports", 2)])
    >>> graph.nodes["urn:a"]["bipartite"], graph.edges["urn:a", "urn:t", "urn:p"]["value"]
    (0, 2)
    """
    graph: nx.MultiGraph[str] = nx.MultiGraph(name="stakeholder x target")
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
            holder=record.holder,  # which end holds it: both ends may be stakeholders
            document=record.document,
            time=_iso(record.time),
            precision=record.time_precision,
            **({} if weights is None else {"weight": weights.get(record.position, 1.0)}),
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


def _pair_weight(strength: dict[tuple[str, int, str], float], relation: str) -> PairWeight:
    # The weight of two holders' tie on one target: the geometric mean of their positions' weights,
    # as DNA's kernel smoothing takes it; of the strongest position of each sign when a holder has several.
    def tie(target: str, first: str, second: str) -> float:
        def mean(first_sign: int, second_sign: int) -> float:
            return math.sqrt(
                strength.get((target, first_sign, first), 0.0)
                * strength.get((target, second_sign, second), 0.0)
            )

        if relation == "congruence":
            return max(mean(sign, sign) for sign in (-1, 0, 1))
        return max(mean(1, -1), mean(-1, 1))

    return tie


def _one_mode(
    records: Iterable[PositionRecord],
    relation: str,
    normalization: Normalization,
    weights: Weights | None = None,
) -> nx.Graph[str]:
    chosen = choose(Normalization, normalization, "normalization")
    if weights is not None and chosen is not Normalization.none:
        raise ValidationFailedError(
            f"weighted positions cannot be normalized by {chosen}", parameter="kernel"
        )
    # The value, not the member: GraphML writes attributes of the built-in types only.
    graph: nx.Graph[str] = nx.Graph(name=f"{relation} network", relation=relation, normalization=chosen.value)
    with cycle_collection_paused():
        holders: dict[str, tuple[str, str]] = {}  # label and type
        by_target: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))  # holders by sign
        targets_of: dict[str, set[str]] = defaultdict(set)
        target_labels: dict[str, str] = {}
        strength: dict[tuple[str, int, str], float] = {}  # by target, sign and holder, when weighted
        for record in records:
            holders[record.holder] = record.holder_label, record.holder_type
            if type(record.value) is not int:  # a value as stored, not a number: it has no sign
                continue
            sign = _sign(record.value)
            by_target[record.target][sign].add(record.holder)
            targets_of[record.holder].add(record.target)
            target_labels[record.target] = record.target_label
            if weights is not None:
                key, found = (record.target, sign, record.holder), weights.get(record.position, 1.0)
                strength[key] = max(found, strength.get(key, 0.0))
        graph.add_nodes_from(
            (holder, {"label": label, "kind": "stakeholder", "type": holder_type})
            for holder, (label, holder_type) in holders.items()
        )

        tie = _pair_weight(strength, relation)

        def weight(first: str, second: str, targets: tuple[str, ...]) -> float:
            if weights is not None:
                return sum(tie(target, first, second) for target in targets)
            count = len(targets)
            if chosen is Normalization.jaccard:
                return count / len(targets_of[first] | targets_of[second])
            if chosen is Normalization.cosine:
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
                {"weight": weight(first, second, targets), "targets": targets, "target_labels": labels},
            )
            for (first, second), found in shared.items()
            for targets, labels in [targets_and_labels(found)]
        )
    # Not graph.number_of_edges(), whose cached view would tie the graph in such a cycle.
    if not shared:
        graph.graph["note"] = NO_CONGRUENCE_NOTE if relation == "congruence" else NO_CONFLICT_NOTE
    return graph


def congruence_network(
    records: Iterable[PositionRecord],
    normalization: Normalization = Normalization.none,
    weights: Weights | None = None,
) -> nx.Graph[str]:
    """Stakeholders linked when they take positions of the same sign on a target.

    The edge ``weight`` counts the targets they agree on (``none``), divided
    by the targets either takes a position on (``jaccard``) or by the
    geometric mean of their target counts (``cosine``); ``targets`` lists
    them. Value 0 counts as a sign, as DNA counts equal qualifiers: two holders
    who both only weigh a target are congruent on it. With no edge at all,
    ``graph.graph["note"]`` says so.

    With ``weights`` (a kernel's, by position IRI; no normalization beside them) a target adds
    the geometric mean of the two holders' weights on it, as DNA's kernel smoothing does, each
    holder's weight on a target being that of its heaviest position of the sign that ties them.

    >>> records = [PositionRecord("urn:1", "urn:a", "A", "urn:t", "T", value=2),
    ...            PositionRecord("urn:2", "urn:b", "B", "urn:t", "T", value=1),
    ...            PositionRecord("urn:3", "urn:b", "B", "urn:u", "U", value=1)]
    >>> congruence_network(records, "jaccard").edges["urn:a", "urn:b"]["weight"]
    0.5
    """
    return _one_mode(records, "congruence", normalization, weights)


def conflict_network(
    records: Iterable[PositionRecord],
    normalization: Normalization = Normalization.none,
    weights: Weights | None = None,
) -> nx.Graph[str]:
    """Stakeholders linked when their positions on a target have opposite non-zero signs.

    Weights and normalization as in :func:`congruence_network`. An empty
    network is a finding, not an error: ``graph.graph["note"]`` then reads
    :data:`NO_CONFLICT_NOTE`.

    >>> records = [PositionRecord("urn:1", "urn:a", "A", "urn:t", "T", value=2),
    ...            PositionRecord("urn:2", "urn:b", "B", "urn:t", "T", value=-2)]
    >>> conflict_network(records).edges["urn:a", "urn:b"]["weight"]
    1
    """
    return _one_mode(records, "conflict", normalization, weights)


def signed_network(
    records: Iterable[PositionRecord],
    normalization: Normalization = Normalization.none,
    weights: Weights | None = None,
) -> nx.Graph[str]:
    """Congruence minus conflict: edge ``weight`` is positive where agreement prevails.

    Each edge keeps its ``congruence`` and ``conflict`` weights and their
    target lists (``agreed_targets``, ``opposed_targets``).

    >>> records = [PositionRecord("urn:1", "urn:a", "A", "urn:t", "T", value=2),
    ...            PositionRecord("urn:2", "urn:b", "B", "urn:t", "T", value=-1)]
    >>> signed_network(records).edges["urn:a", "urn:b"]["weight"]
    -1
    """
    records = list(records)
    congruence = congruence_network(records, normalization, weights)
    conflict = conflict_network(records, normalization, weights)
    chosen = choose(Normalization, normalization, "normalization")
    graph: nx.Graph[str] = nx.Graph(name="signed network", relation="signed", normalization=chosen.value)
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


def records_network(
    records: Iterable[PositionRecord],
    kind: Kind | str = Kind.congruence,
    *,
    normalization: Normalization | str = Normalization.none,
    weights: Weights | None = None,
) -> nx.Graph[str]:
    """The network ``kind`` of ``records``: :func:`two_mode_network`, :func:`congruence_network`, ...

    >>> records_network([PositionRecord("urn:p", "urn:a", "A", "urn:t", "T", value=1)], "two-mode").name
    'stakeholder x target'
    """
    chosen = choose(Kind, kind, "network")
    if chosen is Kind.two_mode:
        return two_mode_network(records, weights)
    one_mode = {
        Kind.congruence: congruence_network,
        Kind.conflict: conflict_network,
        Kind.signed: signed_network,
    }
    return one_mode[chosen](records, choose(Normalization, normalization, "normalization"), weights)


def build_network(
    store: Store,
    kind: Kind | str = Kind.congruence,
    *,
    normalization: Normalization | str = Normalization.none,
    level: Level | str = Level.stakeholder,
    start: str | datetime.date | None = None,
    end: str | datetime.date | None = None,
    duplicates: Duplicates | str | None = None,
) -> nx.Graph[str]:
    """The network ``kind`` of the store's positions, holders rolled up to ``level`` first.

    Each choice may be given as its member or as the plain string that names it.

    ``normalization`` weighs the edges of the one-mode networks (the two-mode
    network has none); an unknown kind, normalization or level is a
    ValidationFailedError naming it. ``start`` and ``end`` (the web service's ``from`` and ``to``)
    and ``duplicates`` choose the positions as :func:`~graph.network.selection.window_records`
    does, after the roll-up (so duplicates are a nation's when holders are rolled up); when they
    depend on time, ``graph.graph["undated"]`` counts the positions left out for want of a date.
    A network per moving window is :func:`~graph.network.time.windowed_networks`.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
    ...   INSERT DATA { <urn:p> sg:holder <urn:experts> ; sg:target <urn:joining> ;
    ...                 sg:stance sg:supports ; sg:stanceValue 2 }''')
    >>> sorted(build_network(store, Kind.two_mode).nodes)
    ['urn:experts', 'urn:joining']
    >>> build_network(store, "two-mode", start="2025-01-01").graph["undated"]
    1
    >>> build_network(store, "triangle")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: unknown network 'triangle' (valid: two-mode, congruence, ...)
    """
    chosen_level = choose(Level, level, "level")
    chosen = choose(Kind, kind, "network")
    options = time_options(start=start, end=end, duplicates=duplicates, normalization=normalization)
    selection = window_records(roll_up(position_records(store), chosen_level), options=options)
    graph = records_network(selection.records, chosen, normalization=normalization)
    if options.time_based:
        graph.graph["undated"] = selection.undated
    return graph
