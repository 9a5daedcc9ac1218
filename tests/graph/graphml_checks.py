"""The GraphML schema's rules, checked by hand, and the rules Gephi's importer adds.

lxml (the one Python library that validates against an XML Schema) is not in the test
environment and the GraphML XSD is not available offline, so the identity constraints of
the GraphML structure schema are written out here, with the standard library's XML parser
(a third reader beside networkx and igraph):

* node ids unique in the document (the XSD's key over ``.//node/@id``);
* edge ids unique (its unique constraint over ``.//edge/@id``), and here every edge has one;
* key ids unique (its key over ``key/@id``), each key for one domain with a GraphML type;
* every ``data`` names a declared key whose ``for`` is the element it sits in (or ``all``);
* every edge's source and target a declared node (its keyrefs);
* every value in the lexical space of its key's type (XML Schema's boolean, int, long, double).

:func:`assert_both_parsers_agree` reads a file with networkx and with igraph and compares what
they read. :func:`gephi_problems` adds what Gephi's GraphML importer (ImporterGraphML) does with
names: a key whose *id* is one of the names it maps to a property (``d3`` is a node's
label, ``d7`` an edge's, yEd's defaults) takes that property whatever its ``attr.name``.
"""

from __future__ import annotations

import io
import math
import re
import tempfile
from collections import Counter
from typing import Any
from xml.etree import ElementTree

import igraph  # type: ignore[import-untyped]
import networkx as nx

NS = "{http://graphml.graphdrawing.org/xmlns}"
TYPES = {"boolean", "int", "long", "float", "double", "string"}
DOMAINS = {"graph", "node", "edge", "all", "graphml", "hyperedge", "port", "endpoint"}
_DOUBLE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN")
_INTEGER = re.compile(r"[+-]?\d+")
_RANGES = {"int": range(-(2**31), 2**31), "long": range(-(2**63), 2**63)}
# ImporterGraphML's property names: a key with one of these ids (or attr.names) is a property.
GEPHI_NODE_PROPERTIES = {"label", "d3", "x", "y", "xpos", "ypos", "z", "size", "r", "g", "b"}
GEPHI_EDGE_PROPERTIES = {"label", "edgelabel", "d7", "weight", "Edge Weight", "id", "edgeid", "r", "g", "b"}


def _repeated(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


def lexically_valid(text: str, type: str) -> bool:
    """Whether ``text`` is a value of the GraphML (XML Schema) type ``type``."""
    if type == "boolean":
        return text in ("true", "false", "1", "0")
    if type in _RANGES:
        return bool(_INTEGER.fullmatch(text)) and int(text) in _RANGES[type]
    if type in ("float", "double"):
        return bool(_DOUBLE.fullmatch(text))
    return True


def graphml_problems(document: bytes) -> list[str]:
    """Every way ``document`` breaks the GraphML structure schema's identity rules and types; [] if none."""
    root = ElementTree.fromstring(document)
    problems: list[str] = []
    if root.tag != f"{NS}graphml":
        return [f"root element is {root.tag}, not graphml in the GraphML namespace"]
    keys = root.findall(f"{NS}key")
    problems += [f"key id {key!r} declared twice" for key in _repeated([k.get("id", "") for k in keys])]
    declared = {key.get("id", ""): key for key in keys}
    for key in keys:
        if key.get("for", "all") not in DOMAINS:
            problems.append(f"key {key.get('id')!r} is for {key.get('for')!r}")
        if key.get("attr.type", "string") not in TYPES:
            problems.append(f"key {key.get('id')!r} has type {key.get('attr.type')!r}")
    names = [f"{key.get('for')} {key.get('attr.name')}" for key in keys]
    problems += [f"attribute {name!r} has two keys (two types)" for name in _repeated(names)]
    nodes = root.findall(f".//{NS}node")
    node_ids = [node.get("id", "") for node in nodes]
    problems += [f"node id {node!r} used twice" for node in _repeated(node_ids)]
    edges = root.findall(f".//{NS}edge")
    problems += [
        f"edge {edge.get('source')} -> {edge.get('target')} has no id" for edge in edges if not edge.get("id")
    ]
    problems += [
        f"edge id {edge!r} used twice" for edge in _repeated([e.get("id", "") for e in edges if e.get("id")])
    ]
    known = set(node_ids)
    for edge in edges:
        for end in ("source", "target"):
            if edge.get(end) not in known:
                problems.append(f"edge {edge.get('id')!r} has {end} {edge.get(end)!r}, no node")
    for element in root.iter():
        domain = element.tag.removeprefix(NS)
        data = element.findall(f"{NS}data")
        problems += [
            f"{domain} {element.get('id')!r} has key {k!r} twice"
            for k in _repeated([d.get("key", "") for d in data])
        ]
        for datum in data:
            found = declared.get(datum.get("key", ""))
            if found is None:
                problems.append(
                    f"{domain} {element.get('id')!r} has data of undeclared key {datum.get('key')!r}"
                )
                continue
            if found.get("for", "all") not in (domain, "all"):
                problems.append(f"key {found.get('id')!r} is for {found.get('for')}, used on a {domain}")
            type = found.get("attr.type", "string")
            if not lexically_valid(datum.text or "", type):
                problems.append(
                    f"{domain} {element.get('id')!r}: {datum.text!r} is no {type} ({found.get('attr.name')})"
                )
    return problems


def gephi_problems(document: bytes) -> list[str]:
    """Keys Gephi's importer would read otherwise than their names say; [] if none."""
    root = ElementTree.fromstring(document)
    problems = []
    for key in root.findall(f"{NS}key"):
        reserved = {"node": GEPHI_NODE_PROPERTIES, "edge": GEPHI_EDGE_PROPERTIES}.get(
            key.get("for", ""), set()
        )
        if key.get("id") in reserved and key.get("id") != key.get("attr.name"):
            problems.append(
                f"Gephi reads key {key.get('id')!r} ({key.get('attr.name')!r}) as its {key.get('id')} "
                "property"
            )
    for domain in ("node", "edge"):
        labels = [
            key
            for key in root.findall(f"{NS}key")
            if key.get("for") == domain and key.get("attr.name") == "label"
        ]
        if root.findall(f".//{NS}{domain}") and (len(labels) != 1 or labels[0].get("attr.type") != "string"):
            problems.append(f"no one string label key for the {domain}s")
    return problems


def read_igraph(document: bytes) -> Any:
    with tempfile.NamedTemporaryFile(suffix=".graphml") as file:
        file.write(document)
        file.flush()
        return igraph.Graph.Read_GraphML(file.name)


def key_types(document: bytes, domain: str) -> dict[str, str]:
    root = ElementTree.fromstring(document)
    return {
        key.get("attr.name", ""): key.get("attr.type", "")
        for key in root.findall(f"{NS}key")
        if key.get("for") == domain
    }


def edge_ids(document: bytes) -> list[str]:
    return [edge.get("id", "") for edge in ElementTree.fromstring(document).iter(f"{NS}edge")]


def same_value(networkx_value: Any, igraph_value: Any) -> bool:
    if isinstance(networkx_value, bool):
        return igraph_value is networkx_value
    if isinstance(networkx_value, int | float):
        return math.isclose(float(networkx_value), igraph_value)
    return bool(networkx_value == igraph_value)


def assert_both_parsers_agree(document: bytes) -> tuple[nx.MultiGraph[str], Any]:
    """networkx and igraph read the same nodes, attributes, edges and labels."""
    parsed = nx.read_graphml(io.BytesIO(document))
    read: nx.MultiGraph[str] = nx.MultiDiGraph(parsed) if parsed.is_directed() else nx.MultiGraph(parsed)
    other = read_igraph(document)
    assert other.is_directed() == read.is_directed()
    assert other.vcount() == read.number_of_nodes() and other.ecount() == read.number_of_edges()
    vertices = {vertex["id"]: vertex.attributes() for vertex in other.vs}
    assert set(vertices) == set(read)
    for node, data in read.nodes(data=True):
        assert data["label"], node
        for name, value in data.items():
            assert same_value(value, vertices[node][name]), (node, name, value, vertices[node][name])
    names = other.vs["id"]

    # igraph 1.0 reports an edge's "id" attribute as its source's id, so edges are compared by ends and label.
    def ends(source: str, target: str) -> tuple[str, ...]:
        return (source, target) if read.is_directed() else tuple(sorted((source, target)))

    assert Counter((*ends(names[e.source], names[e.target]), e["label"]) for e in other.es) == Counter(
        (*ends(source, target), data["label"]) for source, target, data in read.edges(data=True)
    )
    assert all(data["label"] for *_, data in read.edges(data=True))
    return read, other
