"""Stakeholder networks from coded positions, the way Discourse Network Analyzer builds them.

* :mod:`~graph.network.records`: every position in the store as a flat
  :class:`PositionRecord` (asked by :mod:`~graph.network.record_queries`);
* :mod:`~graph.network.build`: the two-mode, congruence, conflict and signed
  networks of the records, their normalizations, the roll-up to nations;
* :mod:`~graph.network.analysis`: centrality, communities, paths with their triples;
* :mod:`~graph.network.selection`: the positions of a date range, duplicates counted once;
* :mod:`~graph.network.time`: a network per moving window, positions weighed by a kernel,
  as DNA's time windows; :mod:`~graph.network.timeline`: the windows as one network for
  Gephi's timeline;
* :mod:`~graph.network.io`: node-link JSON and GraphML;
* :mod:`~graph.network.choices`: the kinds, normalizations, levels, measures and time options.

The algorithms are plain functions over networkx graphs, so a notebook can mix
them with anything in networkx. Node ids are IRI strings.

>>> records = [
...     PositionRecord("urn:p1", "urn:experts", "Experts", "urn:joining", "Joining", value=2),
...     PositionRecord("urn:p2", "urn:analysts", "Analysts", "urn:joining", "Joining", value=1),
... ]
>>> congruence = congruence_network(records)
>>> congruence.edges["urn:analysts", "urn:experts"]["targets"]
('urn:joining',)
>>> conflict_network(records).graph["note"].split("; ")[1]
'absence of coded opposition is not consensus'
"""

from __future__ import annotations

from graph.network.analysis import MAX_PATH_HOPS, Connection, centrality, communities, connection
from graph.network.build import (
    NO_CONGRUENCE_NOTE,
    build_network,
    conflict_network,
    congruence_network,
    records_network,
    signed_network,
)
from graph.network.choices import (
    Duplicates,
    Kernel,
    Kind,
    Length,
    Level,
    Measure,
    Normalization,
    TimeOptions,
    time_options,
)
from graph.network.coverage import conflict_note
from graph.network.io import to_graphml, to_node_link
from graph.network.records import PositionRecord, position_records
from graph.network.selection import Selection, roll_up, roll_up_basis, window_records, without_duplicates
from graph.network.time import (
    MAX_WINDOWS,
    NetworkWindow,
    Window,
    WindowedNetworks,
    kernel_weight,
    time_windows,
    windowed_networks,
)
from graph.network.timeline import timeline_network
from graph.network.two_mode import two_mode_network

__all__ = [
    "MAX_PATH_HOPS",
    "MAX_WINDOWS",
    "NO_CONGRUENCE_NOTE",
    "Connection",
    "Duplicates",
    "Kernel",
    "Kind",
    "Length",
    "Level",
    "Measure",
    "NetworkWindow",
    "Normalization",
    "PositionRecord",
    "Selection",
    "TimeOptions",
    "Window",
    "WindowedNetworks",
    "build_network",
    "centrality",
    "communities",
    "conflict_network",
    "conflict_note",
    "congruence_network",
    "connection",
    "kernel_weight",
    "position_records",
    "records_network",
    "roll_up",
    "roll_up_basis",
    "signed_network",
    "time_options",
    "time_windows",
    "timeline_network",
    "to_graphml",
    "to_node_link",
    "two_mode_network",
    "window_records",
    "windowed_networks",
    "without_duplicates",
]
