"""The search box's language: words, "quoted phrases" and prefix* words, all of which must match.

One parse serves both sides: :func:`match_expression` writes the terms as an FTS5 query
(every term quoted, so nothing a user types is read as FTS5 syntax) and :func:`term_pattern`
as a regular expression over folded text, which finds the hits' offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import ValidationFailedError
from graph.read.fulltext.folding import fold

_WORD = re.compile(r"[^\W_]+")  # letters and digits: the index's tokens (unicode61)
_PIECE = re.compile(r'"([^"]*)"|(\S+)')
_START, _END = r"(?<![^\W_])", r"(?![^\W_])"  # a term starts and ends at a token's edges


@dataclass(frozen=True)
class SearchTerm:
    """One term of a query: a word, or the words of a phrase in order; ``prefix`` when the last
    word may be the start of a longer one."""

    words: tuple[str, ...]
    prefix: bool = False


def parse_query(q: str) -> list[SearchTerm]:
    """The terms of ``q``, folded (case and accents dropped); punctuation splits words, as the index does.

    >>> [(term.words, term.prefix) for term in parse_query('Canadá "golden  dome" defen*')]
    [(('canada',), False), (('golden', 'dome'), False), (('defen',), True)]
    >>> parse_query('"golden dome')
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: q: a quoted phrase is not closed
    """
    if q.count('"') % 2:
        raise ValidationFailedError("q: a quoted phrase is not closed")
    terms = []
    for phrase, bare in _PIECE.findall(q):
        text = phrase if phrase else bare
        prefix = not phrase and text.endswith("*")
        words = tuple(_WORD.findall(fold(text)))
        if words:
            terms.append(SearchTerm(words, prefix))
    if not terms:
        raise ValidationFailedError("q: must contain at least one letter or digit")
    return terms


def match_expression(terms: list[SearchTerm]) -> str:
    """The FTS5 query of ``terms``: each a quoted string (a phrase), prefix ones starred, all required.

    >>> match_expression(parse_query('golden dome* "north american"'))
    '"golden" "dome"* "north american"'
    """
    return " ".join(f'"{" ".join(term.words)}"' + ("*" if term.prefix else "") for term in terms)


def term_pattern(terms: list[SearchTerm]) -> re.Pattern[str]:
    """A regular expression finding each term's occurrences in folded text, as whole words.

    >>> pattern = term_pattern(parse_query('dome* "north american"'))
    >>> [m.group() for m in pattern.finditer("domes of north-american")]
    ['domes', 'north-american']
    """
    alternatives = []
    for term in terms:
        words = [re.escape(word) for word in term.words]
        tail = r"[^\W_]*" if term.prefix else ""
        alternatives.append(_START + r"[\W_]+".join(words) + tail + _END)
    return re.compile("|".join(alternatives))
