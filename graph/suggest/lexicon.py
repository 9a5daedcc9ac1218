"""The cue lexicons of the suggester: data files an analyst extends, read into word-boundary patterns.

A lexicon file (YAML) has the keys of :data:`KEYS`; ``stance`` maps each stance of the coding
format to its phrases, every other key is a list of phrases. The shipped file ``cues.yaml`` is
read first; each file an analyst adds contributes its phrases on top of it. A phrase matches
whole words, case ignored, any run of white space between its words.

>>> lexicon = load_lexicons()
>>> lexicon.stance_of("Officials express optimism that")
[('optimistic', 'express optimism', 10, 26)]
>>> [cue for cue, _, _ in lexicon.find("hedges", "It could perhaps work")]
['could', 'perhaps']
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from graph.coding.lines import LinedList, LinedMap, Problems, read_yaml
from graph.coding.schema import STANCES

SHIPPED = Path(__file__).with_name("cues.yaml")
"""The lexicon that ships with stancegraph, written from general reporting and hedging vocabulary."""

KEYS = (
    "stance",
    "reporting",
    "positive",
    "negative",
    "hedges",
    "reported",
    "unattributed",
    "authorial",
    "participation",
)
"""What a lexicon file may hold: ``stance`` (stance -> phrases) and lists of phrases."""

Match = tuple[str, int, int]  # the phrase as listed, start and end in the text


def _pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    # Longest first, so "concerns about" wins over "concerns"; \b only where the phrase has a word edge.
    ordered = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    if not ordered:
        return None
    alternatives = [r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    """Phrases by key (``stance`` flattened to ``stance:<name>``), and the files they came from."""

    phrases: dict[str, tuple[str, ...]]
    files: tuple[str, ...] = ()
    digest: str = field(default="")
    """SHA-256 of the files' bytes, in order: the rules' fingerprint in a suggestion's provenance."""

    @cached_property
    def _patterns(self) -> dict[str, re.Pattern[str] | None]:
        return {key: _pattern(phrases) for key, phrases in self.phrases.items()}

    @cached_property
    def _canonical(self) -> dict[str, dict[str, str]]:
        # The listed phrase of a matched text: white space and case normalised.
        return {key: {_folded(p): p for p in phrases} for key, phrases in self.phrases.items()}

    def find(self, key: str, text: str) -> list[Match]:
        """The phrases of ``key`` in ``text``, left to right, none overlapping."""
        pattern = self._patterns.get(key)
        if pattern is None:
            return []
        canonical = self._canonical[key]
        return [
            (canonical.get(_folded(found.group()), found.group()), found.start(), found.end())
            for found in pattern.finditer(text)
        ]

    def stance_of(self, text: str) -> list[tuple[str, str, int, int]]:
        """Every stance cue in ``text``: (stance, phrase, start, end), left to right; where two stances'
        phrases overlap the longer phrase is kept."""
        found = [
            (stance, cue, start, end)
            for stance in STANCES
            for cue, start, end in self.find(f"stance:{stance}", text)
        ]
        found.sort(key=lambda hit: (hit[2], -(hit[3] - hit[2])))
        kept: list[tuple[str, str, int, int]] = []
        for hit in found:
            if kept and hit[2] < kept[-1][3]:
                continue
            kept.append(hit)
        return kept


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def load_lexicons(extra: Sequence[Path] = ()) -> Lexicon:
    """The shipped lexicon with the phrases of each ``extra`` file added.

    Raises :class:`~graph.errors.CodingError` naming the file and line of a problem (an unknown
    key or stance, a phrase that is not text).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     mine = Path(folder) / "mine.yaml"
    ...     _ = mine.write_text("hedges: [conceivably]\\nstance:\\n  adores: [loves]\\n", encoding="utf-8")
    ...     load_lexicons([mine])
    Traceback (most recent call last):
    graph.errors.CodingError: .../mine.yaml:3: stance: unknown stance 'adores' (the stances: supports, ...)
    """
    phrases: dict[str, list[str]] = {f"stance:{stance}": [] for stance in STANCES}
    phrases.update({key: [] for key in KEYS if key != "stance"})
    digest = hashlib.sha256()
    files = (SHIPPED, *extra)
    for path in files:
        digest.update(Path(path).read_bytes())
        for key, found in _read(Path(path)).items():
            phrases[key].extend(found)
    return Lexicon(
        {key: tuple(found) for key, found in phrases.items()},
        tuple(str(path) for path in files),
        digest.hexdigest(),
    )


def _read(path: Path) -> dict[str, list[str]]:
    """The phrases of one lexicon file by key, or its CodingError."""
    top = read_yaml(path)
    problems = Problems(str(path))
    found: dict[str, list[str]] = {}
    if not isinstance(top, LinedMap):
        problems.add(1, f"a lexicon is a mapping with the keys {', '.join(KEYS)}")
        problems.raise_if_any()
    for key, value in top.items():
        line = top.lines[key]
        if key not in KEYS:
            problems.add(line, f"unknown key '{key}' (a lexicon has the keys {', '.join(KEYS)})")
        elif key == "stance":
            if not isinstance(value, LinedMap):
                problems.add(line, "stance: a mapping of stances to lists of phrases")
                continue
            for stance, listed in value.items():
                if stance not in STANCES:
                    problems.add(
                        value.lines[stance],
                        f"stance: unknown stance '{stance}' (the stances: {', '.join(STANCES)})",
                    )
                    continue
                found[f"stance:{stance}"] = _phrases(
                    f"stance.{stance}", listed, value.lines[stance], problems
                )
        else:
            found[key] = _phrases(key, value, line, problems)
    problems.raise_if_any()
    return found


def _phrases(what: str, value: Any, line: int, problems: Problems) -> list[str]:
    if not isinstance(value, LinedList):
        problems.add(line, f"{what}: a list of phrases")
        return []
    phrases = []
    for item, item_line in zip(value, value.lines, strict=True):
        if not isinstance(item, str) or not item.split():
            problems.add(item_line, f"{what}: a phrase is words, not {item!r}")
        else:
            phrases.append(item)
    return phrases
