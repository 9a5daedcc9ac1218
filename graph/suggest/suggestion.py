"""A suggested position: a verified quote with its offsets, guesses for the coding, and why.

A suggestion is never a coded position: it has the keys a reviewer needs to accept it (holder,
target, stance, value, attribution, hedges, the quote and its code-point offsets) and says which
rule (or model answer) proposed it. ``quote == text[start:end]`` holds for every suggestion
made by :func:`graph.suggest.suggest` or passed by :func:`graph.suggest.verify.verified`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from graph.coding.schema import STANCES


@dataclass(frozen=True)
class Suggestion:
    """One candidate position in one text."""

    quote: str
    start: int
    end: int
    stance: str
    attribution: str
    rule: str
    """The rule that fired (``stance-cue:express optimism``), or the model that answered."""
    holder: str | None = None
    """The id of the holder guessed, or None when the text names none the registry knows."""
    target: str | None = None
    hedges: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    """``paraphrase``: the model's quote was not verbatim; the span is the nearest in the text."""
    cue: str | None = None
    value: int = field(default=0)

    def __post_init__(self) -> None:
        if self.stance not in STANCES:
            raise ValueError(f"unknown stance {self.stance!r}")

    @property
    def id(self) -> str:
        """A stable id: the same suggestion in the same text has the same id, whichever run made it.

        >>> Suggestion("x", 0, 1, "supports", "direct", "r", holder="a", target="b").id
        's-...'
        """
        key = f"{self.start}:{self.end}:{self.holder}:{self.target}:{self.stance}:{self.rule}"
        return "s-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def as_json(self) -> dict[str, Any]:
        """The suggestion as JSON, its id included."""
        return {"id": self.id, **asdict(self), "hedges": list(self.hedges), "flags": list(self.flags)}

    def position_data(self) -> dict[str, Any]:
        """The keys of a coding file's position (the coding format's), for the write API."""
        # An unknown holder or target is left out: the write API then names the key as missing.
        data: dict[str, Any] = {key: getattr(self, key) for key in ("holder", "target") if getattr(self, key)}
        data |= {
            "stance": self.stance,
            "value": self.value,
            "attribution": self.attribution,
            "evidence": [{"quote": self.quote, "start": self.start, "end": self.end}],
        }
        if self.hedges:
            data["hedges"] = list(self.hedges)
        return data
