"""Entities, positions, evidence and documents as plain JSON-shaped dicts, for REST and notebooks.

Each lookup asks the store a few SPARQL queries, never one per row: a page of
positions costs one query for the positions, one for all their evidence and one
for the labels of every entity they name. Queries that do not depend on each
other are asked together (:func:`graph.results.select_all`): an entity's lookup
asks for its relations, positions, evidence and summaries at once, keyed by the
entity and bounded by the page, and only an entity with more positions than that
needs a second round. Lists are ordered deterministically (entities by label then
id, positions by id, sorted in Python: the engine sorts IRIs slowly) and paged
with ``limit`` and ``offset``; ids are the slugs of ``sgd:`` IRIs.

Values reach a query only as RDF terms written by rdflib (``n3()``) after they
were checked (ids against ``[a-z0-9-]+``, concept names against a local-name
pattern, numbers as ``int``): the terms sit in the query's own ``VALUES`` and
``FILTER`` clauses, where the engine uses them up front, on every store.

>>> from graph.dataset import load_embedded
>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> load_embedded(store)
>>> canada = describe(store, "stakeholder", "canada")
>>> canada["label"], canada["type"], len(canada["positions"])
('Canada', 'Nation', 2)
>>> [item["label"] for item in search(store, "canadá", limit=2)["items"]]
['Canada', 'Canada joins Golden Dome']
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, NamedTuple, NotRequired, TypeVar

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node
from typing_extensions import TypedDict

from graph.errors import NotFoundError, ValidationFailedError
from graph.namespaces import SG, entity, slug_of
from graph.paths import DATA_DIR
from graph.queries import ParameterValue, bind_parameters, load_query
from graph.results import Row, as_boolean, as_integer, plain_value, select_all, select_rows, solution_rows
from graph.stores.base import Store

KindName = Literal["stakeholder", "program", "concern", "measure", "threat", "document"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000

_SLUG = re.compile(r"[a-z0-9-]+")
_LOCAL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

_PREFIXES = """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX sgd: <https://w3id.org/stancegraph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


# --- the shapes ---------------------------------------------------------------------------------


class Summary(TypedDict):
    """An entity in brief: id (slug), IRI, label, most specific ontology class, aliases."""

    id: str
    iri: str
    label: str
    type: str | None
    aliases: list[str]


class Link(Summary):
    """A related entity; ``inferred`` when the link is stated only in an analyst-inference graph."""

    inferred: bool


class Listed(Summary):
    """An entity in a list, with the number of positions it holds, is the target of, or evidences."""

    positionCount: int


class Found(Summary):
    """A search hit: ``matched`` is the label or alias that matched."""

    matched: str


class Evidence(TypedDict):
    """One quoted span: ``source_text[start:end] == quote`` in the document it comes from.

    Offsets and ``garbled`` are shown as stored: a value that is not a well-formed integer
    (boolean) is its text, and offsets are never checked against the text here (negative,
    reversed or past its end): ``stancegraph validate`` reports such spans.
    """

    id: str
    quote: str | None
    prefix: str | None
    suffix: str | None
    start: int | str | None
    end: int | str | None
    document: str | None
    garbled: bool | str
    note: str | None
    position: NotRequired[str]


class Position(TypedDict):
    """A position: who holds which stance, with which value, on what, on what evidence.

    ``value`` and ``hedged`` are shown as stored: one that is not a well-formed integer (boolean)
    literal, such as ``"abc"^^xsd:integer``, is its text (:func:`graph.results.as_integer`).
    """

    id: str
    iri: str
    holder: Summary
    target: Summary
    stance: str
    value: int | str | None
    attribution: str | None
    hedged: bool | str
    hedgeCues: list[str]
    regarding: Summary | None
    evidence: list[Evidence]


T = TypeVar("T")


class Page(TypedDict, Generic[T]):
    """One page of a list: ``total`` items in all, ``items`` from ``offset``, at most ``limit``."""

    total: int
    limit: int
    offset: int
    items: list[T]


class StakeholderDetail(Summary):
    memberOf: list[Link]
    partOf: list[Link]
    positions: list[Position]
    positionCount: int


class ProgramDetail(Summary):
    initiatedBy: list[Link]
    promotedBy: list[Link]
    aimsAt: list[Link]
    positions: list[Position]
    positionCount: int


class ConcernDetail(Summary):
    broader: list[Link]
    narrower: list[Link]
    addressedBy: list[Link]
    positions: list[Position]
    positionCount: int


class MeasureDetail(Summary):
    status: str | None
    addresses: list[Link]
    partOf: list[Link]
    positions: list[Position]
    positionCount: int


class ThreatDetail(Summary):
    aimedAtBy: list[Link]
    addressedBy: list[Link]
    positions: list[Position]
    positionCount: int


class DocumentDetail(Summary):
    title: str | None
    sha256: str | None
    source: str | None
    text: str | None
    evidence: list[Evidence]


class QueryTable(TypedDict):
    """The rows of a named query as plain values, columns in the query's order."""

    query: str
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool


# --- the kinds of entity ------------------------------------------------------------------------


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
            "?position sg:target ?entity",
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


# --- checking and writing values ----------------------------------------------------------------


def entity_iri(parameter: str, value: str) -> URIRef:
    """The ``sgd:`` IRI of an id given as ``parameter``; ValidationFailedError naming it otherwise.

    >>> entity_iri("holder", "canada")
    rdflib.term.URIRef('https://w3id.org/stancegraph/id/canada')
    >>> entity_iri("holder", "canada> } #")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: holder: must be an id ([a-z0-9-]+), got 'canada> } #'
    """
    if not _SLUG.fullmatch(value):
        raise ValidationFailedError(f"{parameter}: must be an id ([a-z0-9-]+), got {value!r}")
    return entity(value)


def concept_iri(parameter: str, value: str) -> URIRef:
    """The ``sg:`` IRI of a concept (stance, attribution mode) named by its local name.

    >>> concept_iri("stance", "supports")
    rdflib.term.URIRef('https://w3id.org/stancegraph/ontology#supports')
    >>> concept_iri("stance", "supports)")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: stance: must be a concept name such as supports, got 'supports)'
    """
    if not _LOCAL_NAME.fullmatch(value):
        raise ValidationFailedError(f"{parameter}: must be a concept name such as supports, got {value!r}")
    return SG[value]


def check_page(limit: int, offset: int) -> None:
    """ValidationFailedError naming ``limit`` or ``offset`` when out of range.

    >>> check_page(1001, 0)
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: limit: must be between 0 and 1000, got 1001
    """
    if not 0 <= limit <= MAX_LIMIT:
        raise ValidationFailedError(f"limit: must be between 0 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise ValidationFailedError(f"offset: must be 0 or more, got {offset}")


def _values(variable: str, iris: Iterable[Node]) -> str:
    return f"VALUES ?{variable} {{ {' '.join(sorted(iri.n3() for iri in iris))} }}"


def _page_clause(limit: int | None, offset: int) -> str:
    return "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"


def identifier(iri: str) -> str:
    """The REST id of an IRI: its slug in ``sgd:``, else the IRI itself.

    >>> identifier("https://w3id.org/stancegraph/id/canada"), identifier("http://example.org/x")
    ('canada', 'http://example.org/x')
    """
    return slug_of(iri) or iri


def local_name(iri: str | None) -> str | None:
    """The local name of an ontology IRI (``sg:supports`` -> ``supports``).

    >>> local_name(str(SG.supports)), local_name(None)
    ('supports', None)
    """
    if iri is None:
        return None
    return re.split(r"[#/]", iri)[-1]


def _text(row: Row, name: str) -> str | None:
    return str(row[name]) if name in row else None


def _integer(row: Row, name: str) -> int | str | None:
    return as_integer(row[name]) if name in row else None


def _boolean(row: Row, name: str) -> bool | str:
    return as_boolean(row[name]) if name in row else False


def _count(row: Row, name: str) -> int:
    # A COUNT the engine computed, never a stored value: always an xsd:integer.
    return int(str(row[name]))


# --- summaries ----------------------------------------------------------------------------------

_SUMMARIES = (
    _PREFIXES
    + """
SELECT ?entity ?label ?alias ?type WHERE {
  %(entities)s
  OPTIONAL { ?entity rdfs:label ?label }
  OPTIONAL { ?entity skos:altLabel ?alias }
  OPTIONAL {
    ?entity a ?type
    FILTER(STRSTARTS(STR(?type), STR(sg:)))
    # The most specific class: none of the entity's other classes lies below it.
    FILTER NOT EXISTS { ?entity a ?narrower . ?narrower rdfs:subClassOf+ ?type }
  }
}"""
)
"""Labels, aliases and classes of the entities ``entities`` binds, a row at least for each."""


def _preferred(labels: list[Node]) -> str | None:
    # English first, then untagged, then any, then an IRI (shown as its text): sorted, so the choice
    # never varies between runs. A blank node names nothing a reader could see.
    ranked = sorted(
        (label for label in labels if not isinstance(label, BNode)),
        key=lambda label: (
            not isinstance(label, RdfLiteral),
            {"en": 0, None: 1}.get(getattr(label, "language", None), 2),
            str(label),
        ),
    )
    return str(ranked[0]) if ranked else None


def summaries(store: Store, iris: Iterable[str]) -> dict[str, Summary]:
    """The summaries of ``iris``, by IRI, fetched with one query.

    An entity with no label is labelled by its id; one with no ``sg:`` class has type ``None``.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
    ...   INSERT DATA { <https://w3id.org/stancegraph/id/canada> a sg:Nation ;
    ...                 <http://www.w3.org/2000/01/rdf-schema#label> "Canada"@en }''')
    >>> summary = summaries(store, ["https://w3id.org/stancegraph/id/canada"])
    >>> summary["https://w3id.org/stancegraph/id/canada"]
    {'id': 'canada', 'iri': 'https://w3id.org/stancegraph/id/canada', 'label': 'Canada', 'type': 'Nation',
     'aliases': []}
    """
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    rows = select_rows(store, _SUMMARIES % {"entities": _values("entity", map(URIRef, wanted))})
    return _summaries_from(rows, wanted)


def _summaries_from(rows: Iterable[Row], wanted: Iterable[str]) -> dict[str, Summary]:
    labels: dict[str, list[Node]] = defaultdict(list)
    aliases: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        iri = str(row["entity"])
        if "label" in row:
            labels[iri].append(row["label"])
        if "alias" in row and not isinstance(row["alias"], BNode):
            aliases[iri].add(str(row["alias"]))
        if "type" in row:
            types[iri].add(str(row["type"]))
    return {
        iri: Summary(
            id=identifier(iri),
            iri=iri,
            label=_preferred(labels[iri]) or identifier(iri),
            type=local_name(min(types[iri])) if types[iri] else None,
            aliases=sorted(aliases[iri]),
        )
        for iri in wanted
    }


# --- positions and evidence ---------------------------------------------------------------------


@dataclass(frozen=True)
class PositionFilter:
    """Which positions to list; every field left ``None`` matches anything.

    ``concern`` matches positions whose target is the concern or that regard
    it; ``document`` those with evidence from the document.
    """

    holder: str | None = None
    target: str | None = None
    stance: str | None = None
    min_value: int | None = None
    max_value: int | None = None
    concern: str | None = None
    document: str | None = None
    attribution: str | None = None
    hedged: bool | None = None

    def clauses(self) -> tuple[str, str]:
        """The ``VALUES`` clauses (placed before the pattern) and the ``FILTER`` clauses (after it).

        >>> PositionFilter(holder="canada", min_value=1).clauses()
        ('VALUES ?holder { <https://w3id.org/stancegraph/id/canada> }', 'FILTER(?value >= 1)')
        """
        values, filters = [], []
        if self.holder is not None:
            values.append(_values("holder", [entity_iri("holder", self.holder)]))
        if self.target is not None:
            values.append(_values("target", [entity_iri("target", self.target)]))
        if self.stance is not None:
            values.append(_values("stance", [concept_iri("stance", self.stance)]))
        if self.attribution is not None:
            # A filter, not VALUES: ?attribution is bound in an OPTIONAL, which would keep a VALUES binding.
            filters.append(f"FILTER(?attribution = {concept_iri('attribution', self.attribution).n3()})")
        if self.min_value is not None:
            filters.append(f"FILTER(?value >= {int(self.min_value)})")
        if self.max_value is not None:
            filters.append(f"FILTER(?value <= {int(self.max_value)})")
        if self.hedged is not None:
            filters.append(f"FILTER(?hedged = {'true' if self.hedged else 'false'})")
        if self.concern is not None:
            concern = entity_iri("concern", self.concern).n3()
            filters.append(f"FILTER EXISTS {{ ?position sg:target|sg:regarding {concern} }}")
        if self.document is not None:
            document = entity_iri("document", self.document).n3()
            filters.append(f"FILTER EXISTS {{ ?position sg:evidence/prov:wasDerivedFrom {document} }}")
        return "\n  ".join(values), "\n  ".join(filters)


# Only named positions, holders and targets: a blank node or literal there has no id to list it by,
# to bind in a later query or to link to (validation reports them).
_POSITION_PATTERN = """
  %(values)s
  ?position sg:holder ?holder ; sg:target ?target ; sg:stance ?stance .
  FILTER(isIRI(?position) && isIRI(?holder) && isIRI(?target))
  OPTIONAL { ?position sg:stanceValue ?statedValue }
  OPTIONAL { ?stance sg:defaultValue ?defaultValue }
  BIND(COALESCE(?statedValue, ?defaultValue) AS ?value)
  OPTIONAL { ?position sg:attribution ?attribution }
  OPTIONAL { ?position sg:hedged ?statedHedged }
  BIND(COALESCE(?statedHedged, false) AS ?hedged)
  %(filters)s
"""

_POSITIONS = (
    _PREFIXES
    + """
SELECT ?position ?holder ?target ?stance ?value ?attribution ?hedged ?about ?cue WHERE {%(pattern)s
  OPTIONAL { ?position sg:regarding ?about }
  OPTIONAL { ?position sg:hedgeCue ?cue }
}
%(limit)s"""
)
"""Positions as rows, one per position, concern and hedge cue (:func:`_grouped` makes them one per
position). Neither grouped nor ordered by the engine, so the rows stream and a ``LIMIT`` stops the
work early: Oxigraph sorts IRIs by looking their text up again at each comparison (56 ms for the
1,558 positions of one holder, where Python sorts them in microseconds)."""


class _PositionRow(NamedTuple):
    """A position's single-valued columns, its first concern (by IRI) and its hedge cues."""

    row: Row
    regarding: str | None
    cues: list[str]


_SINGLE_VALUED = ("holder", "target", "stance", "value", "attribution", "hedged")


def _single_values(row: Row) -> list[str]:
    return [row[name].n3() if name in row else "" for name in _SINGLE_VALUED]


def _grouped(rows: Iterable[Row]) -> list[_PositionRow]:
    """Rows of :data:`_POSITIONS` one per position, ordered by IRI."""
    columns: dict[str, Row] = {}
    concerns: dict[str, set[str]] = defaultdict(set)
    cues: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        iri = str(row["position"])
        kept = columns.setdefault(iri, row)
        if kept is not row and _single_values(row) < _single_values(kept):
            columns[iri] = row  # a position stated with two values shows the same one every time
        if isinstance(row.get("about"), URIRef):  # a literal regards nothing a summary can name
            concerns[iri].add(str(row["about"]))
        if "cue" in row:
            cues[iri].add(str(row["cue"]))
    return [
        _PositionRow(columns[iri], min(concerns[iri], default=None), sorted(cues[iri]))
        for iri in sorted(columns)
    ]


_EVIDENCE = (
    _PREFIXES
    + """
SELECT ?position ?evidence ?quote ?prefix ?suffix ?start ?end ?document ?garbled ?note WHERE {
  %(values)s
  ?position sg:evidence ?evidence .
  OPTIONAL { ?evidence prov:wasDerivedFrom ?derivedFrom }
  OPTIONAL {
    ?evidence oa:hasTarget ?specific .
    OPTIONAL { ?specific oa:hasSource ?source }
    OPTIONAL {
      ?specific oa:hasSelector ?quoteSelector . ?quoteSelector oa:exact ?quote .
      OPTIONAL { ?quoteSelector oa:prefix ?prefix }
      OPTIONAL { ?quoteSelector oa:suffix ?suffix }
    }
    OPTIONAL { ?specific oa:hasSelector ?positionSelector . ?positionSelector oa:start ?start ; oa:end ?end }
  }
  BIND(COALESCE(?derivedFrom, ?source) AS ?document)
  OPTIONAL { ?evidence sg:garbled ?garbled }
  OPTIONAL { ?evidence skos:editorialNote ?note }
  %(filters)s
}
%(tail)s"""
)


_EVIDENCE_OF_DOCUMENT = (
    _PREFIXES
    + """
SELECT DISTINCT ?evidence WHERE {
  { ?evidence prov:wasDerivedFrom %(document)s } UNION { ?evidence oa:hasTarget/oa:hasSource %(document)s }
  FILTER(isIRI(?evidence))
}"""
)


def _evidence_of_document(store: Store, document: URIRef) -> list[Row]:
    # The spans that may quote the document first, then theirs in detail: filtered after the
    # fact, every evidence span in the store was evaluated (seconds on a million triples).
    candidates = _column(store, _EVIDENCE_OF_DOCUMENT % {"document": document.n3()})
    if not candidates:
        return []
    parts = {
        "values": _values("evidence", map(URIRef, candidates)),
        "filters": f"FILTER(?document = {document.n3()})",
        "tail": "ORDER BY ?start ?evidence",
    }
    return select_rows(store, _EVIDENCE % parts)


def _evidence_query(positions: str, limit: int | None = None) -> str:
    """The query of the evidence rows of the positions ``positions`` binds (a ``VALUES`` or a pattern)."""
    tail = "" if limit is None else f"LIMIT {int(limit)}"
    return _EVIDENCE % {"values": positions, "filters": "", "tail": tail}


def _coded_order(row: Row) -> tuple[str, int, str, list[str]]:
    # Evidence in the order it was coded: ev1, ev2, ..., ev10 (shorter ids first); the rows of a span
    # stated twice over (two offsets, two documents) by their values, so the one shown never varies.
    evidence = str(row["evidence"])
    return str(row["position"]), len(evidence), evidence, sorted(term.n3() for term in row.values())


def _spans(rows: Iterable[Row]) -> Iterator[Row]:
    """``rows`` one per position and evidence span, the first of each; a literal where a span belongs
    is left out (there is nothing to quote), and so is the span of a position with no IRI to name."""
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (str(row["position"]), str(row["evidence"]))
        named = isinstance(row["position"], URIRef) and not isinstance(row["evidence"], RdfLiteral)
        if named and key not in seen:
            seen.add(key)
            yield row


def _evidence(row: Row) -> Evidence:
    document = _text(row, "document")
    return Evidence(
        id=identifier(str(row["evidence"])),
        quote=_text(row, "quote"),
        prefix=_text(row, "prefix"),
        suffix=_text(row, "suffix"),
        start=_integer(row, "start"),
        end=_integer(row, "end"),
        document=identifier(document) if document else None,
        garbled=_boolean(row, "garbled"),
        note=_text(row, "note"),
    )


def _concept(term: Node) -> str:
    # A concept by its local name; anything else (a literal where a concept belongs) as stored.
    return (local_name(term) or "") if isinstance(term, URIRef) else str(term)


def _named_in(rows: Iterable[_PositionRow]) -> set[str]:
    named = {str(row.row[key]) for row in rows for key in ("holder", "target")}
    return named | {row.regarding for row in rows if row.regarding is not None}


def _assembled(
    rows: list[_PositionRow], evidence_rows: Iterable[Row], named: Mapping[str, Summary]
) -> list[Position]:
    """Positions from grouped rows, with their evidence (rows of other positions are left out)."""
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for evidence_row in _spans(sorted(evidence_rows, key=_coded_order)):
        evidence[str(evidence_row["position"])].append(_evidence(evidence_row))
    return [
        Position(
            id=identifier(iri := str(row["position"])),
            iri=iri,
            holder=named[str(row["holder"])],
            target=named[str(row["target"])],
            stance=_concept(row["stance"]),
            value=_integer(row, "value"),
            attribution=_concept(row["attribution"]) if "attribution" in row else None,
            hedged=_boolean(row, "hedged"),
            hedgeCues=cues,
            regarding=named[regarding] if regarding is not None else None,
            evidence=evidence[iri],
        )
        for row, regarding, cues in rows
    ]


def _page_of_positions(store: Store, ids: list[str]) -> tuple[list[_PositionRow], list[Row]]:
    """The grouped rows of the positions ``ids`` and their evidence rows: two queries at once.

    The ids alone bind the pattern: bound as well, a holder made the engine start from each of its
    positions (16 ms instead of 2.5 for a page of 50 of 1,558).
    """
    if not ids:
        return [], []
    page = _values("position", map(URIRef, ids))
    pattern = _POSITION_PATTERN % {"values": page, "filters": ""}
    rows, evidence = select_all(
        store, [_POSITIONS % {"pattern": pattern, "limit": ""}, _evidence_query(page)]
    )
    return _grouped(rows), evidence


def positions(
    store: Store, where: PositionFilter | None = None, *, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page[Position]:
    """A page of the positions matching ``where``, ordered by id, each with its evidence.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> page = positions(store, PositionFilter(stance="supports"), limit=1)
    >>> page["total"], page["items"][0]["holder"]["label"], page["items"][0]["hedgeCues"]
    (2, 'Analysts', ['could'])
    """
    check_page(limit, offset)
    values, filters = (where or PositionFilter()).clauses()
    ids = _sorted_position_ids(store, values, filters)
    rows, evidence_rows = _page_of_positions(store, ids[offset : offset + limit])
    items = _assembled(rows, evidence_rows, summaries(store, _named_in(rows)))
    return Page(total=len(ids), limit=limit, offset=offset, items=items)  # type: ignore[arg-type]


_LEAN_POSITION_PATTERN = """
  %(values)s
  ?position sg:holder ?holder ; sg:target ?target ; sg:stance ?stance .
  FILTER(isIRI(?position) && isIRI(?holder) && isIRI(?target))
"""
"""The positions :data:`_POSITION_PATTERN` matches when no filter applies (its OPTIONALs remove none)."""

_POSITION_IDS = _PREFIXES + "SELECT DISTINCT ?position WHERE {%(pattern)s}"


def _sorted_position_ids(store: Store, values: str, filters: str) -> list[str]:
    # The ids of every match, sorted here: they give the total and the page.
    matching = (
        _POSITION_PATTERN % {"values": values, "filters": filters}
        if filters
        else _LEAN_POSITION_PATTERN % {"values": values}
    )
    return sorted(_column(store, _POSITION_IDS % {"pattern": matching}))


def _column(store: Store, sparql: str) -> list[str]:
    # The values of a one-column SELECT as plain strings: TSV parsed by pyoxigraph, since rdflib
    # terms cost more than the query for tens of thousands of rows.
    body = store.query(sparql, results_media_type="text/tab-separated-values").read()
    return [solution[0].value for solution in ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)]


# --- entities -----------------------------------------------------------------------------------

_LIST = (
    _PREFIXES
    + """
SELECT ?entity (MIN(LCASE(STR(?name))) AS ?sortKey) (COUNT(DISTINCT ?position) AS ?positionCount) WHERE {
  ?entity a/rdfs:subClassOf* %(cls)s .
  FILTER(STRSTARTS(STR(?entity), STR(sgd:)))
  OPTIONAL { ?entity rdfs:label ?name }
  OPTIONAL { %(positions)s }
}
GROUP BY ?entity
ORDER BY ?sortKey ?entity
%(page)s"""
)

_COUNT = (
    _PREFIXES
    + """
SELECT (COUNT(DISTINCT ?entity) AS ?total) WHERE {
  ?entity a/rdfs:subClassOf* %(cls)s .
  FILTER(STRSTARTS(STR(?entity), STR(sgd:)))
}"""
)


def list_entities(
    store: Store, kind: KindName, *, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page[Listed]:
    """A page of the ``sgd:`` entities of a kind, ordered by label then id, with their position counts.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> page = list_entities(store, "concern", limit=2)
    >>> page["total"], [(item["label"], item["positionCount"]) for item in page["items"]]
    (4, [('Geopolitical impacts', 1), ('Military spending', 1)])
    """
    check_page(limit, offset)
    chosen = kind_of(kind)
    parts = {
        "cls": chosen.cls.n3(),
        "positions": chosen.position_pattern,
        "page": _page_clause(limit, offset),
    }
    total = _count(select_rows(store, _COUNT % parts)[0], "total")
    rows = select_rows(store, _LIST % parts)
    named = summaries(store, (str(row["entity"]) for row in rows))
    items = [Listed(**named[str(row["entity"])], positionCount=_count(row, "positionCount")) for row in rows]
    return Page(total=total, limit=limit, offset=offset, items=items)  # type: ignore[arg-type]


_RELATIONS = (
    _PREFIXES
    + """
SELECT ?relation ?other ?graph WHERE {
  VALUES ?entity { %(entity)s }
  # The "is-a" row tells that the entity is of the kind asked for; no such row: no such entity.
  { ?entity a/rdfs:subClassOf* %(cls)s BIND("is-a" AS ?relation) }
  %(branches)s
}"""
)


def _relation_branches(relations: Iterable[Relation]) -> str:
    # Each link once as the default graph sees it and once per named graph holding it: a link is
    # inferred when every named graph holding it is an analyst-inference graph.
    branches = []
    for relation in relations:
        bind = f'BIND("{relation.key}" AS ?relation)'
        branches.append(f"UNION {{ ?entity {relation.path} ?other {bind} }}")
        branches.append(f"UNION {{ GRAPH ?graph {{ ?entity {relation.path} ?other }} {bind} }}")
    return "\n  ".join(branches)


def _is_inference_graph(graph: str) -> bool:
    return graph.endswith("/inferred")


def describe(
    store: Store, kind: KindName, slug: str, *, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> dict[str, Any]:
    """One entity of ``kind`` in detail: its summary, its relations, and its positions with evidence.

    Stakeholders list the positions they hold; programs, concerns, measures and
    threats the positions taken on them, a page of them at a time (``limit`` and
    ``offset``, ordered by id, as ``positions(holder=...)`` or ``positions(target=...)``
    pages them), with ``positionCount`` telling how many there are in all; documents
    their text and every evidence span quoting them. NotFoundError names an id that
    is not of the kind.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> officials = describe(store, "stakeholder", "canadian-officials")
    >>> [link["label"] for link in officials["memberOf"]], officials["positions"][0]["stance"]
    (['Canadian government'], 'optimistic')
    >>> canada = describe(store, "stakeholder", "canada", limit=1)
    >>> len(canada["positions"]), canada["positionCount"]
    (1, 2)
    >>> [(m["id"], m["inferred"]) for m in describe(store, "concern", "national-security")["addressedBy"]][:2]
    [('collaborative-military-drills', True), ('enhancing-communication-channels', True)]
    >>> describe(store, "stakeholder", "atlantis")
    Traceback (most recent call last):
    ...
    graph.errors.NotFoundError: no stakeholder 'atlantis'
    """
    chosen = kind_of(kind)
    if not _SLUG.fullmatch(slug):
        raise NotFoundError(f"no {kind} {slug!r}")
    check_page(limit, offset)
    iri = entity(slug)
    if chosen.name == "document":
        graphs = _relations_from(select_rows(store, _relations_query(chosen, iri)), iri)
        detail = _detail(chosen, iri, graphs, summaries(store, {str(iri), *(other for _, other in graphs)}))
        detail.update(_document(store, iri))
        return detail
    # Everything the answer needs, asked at once and keyed by the entity itself rather than by
    # what an earlier answer named, so a lookup waits on one round of parallel queries. Each query
    # is bounded: an entity with more positions than that gets its page in a second round.
    values, _ = (
        PositionFilter(holder=slug) if chosen.name == "stakeholder" else PositionFilter(target=slug)
    ).clauses()
    link = chosen.position_pattern.replace("?entity", iri.n3())
    bound = offset + limit + 16
    pattern = _POSITION_PATTERN % {"values": values, "filters": ""}
    relation_rows, rows, evidence, described = select_all(
        store,
        [
            _relations_query(chosen, iri),
            _POSITIONS % {"pattern": pattern, "limit": f"LIMIT {bound}"},
            _evidence_query(f"{link} .", 2 * bound),
            _entity_summaries(chosen, iri, link, bound),
        ],
    )
    graphs = _relations_from(relation_rows, iri)
    if not graphs:
        raise NotFoundError(f"no {kind} {slug!r}")
    if len(rows) < bound:  # every position of the entity: paged here
        every = _grouped(rows)
        count, page = len(every), every[offset : offset + limit]
        if page and len(evidence) == 2 * bound:  # cut short: the page's own, in full
            page_ids = _values("position", (URIRef(row.row["position"]) for row in page))
            evidence = select_rows(store, _evidence_query(page_ids))
    else:
        ids = _sorted_position_ids(store, values, "")
        count = len(ids)
        page, evidence = _page_of_positions(store, ids[offset : offset + limit])
    covered = {str(row["entity"]) for row in described}
    needed = {str(iri), *(other for _, other in graphs), *_named_in(page)}
    named = _summaries_from(described, covered & needed) | summaries(store, needed - covered)
    detail = _detail(chosen, iri, graphs, named)
    detail["positions"] = _assembled(page, evidence, named)
    detail["positionCount"] = count
    return detail


def _relations_query(chosen: EntityKind, iri: URIRef) -> str:
    return _RELATIONS % {
        "entity": iri.n3(),
        "cls": chosen.cls.n3(),
        "branches": _relation_branches(chosen.relations),
    }


def _relations_from(rows: Iterable[Row], iri: URIRef) -> dict[tuple[str, str], set[str]]:
    """The entity's links as ``{(relation, other): named graphs stating it}``; empty if it is not of the kind.

    The ``("is-a", iri)`` key is there whenever the entity is of the kind.
    """
    graphs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        relation = str(row["relation"])
        if relation == "is-a":
            graphs.setdefault((relation, str(iri)), set())
        elif isinstance(row.get("other"), URIRef):
            holding = graphs[relation, str(row["other"])]
            if "graph" in row:
                holding.add(str(row["graph"]))
    return graphs if ("is-a", str(iri)) in graphs else {}


def _detail(
    chosen: EntityKind, iri: URIRef, graphs: Mapping[tuple[str, str], set[str]], named: Mapping[str, Summary]
) -> dict[str, Any]:
    detail: dict[str, Any] = dict(named[str(iri)])
    for relation in chosen.relations:
        linked = sorted((other, held) for (key, other), held in graphs.items() if key == relation.key)
        if relation.single:
            detail[relation.key] = local_name(linked[0][0]) if linked else None
            continue
        detail[relation.key] = [
            Link(**named[other], inferred=bool(held) and all(map(_is_inference_graph, held)))
            for other, held in linked
        ]
    return detail


def _entity_summaries(chosen: EntityKind, iri: URIRef, link: str, bound: int) -> str:
    # The summaries of the entity, of what it links to and of what its first ``bound`` positions
    # name; a position past the bound names entities fetched later.
    linked = "".join(
        f"\n      UNION {{ {iri.n3()} {relation.path} ?entity }}"
        for relation in chosen.relations
        if not relation.single
    )
    subjects = f"""{{ SELECT DISTINCT ?entity WHERE {{
      {{ VALUES ?entity {{ {iri.n3()} }} }}{linked}
      UNION {{
        {{ SELECT ?position WHERE {{ {link} }} LIMIT {bound} }}
        ?position sg:holder|sg:target|sg:regarding ?entity
      }}
    }} }}"""
    return _SUMMARIES % {"entities": subjects}


# --- documents ----------------------------------------------------------------------------------

_DOCUMENT = (
    _PREFIXES
    + """
SELECT (SAMPLE(?anyTitle) AS ?title) (SAMPLE(?anyHash) AS ?sha256) (SAMPLE(?anyPath) AS ?source) WHERE {
  VALUES ?document { %(document)s }
  OPTIONAL { ?document dcterms:title ?anyTitle }
  OPTIONAL { ?document sg:sha256 ?anyHash }
  OPTIONAL { ?document sg:sourceText ?anyPath }
}"""
)


def source_text(source: str | None, sha256: str | None, sources_dir: Path = DATA_DIR) -> str | None:
    """The text of a document's source file, if it lies under ``sources_dir`` and matches its SHA-256.

    The path comes from the graph, which anyone with write access can change:
    a path leaving ``sources_dir`` is never read, and a file whose hash differs
    from the recorded one is not served, since the evidence offsets index the
    text that was hashed.

    >>> text = (DATA_DIR / "sources/golden-dome-canada.txt").read_bytes()
    >>> digest = hashlib.sha256(text).hexdigest()
    >>> source_text("sources/golden-dome-canada.txt", digest)[:6]
    'Canada'
    >>> source_text("../../../etc/passwd", digest) is None
    True
    >>> source_text("sources/golden-dome-canada.txt", "not its hash") is None
    True
    """
    if not source or not sha256:
        return None
    root = sources_dir.resolve()
    path = (root / source).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256.lower():
        return None
    try:
        # newline="" semantics: offsets index the file's characters as they are.
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _document(store: Store, iri: URIRef) -> dict[str, Any]:
    row = select_rows(store, _DOCUMENT % {"document": iri.n3()})[0]
    sha256, source = _text(row, "sha256"), _text(row, "source")
    spans = []
    for evidence_row in _spans(_evidence_of_document(store, iri)):
        span = _evidence(evidence_row)
        span["position"] = identifier(str(evidence_row["position"]))
        spans.append(span)
    return {
        "title": _text(row, "title"),
        "sha256": sha256,
        "source": source,
        "text": source_text(source, sha256),
        "evidence": spans,
    }


# --- search -------------------------------------------------------------------------------------

_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


def fold(text: str) -> str:
    """``text`` for comparison: accents and case dropped (NFKD), typographic quotes and dashes made plain.

    >>> fold("Québec’s CANADÁ")
    "quebec's canada"
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_NAMES = (
    _PREFIXES
    + """
SELECT DISTINCT ?entity ?name ?isLabel WHERE {
  %(roots)s
  ?entity a/rdfs:subClassOf* ?root .
  FILTER(STRSTARTS(STR(?entity), STR(sgd:)))
  { ?entity rdfs:label ?name BIND(true AS ?isLabel) }
  UNION { ?entity skos:altLabel ?name BIND(false AS ?isLabel) }
}"""
)


def search(store: Store, q: str, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[Found]:
    """Entities whose label or alias contains ``q``, ignoring case and accents; best matches first.

    A name equal to ``q`` ranks above one starting with it, which ranks above one
    merely containing it; labels rank above aliases, shorter names above longer.
    The folding (:func:`fold`) runs in Python on both sides, since SPARQL has no
    accent-insensitive comparison.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> hit = search(store, "TRUMP")["items"][0]
    >>> hit["label"], hit["matched"]
    ('Donald Trump', 'Trump')
    """
    check_page(limit, offset)
    wanted = fold(q.strip())
    if not wanted:
        raise ValidationFailedError("q: must not be empty")
    best: dict[str, tuple[int, bool, int, str, str]] = {}
    for row in select_rows(store, _NAMES % {"roots": _values("root", SEARCHED_CLASSES)}):
        if isinstance(row["name"], BNode):  # a blank node names nothing a reader could look for
            continue
        name = str(row["name"])
        folded = fold(name)
        if wanted not in folded:
            continue
        rank = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2
        iri = str(row["entity"])
        candidate = (rank, _boolean(row, "isLabel") is not True, len(name), folded, name)
        if iri not in best or candidate < best[iri]:
            best[iri] = candidate
    ordered = sorted(best, key=lambda iri: (best[iri], iri))
    page = ordered[offset : offset + limit]
    named = summaries(store, page)
    items = [Found(**named[iri], matched=best[iri][4]) for iri in page]
    return Page(total=len(ordered), limit=limit, offset=offset, items=items)  # type: ignore[arg-type]


# --- named queries ------------------------------------------------------------------------------


def query_table(
    store: Store, name: str, values: Mapping[str, ParameterValue], *, timeout: float | None = None
) -> QueryTable:
    """Run the named query ``name`` with ``values`` bound as RDF terms; its columns and plain rows.

    Values are plain by :func:`graph.results.plain_value`: numbers and booleans as such, the rest
    (IRIs, strings, literals their datatype does not allow) as their text.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> table = query_table(store, "positions-of-stakeholder", {"stakeholder": "experts"})
    >>> table["columns"][:3], table["rows"][0]["stanceLabel"]
    (['stakeholder', 'position', 'target'], 'supports')
    """
    query = load_query(name)
    result = store.query(query.sparql, bindings=bind_parameters(query, values), timeout=timeout)
    document = json.loads(result.read())
    rows = [{column: plain_value(term) for column, term in row.items()} for row in solution_rows(document)]
    return QueryTable(query=name, columns=document["head"]["vars"], rows=rows, truncated=result.truncated)


# --- what the graph holds -----------------------------------------------------------

_KIND_COUNTS = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?kind (COUNT(DISTINCT ?thing) AS ?count) WHERE {
  VALUES ?kind { sg:Position sg:Evidence sg:Stakeholder sg:Program sg:ParticipationProposal
                 sg:Concern sg:Measure sg:Threat sg:Document }
  OPTIONAL { ?thing a/rdfs:subClassOf* ?kind }
}
GROUP BY ?kind
"""

# The order info prints its lines in, and their names.
_COUNTED_KINDS = (
    ("Position", "positions"),
    ("Evidence", "evidence spans"),
    ("Stakeholder", "stakeholders"),
    ("Program", "programs"),
    ("ParticipationProposal", "participation proposals"),
    ("Concern", "concerns"),
    ("Measure", "measures"),
    ("Threat", "threats"),
    ("Document", "documents"),
)


def graph_counts(store: Store) -> dict[str, int]:
    """Quads, named graphs, and the instances of each kind of thing, in one query for the kinds.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> with MemoryStore() as store:
    ...     load_embedded(store)
    ...     counts = graph_counts(store)
    >>> counts["positions"], counts["documents"]
    (20, 1)
    """
    counts = {"quads": len(store), "graphs": len(store.graph_names())}
    by_kind = {str(row["kind"]): _count(row, "count") for row in select_rows(store, _KIND_COUNTS)}
    counts.update({name: by_kind.get(str(SG[kind]), 0) for kind, name in _COUNTED_KINDS})
    return counts
