"""The entities a suggester knows by name, and where a text mentions them (fuzzy, by rapidfuzz).

A mention is a run of words whose folded text (case, curly quotes and possessive ’s set aside)
scores at least :data:`NAME_THRESHOLD` against a label or alias by ``rapidfuzz.fuzz.ratio``;
overlapping mentions keep the best score, then the longest.

>>> known = [Known("canada", "stakeholder", ("Canada",)), Known("dome", "program", ("Golden Dome",))]
>>> [(m.entity.id, m.text) for m in mentions("Canada’s stake in the ‘Golden Dome’", known)]
[('canada', 'Canada’s'), ('dome', 'Golden Dome')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from graph.coding.schema import Entry, ParticipationProposal, Stakeholder

NAME_THRESHOLD = 90.0
"""The least ``rapidfuzz.fuzz.ratio`` (0-100) of a run of words against a name for it to count as a
mention: tolerant of a changed letter or an inflection ("Analyst"/"Analysts"), not of another word."""

_WORD = re.compile(r"[\w][\w.'’-]*\w|\w")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@dataclass(frozen=True)
class Known:
    """An entity by its id, kind (stakeholder, program, measure ...), names, and stakeholder type."""

    id: str
    kind: str
    names: tuple[str, ...]
    type: str | None = None
    parts: tuple[str, ...] = ()
    """A participation proposal's participant and program ids."""


@dataclass(frozen=True)
class Mention:
    """Where a text names ``entity``: the span, the words as written, and the score."""

    entity: Known
    start: int
    end: int
    text: str
    score: float


def known_entities(entries: Iterable[Entry]) -> list[Known]:
    """The entries of a coding file or registry as known entities (label and aliases).

    >>> from graph.paths import DATA_DIR
    >>> from graph.coding import load_coding
    >>> coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
    >>> [k for k in known_entities(coding.file.entries()) if k.id == "united-states"][0].names[:2]
    ('United States', 'U.S.')
    """
    return [
        Known(
            entry.id,
            entry.kind,
            (entry.label, *entry.aliases),
            entry.type if isinstance(entry, Stakeholder) else None,
            (*entry.links()["participant"], *entry.links()["program"])
            if isinstance(entry, ParticipationProposal)
            else (),
        )
        for entry in entries
    ]


def fold(text: str) -> str:
    """Text as names are compared: case folded, curly quotes straight, a possessive 's dropped.

    >>> fold("Canada’s")
    'canada'
    """
    return _trimmed(text.translate(_FOLD).casefold())


def _trimmed(folded: str) -> str:
    folded = folded.strip("'\". ")
    return folded[:-2] if folded.endswith("'s") else folded


def _words(text: str) -> list[tuple[int, int]]:
    return [(found.start(), found.end()) for found in _WORD.finditer(text)]


@lru_cache(maxsize=16)
def _names_by_length(known: tuple[Known, ...]) -> dict[int, tuple[list[Known], list[str]]]:
    """The registry's names folded, grouped by their number of words: worked out once per registry."""
    groups: dict[int, tuple[list[Known], list[str]]] = {}
    for entity in known:
        for name in entity.names:
            length = len(_words(name))
            if length:
                entities, names = groups.setdefault(length, ([], []))
                entities.append(entity)
                names.append(fold(" ".join(name.split())))
    return groups


def mentions(text: str, known: Sequence[Known], *, offset: int = 0) -> list[Mention]:
    """The mentions of ``known`` entities in ``text``, left to right; spans shifted by ``offset``."""
    words = _words(text)
    lowered = text.translate(_FOLD).lower()  # one for one, so its slices are the text's (else each is folded)
    same_length = len(lowered) == len(text)
    found: list[Mention] = []
    for length, (entities, names) in _names_by_length(tuple(known)).items():
        spans = [(words[i][0], words[i + length - 1][1]) for i in range(len(words) - length + 1)]
        if not spans:
            continue
        windows = [
            _trimmed(" ".join(lowered[start:end].split())) if same_length else fold(text[start:end])
            for start, end in spans
        ]
        scores = cdist(windows, names, scorer=fuzz.ratio, score_cutoff=NAME_THRESHOLD)
        for row, column in zip(*scores.nonzero(), strict=True):
            start, end = spans[row]
            score = float(scores[row, column])
            found.append(Mention(entities[column], start + offset, end + offset, text[start:end], score))
    return _best(found)


def _best(found: list[Mention]) -> list[Mention]:
    """Mentions that do not overlap: the best score first, then the longest, then the first."""
    kept: list[Mention] = []
    for mention in sorted(found, key=lambda m: (-m.score, -(m.end - m.start), m.start)):
        if all(mention.end <= other.start or mention.start >= other.end for other in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)
