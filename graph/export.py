"""Exports of a subgraph: RDF for Protégé and triple stores, GraphML for Gephi, CSV edge lists.

The RDF exports are self-contained OWL 2 DL documents (:func:`self_contained_owl`):
an ontology header of their own, no owl:imports, and the declaration of every
class and property they use, taken from the stancegraph ontology, so Protégé
opens them offline with no missing import and no property mistaken for an
annotation.

>>> from rdflib import Literal
>>> from graph.namespaces import SG, SGD
>>> g = Graph()
>>> g.add((SGD.p, SG.holder, SGD.canada)).add((SGD.canada, RDFS.label, Literal("Canada")))
<Graph identifier=...>
>>> print(export(g, "csv").decode().strip())
source,predicate,target,source_label,target_label
https://w3id.org/stancegraph/id/p,https://w3id.org/stancegraph/ontology#holder,https://w3id.org/stancegraph/id/canada,p,Canada
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph._lazy import lazy_module
from graph.errors import ValidationFailedError
from graph.namespaces import ONTOLOGY_GRAPH, ONTOLOGY_IRI, PREFIXES, slug_of
from graph.network import to_graphml
from graph.paths import ONTOLOGY_FILE
from graph.stores.base import Store
from graph.subgraph import construct, node_label

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = lazy_module("networkx")  # only rdf_to_networkx needs it

EXPORT_BASE = "https://w3id.org/stancegraph/export/"

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its short name, media type and file extension.

    ``oxigraph_format`` names pyoxigraph's writer for the format; ``rdflib_format``
    rdflib's, used only where the engine lacks one (compacted JSON-LD).
    """

    name: str
    media_type: str
    extension: str
    rdflib_format: str | None = None  # None: not an RDF serialization
    oxigraph_format: ox.RdfFormat | None = None


EXPORT_FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("turtle", "text/turtle", ".ttl", "turtle", ox.RdfFormat.TURTLE),
    ExportFormat("rdfxml", "application/rdf+xml", ".owl", "pretty-xml", ox.RdfFormat.RDF_XML),
    # pyoxigraph writes expanded JSON-LD only; rdflib compacts it with the prefixes as @context.
    ExportFormat("jsonld", "application/ld+json", ".jsonld", "json-ld"),
    ExportFormat("ntriples", "application/n-triples", ".nt", "nt", ox.RdfFormat.N_TRIPLES),
    ExportFormat("graphml", "application/graphml+xml", ".graphml"),
    ExportFormat("csv", "text/csv", ".csv"),
)


def export_format(name_or_media_type: str) -> ExportFormat:
    """The export format with this short name or media type (parameters ignored).

    >>> export_format("text/turtle; charset=utf-8").name
    'turtle'
    >>> export_format("pdf")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: unknown export format 'pdf' (valid: turtle, rdfxml, jsonld, ...)
    """
    key = name_or_media_type.split(";", 1)[0].strip().lower()
    for candidate in EXPORT_FORMATS:
        if key in (candidate.name, candidate.media_type):
            return candidate
    valid = ", ".join(candidate.name for candidate in EXPORT_FORMATS[:3])
    raise ValidationFailedError(f"unknown export format {name_or_media_type!r} (valid: {valid}, ...)")


def export_name(focus: str | None, depth: int | None = None) -> str:
    """The name of an export: ``<focus>-depth<k>`` for an ego subgraph, ``<focus>-cbd``, or ``construct``.

    >>> export_name("canada", 2), export_name("canada"), export_name(None)
    ('canada-depth2', 'canada-cbd', 'construct')
    >>> export_name("http://example.org/things#Big Thing", 1)
    'big-thing-depth1'
    """
    if focus is None:
        return "construct"
    slug = slug_of(focus) or focus.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
    slug = "".join(c if c.isalnum() else "-" for c in slug.lower()).strip("-") or "subgraph"
    return f"{slug}-depth{depth}" if depth is not None else f"{slug}-cbd"


def export_iri(name: str) -> URIRef:
    """The ontology IRI of an export document.

    >>> export_iri("canada-depth2")
    rdflib.term.URIRef('https://w3id.org/stancegraph/export/canada-depth2')
    """
    return URIRef(EXPORT_BASE + name)


def filename_for(focus: str | None, depth: int | None, format: str) -> str:
    """The file name a download should get (for Content-Disposition).

    >>> filename_for("canada", 2, "turtle"), filename_for("canada", None, "graphml")
    ('canada-depth2.ttl', 'canada-cbd.graphml')
    """
    return export_name(focus, depth) + export_format(format).extension


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

    def __init__(self, values_of: dict[Node, list[Node]], ontology: Graph) -> None:
        self.values_of, self.ontology = values_of, ontology  # values_of: each predicate's objects
        self.out: set[Triple] = set()
        self.done: set[Node] = set()

    def kinds(self, term: URIRef) -> set[Node]:
        return {kind for kind in self.ontology.objects(term, RDF.type) if kind in _DECLARATION_TYPES}

    def used_kind(self, predicate: URIRef) -> URIRef:
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
    vocabulary, about_data = _owl_parts(graph, ontology, name=name, comment=comment)
    return vocabulary + sorted(about_data, key=_sort_key)


def _owl_parts(
    graph: Graph, ontology: Graph, *, name: str, comment: str | None
) -> tuple[list[Triple], set[Triple]]:
    # The header and the declarations; then the triples about the data's own nodes (individual
    # typings, missing annotated links), which a writer best puts beside the nodes' other triples.
    links = _missing_annotated_links(graph)
    values_of: dict[Node, list[Node]] = defaultdict(list)
    classes: set[Node] = set()
    nodes: set[Node] = set()
    for subject, predicate, value in chain(graph, links):
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
        and not _is_built_in(node)
    }
    vocabulary = [
        (header, RDF.type, OWL.Ontology),
        (header, RDFS.label, Literal(f"stancegraph export {name}", lang="en")),
        (header, RDFS.comment, Literal(comment or default_comment, lang="en")),
        *sorted(declarations.out, key=_sort_key),
    ]
    return vocabulary, individuals | links


def self_contained_owl(
    graph: Graph, ontology: Graph, *, name: str = "subgraph", comment: str | None = None
) -> Graph:
    """``graph`` as an OWL 2 DL document that stands on its own (Protégé opens it offline).

    ``graph`` and :func:`owl_additions` in a new graph, with the usual prefixes bound.

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
    document.addN((*triple, document) for triple in chain(added, graph))
    return document


def _missing_annotated_links(graph: Graph) -> set[Triple]:
    """The links the graph's OWL axiom annotations are about, where the graph lacks them.

    An ego subgraph can reach the annotation (through its target) without the
    link it annotates; OWL cannot annotate an assertion the document lacks,
    and the store asserts the link, so it comes along.
    """
    missing = set()
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        parts = [
            graph.value(axiom, part)
            for part in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget)
        ]
        if all(part is not None for part in parts) and tuple(parts) not in graph:
            missing.add(tuple(parts))
    return missing  # type: ignore[return-value]


def _nodes(graph: Graph) -> set[Node]:
    # Subjects and object resources, but not the classes named by rdf:type.
    found: set[Node] = set(graph.subjects())
    found |= {value for predicate, value in graph.predicate_objects() if predicate != RDF.type}
    return {node for node in found if not isinstance(node, Literal)}


def _short(graph: Graph, iri: Node) -> str:
    try:
        return graph.namespace_manager.curie(str(iri), generate=False)
    except (KeyError, ValueError):
        return str(iri)


def _node_id(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _links(graph: Graph) -> list[tuple[Node, Node, Node]]:
    """The object-valued triples, rdf:type aside (types are node attributes), in a stable order."""
    return sorted((s, p, o) for s, p, o in graph if p != RDF.type and not isinstance(o, Literal))


def rdf_to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """An RDF graph as a directed multigraph: resources are nodes, literals their attributes.

    Each node has ``label`` and ``type`` plus one attribute per literal-valued
    predicate (by its prefixed name, several values joined by ``" | "``);
    each object-valued triple is an edge keyed and labelled by its predicate.

    >>> from rdflib import Literal
    >>> from graph.namespaces import SG, SGD
    >>> g = Graph().add((SGD.p, SG.holder, SGD.canada)).add((SGD.canada, RDFS.label, Literal("Canada")))
    >>> network = rdf_to_networkx(g)
    >>> network.nodes[str(SGD.canada)]["label"], list(network.edges(keys=True))[0][2]
    ('Canada', 'sg:holder')
    """
    for prefix, namespace in PREFIXES.items():
        graph.namespace_manager.bind(prefix, namespace, override=False)
    network = nx.MultiDiGraph()
    for node in sorted(_nodes(graph)):
        attributes: dict[str, list[str]] = {}
        for predicate, value in sorted(graph.predicate_objects(node)):
            if predicate == RDF.type:
                attributes.setdefault("type", []).append(_short(graph, value))
            elif isinstance(value, Literal):
                attributes.setdefault(_short(graph, predicate), []).append(str(value))
        joined = {key: " | ".join(values) for key, values in attributes.items()}
        network.add_node(_node_id(node), iri=_node_id(node), **joined, label=node_label(graph, node))
    for subject, predicate, value in _links(graph):
        short = _short(graph, predicate)
        network.add_edge(_node_id(subject), _node_id(value), key=short, predicate=str(predicate), label=short)
    return network


def _csv(graph: Graph) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "predicate", "target", "source_label", "target_label"])
    for subject, predicate, value in _links(graph):
        row: Iterable[str] = (_node_id(subject), str(predicate), _node_id(value))
        writer.writerow([*row, node_label(graph, subject), node_label(graph, value)])
    return buffer.getvalue().encode("utf-8")


def export(
    graph: Graph,
    format: str,
    *,
    ontology: Graph | None = None,
    name: str = "subgraph",
    comment: str | None = None,
) -> bytes:
    """``graph`` serialized as ``turtle``, ``rdfxml``, ``jsonld``, ``ntriples``, ``graphml`` or ``csv``.

    Given the ``ontology``, the RDF formats carry the self-contained OWL
    document of :func:`self_contained_owl` (named ``name``); GraphML and CSV
    hold the subgraph alone: object-valued triples as edges, rdf:type and
    literals as node attributes (GraphML) or left out (CSV).

    >>> from graph.namespaces import SG, SGD
    >>> g = Graph().add((SGD.p, SG.holder, SGD.canada))
    >>> len(Graph().parse(data=export(g, "ntriples"), format="nt"))
    1
    """
    chosen = export_format(format)
    if chosen.name == "graphml":
        return to_graphml(rdf_to_networkx(graph))
    if chosen.name == "csv":
        return _csv(graph)
    vocabulary, about_data = (
        _owl_parts(graph, ontology, name=name, comment=comment) if ontology is not None else ([], set())
    )
    if chosen.oxigraph_format is None:
        document = Graph()
        for prefix, namespace in PREFIXES.items():
            document.bind(prefix, namespace)
        document.addN((*triple, document) for triple in chain(vocabulary, about_data, graph))
        return document.serialize(
            format="json-ld", context=dict(PREFIXES), auto_compact=True, encoding="utf-8"
        )
    # The engine's writer, not rdflib's: about 50 µs a triple less, on neighbourhoods of thousands.
    # Sorted, so that each subject's triples stand together and the bytes never vary.
    triples = chain(vocabulary, sorted(chain(graph, about_data), key=_sort_key))
    prefixes = {} if chosen.oxigraph_format == ox.RdfFormat.N_TRIPLES else PREFIXES
    return ox.serialize(_oxigraph_triples(triples), format=chosen.oxigraph_format, prefixes=prefixes)


def _sort_key(triple: Triple) -> tuple[str, str, str]:
    subject, predicate, value = triple
    return (str(subject), str(predicate), str(value))


def _oxigraph_triples(triples: Iterable[Triple]) -> Iterator[ox.Triple]:
    # Each distinct term converted once: a neighbourhood names the same few thousand nodes again
    # and again. Blank nodes get fresh engine labels (rdflib's need not be valid N-Triples labels).
    terms: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        converted = terms.get(node)
        if converted is None:
            if isinstance(node, URIRef):
                converted = ox.NamedNode(node)
            elif isinstance(node, BNode):
                converted = ox.BlankNode()
            elif isinstance(node, Literal) and node.language:
                converted = ox.Literal(node, language=node.language)
            elif isinstance(node, Literal) and node.datatype:
                converted = ox.Literal(node, datatype=ox.NamedNode(node.datatype))
            else:
                converted = ox.Literal(node)
            terms[node] = converted
        return converted

    for subject, predicate, value in triples:
        yield ox.Triple(term(subject), term(predicate), term(value))  # type: ignore[arg-type]
