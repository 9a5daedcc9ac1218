"""The networks of the position records, as Discourse Network Analyzer builds them.

A position says that a holder takes a stance, with a value from -2 to +2, on a
target. From the positions:

* the two-mode network links stakeholders to the targets they take positions on;
* the congruence network links two stakeholders who take a position of the same
  non-zero sign on a target (both for it, or both against it); two who both only weigh it
  (value 0: considers, assesses, monitors) agree only when ``neutral`` asks for it, as DNA
  leaves neutral statements out of agreement unless told otherwise;
* the conflict network links two whose positions on a target have opposite
  non-zero signs; the signed network is congruence minus conflict.

Holders may first be rolled up to their nation (:func:`roll_up`), through the links the
sources state unless ``inferred`` asks for the analyst's inferred links too; the graph's
``basis`` attribute says which (:func:`~graph.network.selection.roll_up_basis`). Node ids are
IRI strings.

>>> records = [
...     PositionRecord("urn:p1", "urn:experts", "Experts", "urn:joining", "Joining", value=2),
...     PositionRecord("urn:p2", "urn:analysts", "Analysts", "urn:joining", "Joining", value=1),
... ]
>>> congruence_network(records).edges["urn:analysts", "urn:experts"]["targets"]
('urn:joining',)
>>> conflict_network(records).graph["note"].split("; ")[1]
'absence of coded opposition is not consensus'
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import combinations, product
from typing import TYPE_CHECKING

from graph._lazy import lazy_module
from graph.errors import ValidationFailedError
from graph.network._gc import cycle_collection_paused
from graph.network.choices import Duplicates, Kind, Level, Normalization, choose, time_options
from graph.network.coverage import conflict_note
from graph.network.records import PositionRecord, position_records
from graph.network.selection import roll_up, roll_up_basis, window_records
from graph.network.two_mode import Weights, two_mode_network
from graph.stores.base import Store

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = lazy_module("networkx")  # only the analyses need it, not every process importing this module

NO_CONGRUENCE_NOTE = "no shared stances in the sources"

PairWeight = Callable[[str, str, str], float]


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
    neutral: bool = False,
) -> nx.Graph[str]:
    records = list(records)  # read twice: the ties, and the note of a network without any
    chosen = choose(Normalization, normalization, "normalization")
    if weights is not None and chosen is not Normalization.none:
        raise ValidationFailedError(
            f"weighted positions cannot be normalized by {chosen}", parameter="kernel"
        )
    # The value, not the member: GraphML writes attributes of the built-in types only.
    graph: nx.Graph[str] = nx.Graph(name=f"{relation} network", relation=relation, normalization=chosen.value)
    if relation == "congruence":
        graph.graph["neutral"] = neutral
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
            if sign == 0 and not neutral:  # a neutral position agrees with nothing: left out of the ties
                continue
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
        graph.graph["note"] = NO_CONGRUENCE_NOTE if relation == "congruence" else conflict_note(records)
    return graph


def congruence_network(
    records: Iterable[PositionRecord],
    normalization: Normalization = Normalization.none,
    weights: Weights | None = None,
    *,
    neutral: bool = False,
) -> nx.Graph[str]:
    """Stakeholders linked when they take positions of the same sign on a target.

    The edge ``weight`` counts the targets they agree on (``none``), divided
    by the targets either takes a position on (``jaccard``) or by the
    geometric mean of their target counts (``cosine``); ``targets`` lists
    them. Neutral positions (value 0) take no part unless ``neutral``: then value 0 counts as
    a sign, as DNA counts equal qualifiers, and two holders who both only weigh a target are
    congruent on it; a neutral holder stays a node either way, and ``graph.graph["neutral"]``
    says which was done. Without ``neutral`` the normalizations count a holder's targets of
    non-neutral positions only. With no edge at all, ``graph.graph["note"]`` says so.

    With ``weights`` (a kernel's, by position IRI; no normalization beside them) a target adds
    the geometric mean of the two holders' weights on it, as DNA's kernel smoothing does, each
    holder's weight on a target being that of its heaviest position of the sign that ties them.

    >>> records = [PositionRecord("urn:1", "urn:a", "A", "urn:t", "T", value=2),
    ...            PositionRecord("urn:2", "urn:b", "B", "urn:t", "T", value=1),
    ...            PositionRecord("urn:3", "urn:b", "B", "urn:u", "U", value=1)]
    >>> congruence_network(records, "jaccard").edges["urn:a", "urn:b"]["weight"]
    0.5
    >>> weighing = [PositionRecord("urn:4", "urn:c", "C", "urn:t", "T", value=0),
    ...             PositionRecord("urn:5", "urn:d", "D", "urn:t", "T", value=0)]
    >>> [congruence_network(weighing, neutral=asked).number_of_edges() for asked in (False, True)]
    [0, 1]
    """
    return _one_mode(records, "congruence", normalization, weights, neutral)


def conflict_network(
    records: Iterable[PositionRecord],
    normalization: Normalization = Normalization.none,
    weights: Weights | None = None,
) -> nx.Graph[str]:
    """Stakeholders linked when their positions on a target have opposite non-zero signs.

    Weights and normalization as in :func:`congruence_network`. An empty
    network is a finding, not an error: ``graph.graph["note"]`` then says what was coded and what
    is missing (:func:`~graph.network.coverage.conflict_note`), never that all agree.

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
    *,
    neutral: bool = False,
) -> nx.Graph[str]:
    """Congruence minus conflict: edge ``weight`` is positive where agreement prevails.

    Neutral positions take part in the congruence only with ``neutral`` (see :func:`congruence_network`).

    Each edge keeps its ``congruence`` and ``conflict`` weights and their
    target lists (``agreed_targets``, ``opposed_targets``).

    >>> records = [PositionRecord("urn:1", "urn:a", "A", "urn:t", "T", value=2),
    ...            PositionRecord("urn:2", "urn:b", "B", "urn:t", "T", value=-1)]
    >>> signed_network(records).edges["urn:a", "urn:b"]["weight"]
    -1
    """
    records = list(records)
    congruence = congruence_network(records, normalization, weights, neutral=neutral)
    conflict = conflict_network(records, normalization, weights)
    chosen = choose(Normalization, normalization, "normalization")
    graph: nx.Graph[str] = nx.Graph(
        name="signed network", relation="signed", normalization=chosen.value, neutral=neutral
    )
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
    neutral: bool = False,
) -> nx.Graph[str]:
    """The network ``kind`` of ``records``: :func:`two_mode_network`, :func:`congruence_network`, ...

    ``neutral`` counts two neutral positions on a target as agreement (congruence and signed only).

    >>> records_network([PositionRecord("urn:p", "urn:a", "A", "urn:t", "T", value=1)], "two-mode").name
    'stakeholder x target'
    """
    chosen = choose(Kind, kind, "network")
    if chosen is Kind.two_mode:
        return two_mode_network(records, weights)
    chosen_normalization = choose(Normalization, normalization, "normalization")
    if chosen is Kind.conflict:  # opposite non-zero signs: a neutral position never conflicts
        return conflict_network(records, chosen_normalization, weights)
    one_mode = {Kind.congruence: congruence_network, Kind.signed: signed_network}
    return one_mode[chosen](records, chosen_normalization, weights, neutral=neutral)


def build_network(
    source: Store | Iterable[PositionRecord],
    kind: Kind | str = Kind.congruence,
    *,
    normalization: Normalization | str = Normalization.none,
    level: Level | str = Level.stakeholder,
    start: str | datetime.date | None = None,
    end: str | datetime.date | None = None,
    duplicates: Duplicates | str | None = None,
    neutral: bool = False,
    inferred: bool = False,
) -> nx.Graph[str]:
    """The network ``kind`` of the positions, holders rolled up to ``level`` first.

    ``source`` is a store (its :func:`~graph.network.records.position_records`) or the records
    chosen already (e.g. those enough sources corroborate: :func:`graph.analysis.corroborated_records`).
    Each choice may be given as its member or as the plain string that names it.

    ``normalization`` weighs the edges of the one-mode networks (the two-mode
    network has none); an unknown kind, normalization or level is a
    ValidationFailedError naming it. ``start`` and ``end`` (the web service's ``from`` and ``to``)
    and ``duplicates`` choose the positions as :func:`~graph.network.selection.window_records`
    does, after the roll-up (so duplicates are a nation's when holders are rolled up); when they
    depend on time, ``graph.graph["undated"]`` counts the positions left out for want of a date.
    ``neutral`` counts two neutral positions on a target as agreement (off, as in DNA); ``inferred``
    rolls up through the analyst's inferred links too, not only the stated ones (``graph.graph["basis"]``).
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
    records = position_records(source) if isinstance(source, Store) else list(source)
    selection = window_records(roll_up(records, chosen_level, inferred=inferred), options=options)
    graph = records_network(selection.records, chosen, normalization=normalization, neutral=neutral)
    graph.graph["basis"] = roll_up_basis(chosen_level, inferred=inferred)
    if options.time_based:
        graph.graph["undated"] = selection.undated
    return graph
