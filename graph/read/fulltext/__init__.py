"""Full-text search over the evidence quotes and the documents' texts.

The store holds the texts (``sg:text``) and the quotes (``oa:exact``); a
:class:`~graph.read.fulltext.index.TextIndex` copies them into SQLite's FTS5 (in the standard
library), which ranks by BM25, folds case and accents, and answers phrase and prefix queries.
:func:`~graph.read.fulltext.index.search_texts` keeps one index per store and builds it anew
after the store was written to (:attr:`graph.stores.base.Store.revision`).
"""

from graph.read.fulltext.folding import FoldedText, fold
from graph.read.fulltext.index import TextHit, TextIndex, search_texts
from graph.read.fulltext.terms import SearchTerm, parse_query

__all__ = ["FoldedText", "SearchTerm", "TextHit", "TextIndex", "fold", "parse_query", "search_texts"]
