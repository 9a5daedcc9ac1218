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
>>> b'<data key="d0">no conflict</data>' in to_graphml(graph)
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graph._lazy import lazy_module

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = lazy_module("networkx")  # only the analyses need it, not every process importing this module


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


def to_node_link(graph: nx.Graph[Any]) -> dict[str, Any]:
    """The graph as node-link JSON: ``nodes``, ``links`` and the graph's own attributes under ``graph``.

    >>> data = to_node_link(nx.Graph([("a", "b")], note="x"))
    >>> data["links"], data["graph"]
    ([{'source': 'a', 'target': 'b'}], {'note': 'x'})
    """
    return nx.node_link_data(graph, edges="links")


def to_graphml(graph: nx.Graph[Any]) -> bytes:
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
        list(graph.edges(keys=True, data=True))
        if isinstance(graph, nx.MultiGraph)
        else list(graph.edges(data=True))
    )
    for (*ends, _), data in zip(edges, _graphml_attributes([edge[-1] for edge in edges]), strict=True):
        clean.add_edge(*ends, **data)
    return "\n".join(nx.generate_graphml(clean, prettyprint=True)).encode("utf-8")
