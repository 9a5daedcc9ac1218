"""The two-mode network: stakeholders linked to the targets they take positions on.

>>> graph = two_mode_network([PositionRecord("urn:p", "urn:a", "A", "urn:t", "T", "supports", 2)])
>>> sorted(graph.nodes)
['urn:a', 'urn:t']
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from graph._lazy import lazy_module
from graph.moments import instant_text
from graph.network.records import PositionRecord

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = lazy_module("networkx")

Weights = Mapping[str, float]
"""A weight for each position IRI, as a kernel gives them (see :mod:`graph.network.time`)."""


def _iso(time: datetime.datetime | None) -> str | None:
    return instant_text(time) if time is not None else None


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
