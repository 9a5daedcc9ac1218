"""A subgraph as a networkx graph and as GraphML, for Gephi, Cytoscape and yEd.

Resources are nodes, their literals node attributes, and each link (see
:mod:`graph.export.edges`) an edge labelled by its predicate.

>>> from rdflib import URIRef
>>> g = Graph().add((URIRef("http://e/a"), URIRef("http://e/p"), URIRef("http://e/b")))
>>> b'<edge source="http://e/a" target="http://e/b" id="http://e/p">' in subgraph_graphml(g)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rdflib import RDF, Graph, Literal
from rdflib.term import Identifier, Node

from graph._lazy import lazy_module
from graph.export.edges import links, node_id
from graph.namespaces import PREFIXES
from graph.network import to_graphml
from graph.subgraph import node_label

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = lazy_module("networkx")  # only rdf_to_networkx needs it


def _nodes(graph: Graph) -> set[Identifier]:
    # Subjects and object resources, but not the classes named by rdf:type.
    found: set[Node] = set(graph.subjects())
    found |= {value for predicate, value in graph.predicate_objects() if predicate != RDF.type}
    # rdflib's terms are Identifiers, which sort; its annotations call them Nodes, which do not.
    return cast(set[Identifier], {node for node in found if not isinstance(node, Literal)})


def _short(graph: Graph, iri: Node) -> str:
    try:
        return graph.namespace_manager.curie(str(iri), generate=False)
    except (KeyError, ValueError):
        return str(iri)


def rdf_to_networkx(graph: Graph) -> nx.MultiDiGraph[str]:
    """An RDF graph as a directed multigraph: resources are nodes, literals their attributes.

    Each node has ``label`` and ``type`` plus one attribute per literal-valued
    predicate (by its prefixed name, several values joined by ``" | "``);
    each object-valued triple is an edge keyed and labelled by its predicate.

    >>> from rdflib import RDFS, Literal
    >>> from graph.namespaces import SG, SGD
    >>> g = Graph().add((SGD.p, SG.holder, SGD.canada)).add((SGD.canada, RDFS.label, Literal("Canada")))
    >>> network = rdf_to_networkx(g)
    >>> network.nodes[str(SGD.canada)]["label"], list(network.edges(keys=True))[0][2]
    ('Canada', 'sg:holder')
    """
    for prefix, namespace in PREFIXES.items():
        graph.namespace_manager.bind(prefix, namespace, override=False)
    network: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in sorted(_nodes(graph)):
        attributes: dict[str, list[str]] = {}
        for predicate, value in sorted(graph.predicate_objects(node)):
            if predicate == RDF.type:
                attributes.setdefault("type", []).append(_short(graph, value))
            elif isinstance(value, Literal):
                attributes.setdefault(_short(graph, predicate), []).append(str(value))
        joined = {key: " | ".join(values) for key, values in attributes.items()}
        network.add_node(node_id(node), iri=node_id(node), **joined, label=node_label(graph, node))
    for subject, predicate, value in links(graph):
        short = _short(graph, predicate)
        network.add_edge(node_id(subject), node_id(value), key=short, predicate=str(predicate), label=short)
    return network


def subgraph_graphml(graph: Graph) -> bytes:
    """The subgraph as GraphML: :func:`rdf_to_networkx` written by :func:`graph.network.to_graphml`."""
    return to_graphml(rdf_to_networkx(graph))
