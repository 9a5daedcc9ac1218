"""What a reader sees of a node: its label, else its id or IRI.

>>> from rdflib import Literal
>>> from graph.namespaces import entity
>>> node_label(Graph().add((entity("canada"), RDFS.label, Literal("Canada"))), entity("canada"))
'Canada'
"""

from __future__ import annotations

from rdflib import RDFS, SKOS, BNode, Graph, Literal
from rdflib.term import Node

from graph.namespaces import slug_of


def node_label(graph: Graph, node: Node) -> str:
    """A node's English (or any) rdfs:label or skos:prefLabel in ``graph``; else its id or IRI.

    >>> from rdflib import Literal, URIRef
    >>> from graph.namespaces import entity
    >>> g = Graph().add((URIRef("http://e/a"), RDFS.label, Literal("A", lang="en")))
    >>> node_label(g, URIRef("http://e/a")), node_label(g, entity("canada")), node_label(g, BNode("b1"))
    ('A', 'canada', 'b1')
    """
    labels = [
        label
        for predicate in (RDFS.label, SKOS.prefLabel)
        for label in graph.objects(node, predicate)
        if not isinstance(label, BNode)  # names nothing a reader could see
    ]
    english = [label for label in labels if getattr(label, "language", None) in ("en", None)]
    if english or labels:
        # Literals before IRIs (shown as their text), each kind in text order: never varies.
        return str(min(english or labels, key=lambda t: (not isinstance(t, Literal), str(t), t.n3())))
    return slug_of(str(node)) or str(node)
