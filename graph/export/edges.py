"""A subgraph as edges: which triples link two nodes, the nodes' ids, and the CSV edge list.

GraphML (:mod:`graph.export.graphml`) and CSV show the same edges: the
object-valued triples, rdf:type aside.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from rdflib import RDF, BNode, Graph, Literal
from rdflib.term import Node

from graph.subgraph import node_label


def node_id(node: Node) -> str:
    """A node's id in the edge list and GraphML: its IRI, or ``_:`` and a blank node's label.

    >>> from rdflib import BNode, URIRef
    >>> node_id(URIRef("http://e/a")), node_id(BNode("b1"))
    ('http://e/a', '_:b1')
    """
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def links(graph: Graph) -> list[tuple[Node, Node, Node]]:
    """The object-valued triples, rdf:type aside (types are node attributes), in a stable order.

    >>> g = Graph().parse(data="<http://e/a> a <http://e/C> ; <http://e/p> <http://e/b>, 'x' .", format="ttl")
    >>> [str(predicate) for _, predicate, _ in links(g)]
    ['http://e/p']
    """
    return sorted((s, p, o) for s, p, o in graph if p != RDF.type and not isinstance(o, Literal))


def edge_list_csv(graph: Graph) -> bytes:
    """The subgraph as a CSV edge list: one row per link, with the labels of both ends.

    >>> from rdflib import RDFS, Literal, URIRef
    >>> g = Graph().add((URIRef("http://e/a"), URIRef("http://e/p"), URIRef("http://e/b")))
    >>> print(edge_list_csv(g.add((URIRef("http://e/b"), RDFS.label, Literal("B")))).decode().strip())
    source,predicate,target,source_label,target_label
    http://e/a,http://e/p,http://e/b,http://e/a,B
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "predicate", "target", "source_label", "target_label"])
    for subject, predicate, value in links(graph):
        row: Iterable[str] = (node_id(subject), str(predicate), node_id(value))
        writer.writerow([*row, node_label(graph, subject), node_label(graph, value)])
    return buffer.getvalue().encode("utf-8")
