"""Inter-coder agreement on one text: Krippendorff's alpha per variable, agreement on units, and
the disagreements side by side.

The reliability data has a row per coder and a column per unit (:mod:`~graph.agreement.units`);
a coder without a position in a unit leaves the cell missing. Alpha is the ``krippendorff``
package's, per variable: nominal for stance, attribution, holder and target, interval for value.
Alpha is None (with the reason) where it is undefined: fewer than two pairable values, or a
single value throughout (no variation to agree on).

Agreement on units: the share of units that every coder coded, and the overlap of the
characters the coders quote (Jaccard, coder pair by coder pair, averaged).

>>> from graph.agreement.units import CodedPosition
>>> ana = [CodedPosition("ana", f"a{i}", "x", "t", s, v, "direct", ((i * 10, i * 10 + 5, ""),))
...        for i, (s, v) in enumerate([("supports", 2), ("opposes", -2), ("supports", 2)])]
>>> rui = [CodedPosition("rui", f"r{i}", "x", "t", s, v, "direct", ((i * 10, i * 10 + 5, ""),))
...        for i, (s, v) in enumerate([("supports", 2), ("opposes", -2), ("opposes", -2)])]
>>> report = agreement(ana + rui)
>>> report.alpha["stance"].alpha, report.units.shared, len(report.disagreements)
(0.4444..., 3, 1)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any, Literal

import krippendorff
import numpy as np

from graph.agreement.units import CodedPosition, Unit, build_units, covered

Level = Literal["nominal", "interval"]
VARIABLES: dict[str, Level] = {
    "stance": "nominal",
    "value": "interval",
    "attribution": "nominal",
    "holder": "nominal",
    "target": "nominal",
}
"""The variables compared, with their level of measurement."""


@dataclass(frozen=True)
class Alpha:
    """Krippendorff's alpha of one variable, the units it was computed over, or why it is undefined."""

    level: Level
    alpha: float | None
    pairable_units: int
    note: str | None = None


@dataclass(frozen=True)
class UnitAgreement:
    """How far the coders chose the same stretches of text."""

    units: int
    shared: int
    """Units every coder coded."""
    share: float
    span_overlap: float | None
    """Characters quoted by both coders of a pair over those quoted by either, averaged over pairs."""
    by_coder: dict[str, int] = field(default_factory=dict)
    """Positions per coder."""


@dataclass(frozen=True)
class Agreement:
    """The agreement of the coders of one text."""

    coders: tuple[str, ...]
    alpha: dict[str, Alpha]
    units: UnitAgreement
    disagreements: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        """The report as JSON."""
        return asdict(self)


def reliability_data(units: Sequence[Unit], coders: Sequence[str], variable: str) -> list[list[Any]]:
    """Coders by units: the value each coder gave ``variable`` in each unit (None: not coded)."""
    rows = []
    for coder in coders:
        row = []
        for unit in units:
            position = unit.of(coder)
            row.append(None if position is None else getattr(position, variable))
        rows.append(row)
    return rows


def alpha_of(data: Sequence[Sequence[Any]], level: Level) -> Alpha:
    """Krippendorff's alpha of reliability ``data`` (None marks a missing value).

    Nominal values are any hashable labels; interval values numbers.

    >>> alpha_of([["a", "b", "a", None], ["a", "b", "b", "a"]], "nominal").alpha
    0.4444...
    >>> alpha_of([["a", "a"], ["a", "a"]], "nominal").note
    'every coded value is the same: no variation to agree on'
    """
    labels = sorted({value for row in data for value in row if value is not None}, key=str)
    code = {label: index for index, label in enumerate(labels)}
    matrix = np.array(
        [
            [math.nan if v is None else (code[v] if level == "nominal" else float(v)) for v in row]
            for row in data
        ],
        dtype=float,
    )
    columns = np.sum(~np.isnan(matrix), axis=0) >= 2 if matrix.size else np.zeros(0, dtype=bool)
    pairable = int(np.sum(columns))
    if pairable == 0:
        return Alpha(level, None, 0, "no unit was coded by two coders")
    paired = matrix[:, columns]
    if len(np.unique(paired[~np.isnan(paired)])) < 2:
        return Alpha(level, None, pairable, "every coded value is the same: no variation to agree on")
    value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level))
    return Alpha(level, value, pairable)


def agreement(positions: Sequence[CodedPosition]) -> Agreement:
    """The agreement of the coders whose ``positions`` these are (at least two coders)."""
    coders = tuple(sorted({p.coder for p in positions}))
    units = build_units(positions)
    alphas = {
        variable: alpha_of(reliability_data(units, coders, variable), level)
        for variable, level in VARIABLES.items()
    }
    overlaps = []
    for first, second in combinations(coders, 2):
        mine, theirs = covered(positions, first), covered(positions, second)
        if mine | theirs:
            overlaps.append(len(mine & theirs) / len(mine | theirs))
    shared = sum(all(unit.of(c) is not None for c in coders) for unit in units)
    unit_agreement = UnitAgreement(
        len(units),
        shared,
        round(shared / len(units), 4) if units else 0.0,
        round(sum(overlaps) / len(overlaps), 4) if overlaps else None,
        {coder: sum(p.coder == coder for p in positions) for coder in coders},
    )
    return Agreement(coders, alphas, unit_agreement, _disagreements(units, coders))


def _disagreements(units: Sequence[Unit], coders: Sequence[str]) -> list[dict[str, Any]]:
    """Each unit the coders coded differently, or not all coded: what differs, and each coder's position."""
    found = []
    for number, unit in enumerate(units, 1):
        given = {coder: unit.of(coder) for coder in coders}
        coded = [p for p in given.values() if p is not None]
        differs = [v for v in VARIABLES if len({getattr(p, v) for p in coded}) > 1]
        if len(coded) < len(coders):
            differs.insert(0, "unit")
        if differs:
            found.append(
                {
                    "unit": number,
                    "differs": differs,
                    "positions": {c: (p.as_json() if p is not None else None) for c, p in given.items()},
                }
            )
    return found
