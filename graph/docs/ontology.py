"""The ontology's documentation as data: its header, one entry per term of ours, the reused terms.

Each term of the ``sg:`` namespace is a :class:`Term` whose ``id`` is its local
name, so that a page can give its section that id and
``https://w3id.org/stancegraph/ontology#Position`` lands on it. The terms
declared from other vocabularies are listed as :class:`ReusedTerm`.

>>> doc = ontology_doc(load_ontology())
>>> [section.id for section in doc.sections][:2], "Position" in [t.id for t in doc.sections[0].terms]
(['classes', 'object-properties'], True)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from graph.docs.values import Expression, class_expression, curie, literal_value, ordered
from graph.namespaces import ONTOLOGY_IRI, PREFIXES, SG
from graph.paths import ONTOLOGY_FILE
from graph.subgraph import node_label

VANN_PREFIX = URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")

# The sections of the documentation: the OWL type that puts a term in one, its id, heading, and
# the kind of term it holds.
TERM_KINDS: tuple[tuple[URIRef, str, str, str], ...] = (
    (OWL.Class, "classes", "Classes", "class"),
    (OWL.ObjectProperty, "object-properties", "Object properties", "object property"),
    (OWL.DatatypeProperty, "datatype-properties", "Datatype properties", "datatype property"),
    (OWL.AnnotationProperty, "annotation-properties", "Annotation properties", "annotation property"),
    (OWL.NamedIndividual, "individuals", "Named individuals", "individual"),
)

CHARACTERISTICS: tuple[URIRef, ...] = (
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
)

# The OWL types that sort a term into a section or say what kind of property it is: not shown as its "types".
TERM_TYPES = frozenset(entry[0] for entry in TERM_KINDS) | frozenset(CHARACTERISTICS)

# Annotations shown as prose under a term's definition, in this order.
NOTE_PREDICATES: tuple[tuple[URIRef, str], ...] = (
    (RDFS.comment, "Comment"),
    (SKOS.note, "Note"),
    (SKOS.scopeNote, "Scope note"),
    (SKOS.editorialNote, "Editorial note"),
    (SKOS.example, "Example"),
)


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact about a term, named (``Range``), with its values, each a class expression."""

    name: str
    values: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class Note:
    """An annotation shown as prose: its name (``Comment``, ``Example``) and its text."""

    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Term:
    """One term of ours: its IRI, local name, label, kind, definition, notes and facts (none empty)."""

    iri: str
    id: str
    label: str
    kind: str
    definition: str | None
    notes: tuple[Note, ...]
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """The terms of one kind (``classes``, ``individuals``), by label."""

    id: str
    heading: str
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class ReusedTerm:
    """A term of another vocabulary that the ontology declares: IRI, CURIE, label and kind."""

    iri: str
    curie: str
    label: str
    kind: str


@dataclass(frozen=True, slots=True)
class OntologyDoc:
    """The whole documentation: the header's annotations, the sections that have terms, the reused terms."""

    iri: str
    title: str
    description: str | None
    version_iris: tuple[str, ...]
    versions: tuple[str, ...]
    prefixes: tuple[str, ...]
    licenses: tuple[str, ...]
    sections: tuple[Section, ...]
    reused: tuple[ReusedTerm, ...]
    namespaces: tuple[tuple[str, str], ...]


def load_ontology(path: Path = ONTOLOGY_FILE) -> Graph:
    """The ontology file parsed into an rdflib Graph, with the project's prefixes bound.

    >>> (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in load_ontology()
    True
    """
    ontology = Graph()
    for prefix, namespace in PREFIXES.items():
        ontology.bind(prefix, namespace)
    return ontology.parse(path, format="turtle")


def _facts(graph: Graph, term: URIRef) -> tuple[Fact, ...]:
    def expressions(nodes: Iterable[Node]) -> list[Expression]:
        return [class_expression(graph, node) for node in sorted(nodes, key=str)]

    def terms_where(predicate: URIRef, value: Node) -> list[Expression]:
        return expressions(s for s in graph.subjects(predicate, value) if isinstance(s, URIRef))

    types = set(graph.objects(term, RDF.type))
    values: list[tuple[str, list[Expression]]] = [
        (curie(predicate), [(literal_value(value),)])
        for predicate, value in sorted(graph.predicate_objects(term))
        if isinstance(value, Literal) and isinstance(predicate, URIRef) and predicate.startswith(SG)
    ]
    rows: list[tuple[str, list[Expression]]] = [
        ("Types", expressions(t for t in types - {OWL.NamedIndividual} if t not in TERM_TYPES)),
        ("Characteristics", [(curie(c).removeprefix("owl:"),) for c in CHARACTERISTICS if c in types]),
        ("Subclass of", expressions(graph.objects(term, RDFS.subClassOf))),
        ("Superclass of", terms_where(RDFS.subClassOf, term)),
        ("Equivalent to", expressions(graph.objects(term, OWL.equivalentClass))),
        (
            "Disjoint with",
            expressions(graph.objects(term, OWL.disjointWith)) + terms_where(OWL.disjointWith, term),
        ),
        ("Subproperty of", expressions(graph.objects(term, RDFS.subPropertyOf))),
        ("Inverse of", expressions(graph.objects(term, OWL.inverseOf))),
        ("Domain", expressions(graph.objects(term, RDFS.domain))),
        ("Range", expressions(graph.objects(term, RDFS.range))),
        ("In domain of", terms_where(RDFS.domain, term)),
        ("In range of", terms_where(RDFS.range, term)),
        ("Instances", terms_where(RDF.type, term)),
        ("In scheme", expressions(graph.objects(term, SKOS.inScheme))),
        ("Broader", expressions(graph.objects(term, SKOS.broader))),
        ("Narrower", terms_where(SKOS.broader, term)),
        ("Also called", [(str(label),) for label in graph.objects(term, SKOS.altLabel)]),
        *values,
    ]
    return tuple(Fact(name, tuple(shown)) for name, shown in rows if shown)


def _term(graph: Graph, term: URIRef, kind: str) -> Term:
    definition = graph.value(term, SKOS.definition)
    return Term(
        iri=str(term),
        id=term[len(SG) :],
        label=node_label(graph, term),
        kind=kind,
        definition=str(definition) if definition else None,
        notes=tuple(
            Note(name, str(note))
            for predicate, name in NOTE_PREDICATES
            for note in ordered(graph.objects(term, predicate))
        ),
        facts=_facts(graph, term),
    )


def _term_kind(graph: Graph, term: URIRef) -> tuple[URIRef, str, str, str] | None:
    types = set(graph.objects(term, RDF.type))
    return next((entry for entry in TERM_KINDS if entry[0] in types), None)


def ontology_doc(ontology: Graph) -> OntologyDoc:
    """The documentation of ``ontology``: its header, its own terms by kind and label, the reused terms.

    >>> doc = ontology_doc(load_ontology())
    >>> own = [term.id for section in doc.sections for term in section.terms]
    >>> doc.iri, "holder" in own, "prov:Agent" in [term.curie for term in doc.reused]
    ('https://w3id.org/stancegraph/ontology', True, True)
    """
    own: dict[str, list[Term]] = defaultdict(list)
    reused: list[ReusedTerm] = []
    terms = {subject for subject in ontology.subjects(RDF.type) if isinstance(subject, URIRef)}
    for term in sorted(terms, key=lambda term: node_label(ontology, term).lower()):
        kind = _term_kind(ontology, term)
        if kind is None or term == ONTOLOGY_IRI:
            continue
        if term.startswith(SG):
            own[kind[1]].append(_term(ontology, term, kind[3]))
        else:
            reused.append(ReusedTerm(str(term), curie(term), node_label(ontology, term), kind[2]))

    def header(predicate: URIRef) -> tuple[str, ...]:
        return tuple(str(value) for value in ontology.objects(ONTOLOGY_IRI, predicate))

    description = ontology.value(ONTOLOGY_IRI, DCTERMS.description)
    return OntologyDoc(
        iri=str(ONTOLOGY_IRI),
        title=str(ontology.value(ONTOLOGY_IRI, DCTERMS.title) or "Ontology"),
        description=str(description) if description else None,
        version_iris=header(OWL.versionIRI),
        versions=header(OWL.versionInfo),
        prefixes=header(VANN_PREFIX),
        licenses=header(DCTERMS.license),
        sections=tuple(
            Section(anchor, heading, tuple(own[anchor]))
            for _, anchor, heading, _ in TERM_KINDS
            if own[anchor]
        ),
        reused=tuple(reused),
        namespaces=tuple(PREFIXES.items()),
    )
