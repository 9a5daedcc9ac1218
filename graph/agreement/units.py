"""Units of coding: the positions of several coders of one text, grouped where their spans overlap.

Krippendorff's alpha compares the values coders give the same units. Coders who code a text
independently do not share units: each marks positions of their own. A unit here is a set of
positions, at most one per coder, whose evidence spans overlap; a position joins the unit it
overlaps that lacks its coder, preferring one of the same target, then the most shared
characters. A position overlapping none starts a unit of its own (the other coders did not
code it: a missing value, not a disagreement on a value).

>>> a = CodedPosition("ana", "a1", "x", "t", "supports", 2, "direct", ((0, 10, "..."),))
>>> b = CodedPosition("rui", "b1", "x", "t", "opposes", -2, "direct", ((5, 12, "..."),))
>>> c = CodedPosition("rui", "b2", "y", "t", "supports", 2, "direct", ((30, 40, "..."),))
>>> [[p.id for p in unit.positions] for unit in build_units([a, b, c])]
[['a1', 'b1'], ['b2']]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int, str]  # start, end (code points) and the quote


@dataclass(frozen=True)
class CodedPosition:
    """One coder's position as agreement compares it."""

    coder: str
    id: str
    holder: str | None
    target: str | None
    stance: str
    value: int
    attribution: str
    spans: tuple[Span, ...]

    def as_json(self) -> dict[str, Any]:
        """The position as the disagreement list shows it."""
        return {
            "id": self.id,
            "holder": self.holder,
            "target": self.target,
            "stance": self.stance,
            "value": self.value,
            "attribution": self.attribution,
            "spans": [{"start": start, "end": end, "quote": quote} for start, end, quote in self.spans],
        }


@dataclass
class Unit:
    """Positions of different coders over one stretch of text."""

    positions: list[CodedPosition] = field(default_factory=list)

    def of(self, coder: str) -> CodedPosition | None:
        """The position ``coder`` gave the unit, if any."""
        return next((p for p in self.positions if p.coder == coder), None)


def shared_characters(first: Iterable[Span], second: Iterable[Span]) -> int:
    """How many characters two sets of spans share.

    >>> shared_characters([(0, 10, "")], [(5, 20, ""), (8, 9, "")])
    5
    """
    mine = set().union(*(range(start, end) for start, end, _ in first))
    theirs = set().union(*(range(start, end) for start, end, _ in second))
    return len(mine & theirs)


def build_units(positions: Sequence[CodedPosition]) -> list[Unit]:
    """The units of ``positions``, in the order of their first span."""
    units: list[Unit] = []
    for position in sorted(positions, key=lambda p: (min((s[0] for s in p.spans), default=0), p.coder, p.id)):
        best: tuple[bool, int] | None = None
        chosen: Unit | None = None
        for unit in units:
            if unit.of(position.coder) is not None:
                continue
            shared = max(shared_characters(position.spans, other.spans) for other in unit.positions)
            if not shared:
                continue
            rank = (any(other.target == position.target for other in unit.positions), shared)
            if best is None or rank > best:
                best, chosen = rank, unit
        if chosen is None:
            units.append(Unit([position]))
        else:
            chosen.positions.append(position)
    return units


def covered(positions: Iterable[CodedPosition], coder: str) -> set[int]:
    """The characters the positions of ``coder`` quote."""
    return set().union(*(range(s, e) for p in positions if p.coder == coder for s, e, _ in p.spans))
