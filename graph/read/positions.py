"""Positions: who holds which stance on what, filtered, ordered by id and paged, each with its evidence.

A page of positions costs one query for the positions, one for all their
evidence and one for the labels of every entity they name, never one per row.
Positions are sorted in Python: the engine sorts IRIs slowly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from rdflib import URIRef

from graph.read.evidence import coded_order, evidence, evidence_query, spans
from graph.read.names import PROLOGUE, concept_iri, entity_iri, identifier, local_name
from graph.read.paging import DEFAULT_LIMIT, check_page
from graph.read.shapes import Evidence, Page, Position, Summary
from graph.read.summaries import summaries
from graph.results import select_all_solutions, select_column
from graph.stores.base import Store
from graph.terms import (
    Binding,
    Solution,
    SortKey,
    boolean_of,
    integer_of,
    is_iri,
    is_literal,
    sort_key,
    text_of,
)
from graph.terms import values_clause as values


@dataclass(frozen=True)
class PositionFilter:
    """Which positions to list; every field left ``None`` matches anything.

    ``concern`` matches positions whose target is the concern or that regard
    it (as a concern's own page lists them); ``stance`` the stance and every stance narrower than it
    in the stance scheme (``proposes`` matches ``recommends``), or that stance alone with
    ``exact_stance``; ``document`` those with evidence from the document; ``min_sources`` those whose
    holder, target and side at least that many independent sources state
    (:func:`graph.analysis.sources_by_position`; a position with no sign is one source).
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
    min_sources: int | None = None
    exact_stance: bool = False

    def clauses(self) -> tuple[str, str]:
        """The ``VALUES`` clauses (placed before the pattern) and the ``FILTER`` clauses (after it).

        >>> PositionFilter(holder="canada", min_value=1).clauses()
        ('VALUES ?holder { <https://w3id.org/stancegraph/id/canada> }', 'FILTER(?value >= 1)')
        >>> PositionFilter(stance="proposes").clauses()[0]
        '?stance (skos:broader|^skos:narrower)* <https://w3id.org/stancegraph/ontology#proposes> .'
        """
        clauses, filters = [], []
        if self.holder is not None:
            clauses.append(values("holder", [entity_iri("holder", self.holder)]))
        if self.target is not None:
            clauses.append(values("target", [entity_iri("target", self.target)]))
        if self.stance is not None:
            stance = concept_iri("stance", self.stance)
            # The stance scheme's hierarchy as the ontology states it (skos:broader), read both ways.
            narrower = f"?stance (skos:broader|^skos:narrower)* {stance.n3()} ."
            clauses.append(values("stance", [stance]) if self.exact_stance else narrower)
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
        return "\n  ".join(clauses), "\n  ".join(filters)


# Only named positions, holders and targets: a blank node or literal there has no id to list it by,
# to bind in a later query or to link to (validation reports them).
POSITION_PATTERN = """
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

POSITIONS = (
    PROLOGUE
    + """
SELECT ?position ?holder ?target ?stance ?value ?attribution ?hedged ?about ?cue ?note WHERE {%(pattern)s
  OPTIONAL { ?position sg:regarding ?about }
  OPTIONAL { ?position sg:hedgeCue ?cue }
  OPTIONAL { ?position skos:editorialNote ?note }
}
%(limit)s"""
)
"""Positions as rows, one per position, concern, hedge cue and note (:func:`grouped` makes them one per
position). Neither grouped nor ordered by the engine, so the rows stream and a ``LIMIT`` stops the
work early: Oxigraph sorts IRIs by looking their text up again at each comparison (56 ms for the
1,558 positions of one holder, where Python sorts them in microseconds)."""


class PositionRow(NamedTuple):
    """A position's single-valued columns, its first concern (by IRI), its hedge cues and its notes."""

    row: Solution
    regarding: str | None
    cues: list[str]
    notes: list[str]


_SINGLE_VALUED = ("holder", "target", "stance", "value", "attribution", "hedged")
_UNBOUND: SortKey = (-1, "", "", "")  # before every value


def _single_values(row: Solution) -> list[SortKey]:
    return [sort_key(row[name]) if name in row else _UNBOUND for name in _SINGLE_VALUED]


def grouped(rows: Iterable[Solution]) -> list[PositionRow]:
    """Rows of :data:`POSITIONS` one per position, ordered by IRI."""
    columns: dict[str, Solution] = {}
    concerns: dict[str, set[str]] = defaultdict(set)
    cues: dict[str, set[str]] = defaultdict(set)
    notes: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        iri = text_of(row["position"])
        kept = columns.setdefault(iri, row)
        if kept is not row and _single_values(row) < _single_values(kept):
            columns[iri] = row  # a position stated with two values shows the same one every time
        if "about" in row and is_iri(row["about"]):  # a literal regards nothing a summary can name
            concerns[iri].add(text_of(row["about"]))
        if "cue" in row:
            cues[iri].add(text_of(row["cue"]))
        if "note" in row and is_literal(row["note"]):
            notes[iri].add(text_of(row["note"]))
    return [
        PositionRow(columns[iri], min(concerns[iri], default=None), sorted(cues[iri]), sorted(notes[iri]))
        for iri in sorted(columns)
    ]


def _concept(term: Binding) -> str:
    # A concept by its local name; anything else (a literal where a concept belongs) as stored.
    return (local_name(text_of(term)) or "") if is_iri(term) else text_of(term)


def named_in(rows: Iterable[PositionRow]) -> set[str]:
    """The IRIs of the holders, targets and concerns of ``rows``: what their summaries are needed of."""
    named = {text_of(row.row[key]) for row in rows for key in ("holder", "target")}
    return named | {row.regarding for row in rows if row.regarding is not None}


def assembled(
    rows: list[PositionRow], evidence_rows: Iterable[Solution], named: Mapping[str, Summary]
) -> list[Position]:
    """Positions from grouped rows, with their evidence (rows of other positions are left out)."""
    quoted: dict[str, list[Evidence]] = defaultdict(list)
    for evidence_row in spans(coded_order(evidence_rows)):
        quoted[text_of(evidence_row["position"])].append(evidence(evidence_row))
    return [
        Position(
            id=identifier(iri := text_of(row["position"])),
            iri=iri,
            holder=named[text_of(row["holder"])],
            target=named[text_of(row["target"])],
            stance=_concept(row["stance"]),
            value=integer_of(row["value"]) if "value" in row else None,
            attribution=_concept(row["attribution"]) if "attribution" in row else None,
            hedged=boolean_of(row["hedged"]) if "hedged" in row else False,
            hedgeCues=cues,
            regarding=named[regarding] if regarding is not None else None,
            notes=notes,
            evidence=quoted[iri],
        )
        for row, regarding, cues, notes in rows
    ]


def page_of_positions(store: Store, ids: list[str]) -> tuple[list[PositionRow], list[Solution]]:
    """The grouped rows of the positions ``ids`` and their evidence rows: two queries at once.

    The ids alone bind the pattern: bound as well, a holder made the engine start from each of its
    positions (16 ms instead of 2.5 for a page of 50 of 1,558).
    """
    if not ids:
        return [], []
    page = values("position", map(URIRef, ids))
    pattern = POSITION_PATTERN % {"values": page, "filters": ""}
    rows, evidence_rows = select_all_solutions(
        store, [POSITIONS % {"pattern": pattern, "limit": ""}, evidence_query(page)]
    )
    return grouped(rows), evidence_rows


def positions(
    store: Store,
    where: PositionFilter | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    sources: Mapping[str, int] | None = None,
) -> Page[Position]:
    """A page of the positions matching ``where``, ordered by id, each with its evidence.

    ``sources`` (how many independent sources state each position, by IRI; see
    :func:`graph.analysis.positions_with_sources`) is shown as each item's ``sources`` and
    is what ``where.min_sources`` filters by; a position it lacks is one source.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> page = positions(store, PositionFilter(stance="supports"), limit=1)
    >>> page["total"], page["items"][0]["holder"]["label"], page["items"][0]["hedgeCues"]
    (3, 'Analysts', ['could'])
    """
    check_page(limit, offset)
    where = where or PositionFilter()
    clauses, filters = where.clauses()
    ids = sorted_position_ids(store, clauses, filters)
    if where.min_sources is not None:
        if sources is None:
            raise ValueError("min_sources filters by sources: give them")
        ids = [iri for iri in ids if sources.get(iri, 1) >= where.min_sources]
    rows, evidence_rows = page_of_positions(store, ids[offset : offset + limit])
    items = assembled(rows, evidence_rows, summaries(store, named_in(rows)))
    if sources is not None:
        for item in items:
            item["sources"] = sources.get(item["iri"], 1)
    return Page(total=len(ids), limit=limit, offset=offset, items=items)


_LEAN_POSITION_PATTERN = """
  %(values)s
  ?position sg:holder ?holder ; sg:target ?target ; sg:stance ?stance .
  FILTER(isIRI(?position) && isIRI(?holder) && isIRI(?target))
"""
"""The positions :data:`POSITION_PATTERN` matches when no filter applies (its OPTIONALs remove none)."""

_POSITION_IDS = PROLOGUE + "SELECT DISTINCT ?position WHERE {%(pattern)s}"


def sorted_position_ids(store: Store, clauses: str, filters: str) -> list[str]:
    """The ids of every position matching, sorted here: they give the total and the page."""
    matching = (
        POSITION_PATTERN % {"values": clauses, "filters": filters}
        if filters
        else _LEAN_POSITION_PATTERN % {"values": clauses}
    )
    return sorted(select_column(store, _POSITION_IDS % {"pattern": matching}))
