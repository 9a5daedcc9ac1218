"""A subgraph as a networkx graph and as GraphML, for Gephi, Cytoscape and yEd.

Resources are nodes, their literals node attributes, and each link (see
:mod:`graph.export.edges`) an edge labelled by its predicate. Literals keep
their type where GraphML has one (:func:`graph.terms.values.plain_value`: a
well-formed integer, double or boolean as such), so Gephi ranks and sizes by
a stance value, an offset or ``hedged``; a predicate with several values on one
node, or values of several types across nodes, is written as text (the rule of
:mod:`graph.network.graphml`). Each edge's id is a hash of its triple: unique,
and the same in every export that has the triple. Blank nodes (the OWL axiom
annotations of inferences) are named canonically, by rdflib's canonicalization,
so asking for a subgraph twice gives the same file, blank node ids included.

>>> from rdflib import URIRef
>>> g = Graph().add((URIRef("http://e/a"), URIRef("http://e/p"), URIRef("http://e/b")))
>>> document = subgraph_graphml(g)
>>> b'<edge id="e' in document and b'source="http://e/a" target="http://e/b"' in document
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rdflib import RDF, BNode, Graph, Literal
from rdflib.compare import to_canonical_graph
from rdflib.term import Identifier, Node

from graph._lazy import lazy_module
from graph.export.edges import links, node_id
from graph.namespaces import PREFIXES
from graph.network import to_graphml
from graph.subgraph import node_label
from graph.terms.values import JsonValue, plain_value

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

    Each node has ``iri``, ``label`` and ``type`` plus one attribute per
    literal-valued predicate, by its prefixed name: the literal's value
    (:func:`~graph.terms.values.plain_value`), or the tuple of its values when
    there are several. Each object-valued triple is an edge keyed by its
    predicate's IRI, labelled by its prefixed name.

    >>> from rdflib import RDFS, Literal
    >>> from graph.namespaces import SG, SGD
    >>> g = Graph().add((SGD.p, SG.holder, SGD.canada)).add((SGD.canada, RDFS.label, Literal("Canada")))
    >>> network = rdf_to_networkx(g.add((SGD.p, SG.stanceValue, Literal(2))))
    >>> network.nodes[str(SGD.canada)]["label"], network.nodes[str(SGD.p)]["sg:stanceValue"]
    ('Canada', 2)
    >>> [(key, data["label"]) for *_, key, data in network.edges(keys=True, data=True)]
    [('https://w3id.org/stancegraph/ontology#holder', 'sg:holder')]
    """
    for prefix, namespace in PREFIXES.items():
        graph.namespace_manager.bind(prefix, namespace, override=False)
    network: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in sorted(_nodes(graph)):
        types: list[str] = []
        literals: dict[str, list[JsonValue]] = {}
        for predicate, value in sorted(graph.predicate_objects(node)):
            if predicate == RDF.type:
                types.append(_short(graph, value))
            elif isinstance(value, Literal):
                literals.setdefault(_short(graph, predicate), []).append(plain_value(value))
        attributes: dict[str, JsonValue | tuple[JsonValue, ...]] = {
            key: values[0] if len(values) == 1 else tuple(values) for key, values in literals.items()
        }
        if types:
            attributes["type"] = " | ".join(types)
        network.add_node(node_id(node), iri=node_id(node), **attributes, label=node_label(graph, node))
    for subject, predicate, value in links(graph):
        short = _short(graph, predicate)
        network.add_edge(
            node_id(subject), node_id(value), key=str(predicate), predicate=str(predicate), label=short
        )
    return network


def subgraph_graphml(graph: Graph) -> bytes:
    """The subgraph as GraphML: :func:`rdf_to_networkx` written by :func:`graph.network.to_graphml`.

    >>> from rdflib import Literal, URIRef
    >>> g = Graph().add((URIRef("http://e/a"), URIRef("http://e/hedged"), Literal(True)))
    >>> b'attr.name="http://e/hedged" attr.type="boolean"' in subgraph_graphml(g)
    True
    """
    return to_graphml(rdf_to_networkx(stable_blank_nodes(graph)))


def stable_blank_nodes(graph: Graph) -> Graph:
    """``graph`` with its blank nodes labelled canonically (``graph`` itself when it has none): the store
    names them anew on each answer, and an export must be the same bytes every time."""
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    stable = Graph()
    for prefix, namespace in graph.namespaces():
        stable.bind(prefix, namespace, override=False)
    stable += to_canonical_graph(graph)
    return stable
