"""What the analyses read from a store beside the position records: quotes and document hashes.

Quotes are read as the REST answers read them (:mod:`graph.read.evidence`), in
one query for every position asked about, never one per position.

>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
...   PREFIX oa: <http://www.w3.org/ns/oa#>
...   INSERT DATA { <urn:p> sg:holder <urn:h> ; sg:evidence <urn:e> .
...     <urn:e> oa:hasTarget [ oa:hasSelector [ oa:exact "we back it" ] ] .
...     <urn:doc> sg:sha256 "ab12" }''')
>>> [quote["quote"] for quote in position_quotes(store)["urn:p"]]
['we back it']
>>> document_hashes(store)
{'urn:doc': 'ab12'}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import URIRef

from graph.read.evidence import coded_order, evidence, evidence_query, spans
from graph.read.names import PROLOGUE
from graph.read.shapes import Evidence
from graph.results import select_solutions
from graph.stores.base import Store
from graph.terms import Solution, text_of, values_clause

_EVERY_POSITION = "?position sg:holder ?anyHolder ."

_HASHES = (
    PROLOGUE
    + """
SELECT ?document (MIN(STR(?hash)) AS ?sha256) WHERE { ?document sg:sha256 ?hash FILTER(isIRI(?document)) }
GROUP BY ?document"""
)


def position_quotes(store: Store, positions: Iterable[str] | None = None) -> dict[str, list[Evidence]]:
    """The quoted spans of ``positions`` (IRIs; every position when ``None``), by position IRI,
    each position's in the order they were coded. A position with no span is not a key."""
    if positions is None:
        pattern = _EVERY_POSITION
    else:
        wanted = sorted(set(positions))
        if not wanted:
            return {}
        pattern = values_clause("position", map(URIRef, wanted))
    return quotes_by_position(select_solutions(store, evidence_query(pattern)))


def quotes_by_position(rows: Iterable[Solution]) -> dict[str, list[Evidence]]:
    """Evidence rows (of :func:`graph.read.evidence.evidence_query`) as quotes by position IRI."""
    quoted: dict[str, list[Evidence]] = defaultdict(list)
    for row in spans(coded_order(rows)):
        quoted[text_of(row["position"])].append(evidence(row))
    return dict(quoted)


def document_hashes(store: Store) -> dict[str, str]:
    """The ``sg:sha256`` of each document that has one, by document IRI (the least, should it have two)."""
    return {
        text_of(row["document"]): text_of(row["sha256"])
        for row in select_solutions(store, _HASHES)
        if "sha256" in row
    }
