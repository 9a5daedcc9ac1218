"""What the lookups answer: JSON-shaped dicts, typed, the REST responses' models.

Typed dicts rather than classes: a lookup's answer is plain data a notebook can
index and the service serializes as it is; the service's response models are
these same types, so FastAPI checks every body against them.
"""

from __future__ import annotations

from typing import Any, Generic, NotRequired, TypeVar

from typing_extensions import TypedDict


class Summary(TypedDict):
    """An entity in brief: id (slug), IRI, label, most specific ontology class, aliases."""

    id: str
    iri: str
    label: str
    type: str | None
    aliases: list[str]


class Link(Summary):
    """A related entity; ``inferred`` when the link is stated only in an analyst-inference graph, with
    the note stored with the link as its ``reason`` (an inferred link's: why the analyst drew it; None
    when none is stored)."""

    inferred: bool
    reason: str | None


class Listed(Summary):
    """An entity in a list, with the number of positions it holds, is the target of, or evidences,
    the coder's ``notes``, and for a measure its ``status`` (a concept's local name, None if unstated)."""

    positionCount: int
    notes: list[str]
    status: NotRequired[str | None]


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
    """A position: who holds which stance, with which value, on what, on what evidence, with the coder's
    ``notes`` (``skos:editorialNote``; empty when none).

    ``value`` and ``hedged`` are shown as stored: one that is not a well-formed integer (boolean)
    literal, such as ``"abc"^^xsd:integer``, is its text (:func:`graph.terms.as_integer`).
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
    notes: list[str]
    evidence: list[Evidence]
    sources: NotRequired[int]


T = TypeVar("T")


class Page(TypedDict, Generic[T]):
    """One page of a list: ``total`` items in all, ``items`` from ``offset``, at most ``limit``."""

    total: int
    limit: int
    offset: int
    items: list[T]


class StakeholderDetail(Summary):
    notes: list[str]
    memberOf: list[Link]
    partOf: list[Link]
    positions: list[Position]
    positionCount: int


class ProgramDetail(Summary):
    notes: list[str]
    initiatedBy: list[Link]
    promotedBy: list[Link]
    aimsAt: list[Link]
    positions: list[Position]
    positionCount: int


class ConcernDetail(Summary):
    notes: list[str]
    broader: list[Link]
    narrower: list[Link]
    addressedBy: list[Link]
    positions: list[Position]
    positionCount: int


class MeasureDetail(Summary):
    notes: list[str]
    status: str | None
    addresses: list[Link]
    partOf: list[Link]
    positions: list[Position]
    positionCount: int


class ThreatDetail(Summary):
    notes: list[str]
    aimedAtBy: list[Link]
    addressedBy: list[Link]
    positions: list[Position]
    positionCount: int


class DocumentDetail(Summary):
    """A document: ``issued`` is its publication time as stored (``xsd:dateTime``, UTC) with the
    ``timePrecision`` the source gives (year, month, day or instant); None when undated."""

    title: str | None
    sha256: str | None
    source: str | None
    publisher: str | None
    author: str | None
    issued: str | None
    timePrecision: str | None
    url: str | None
    notes: list[str]
    text: str | None
    evidence: list[Evidence]


class QueryTable(TypedDict):
    """The rows of a named query as plain values, columns in the query's order."""

    query: str
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
