"""Text folded for comparison: accents and case dropped, typographic quotes and dashes made plain.

The same folding serves the label search and the full-text search. :class:`FoldedText`
also keeps where each folded character came from, so a hit found in folded text is
reported at its offsets in the text as stored (Unicode code points).
"""

from __future__ import annotations

import bisect
import re
import unicodedata

_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def fold(text: str) -> str:
    """``text`` for comparison: accents and case dropped (NFKD), typographic quotes and dashes made plain.

    >>> fold("Québec’s CANADÁ")
    "quebec's canada"
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class FoldedText:
    """A text folded character by character, with the way back to the offsets of the stored text.

    A character may fold to none (a lone combining mark) or to several (``ß`` to ``ss``); ASCII
    folds to itself, lower-cased. The way back is kept as breakpoints where the two texts'
    offsets stop moving together, so a long English text costs one breakpoint, not a map.

    >>> folded = FoldedText("Ça ßa")
    >>> folded.text
    'ca ssa'
    >>> folded.original_span(3, 6)
    (3, 5)
    """

    def __init__(self, text: str) -> None:
        pieces: list[str] = []
        self._folded_at = [0]  # breakpoints: folded offset ...
        self._stored_at = [0]  # ... and the stored offset it corresponds to
        self._length = len(text)
        done = folded_length = 0
        for match in _NOT_ASCII.finditer(text):
            pieces += (text[done : match.start()].lower(), fold(match.group()))
            folded_length += match.start() - done + len(pieces[-1])
            self._folded_at.append(folded_length)
            self._stored_at.append(match.end())
            done = match.end()
        pieces.append(text[done:].lower())
        self.text = "".join(pieces)

    def original(self, offset: int) -> int:
        """The offset in the stored text of folded offset ``offset`` (or of the end, at the end)."""
        if offset >= len(self.text):
            return self._length
        at = bisect.bisect_right(self._folded_at, offset) - 1
        return min(self._stored_at[at] + offset - self._folded_at[at], self._length)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the stored text that folded span ``start:end`` came from."""
        return self.original(start), self.original(end)
