"""A series of window networks as one network whose nodes and edges live in time, for Gephi's timeline.

Every node and edge of any window is one element here, with the time it is present:

* ``start``: the first day of the first window it appears in, ``end``: the last day of
  the last one (ISO 8601 dates; a window's last day is the day before its end, which it
  excludes), the closed interval Gephi's "Create time interval" makes of two columns
  (see :mod:`graph.network.io`);
* ``timeset``: each run of windows it appears in, overlapping or touching windows joined,
  in Gephi's interval-set syntax (``<[2025-01-01, 2025-01-31]; [2025-03-01, 2025-03-31]>``):
  ``start``..``end`` hides the gaps that ``timeset`` shows;
* ``windows``: in how many windows it appears; an edge's ``weight`` is its largest
  window weight and ``weights`` each window's (``<[start, end, weight]; ...>``).

Its other attributes are those of its first window. The graph itself carries the
series' ``kind``, ``kernel``, ``duplicates`` and ``undated``.

>>> import datetime
>>> from graph.network import PositionRecord, windowed_networks
>>> on = lambda month: datetime.datetime(2025, month, 1, tzinfo=datetime.UTC)
>>> records = [PositionRecord("urn:p1", "urn:a", "A", "urn:t", "T", value=1, reported_at=on(1)),
...            PositionRecord("urn:p2", "urn:b", "B", "urn:t", "T", value=1, reported_at=on(1)),
...            PositionRecord("urn:p3", "urn:a", "A", "urn:t", "T", value=1, reported_at=on(3))]
>>> timeline = timeline_network(windowed_networks(records, "congruence", window="1m"))
>>> {node: (data["start"], data["end"]) for node, data in timeline.nodes(data=True)}
{'urn:a': ('2025-01-01', '2025-03-31'), 'urn:b': ('2025-01-01', '2025-01-31')}
>>> timeline.nodes["urn:a"]["timeset"]
'<[2025-01-01, 2025-01-31]; [2025-03-01, 2025-03-31]>'
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from graph._lazy import lazy_module
from graph.network.time import NetworkWindow, WindowedNetworks

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = lazy_module("networkx")

_TICK = datetime.timedelta(microseconds=1)


class _Presence:
    # Where one element appears: its attributes in its first window, and its windows with weights.
    __slots__ = ("data", "seen")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.seen: list[tuple[NetworkWindow, Any]] = []


def _day(time: datetime.datetime) -> str:
    return time.date().isoformat()


def _last_day(window: NetworkWindow) -> str:
    return _day(window.end - _TICK)


def _runs(windows: list[NetworkWindow]) -> list[tuple[str, str]]:
    # Windows in time order joined where one starts before the previous ends: days, both included.
    runs: list[list[datetime.datetime]] = []
    for window in windows:
        if runs and window.start <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], window.end)
        else:
            runs.append([window.start, window.end])
    return [(_day(first), _day(last - _TICK)) for first, last in runs]


def _stamp(presence: _Presence, edge: bool) -> dict[str, Any]:
    windows = [window for window, _ in presence.seen]
    data = dict(presence.data)
    data.update(
        start=_day(windows[0].start),
        end=max(_last_day(window) for window in windows),
        timeset="<" + "; ".join(f"[{first}, {last}]" for first, last in _runs(windows)) + ">",
        windows=len(windows),
    )
    weights = [(window, weight) for window, weight in presence.seen if weight is not None]
    if edge and weights:
        data["weight"] = max(weight for _, weight in weights)
        data["weights"] = (
            "<" + "; ".join(f"[{_day(w.start)}, {_last_day(w)}, {weight}]" for w, weight in weights) + ">"
        )
    return data


def timeline_network(series: WindowedNetworks) -> nx.Graph[str]:
    """The windows' networks as one, each node and edge with the time it is present (module docstring).

    The graph is of the windows' class (a multigraph for the two-mode network, whose edges
    are positions); with no window, it is empty.
    """
    graph_class = type(series.windows[0].network) if series.windows else nx.Graph
    nodes: dict[str, _Presence] = {}
    edges: dict[tuple[str, str, Any], _Presence] = {}  # by ends and key (None but in a multigraph)
    for window in series.windows:
        network = window.network
        for node, data in network.nodes(data=True):
            nodes.setdefault(node, _Presence(data)).seen.append((window, None))
        found: list[tuple[Any, ...]] = (
            list(network.edges(keys=True, data=True))
            if isinstance(network, nx.MultiGraph)
            else [(first, second, None, data) for first, second, data in network.edges(data=True)]
        )
        for first, second, key, data in found:
            # Undirected: one edge may come out as (a, b) in one window and (b, a) in another.
            low, high = sorted((first, second))
            edges.setdefault((low, high, key), _Presence(data)).seen.append((window, data.get("weight")))
    timeline: nx.Graph[str] = graph_class(
        name=f"{series.kind.value} timeline",
        kind=series.kind.value,
        kernel=series.kernel.value,
        duplicates=series.duplicates.value,
        undated=series.undated,
    )
    if series.windows:
        timeline.graph.update(start=_day(series.windows[0].start), end=_last_day(series.windows[-1]))
    timeline.add_nodes_from((node, _stamp(presence, edge=False)) for node, presence in nodes.items())
    for (first, second, key), presence in edges.items():
        if isinstance(timeline, nx.MultiGraph):
            timeline.add_edge(first, second, key=key, **_stamp(presence, edge=True))
        else:
            timeline.add_edge(first, second, **_stamp(presence, edge=True))
    return timeline
