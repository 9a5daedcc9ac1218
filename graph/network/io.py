"""Networks written out: node-link JSON (the web service's answer) and GraphML (Gephi, Cytoscape, yEd).

Time in GraphML, for Gephi. GraphML has no notion of time, and Gephi's GraphML
importer reads every ``<data>`` as a plain column (it maps only label, colour,
size, position and weight); it is GEXF that Gephi reads dynamics from. What a
GraphML file can give Gephi is two columns it turns into time intervals: a
network over time (:func:`~graph.network.timeline.timeline_network`) carries
``start`` and ``end`` on every node and edge, as ISO 8601 dates
(``2025-01-01``), the first and last day the element is present, both included.
In Gephi: Data Laboratory, Merge columns, ``start`` and ``end``, "Create time
interval", parse dates as ``yyyy-MM-dd``; then Enable timeline, and the timeline
plays the debate. One interval per element: ``timeset`` lists the runs of
windows it appears in (Gephi's ``<[start, end]; ...>`` syntax) where it comes
and goes, and ``weights`` each window's edge weight; ``weight`` is the largest.

>>> graph = nx.Graph([("a", "b")], note="no conflict")
>>> to_node_link(graph)["links"]
[{'source': 'a', 'target': 'b'}]
>>> b'<data key="kg0">no conflict</data>' in to_graphml(graph)
True

Gephi's columns: every node and edge has a ``label`` (Gephi's label column);
numbers and booleans are typed keys, so Gephi ranks and sizes by them (see
:mod:`graph.network.graphml` for the types, the ids and what a key of mixed
values becomes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph._lazy import lazy_module
from graph.network.graphml import write_graphml

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = lazy_module("networkx")  # only the analyses need it, not every process importing this module


def to_node_link(graph: nx.Graph[Any]) -> dict[str, Any]:
    """The graph as node-link JSON: ``nodes``, ``links`` and the graph's own attributes under ``graph``.

    >>> data = to_node_link(nx.Graph([("a", "b")], note="x"))
    >>> data["links"], data["graph"]
    ([{'source': 'a', 'target': 'b'}], {'note': 'x'})
    """
    return nx.node_link_data(graph, edges="links")


def edge_label(source_label: str, target_label: str, data: dict[str, Any]) -> str:
    """What Gephi shows on an edge: its ``label``, else its stance (two-mode), else the targets
    it stands for (congruence, conflict), else its two ends.

    >>> edge_label("A", "B", {"stance": "supports"}), edge_label("A", "B", {"target_labels": ("T", "U")})
    ('supports', 'T | U')
    >>> edge_label("Experts", "Analysts", {"weight": 1})
    'Experts – Analysts'
    """
    for name in ("label", "stance"):
        if data.get(name) not in (None, ""):
            return str(data[name])
    if data.get("target_labels"):
        return " | ".join(str(label) for label in data["target_labels"])
    return f"{source_label} – {target_label}"


def to_graphml(graph: nx.Graph[Any]) -> bytes:
    """The graph as GraphML for Gephi, Cytoscape and yEd: typed keys, a unique id and a label on every edge.

    Lists are written ``" | "``-joined, ``None`` values left out; a key has one
    type, and an attribute whose values differ in type is written as text. A
    node without a ``label`` gets its id, an edge one by :func:`edge_label`.

    >>> graph = nx.Graph()
    >>> graph.add_edge("a", "b", targets=["t1", "t2"], value=2, hedged=False)
    >>> read = nx.parse_graphml(to_graphml(graph))
    >>> read.edges["a", "b"]["targets"], read.edges["a", "b"]["value"], read.edges["a", "b"]["hedged"]
    ('t1 | t2', 2, False)
    >>> read.nodes["a"]["label"], read.edges["a", "b"]["label"]
    ('a', 'a – b')
    >>> graph.add_edge("a", "c", value="abc")
    >>> sorted(nx.parse_graphml(to_graphml(graph)).edges(data="value"))
    [('a', 'b', '2'), ('a', 'c', 'abc')]
    """
    labelled = graph.copy()
    for node, data in labelled.nodes(data=True):
        if data.get("label") in (None, ""):
            data["label"] = str(node)
    for source, target, data in labelled.edges(data=True):
        if data.get("label") in (None, ""):
            ends = (labelled.nodes[source]["label"], labelled.nodes[target]["label"])
            data["label"] = edge_label(*ends, data)
    return write_graphml(labelled)
