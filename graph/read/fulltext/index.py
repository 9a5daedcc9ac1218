"""The full-text index: the store's quotes and texts in SQLite FTS5, ranked by BM25.

FTS5's ``unicode61`` tokenizer with ``remove_diacritics 2`` folds case and accents as
:func:`graph.read.fulltext.folding.fold` does, so the index finds what the search box means and
:func:`graph.read.fulltext.terms.term_pattern` then finds where, in the text as stored.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass, field
from typing import Literal

from typing_extensions import TypedDict

from graph.errors import ValidationFailedError
from graph.read.fulltext.folding import FoldedText
from graph.read.fulltext.terms import match_expression, parse_query, term_pattern
from graph.read.names import PROLOGUE, identifier
from graph.read.paging import DEFAULT_LIMIT, check_page
from graph.read.shapes import Page
from graph.results import select_all_solutions
from graph.revisions import per_revision
from graph.stores.base import Store
from graph.terms import integer_of, text_of

Scope = Literal["quotes", "texts"]
SCOPES: tuple[Scope, ...] = ("quotes", "texts")
MAX_SPANS = 20
"""The most hit spans reported for one document: a word a text repeats is shown where it starts."""

_TEXTS = PROLOGUE + "SELECT * WHERE { ?document sg:text ?text OPTIONAL { ?document dcterms:title ?title } }"
_QUOTES = (
    PROLOGUE
    + """
SELECT ?position ?evidence ?quote ?start ?end ?document WHERE {
  ?position sg:evidence ?evidence .
  ?evidence oa:hasTarget/oa:hasSelector ?quoteSelector . ?quoteSelector oa:exact ?quote .
  OPTIONAL {
    ?evidence oa:hasTarget/oa:hasSelector ?positionSelector . ?positionSelector oa:start ?start ; oa:end ?end
  }
  OPTIONAL { ?evidence prov:wasDerivedFrom ?document }
}"""
)
_TOKENIZER = "unicode61 remove_diacritics 2"


class Span(TypedDict):
    """Where a hit is, in code points of the document's text as stored (``text[start:end]``)."""

    start: int
    end: int
    text: str


class TextHit(TypedDict):
    """One hit: a quote (``kind`` ``quote``, with its evidence id) or a document's text (``text``).

    ``spans`` are in the document's text when its offsets are known (a quote's own offsets
    otherwise); ``positions`` the ids of the positions resting on the hit: the quote's, or
    those whose evidence overlaps a span of the text. ``score`` is BM25 (higher is better),
    comparable among the hits of one kind.
    """

    kind: Literal["quote", "text"]
    document: str | None
    title: str | None
    evidence: str | None
    quote: str | None
    spans: list[Span]
    positions: list[str]
    score: float


@dataclass
class _Quote:
    evidence: str
    quote: str
    document: str | None
    start: int | None
    positions: list[str] = field(default_factory=list)


@dataclass
class _Text:
    document: str
    title: str | None
    text: str


class TextIndex:
    """The quotes and texts of a store, indexed for :meth:`search`; built whole from the store.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
    ...   INSERT DATA { <https://w3id.org/stancegraph/id/doc>
    ...                 sg:text "A fictional text: Québec weighs the dome." }''')
    >>> hit = TextIndex(store).search("quebec", ["texts"])["items"][0]
    >>> hit["document"], hit["spans"]
    ('doc', [{'start': 18, 'end': 24, 'text': 'Québec'}])
    """

    def __init__(self, store: Store) -> None:
        texts, quotes = select_all_solutions(store, [_TEXTS, _QUOTES])
        self._texts = [
            _Text(
                identifier(text_of(row["document"])),
                text_of(row["title"]) if "title" in row else None,
                text_of(row["text"]),
            )
            for row in texts
        ]
        by_evidence: dict[str, _Quote] = {}
        for row in quotes:
            evidence = text_of(row["evidence"])
            start = integer_of(row["start"]) if "start" in row else None
            document = identifier(text_of(row["document"])) if "document" in row else None
            quote = by_evidence.setdefault(
                evidence,
                _Quote(evidence, text_of(row["quote"]), document, start if isinstance(start, int) else None),
            )
            position = identifier(text_of(row["position"]))
            if position not in quote.positions:
                quote.positions.append(position)
        self._quotes = sorted(by_evidence.values(), key=lambda q: q.evidence)
        self._titles = {text.document: text.title for text in self._texts}
        self._quotes_of: dict[str | None, list[_Quote]] = {}
        for quote in self._quotes:
            self._quotes_of.setdefault(quote.document, []).append(quote)
        self._lock = threading.Lock()  # one connection, used by the request threads in turn
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(f"CREATE VIRTUAL TABLE quotes USING fts5(quote, tokenize='{_TOKENIZER}')")
        self._db.execute(f"CREATE VIRTUAL TABLE texts USING fts5(text, tokenize='{_TOKENIZER}')")
        self._db.executemany(
            "INSERT INTO quotes(rowid, quote) VALUES (?, ?)", enumerate(q.quote for q in self._quotes)
        )
        self._db.executemany(
            "INSERT INTO texts(rowid, text) VALUES (?, ?)", enumerate(t.text for t in self._texts)
        )

    def search(
        self,
        q: str,
        scopes: list[Scope] | tuple[Scope, ...] = SCOPES,
        *,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[TextHit]:
        """The hits of ``q`` in the quotes, then the texts (as ``scopes`` asks), best first in each."""
        check_page(limit, offset)
        terms = parse_query(q)
        expression = match_expression(terms)
        ranked: list[tuple[Scope, int, float]] = []
        with self._lock:
            for scope in scopes:
                if scope not in SCOPES:
                    raise ValidationFailedError(f"in: unknown scope {scope!r} (valid: labels, quotes, texts)")
                rows = self._db.execute(
                    f"SELECT rowid, bm25({scope}) AS rank FROM {scope} WHERE {scope} MATCH ? ORDER BY 2, 1",
                    (expression,),
                ).fetchall()
                ranked += [(scope, rowid, -score) for rowid, score in rows]  # bm25() is lower for better
        pattern = term_pattern(terms)
        items = [
            self._hit(scope, rowid, score, pattern) for scope, rowid, score in ranked[offset : offset + limit]
        ]
        return Page(total=len(ranked), limit=limit, offset=offset, items=items)

    def _hit(self, scope: Scope, rowid: int, score: float, pattern: re.Pattern[str]) -> TextHit:
        if scope == "quotes":
            quote = self._quotes[rowid]
            base = quote.start or 0
            return TextHit(
                kind="quote",
                document=quote.document,
                title=self._titles.get(quote.document) if quote.document else None,
                evidence=identifier(quote.evidence),
                quote=quote.quote,
                spans=[
                    Span(start=base + start, end=base + end, text=quote.quote[start:end])
                    for start, end in _spans(quote.quote, pattern)
                ],
                positions=list(quote.positions),
                score=score,
            )
        text = self._texts[rowid]
        spans = _spans(text.text, pattern)
        return TextHit(
            kind="text",
            document=text.document,
            title=text.title,
            evidence=None,
            quote=None,
            spans=[Span(start=start, end=end, text=text.text[start:end]) for start, end in spans],
            positions=self._resting_on(text.document, spans),
            score=score,
        )

    def _resting_on(self, document: str, spans: list[tuple[int, int]]) -> list[str]:
        # The positions whose quotes overlap a hit span of the document's text.
        found: list[str] = []
        for quote in self._quotes_of.get(document, []):
            if quote.start is None:
                continue
            end = quote.start + len(quote.quote)
            if any(start < end and quote.start < stop for start, stop in spans):
                found += [p for p in quote.positions if p not in found]
        return sorted(found)


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    # The first MAX_SPANS occurrences of the query's terms, as spans of the stored text.
    folded = FoldedText(text)
    spans = []
    for match in pattern.finditer(folded.text):
        spans.append(folded.original_span(*match.span()))
        if len(spans) == MAX_SPANS:
            break
    return spans


_index_of = per_revision(TextIndex)


def search_texts(
    store: Store,
    q: str,
    scopes: list[Scope] | tuple[Scope, ...] = SCOPES,
    *,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Page[TextHit]:
    """:meth:`TextIndex.search` on the store's index, built at the first search and again after a write.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> hit = search_texts(store, '"golden dome"', ["quotes"])["items"][0]
    >>> hit["kind"], hit["spans"][0]["text"]
    ('quote', 'Golden Dome')
    """
    return _index_of(store).search(q, scopes, limit=limit, offset=offset)
