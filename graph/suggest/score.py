"""The suggester against a hand coding: precision, recall and F1.

A suggestion matches a coded position when both name the same holder and the same target and
the suggestion's quote overlaps one of the position's evidence spans. Precision: the share of
suggestions matching some position; recall: the share of positions some suggestion matches.

>>> from graph.suggest.suggestion import Suggestion
>>> coded = [Coded("p1", "a", "t", ((0, 10),)), Coded("p2", "b", "t", ((20, 30),))]
>>> found = [Suggestion("x", 5, 12, "supports", "direct", "r", holder="a", target="t"),
...          Suggestion("y", 40, 50, "supports", "direct", "r", holder="a", target="t")]
>>> result = score(found, coded)
>>> result.matched_suggestions, result.matched_positions, result.precision, result.recall, result.f1
(1, 1, 0.5, 0.5, 0.5)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph.coding.load import Coding
from graph.suggest.suggestion import Suggestion


@dataclass(frozen=True)
class Coded:
    """A hand-coded position as the score reads it: holder, target and evidence spans."""

    id: str
    holder: str
    target: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 of suggestions against coded positions (0 when undefined)."""

    suggestions: int
    positions: int
    matched_suggestions: int
    matched_positions: int
    precision: float
    recall: float
    f1: float


def coded_positions(coding: Coding) -> list[Coded]:
    """The positions of a checked coding file with their evidence spans (code points)."""
    return [
        Coded(
            position.id,
            position.holder,
            position.target,
            tuple(
                (start, start + len(quote.quote))
                for start, quote in zip(coding.offsets[position.id], position.evidence, strict=True)
            ),
        )
        for position in coding.file.positions
    ]


def overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether [start, end) shares a character with one of ``spans``.

    >>> overlaps(0, 5, [(5, 9)]), overlaps(0, 6, [(5, 9)])
    (False, True)
    """
    return any(start < last and first < end for first, last in spans)


def matches(suggestion: Suggestion, position: Coded) -> bool:
    """Same holder, same target, overlapping quotes."""
    return (
        suggestion.holder == position.holder
        and suggestion.target == position.target
        and overlaps(suggestion.start, suggestion.end, position.spans)
    )


def score(suggestions: Sequence[Suggestion], positions: Sequence[Coded]) -> Score:
    """The score of ``suggestions`` against ``positions``."""
    hit = sum(any(matches(s, p) for p in positions) for s in suggestions)
    found = sum(any(matches(s, p) for s in suggestions) for p in positions)
    precision = hit / len(suggestions) if suggestions else 0.0
    recall = found / len(positions) if positions else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(
        len(suggestions), len(positions), hit, found, round(precision, 4), round(recall, 4), round(f1, 4)
    )
