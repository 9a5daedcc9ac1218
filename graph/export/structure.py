"""OWL's blank-node structure in a CONSTRUCT result: kept when the result holds it whole, else left out.

OWL writes a restriction, an anonymous class or datatype, an axiom annotation
and the like as blank nodes with the triples OWL's mapping to RDF requires
(an owl:Restriction its owl:onProperty and what it restricts, a list its
rdf:first and rdf:rest, ...). A CONSTRUCT picks up such a node with whatever
triples its pattern matched: ``CONSTRUCT WHERE { ?s a ?t }`` takes
``_:r a owl:Restriction`` from the ontology graph and nothing else, and the
OWL API, the library inside Protégé, cannot load a document holding that.
The rest of the structure cannot be asked for afterwards (a query cannot name
a blank node of the store), so a self-contained OWL export leaves out each
group of linked blank nodes that is not whole, with every triple naming one,
and says what it left out (:func:`without_broken_structure`).

>>> from rdflib import URIRef
>>> g = Graph().add((BNode(), RDF.type, OWL.Restriction)).add((URIRef("http://e/a"), RDF.type, OWL.Class))
>>> kept, omitted = without_broken_structure(g)
>>> len(kept), omitted
(1, {'owl:Restriction': 1})
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.term import Node

# For each kind of structural blank node, the predicates it needs: one of each inner tuple.
_REQUIRED: dict[URIRef, tuple[tuple[URIRef, ...], ...]] = {
    OWL.Axiom: ((OWL.annotatedSource,), (OWL.annotatedProperty,), (OWL.annotatedTarget,)),
    OWL.Annotation: ((OWL.annotatedSource,), (OWL.annotatedProperty,), (OWL.annotatedTarget,)),
    OWL.Restriction: (
        (OWL.onProperty, OWL.onProperties),
        (
            *(OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue, OWL.hasSelf, OWL.cardinality),
            *(OWL.minCardinality, OWL.maxCardinality, OWL.qualifiedCardinality),
            *(OWL.minQualifiedCardinality, OWL.maxQualifiedCardinality),
        ),
    ),
    OWL.Class: ((OWL.unionOf, OWL.intersectionOf, OWL.complementOf, OWL.oneOf),),
    RDFS.Datatype: ((OWL.onDatatype, OWL.unionOf, OWL.intersectionOf, OWL.datatypeComplementOf, OWL.oneOf),),
    OWL.AllDisjointClasses: ((OWL.members,),),
    OWL.AllDisjointProperties: ((OWL.members,),),
    OWL.AllDifferent: ((OWL.members, OWL.distinctMembers),),
    OWL.NegativePropertyAssertion: (
        (OWL.sourceIndividual,),
        (OWL.assertionProperty,),
        (OWL.targetIndividual, OWL.targetValue),
    ),
}
# Predicates whose blank-node value is a list, and those whose blank-node value is an expression
# (a class, datatype or property): either has triples of its own, or the structure is cut short.
_LISTS = frozenset(
    {OWL.unionOf, OWL.intersectionOf, OWL.oneOf, OWL.members, OWL.distinctMembers, OWL.withRestrictions}
    | {OWL.onProperties, OWL.propertyChainAxiom, OWL.hasKey, OWL.disjointUnionOf, RDF.rest}
)
_EXPRESSIONS = frozenset(
    {OWL.someValuesFrom, OWL.allValuesFrom, OWL.complementOf, OWL.datatypeComplementOf, OWL.onClass}
    | {OWL.onDataRange, OWL.onDatatype, OWL.onProperty, OWL.inverseOf, OWL.equivalentClass}
    | {OWL.disjointWith, RDFS.subClassOf, RDFS.domain, RDFS.range}
)
_PREFIXES = {str(OWL): "owl:", str(RDFS): "rdfs:", str(RDF): "rdf:"}


def without_broken_structure(graph: Graph) -> tuple[Graph, dict[str, int]]:
    """``graph`` less the groups of linked blank nodes it does not hold whole, and what was left out.

    A blank node is whole when it has what OWL's RDF mapping asks of its kind
    (:data:`_REQUIRED`; a list node its rdf:first and rdf:rest) and every blank
    node it names is whole; blank nodes linked to each other stand or fall
    together, with every triple that names one of them. Blank nodes of no OWL
    kind (anonymous individuals) are whole. The count of left-out groups is
    given by the kind of their first typed node (``owl:Restriction``, ...;
    ``rdf:List`` for bare list nodes). ``graph`` itself is returned when nothing
    is left out.

    >>> from rdflib import Literal, URIRef
    >>> a, r = URIRef("http://e/a"), BNode()
    >>> g = Graph().add((a, RDFS.subClassOf, r)).add((r, RDF.type, OWL.Restriction))
    >>> g.add((r, OWL.onProperty, URIRef("http://e/p"))).add((r, OWL.hasValue, Literal(1)))
    <Graph identifier=...>
    >>> without_broken_structure(g)[1]
    {}
    >>> g.remove((r, OWL.hasValue, None))
    <Graph identifier=...>
    >>> kept, omitted = without_broken_structure(g)
    >>> len(kept), omitted
    (0, {'owl:Restriction': 1})
    """
    links: nx.Graph[Node] = nx.Graph()
    for subject, _, value in graph:
        if isinstance(subject, BNode):
            links.add_node(subject)
            if isinstance(value, BNode):
                links.add_edge(subject, value)
        elif isinstance(value, BNode):
            links.add_node(value)
    broken: set[Node] = set()
    omitted: Counter[str] = Counter()
    for group in nx.connected_components(links):
        if all(_whole(graph, node) for node in group):
            continue
        broken |= group
        omitted[_kind(graph, group)] += 1
    if not broken:
        return graph, {}
    kept = Graph()
    for prefix, namespace in graph.namespaces():
        kept.bind(prefix, namespace)
    kept.addN(
        (subject, predicate, value, kept)
        for subject, predicate, value in graph
        if subject not in broken and value not in broken
    )
    return kept, dict(sorted(omitted.items()))


def describe_omitted(omitted: dict[str, int]) -> str:
    """A one-line account of what :func:`without_broken_structure` left out, for a warning.

    >>> print(describe_omitted({"owl:Axiom": 2, "owl:Restriction": 1}))
    left out 3 OWL structures of blank nodes that the result holds in part (owl:Axiom 2,
    owl:Restriction 1), with the triples naming them; CONSTRUCT all their triples to keep them
    """
    listed = ", ".join(f"{kind} {count}" for kind, count in omitted.items())
    total = sum(omitted.values())
    return (
        f"left out {total} OWL structure{'s' if total != 1 else ''} of blank nodes that the result holds "
        f"in part ({listed}), with the triples naming them; CONSTRUCT all their triples to keep them"
    )


def _whole(graph: Graph, node: Node) -> bool:
    predicates = set(graph.predicates(node))
    if not predicates:
        return not any(predicate in _LISTS | _EXPRESSIONS for predicate in graph.predicates(None, node))
    if RDF.first in predicates or RDF.rest in predicates or (None, RDF.rest, node) in graph:
        return RDF.first in predicates and RDF.rest in predicates
    for kind in graph.objects(node, RDF.type):
        for needed in _REQUIRED.get(kind, ()):  # type: ignore[call-overload]
            if predicates.isdisjoint(needed):
                return False
    return True


def _kind(graph: Graph, group: set[Node]) -> str:
    kinds = sorted(str(kind) for node in group for kind in graph.objects(node, RDF.type) if kind in _REQUIRED)
    if not kinds:
        return "rdf:List" if any((node, RDF.first, None) in graph for node in group) else "blank node"
    namespace = next((ns for ns in _PREFIXES if kinds[0].startswith(ns)), "")
    return _PREFIXES.get(namespace, "") + kinds[0].removeprefix(namespace) if namespace else f"<{kinds[0]}>"
