"""What a page says about one entity ``sgd:<slug>``, as data: its label, types and links, what refers
to it, and for a stakeholder the positions it holds with the quoted evidence.

>>> from graph.stores.memory import MemoryStore
>>> from graph.dataset import load_embedded
>>> store = MemoryStore()
>>> load_embedded(store)
>>> doc = entity_doc(store, "canada")
>>> doc.label, len(doc.positions), doc.positions[0].evidence[0].quote[:23]
('Canada', 2, 'Canada Evaluates Potent')
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.term import Node

from graph.docs.values import Ref, Value, ordered, value
from graph.namespaces import SGD, slug_of
from graph.queries import run_query
from graph.stores.base import Store
from graph.subgraph import cbd, linked_nodes, node_label, types_and_labels
from graph.terms import as_boolean, as_integer

# What the page shows in its heading rather than among the statements.
HEADING_PREDICATES = frozenset({RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel})

# The query fields that hold numbers and flags; every other field is text (IRIs as str).
_INTEGERS = ("value", "start", "end")
_BOOLEANS = ("hedged", "garbled")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quote with its context, the document it comes from (by title) and its character span.

    ``garbled`` and the span are as the readers read them: a bool or int when
    well-formed, else the text as stored.
    """

    quote: str
    prefix: str
    suffix: str
    garbled: bool | str
    document: Ref
    start: int | str
    end: int | str


@dataclass(frozen=True, slots=True)
class Position:
    """One position the entity holds: its id (or IRI), stance, target, value, attribution and hedging."""

    id: str
    stance: str
    target: Ref
    value: int | str
    attribution: str
    hedged: bool | str
    hedge_cues: str | None
    regarding: str | None
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    """A property of the entity with its values."""

    predicate: Value
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Referrer:
    """Something that refers to the entity, and by which property."""

    subject: Value
    predicate: Value


@dataclass(frozen=True, slots=True)
class EntityDoc:
    """The description of one entity, ready for a page."""

    iri: str
    label: str
    types: tuple[Value, ...]
    aliases: tuple[str, ...]
    positions: tuple[Position, ...]
    statements: tuple[Statement, ...]
    referrers: tuple[Referrer, ...]


def entity_description(store: Store, slug: str) -> Graph:
    """What the store says about ``sgd:<slug>``: its symmetric Concise Bounded Description with the
    types and labels of everything it links, so that a reader (human or RDF client) can name them.

    NotFoundError naming the id when the store does not know it.

    >>> from graph.stores.memory import MemoryStore
    >>> from graph.dataset import load_embedded
    >>> from rdflib import Literal
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> description = entity_description(store, "canada")
    >>> (SGD.canada, RDFS.label, Literal("Canada", lang="en")) in description
    True
    >>> entity_description(store, "atlantis")
    Traceback (most recent call last):
    ...
    graph.errors.NotFoundError: no entity 'atlantis' in the store
    """
    description = cbd(store, slug, symmetric=True)
    named = (
        linked_nodes(description) | set(description.objects(None, RDF.type)) | set(description.predicates())
    )
    description += types_and_labels(store, {node for node in named if isinstance(node, URIRef)})
    return description


def _plain_rows(store: Store, name: str, **params: str) -> list[dict[str, Any]]:
    # The numbers and flags are read by the readers' rule: an int or bool when well-formed, else the
    # text as stored, which a page shows as it is.
    def plain(key: str, term: Node) -> Any:
        if key in _INTEGERS:
            return as_integer(term)
        return as_boolean(term) if key in _BOOLEANS else str(term)

    return [{key: plain(key, term) for key, term in row.items()} for row in run_query(store, name, **params)]


def _evidence(row: dict[str, Any]) -> Evidence:
    document = row["document"]
    return Evidence(
        quote=row["quote"],
        prefix=row.get("prefix") or "",
        suffix=row.get("suffix") or "",
        garbled=row["garbled"],
        document=Ref(document, row.get("documentTitle") or slug_of(document) or document),
        start=row["start"],
        end=row["end"],
    )


def _positions(store: Store, slug: str) -> tuple[Position, ...]:
    positions = []
    for row in _plain_rows(store, "positions-of-stakeholder", stakeholder=slug):
        position_id = slug_of(row["position"]) or row["position"]
        evidence = _plain_rows(store, "evidence-for-position", position=position_id)
        positions.append(
            Position(
                id=position_id,
                stance=row["stanceLabel"],
                target=Ref(row["target"], row["targetLabel"]),
                value=row["value"],
                attribution=row["attributionLabel"],
                hedged=row["hedged"],
                hedge_cues=row.get("hedgeCues") or None,
                regarding=row.get("regardingLabel") or None,
                evidence=tuple(_evidence(evidence_row) for evidence_row in evidence),
            )
        )
    return tuple(positions)


def entity_doc(store: Store, slug: str) -> EntityDoc:
    """The description of ``sgd:<slug>``: label, types, aliases, its statements, what refers to it,
    and for a stakeholder its positions with the quotes they rest on.

    NotFoundError naming the id when the store does not know it.

    >>> from graph.stores.memory import MemoryStore
    >>> from graph.dataset import load_embedded
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> doc = entity_doc(store, "canada")
    >>> [type_.text for type_ in doc.types], doc.positions[0].target.text
    (['nation', 'stakeholder'], 'Canada joins Golden Dome')
    """
    description = entity_description(store, slug)
    iri = SGD[slug]
    return EntityDoc(
        iri=str(iri),
        label=node_label(description, iri),
        # owl:NamedIndividual is OWL bookkeeping, not a kind of thing a reader would name.
        types=tuple(
            value(description, t)
            for t in ordered(description.objects(iri, RDF.type))
            if t != OWL.NamedIndividual
        ),
        aliases=tuple(str(alias) for alias in ordered(description.objects(iri, SKOS.altLabel))),
        positions=_positions(store, slug),
        statements=_statements(description, iri),
        referrers=_referrers(description, iri),
    )


def _statements(description: Graph, iri: URIRef) -> tuple[Statement, ...]:
    # By the property's label, each property's values in text order: the page never varies.
    statements: dict[Node, list[Node]] = defaultdict(list)
    for predicate, object_ in description.predicate_objects(iri):
        if predicate not in HEADING_PREDICATES:
            statements[predicate].append(object_)
    return tuple(
        Statement(
            value(description, predicate), tuple(value(description, v) for v in sorted(values, key=str))
        )
        for predicate, values in sorted(statements.items(), key=lambda item: node_label(description, item[0]))
    )


def _referrers(description: Graph, iri: URIRef) -> tuple[Referrer, ...]:
    referrers = sorted(
        (
            (subject, predicate)
            for subject, predicate in description.subject_predicates(iri)
            if subject != iri
        ),
        key=lambda pair: (node_label(description, pair[1]), node_label(description, pair[0])),
    )
    return tuple(Referrer(value(description, subject), value(description, p)) for subject, p in referrers)
