"""GraphML as Gephi reads it, and every other GraphML reader with it: one type per key, unique ids.

networkx's own writer does not give that, in three ways. It numbers its keys
``d0``, ``d1`` ...: Gephi's importer takes a node key with id ``d3`` and an edge
key ``d7`` for the label (yEd's defaults), so whatever attribute lands on them
becomes the label. It writes booleans as Python prints them (``True``), which
GraphML's ``boolean`` (XML Schema's: ``true``, ``false``, ``1``, ``0``) does not
allow. And it gives an edge an id only in a multigraph, its key, which repeats
across node pairs (a subgraph's edges were keyed by their predicate); Gephi
merges edges of one id. So this module writes the XML itself.

Types: a key has one, the narrowest that holds every value written with it:
``boolean`` if all are booleans; ``int`` (32 bits, Gephi's int) or ``long``
(64 bits) if all are integers; ``double`` if all are numbers and some are
floats (integers beside them are written as doubles, exactly, up to 2**53);
``string`` otherwise: an attribute whose values are of mixed kinds (a value
kept as stored, ``"abc"``, beside integers; a boolean beside a number), an
integer past 64 bits, a float that is not finite (Gephi parses no ``INF``) or
a list (written ``" | "``-joined) makes the whole key ``string``, every value in
its text (booleans as ``true``/``false``). ``None`` is left out.

Ids: a node's is its networkx node as text; an edge's is ``e`` and 16 hex digits
of a hash of its ends (in text order when undirected) and, in a multigraph, its
key: the same edge gets the same id in every file, so Gephi's "append to
workspace" merges two exports edge by edge. Key ids are ``kg0``, ``kn0``,
``ke0`` ... (graph, node, edge), none a name Gephi reserves.

>>> graph = nx.MultiDiGraph()
>>> _ = graph.add_edge("a", "b", label="p", hedged=True, value=2)
>>> document = write_graphml(graph).decode()
>>> '<key id="ke0" for="edge" attr.name="hedged" attr.type="boolean" />' in document
True
>>> '<data key="ke0">true</data>' in document and '<edge id="e' in document
True
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from graph._lazy import lazy_module

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = lazy_module("networkx")

GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
_SCHEMA_LOCATION = f"{GRAPHML_NAMESPACE} {GRAPHML_NAMESPACE}/1.0/graphml.xsd"
_INT = range(-(2**31), 2**31)
_LONG = range(-(2**63), 2**63)
_EXACT_IN_DOUBLE = range(-(2**53), 2**53 + 1)
# Characters XML 1.0 cannot carry at all, even escaped: such a value would make the file unreadable.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def graphml_type(values: Iterable[Any]) -> str:
    """The GraphML ``attr.type`` of a key with these values (``None`` aside), by the module's rule.

    >>> graphml_type([True, False]), graphml_type([1, 2**40]), graphml_type([1, 0.5]), graphml_type([1, "x"])
    ('boolean', 'long', 'double', 'string')
    >>> graphml_type([1, True]), graphml_type([float("nan")]), graphml_type([2**64]), graphml_type([(1, 2)])
    ('string', 'string', 'string', 'string')
    """
    kinds: set[str] = set()
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool):
            kinds.add("boolean")
        elif isinstance(value, int):
            kinds.add("int" if value in _INT else "long" if value in _LONG else "string")
            if value not in _EXACT_IN_DOUBLE:
                kinds.add("inexact")
        elif isinstance(value, float):
            kinds.add("double" if math.isfinite(value) else "string")
        else:
            kinds.add("string")
    if "string" in kinds or ("boolean" in kinds and len(kinds) > 1):
        return "string"
    if "double" in kinds:
        return "string" if "inexact" in kinds else "double"
    for kind in ("boolean", "long", "int"):
        if kind in kinds:
            return kind
    return "string"


def graphml_text(value: Any, type: str) -> str:
    """A value as written in a key of this type.

    >>> graphml_text(True, "boolean"), graphml_text(2, "double"), graphml_text(("a", False), "string")
    ('true', '2.0', 'a | false')
    """
    if type == "double":
        return repr(float(value))
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        text = " | ".join(graphml_text(item, "string") for item in items)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return _NOT_XML.sub("\ufffd", text)


def edge_id(*parts: object) -> str:
    """The id of the edge with these ends (and key): ``e`` and 16 hex digits of their hash.

    >>> edge_id("http://e/a", "http://e/b", "http://e/p") == edge_id("http://e/a", "http://e/b", "http://e/p")
    True
    >>> edge_id("a", "b") != edge_id("b", "a")
    True
    """
    text = json.dumps([str(part) for part in parts], ensure_ascii=False)
    return "e" + hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _edges(graph: nx.Graph[Any]) -> Iterator[tuple[Any, Any, str, dict[str, Any]]]:
    used: set[str] = set()
    rows: Iterable[tuple[Any, ...]] = (
        graph.edges(keys=True, data=True) if isinstance(graph, nx.MultiGraph) else graph.edges(data=True)
    )
    for source, target, *key, data in rows:
        ends = [source, target] if graph.is_directed() else sorted((source, target), key=str)
        found = candidate = edge_id(*ends, *key)
        # Two edges whose ends and keys read the same as text (1 and "1"): told apart in edge order.
        suffix = 1
        while candidate in used:
            candidate, suffix = f"{found}-{suffix}", suffix + 1
        used.add(candidate)
        yield source, target, candidate, data


class _Keys:
    """The keys of one domain (graph, node or edge): an id and a type per attribute name."""

    def __init__(self, domain: str, items: Iterable[Mapping[str, Any]]) -> None:
        values: dict[str, list[Any]] = {}
        for data in items:
            for name, value in data.items():
                if value is not None:
                    values.setdefault(str(name), []).append(value)
        self.domain = domain
        self.types = {name: graphml_type(found) for name, found in sorted(values.items())}
        self.ids = {name: f"k{domain[0]}{index}" for index, name in enumerate(self.types)}

    def declare(self, root: ElementTree.Element) -> None:
        for name, type in self.types.items():
            attributes = {"id": self.ids[name], "for": self.domain, "attr.name": name, "attr.type": type}
            ElementTree.SubElement(root, "key", attributes)

    def write(self, element: ElementTree.Element, data: Mapping[str, Any]) -> None:
        for name, value in sorted(data.items(), key=lambda item: str(item[0])):
            if value is not None:
                name = str(name)
                written = ElementTree.SubElement(element, "data", key=self.ids[name])
                written.text = graphml_text(value, self.types[name])


def write_graphml(graph: nx.Graph[Any]) -> bytes:
    """The graph as GraphML: typed keys, node ids as text, a unique id on every edge (see the module).

    >>> graph = nx.Graph([("a", "b")], note="x")
    >>> b'<data key="kg0">x</data>' in write_graphml(graph)
    True
    """
    nodes = list(graph.nodes(data=True))
    edges = list(_edges(graph))
    ids = {node: str(node) for node, _ in nodes}
    if len(set(ids.values())) < len(ids):
        raise ValueError("two nodes have the same id as text; GraphML needs node ids unique")
    keys = (
        _Keys("graph", [graph.graph]),
        _Keys("node", [data for _, data in nodes]),
        _Keys("edge", [data for *_, data in edges]),
    )
    root = ElementTree.Element(
        "graphml",
        {
            "xmlns": GRAPHML_NAMESPACE,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": _SCHEMA_LOCATION,
        },
    )
    for domain in keys:
        domain.declare(root)
    default = "directed" if graph.is_directed() else "undirected"
    element = ElementTree.SubElement(root, "graph", id="G", edgedefault=default)
    keys[0].write(element, graph.graph)
    # Nodes before edges: igraph's reader takes the attributes of a node first named by an edge as missing.
    for node, data in nodes:
        keys[1].write(ElementTree.SubElement(element, "node", id=ids[node]), data)
    for source, target, identifier, data in edges:
        attributes = {"id": identifier, "source": ids[source], "target": ids[target]}
        keys[2].write(ElementTree.SubElement(element, "edge", attributes), data)
    ElementTree.indent(root)
    written: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return written + b"\n"
