"""Subgraphs as self-contained OWL 2 DL documents, the ones Protégé opens offline.

An ontology header of their own, no owl:imports, and the declaration of every
class and property they use, taken from the stancegraph ontology, so Protégé
opens them with no missing import and no property mistaken for an annotation.

>>> from graph.namespaces import SG, SGD
>>> owl = self_contained_owl(Graph().add((SGD.p, SG.holder, SGD.canada)), ontology_graph(), name="c")
>>> (export_iri("c"), RDF.type, OWL.Ontology) in owl
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import chain
from typing import cast

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from graph.export.names import export_iri
from graph.namespaces import ONTOLOGY_GRAPH, ONTOLOGY_IRI, PREFIXES
from graph.paths import ONTOLOGY_FILE
from graph.stores.base import Store
from graph.subgraph import construct

Triple = tuple[Node, Node, Node]
IdentifierTriple = tuple[Identifier, Identifier, Identifier]


def ontology_graph(store: Store | None = None) -> Graph:
    """The stancegraph ontology: the store's ontology graph, or the packaged file when the store has none.

    >>> (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology_graph()
    True
    """
    if store is not None:
        stored = construct(
            store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ONTOLOGY_GRAPH.n3()} {{ ?s ?p ?o }} }}"
        )
        if len(stored):
            return stored
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


# Built into OWL or RDF: never declared, never individuals.
_BUILT_IN = (str(OWL), str(RDF), str(RDFS), "http://www.w3.org/2001/XMLSchema#")
_DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# What a graph may declare a node to be that is no individual.
_ENTITY_TYPES = frozenset({*_DECLARATION_TYPES, RDFS.Datatype, RDFS.Class, OWL.Ontology})
# Annotation properties in common use, for data whose ontology does not declare them.
_KNOWN_ANNOTATIONS = frozenset(
    {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy}
    | {SKOS[name] for name in ("prefLabel", "altLabel", "hiddenLabel", "definition", "note", "editorialNote")}
    | {SKOS[name] for name in ("scopeNote", "example", "changeNote", "historyNote")}
)
# What a declaration carries along from the ontology: names and definitions for the reader.
_DECLARATION_ANNOTATIONS = (RDFS.label, SKOS.definition)


def _is_built_in(term: Node) -> bool:
    return str(term).startswith(_BUILT_IN)


class _Declarations:
    """The declarations of the terms a graph uses, gathered from the ontology (or from use)."""

    def __init__(self, values_of: dict[Identifier, list[Identifier]], ontology: Graph) -> None:
        self.values_of, self.ontology = values_of, ontology  # values_of: each predicate's objects
        self.out: set[Triple] = set()
        self.done: set[Node] = set()

    def kinds(self, term: URIRef) -> set[Node]:
        return {kind for kind in self.ontology.objects(term, RDF.type) if kind in _DECLARATION_TYPES}

    def used_kind(self, predicate: Identifier) -> URIRef:
        # A property the ontology does not declare is declared by how the graph uses it.
        if predicate in _KNOWN_ANNOTATIONS:
            return OWL.AnnotationProperty
        values = self.values_of.get(predicate, [])
        if all(isinstance(value, Literal) for value in values):
            return OWL.DatatypeProperty
        if not any(isinstance(value, Literal) for value in values):
            return OWL.ObjectProperty
        return OWL.AnnotationProperty  # mixed values: only an annotation property may carry both

    def declare(self, term: Node, fallback: URIRef) -> None:
        if term in self.done or not isinstance(term, URIRef) or _is_built_in(term):
            return
        self.done.add(term)
        kinds = self.kinds(term) or {fallback}
        for kind in kinds:
            self.out.add((term, RDF.type, kind))
        for annotation in _DECLARATION_ANNOTATIONS:
            for value in self.ontology.objects(term, annotation):
                self.out.add((term, annotation, value))
                self.declare(annotation, OWL.AnnotationProperty)
        if OWL.Class in kinds:
            for parent in self.ontology.objects(term, RDFS.subClassOf):
                if isinstance(parent, URIRef):
                    self.out.add((term, RDFS.subClassOf, parent))
                    self.declare(parent, OWL.Class)
        if OWL.ObjectProperty in kinds:
            self.axioms(term, RDFS.domain, RDFS.range)
        if OWL.DatatypeProperty in kinds:
            self.axioms(term, RDFS.domain)
            for datatype in self.ontology.objects(term, RDFS.range):
                # A range the values do not all have would make the document inconsistent.
                values = self.values_of.get(term, [])
                if isinstance(datatype, URIRef) and all(
                    getattr(v, "datatype", None) == datatype for v in values
                ):
                    self.out.add((term, RDFS.range, datatype))

    def axioms(self, term: URIRef, *predicates: URIRef) -> None:
        # Only named classes: a union or restriction would drag in the ontology's logic.
        for predicate in predicates:
            for value in self.ontology.objects(term, predicate):
                if isinstance(value, URIRef):
                    self.out.add((term, predicate, value))
                    self.declare(value, OWL.Class)


def owl_additions(
    graph: Graph, ontology: Graph, *, name: str = "subgraph", comment: str | None = None
) -> list[Triple]:
    """What makes ``graph`` a self-contained OWL 2 DL document: the triples to add to it, header first.

    An owl:Ontology header (IRI from :func:`export_iri`, no owl:imports), the
    declaration of every class and property the graph uses with its label,
    definition, named superclasses and named domain and range (from
    ``ontology``; declared by use when the ontology lacks them), every
    individual typed owl:NamedIndividual, and the link each OWL axiom
    annotation of the graph is about, when the graph lacks it. No
    disjointness, cardinality or functionality axioms are copied, so the
    document cannot contradict itself. Computed in one pass over ``graph``,
    which is never copied.

    >>> from graph.namespaces import SG, SGD
    >>> added = owl_additions(Graph().add((SGD.p, SG.holder, SGD.canada)), ontology_graph(), name="c")
    >>> added[0] == (export_iri("c"), RDF.type, OWL.Ontology)
    True
    >>> (SGD.canada, RDF.type, OWL.NamedIndividual) in added
    True
    """
    vocabulary, about_data = owl_parts(graph, ontology, name=name, comment=comment)
    return vocabulary + sorted(about_data, key=sort_key)


def owl_parts(
    graph: Graph, ontology: Graph, *, name: str, comment: str | None
) -> tuple[list[Triple], set[Triple]]:
    """:func:`owl_additions` in two parts: the header and the declarations, in order; then the
    triples about the data's own nodes (individual typings, missing annotated links), which a
    writer best puts beside the nodes' other triples.

    >>> from graph.namespaces import SG, SGD
    >>> g = Graph().add((SGD.p, SG.holder, SGD.canada))
    >>> vocabulary, about_data = owl_parts(g, ontology_graph(), name="c", comment=None)
    >>> vocabulary[0] == (export_iri("c"), RDF.type, OWL.Ontology)
    True
    >>> (SGD.p, RDF.type, OWL.NamedIndividual) in about_data
    True
    """
    links = _missing_annotated_links(graph)
    values_of: dict[Identifier, list[Identifier]] = defaultdict(list)
    classes: set[Identifier] = set()
    nodes: set[Identifier] = set()
    # rdflib's terms are Identifiers, which sort; its annotations call them Nodes, which do not.
    for subject, predicate, value in cast(Iterable[IdentifierTriple], chain(graph, links)):
        values_of[predicate].append(value)
        nodes.add(subject)
        if predicate == RDF.type:
            if not _is_built_in(value):
                classes.add(value)
        elif not isinstance(value, Literal):
            nodes.add(value)
    declarations = _Declarations(values_of, ontology)
    for term in sorted(classes):
        declarations.declare(term, OWL.Class)
    for predicate in sorted(values_of):
        declarations.declare(predicate, declarations.used_kind(predicate))
    # A class or property named but not used as one (the value of an owl:disjointWith, the subject
    # of its own declaration in a CONSTRUCT of the ontology graph) is declared as what it is, not
    # made an individual: that would pun it.
    declared_in_graph = {
        node for node in nodes if any(kind in _ENTITY_TYPES for kind in graph.objects(node, RDF.type))
    }
    vocabulary_terms = {node for node in nodes if isinstance(node, URIRef) and declarations.kinds(node)}
    for term in sorted(vocabulary_terms):
        declarations.declare(term, OWL.Class)
    header = export_iri(name)
    default_comment = (
        f"The stancegraph subgraph '{name}', with the declarations of the terms it uses taken from "
        f"{ONTOLOGY_IRI}, so that it opens on its own: it imports nothing."
    )
    individuals = {
        (node, RDF.type, OWL.NamedIndividual)
        for node in nodes
        if isinstance(node, URIRef)
        and node not in classes
        and node not in values_of
        and node not in vocabulary_terms
        and node not in declared_in_graph
        and not _is_built_in(node)
    }
    vocabulary = [
        (header, RDF.type, OWL.Ontology),
        (header, RDFS.label, Literal(f"stancegraph export {name}", lang="en")),
        (header, RDFS.comment, Literal(comment or default_comment, lang="en")),
        *sorted(declarations.out, key=sort_key),
    ]
    return vocabulary, individuals | links


def self_contained_owl(
    graph: Graph, ontology: Graph, *, name: str = "subgraph", comment: str | None = None
) -> Graph:
    """``graph`` as an OWL 2 DL document that stands on its own (Protégé opens it offline).

    ``graph`` and :func:`owl_additions` in a new graph, with the usual prefixes bound, less
    :func:`other_headers`.

    >>> from graph.namespaces import SG, SGD
    >>> g = Graph().add((SGD.p, SG.holder, SGD.canada))
    >>> owl = self_contained_owl(g, ontology_graph(), name="canada-depth1")
    >>> (SG.holder, RDF.type, OWL.ObjectProperty) in owl, (SGD.canada, RDF.type, OWL.NamedIndividual) in owl
    (True, True)
    """
    document = Graph()
    for prefix, namespace in PREFIXES.items():
        document.bind(prefix, namespace)
    added = owl_additions(graph, ontology, name=name, comment=comment)
    left_out = other_headers(graph)
    document.addN((*triple, document) for triple in chain(added, graph) if triple not in left_out)
    return document


# What makes an IRI an ontology's header rather than the subject of annotations.
_HEADER_PREDICATES = frozenset(
    {OWL.versionIRI, OWL.imports, OWL.priorVersion, OWL.backwardCompatibleWith, OWL.incompatibleWith}
)


def other_headers(graph: Graph) -> set[Triple]:
    """The triples that make another ontology's header of the graph's nodes, which an export leaves out.

    An export is one OWL document with one header, its own. A subgraph holding an ontology's
    header (a CONSTRUCT of the ontology graph) would give it two, and the OWL API merges them,
    moving the other's version IRI onto the export. Without its ``a owl:Ontology`` and version
    and import links, the other ontology's title, licence and version info remain annotations
    of its IRI, read as written.

    >>> g = Graph().add((ONTOLOGY_IRI, RDF.type, OWL.Ontology))
    >>> g.add((ONTOLOGY_IRI, OWL.versionIRI, URIRef("http://e/1")))
    <Graph identifier=...>
    >>> g.add((ONTOLOGY_IRI, OWL.versionInfo, Literal("1")))
    <Graph identifier=...>
    >>> sorted(str(p) for _, p, _ in other_headers(g))
    ['http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'http://www.w3.org/2002/07/owl#versionIRI']
    """
    left_out: set[Triple] = set()
    for header in graph.subjects(RDF.type, OWL.Ontology):
        left_out.add((header, RDF.type, OWL.Ontology))
        left_out.update(
            (header, predicate, value)
            for predicate, value in graph.predicate_objects(header)
            if predicate in _HEADER_PREDICATES
        )
    return left_out


def _missing_annotated_links(graph: Graph) -> set[Triple]:
    """The links the graph's OWL axiom annotations are about, where the graph lacks them.

    An ego subgraph can reach the annotation (through its target) without the
    link it annotates; OWL cannot annotate an assertion the document lacks,
    and the store asserts the link, so it comes along.
    """
    missing: set[Triple] = set()
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        source, annotated, target = (
            graph.value(axiom, part)
            for part in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget)
        )
        if source is None or annotated is None or target is None:
            continue
        if (source, annotated, target) not in graph:
            missing.add((source, annotated, target))
    return missing


def sort_key(triple: Triple) -> tuple[str, str, str]:
    """The order triples are written in: by the text of subject, predicate and object.

    >>> from graph.namespaces import SG, SGD
    >>> sort_key((SGD.p, SG.holder, SGD.canada))[1]
    'https://w3id.org/stancegraph/ontology#holder'
    """
    subject, predicate, value = triple
    return (str(subject), str(predicate), str(value))
