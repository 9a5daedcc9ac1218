"""Inter-coder agreement: alpha by hand on two fictional codings, the krippendorff package's own
documented example through stancegraph's units, and the refusals."""

from __future__ import annotations

import math
from pathlib import Path

import krippendorff
import pytest

from graph.agreement import CodedPosition, agreement, alpha_of, positions_of_files
from graph.errors import ValidationFailedError

ASSIST = Path(__file__).parents[1] / "data" / "assist"
CODINGS = [ASSIST / "coder-a" / "harbour-levy.yaml", ASSIST / "coder-b" / "harbour-levy.yaml"]

# The krippendorff package's documented example (its docstring; Krippendorff 2011): 3 coders, 15 units.
NAN = math.nan
DOCUMENTED = [
    [NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
    [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
    [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4],
]
STANCE_OF = {1: "opposes", 2: "considers", 3: "optimistic", 4: "supports"}


def test_two_fictional_codings_against_alpha_by_hand() -> None:
    report = agreement(positions_of_files(CODINGS))
    # Pairable units: council (proposes, proposes), traders (opposes, opposes), Brant (supports,
    # considers). Nominal: n = 6, the disagreeing pairs 2, sum of n_c n_k over c != k = 36 - 10:
    # alpha = 1 - (n - 1) * 2 / 26 = 8/13.
    assert report.alpha["stance"].alpha == pytest.approx(8 / 13)
    # Interval, values 2 2 / -2 -2 / 2 0: D_o = 8/6, D_e = 232/30, alpha = 1 - D_o / D_e = 24/29.
    assert report.alpha["value"].alpha == pytest.approx(24 / 29)
    # Attribution: direct x5, reported x1; one disagreeing unit: 1 - 5 * 2 / 10 = 0.
    assert report.alpha["attribution"].alpha == pytest.approx(0.0)
    assert report.alpha["holder"].alpha == pytest.approx(1.0)
    assert report.alpha["target"].alpha is None  # one target throughout: nothing to agree on
    assert (report.units.units, report.units.shared) == (5, 3)


def test_the_same_codings_with_the_package_as_oracle() -> None:
    report = agreement(positions_of_files(CODINGS, ["ana", "rui"]))
    assert report.coders == ("ana", "rui")
    values = {"proposes": 0, "opposes": 1, "supports": 2, "considers": 3, "concerned": 4, "monitors": 5}
    # The units in text order: council, traders, Brant, the residents (A only), the Ferry Union (B only).
    matrix = [
        [values["proposes"], values["opposes"], values["supports"], values["concerned"], NAN],
        [values["proposes"], values["opposes"], values["considers"], NAN, values["monitors"]],
    ]
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert report.alpha["stance"].alpha == pytest.approx(expected)


def test_the_documented_example_through_units() -> None:
    positions = [
        CodedPosition(
            f"c{coder}",
            f"c{coder}-u{unit}",
            "h",
            "t",
            STANCE_OF[int(value)],
            int(value) - 2,
            "direct",
            ((unit * 100, unit * 100 + 50, "..."),),
        )
        for coder, row in enumerate(DOCUMENTED)
        for unit, value in enumerate(row)
        if not math.isnan(value)
    ]
    report = agreement(positions)
    assert round(report.alpha["stance"].alpha or 0, 6) == 0.691358  # the package's documented figures
    assert round(report.alpha["value"].alpha or 0, 6) == 0.810845


def test_alpha_is_undefined_without_pairable_values() -> None:
    assert alpha_of([["a", None], [None, "b"]], "nominal").note == "no unit was coded by two coders"


def test_disagreements_show_both_coders_spans() -> None:
    report = agreement(positions_of_files(CODINGS, ["ana", "rui"]))
    brant = next(d for d in report.disagreements if "stance" in d["differs"])
    assert (
        brant["positions"]["ana"]["spans"][0]["quote"]
        == "Mayor Ilse Brant said the harbour levy could fund new piers."
    )
    assert brant["positions"]["rui"]["spans"][0]["quote"] == "the harbour levy could fund new piers"
    missing = [d for d in report.disagreements if d["differs"] == ["unit"]]
    assert sorted(next(c for c, p in d["positions"].items() if p is not None) for d in missing) == [
        "ana",
        "rui",
    ]


def test_codings_of_different_texts_are_refused() -> None:
    other = Path(__file__).parents[1] / "data" / "good" / "mini-article.yaml"
    with pytest.raises(ValidationFailedError, match="codes another text"):
        positions_of_files([CODINGS[0], other])
