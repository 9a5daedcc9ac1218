"""Stakeholder networks from coded positions, the way Discourse Network Analyzer builds them.

* :mod:`~graph.network.records`: every position in the store as a flat
  :class:`PositionRecord` (asked by :mod:`~graph.network.record_queries`);
* :mod:`~graph.network.build`: the two-mode, congruence, conflict and signed
  networks of the records, their normalizations, the roll-up to nations;
* :mod:`~graph.network.analysis`: centrality, communities, paths with their triples;
* :mod:`~graph.network.io`: node-link JSON and GraphML;
* :mod:`~graph.network.choices`: the kinds, normalizations, levels and measures.

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

from graph.network.analysis import MAX_PATH_HOPS, Connection, centrality, communities, connection
from graph.network.build import (
    NO_CONFLICT_NOTE,
    NO_CONGRUENCE_NOTE,
    build_network,
    conflict_network,
    congruence_network,
    roll_up,
    signed_network,
    two_mode_network,
)
from graph.network.choices import Kind, Level, Measure, Normalization
from graph.network.io import to_graphml, to_node_link
from graph.network.records import PositionRecord, position_records

__all__ = [
    "MAX_PATH_HOPS",
    "NO_CONFLICT_NOTE",
    "NO_CONGRUENCE_NOTE",
    "Connection",
    "Kind",
    "Level",
    "Measure",
    "Normalization",
    "PositionRecord",
    "build_network",
    "centrality",
    "communities",
    "conflict_network",
    "congruence_network",
    "connection",
    "position_records",
    "roll_up",
    "signed_network",
    "to_graphml",
    "to_node_link",
    "two_mode_network",
]
