"""Offsets into a text in both units: Unicode code points (the store's) and UTF-16 code units (browsers').

The store anchors a quote by code points into the source text as stored, Python's
``str`` indices. A browser's ``Selection`` and ``String.prototype.length`` count UTF-16
code units, in which each character outside the Basic Multilingual Plane (an emoji,
U+1F600) is two: a surrogate pair. The two agree until the first such character, and
differ by one more after each. This module is the one place that converts between them.

Accents and combining marks need nothing: ``é`` (U+00E9) and ``e`` + U+0301 are one and two
code points, and as many UTF-16 units.

>>> text = "Ottawa 😀 says: non"
>>> text.index("says"), utf16_offset(text, text.index("says"))
(9, 10)
>>> code_point_offset(text, 10)
9
>>> code_point_offset(text, 8, field="start")
Traceback (most recent call last):
graph.errors.ValidationFailedError: start: UTF-16 offset 8 falls inside the surrogate pair of U+1F600 (at 7-9)
"""

from __future__ import annotations

import re
from bisect import bisect_left

from graph.errors import ValidationFailedError

# The characters UTF-16 writes as a surrogate pair; a lone surrogate in a str is one unit.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Converts offsets into one text, quickly for many: the text is scanned once.

    >>> offsets = Utf16Offsets("a😀b😀c")
    >>> [offsets.to_utf16(i) for i in range(6)]
    [0, 1, 3, 4, 6, 7]
    >>> [offsets.to_code_points(u) for u in (0, 1, 3, 4, 6, 7)]
    [0, 1, 2, 3, 4, 5]
    >>> offsets.code_points, offsets.utf16_units
    (5, 7)
    """

    def __init__(self, text: str) -> None:
        self._text = text
        # Code point index of each astral character, and the UTF-16 index of its high surrogate.
        self._astral = [match.start() for match in _ASTRAL.finditer(text)]
        self._astral_utf16 = [index + before for before, index in enumerate(self._astral)]
        self.code_points = len(text)
        self.utf16_units = len(text) + len(self._astral)

    def to_utf16(self, offset: int, *, field: str = "offset") -> int:
        """The UTF-16 offset of code point ``offset`` (0 to the text's length, both included).

        >>> Utf16Offsets("😀").to_utf16(2, field="end")
        Traceback (most recent call last):
        graph.errors.ValidationFailedError: end: code point offset 2 is out of range (the text has 1)
        """
        _check_range(offset, self.code_points, "code point", field)
        return offset + bisect_left(self._astral, offset)

    def to_code_points(self, offset: int, *, field: str = "offset") -> int:
        """The code point offset of UTF-16 ``offset``; refused inside a surrogate pair.

        >>> Utf16Offsets("😀").to_code_points(3)
        Traceback (most recent call last):
        graph.errors.ValidationFailedError: offset: UTF-16 offset 3 is out of range (the text has 2)
        """
        _check_range(offset, self.utf16_units, "UTF-16", field)
        before = bisect_left(self._astral_utf16, offset)  # astral characters starting before it
        if before and self._astral_utf16[before - 1] + 1 == offset:
            start = self._astral_utf16[before - 1]
            character = self._text[self._astral[before - 1]]
            raise ValidationFailedError(
                f"{field}: UTF-16 offset {offset} falls inside the surrogate pair of "
                f"U+{ord(character):04X} (at {start}-{start + 2})",
                parameter=field,
            )
        return offset - before


def utf16_offset(text: str, offset: int, *, field: str = "offset") -> int:
    """The UTF-16 offset into ``text`` of code point ``offset``; ``field`` names it in errors.

    >>> utf16_offset("e\\u0301 😀!", 4)
    5
    """
    return Utf16Offsets(text).to_utf16(offset, field=field)


def code_point_offset(text: str, offset: int, *, field: str = "offset") -> int:
    """The code point offset into ``text`` of UTF-16 ``offset``; ``field`` names it in errors.

    >>> code_point_offset("e\\u0301 😀!", 5)
    4
    """
    return Utf16Offsets(text).to_code_points(offset, field=field)


def _check_range(offset: int, length: int, unit: str, field: str) -> None:
    # bool is an int to Python, never an offset to a client.
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise ValidationFailedError(f"{field}: an offset is a whole number, not {offset!r}", parameter=field)
    if not 0 <= offset <= length:
        raise ValidationFailedError(
            f"{field}: {unit} offset {offset} is out of range (the text has {length})", parameter=field
        )
