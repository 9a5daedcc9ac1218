"""The kinds of REST resource: each one's class, relations, and how a position relates to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rdflib import URIRef

from graph.errors import ValidationFailedError
from graph.namespaces import SG

KindName = Literal["stakeholder", "program", "concern", "measure", "threat", "document"]


@dataclass(frozen=True)
class Relation:
    """A key of an entity's detail and the SPARQL property path that fills it.

    A ``single`` relation is one concept named by its local name (a measure's
    status) rather than a list of linked entities.
    """

    key: str
    path: str
    single: bool = False


@dataclass(frozen=True)
class EntityKind:
    """One kind of REST resource: its class, its relations, and how a position relates to it."""

    name: KindName
    cls: URIRef
    position_pattern: str  # links ?position to ?entity
    relations: tuple[Relation, ...] = ()


_ADDRESSED_BY = Relation("addressedBy", "^sg:addresses")

KINDS: dict[str, EntityKind] = {
    kind.name: kind
    for kind in (
        EntityKind(
            "stakeholder",
            SG.Stakeholder,
            "?position sg:holder ?entity",
            (Relation("memberOf", "sg:memberOf"), Relation("partOf", "sg:partOf")),
        ),
        EntityKind(
            "program",
            SG.Program,
            "?position sg:target ?entity",
            (
                Relation("initiatedBy", "sg:initiatedBy"),
                Relation("promotedBy", "sg:promotedBy"),
                Relation("aimsAt", "sg:aimsAt"),
            ),
        ),
        EntityKind(
            "concern",
            SG.Concern,
            # A concern's positions are those that target it or regard it, as /positions?concern= finds them:
            # the officials' optimism "that national security could be substantially improved" is on the
            # participation and regards the concern, and a concern's page that left it out would hide it.
            "?position sg:target|sg:regarding ?entity",
            (
                Relation("broader", "skos:broader|^skos:narrower"),
                Relation("narrower", "skos:narrower|^skos:broader"),
                _ADDRESSED_BY,
            ),
        ),
        EntityKind(
            "measure",
            SG.Measure,
            "?position sg:target ?entity",
            (
                Relation("status", "sg:measureStatus", single=True),
                Relation("addresses", "sg:addresses"),
                Relation("partOf", "sg:partOf"),
            ),
        ),
        EntityKind(
            "threat",
            SG.Threat,
            "?position sg:target ?entity",
            (Relation("aimedAtBy", "^sg:aimsAt"), _ADDRESSED_BY),
        ),
        EntityKind("document", SG.Document, "?position sg:evidence/prov:wasDerivedFrom ?entity"),
    )
}
"""The REST resource kinds by name."""

SEARCHED_CLASSES: tuple[URIRef, ...] = (SG.Stakeholder, SG.PositionTarget, SG.Document)
"""What /search finds: stakeholders, the things positions are about, and documents."""


def kind_of(name: str) -> EntityKind:
    """The resource kind called ``name``.

    >>> kind_of("threat").cls
    rdflib.term.URIRef('https://w3id.org/stancegraph/ontology#Threat')
    >>> kind_of("unicorn")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: kind: unknown kind 'unicorn' (valid: stakeholder, program, ...)
    """
    if name not in KINDS:
        raise ValidationFailedError(f"kind: unknown kind {name!r} (valid: {', '.join(list(KINDS)[:2])}, ...)")
    return KINDS[name]
