"""Evidence: the quoted spans of positions, in the order they were coded, as shown in REST answers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import URIRef

from graph.read.names import PROLOGUE, identifier
from graph.read.shapes import Evidence
from graph.results import select_column, select_solutions
from graph.stores.base import Store
from graph.terms import Solution, SortKey, boolean_of, integer_of, is_iri, is_literal, sort_key, text_of
from graph.terms import values_clause as values

_EVIDENCE = (
    PROLOGUE
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
    PROLOGUE
    + """
SELECT DISTINCT ?evidence WHERE {
  { ?evidence prov:wasDerivedFrom %(document)s } UNION { ?evidence oa:hasTarget/oa:hasSource %(document)s }
  FILTER(isIRI(?evidence))
}"""
)


def evidence_query(positions: str, limit: int | None = None) -> str:
    """The query of the evidence rows of the positions ``positions`` binds (a ``VALUES`` or a pattern)."""
    tail = "" if limit is None else f"LIMIT {int(limit)}"
    return _EVIDENCE % {"values": positions, "filters": "", "tail": tail}


def evidence_of_document(store: Store, document: URIRef) -> list[Solution]:
    """The evidence rows of the spans quoting ``document``, ordered by where they start."""
    # The spans that may quote the document first, then theirs in detail: filtered after the
    # fact, every evidence span in the store was evaluated (seconds on a million triples).
    candidates = select_column(store, _EVIDENCE_OF_DOCUMENT % {"document": document.n3()})
    if not candidates:
        return []
    parts = {
        "values": values("evidence", map(URIRef, candidates)),
        "filters": f"FILTER(?document = {document.n3()})",
        "tail": "ORDER BY ?start ?evidence",
    }
    return select_solutions(store, _EVIDENCE % parts)


def _coded_order(row: Solution) -> tuple[str, int, str, list[SortKey]]:
    # Evidence in the order it was coded: ev1, ev2, ..., ev10 (shorter ids first); the rows of a span
    # stated twice over (two offsets, two documents) by their values, so the one shown never varies.
    evidence = text_of(row["evidence"])
    return text_of(row["position"]), len(evidence), evidence, sorted(map(sort_key, row.values()))


def coded_order(rows: Iterable[Solution]) -> list[Solution]:
    """``rows`` in the order their spans were coded, the rows of one span in the order of their values."""
    return sorted(rows, key=_coded_order)


def spans(rows: Iterable[Solution]) -> Iterator[Solution]:
    """``rows`` one per position and evidence span, the first of each; a literal where a span belongs
    is left out (there is nothing to quote), and so is the span of a position with no IRI to name."""
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (text_of(row["position"]), text_of(row["evidence"]))
        named = is_iri(row["position"]) and not is_literal(row["evidence"])
        if named and key not in seen:
            seen.add(key)
            yield row


def _text(row: Solution, name: str) -> str | None:
    return text_of(row[name]) if name in row else None


def _integer(row: Solution, name: str) -> int | str | None:
    return integer_of(row[name]) if name in row else None


def evidence(row: Solution) -> Evidence:
    """One evidence row as shown: offsets and ``garbled`` as stored when they are not well-formed."""
    document = _text(row, "document")
    return Evidence(
        id=identifier(text_of(row["evidence"])),
        quote=_text(row, "quote"),
        prefix=_text(row, "prefix"),
        suffix=_text(row, "suffix"),
        start=_integer(row, "start"),
        end=_integer(row, "end"),
        document=identifier(document) if document else None,
        garbled=boolean_of(row["garbled"]) if "garbled" in row else False,
        note=_text(row, "note"),
    )
