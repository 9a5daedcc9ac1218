"""The notebook's tables of the debate over time, with exact expected rows.

Asked of the fictional dated corpus of tests/data/corpus, compiled from its coding folder as
`stancegraph build` compiles it; its README lists every document, date and position the
expected tables below come from. The embedded article is undated, and says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from graph.errors import CodingError, NotFoundError, ValidationFailedError
from graph.knowledge import KnowledgeGraph
from graph.knowledge_time import DISAGREEMENT_COLUMNS, SHIFT_COLUMNS, TRAJECTORY_COLUMNS, WINDOW_COLUMNS

TEST_DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = TEST_DATA / "corpus"
SGD = "https://w3id.org/stancegraph/id/"
SEED_POSITIONS = 25  # the article's positions, all undated

VARGA_JANUARY = (
    "Defence Minister Ana Varga said on Friday that Ruritania should join the Shield programme."
    " … “Joining Shield is the right choice for our security,” she told reporters."
)
VARGA_FEBRUARY = (
    "Ana Varga, the defence minister, said Ruritania would perhaps still join Shield,"
    " if its allies share the cost."
)
VARGA_MARCH = (
    "In a speech on 18 March, Ana Varga said: “Ruritania will not join Shield.”"
    " … The minister now opposes joining the programme."
)
FARMERS_AGAINST = "The Farmers’ Union rejects Ruritania joining Shield, according to union members."
FARMERS_FOR = "The Farmers’ Union now backs Ruritania joining Shield, its chair told the Herald."


@pytest.fixture(scope="module")
def corpus() -> Iterator[KnowledgeGraph]:
    with KnowledgeGraph.open(data_dir=CORPUS) as kg:
        yield kg


@pytest.fixture(scope="module")
def seed() -> Iterator[KnowledgeGraph]:
    with KnowledgeGraph.open() as kg:
        yield kg


def rows(table: pd.DataFrame, columns: list[str]) -> list[tuple[Any, ...]]:
    """The table's rows as plain tuples, timestamps as ISO 8601 text."""
    return [
        tuple(value.isoformat() if isinstance(value, pd.Timestamp) else value for value in row)
        for row in table[columns].to_dict("split")["data"]
    ]


def test_monthly_windows_of_the_two_mode_network(corpus: KnowledgeGraph) -> None:
    windows = corpus.windowed_networks("two-mode", "1m", start="2025-01-01", end="2025-05-31")
    assert list(windows.columns) == WINDOW_COLUMNS
    assert rows(windows, ["start", "end", "positions", "nodes", "edges", "weight"]) == [
        ("2025-01-01T00:00:00+00:00", "2025-02-01T00:00:00+00:00", 2, 4, 2, 2.0),  # Varga; the observers
        ("2025-02-01T00:00:00+00:00", "2025-03-01T00:00:00+00:00", 1, 2, 1, 1.0),  # Varga, hedged
        ("2025-03-01T00:00:00+00:00", "2025-04-01T00:00:00+00:00", 1, 2, 1, 1.0),  # Varga's speech, 18 March
        ("2025-04-01T00:00:00+00:00", "2025-05-01T00:00:00+00:00", 2, 2, 2, 2.0),  # the wire copies
        ("2025-05-01T00:00:00+00:00", "2025-06-01T00:00:00+00:00", 2, 2, 2, 2.0),  # Herald and Courier
    ]
    assert windows["midpoint"][0].isoformat() == "2025-01-16T12:00:00+00:00"
    assert windows.attrs == {
        "undated": 1,
        "kind": "two-mode",
        "kernel": "none",
        "duplicates": "include",
        "neutral": False,
        "inferred": False,
    }
    january = windows["network"][0]
    assert sorted(key.removeprefix(SGD) for *_, key in january.edges(keys=True)) == [
        "herald-2025-01-10-observers-doubt-cost",
        "herald-2025-01-10-varga-supports-joining",
    ]


def test_a_kernel_weighs_each_position_by_its_distance_from_the_midpoint(corpus: KnowledgeGraph) -> None:
    windows = corpus.windowed_networks(
        "two-mode", "2m", start="2025-01-01", end="2025-02-28", kernel="triangular"
    )
    # One window, 1 January to 1 March: 59 days, midpoint 30 January 12:00. Triangular K(u) = 1 - |u|,
    # u = 2 (t - m) / 59 days: 10 January is 20.5 days before (u = -41/59, K = 18/59), twice (Varga
    # and the observers); 1 February 1.5 days after (u = 3/59, K = 56/59).
    assert rows(windows, ["start", "end", "midpoint", "positions", "edges"]) == [
        ("2025-01-01T00:00:00+00:00", "2025-03-01T00:00:00+00:00", "2025-01-30T12:00:00+00:00", 3, 3)
    ]
    assert windows["weight"][0] == pytest.approx(float(2 * Fraction(18, 59) + Fraction(56, 59)))
    assert windows.attrs["kernel"] == "triangular"


def test_ana_vargas_trajectory_in_time_order_with_its_quotes(corpus: KnowledgeGraph) -> None:
    path = corpus.trajectory("ana-varga", "ruritania-joins-shield")
    assert list(path.columns) == TRAJECTORY_COLUMNS
    assert rows(path, [name for name in TRAJECTORY_COLUMNS if name != "position"]) == [
        ("2025-01-10T00:00:00+00:00", "day", "herald-2025-01-10", "supports", 2, False, VARGA_JANUARY),
        ("2025-02-01T00:00:00+00:00", "month", "courier-2025-02", "supports", 2, True, VARGA_FEBRUARY),
        # the speech's own date (valid_at), not the report's (2025-03-20T14:30:00Z)
        ("2025-03-18T00:00:00+00:00", "day", "herald-2025-03-20", "opposes", -2, False, VARGA_MARCH),
    ]
    assert path["position"].tolist() == [
        "herald-2025-01-10-varga-supports-joining",
        "courier-2025-02-varga-supports-joining",
        "herald-2025-03-20-varga-opposes-joining",
    ]
    assert path.attrs == {
        "undated": 0,
        "undatedPositions": [],
        "holder": "ana-varga",
        "holderLabel": "Ana Varga",
        "target": "ruritania-joins-shield",
        "targetLabel": "Ruritania joins Shield",
    }


def test_an_undated_position_is_left_off_the_trajectory_and_counted(corpus: KnowledgeGraph) -> None:
    path = corpus.trajectory("farmers-union", "shield")
    assert path.empty
    assert list(path.columns) == TRAJECTORY_COLUMNS
    assert str(path["time"].dtype).startswith("datetime64")  # an empty table keeps its time column's type
    assert (path.attrs["undated"], path.attrs["undatedPositions"]) == (
        1,
        ["leaflet-undated-farmers-monitor-shield"],
    )


def test_a_trajectory_of_an_unknown_holder_is_not_found(corpus: KnowledgeGraph) -> None:
    with pytest.raises(NotFoundError, match="atlantis"):
        corpus.trajectory("atlantis", "shield")


def test_the_change_of_side_is_the_one_shift_not_the_change_of_hedging(corpus: KnowledgeGraph) -> None:
    found = corpus.shifts()
    assert list(found.columns) == SHIFT_COLUMNS
    assert rows(
        found,
        ["holder", "target", "beforeTime", "beforeDocument", "beforeValue", "beforeHedged", "beforeQuote"],
    ) == [
        (
            "ana-varga",
            "ruritania-joins-shield",
            "2025-02-01T00:00:00+00:00",
            "courier-2025-02",
            2,
            True,
            VARGA_FEBRUARY,
        )
    ]
    assert rows(
        found, ["afterTime", "afterDocument", "afterValue", "afterQuote", "change", "signChanged", "days"]
    ) == [("2025-03-18T00:00:00+00:00", "herald-2025-03-20", -2, VARGA_MARCH, -4, True, 45.0)]
    # The May positions disagree with each other: contested, not a shift of the Farmers' Union.
    assert found.attrs == {"undated": 1, "contested": 2, "threshold": 2, "windowDays": 1.0}
    assert len(corpus.shifts(threshold=1)) == 1  # +2 to +2, hedged, is no change of value either


def test_a_time_range_keeps_its_shifts_and_counts_the_undated(corpus: KnowledgeGraph) -> None:
    found = corpus.shifts(start="2025-04-01")
    assert found.empty
    assert list(found.columns) == SHIFT_COLUMNS
    assert (found.attrs["undated"], found.attrs["contested"]) == (1, 2)


def test_two_outlets_on_one_day_disagree(corpus: KnowledgeGraph) -> None:
    found = corpus.disagreements()
    assert list(found.columns) == DISAGREEMENT_COLUMNS
    assert rows(
        found,
        [
            *("holder", "target", "firstTime", "firstDocument", "firstValue", "firstQuote"),
            *("secondTime", "secondDocument", "secondValue", "secondQuote", "days"),
        ],
    ) == [
        (
            "farmers-union",
            "ruritania-joins-shield",
            "2025-05-06T00:00:00+00:00",
            "courier-2025-05-06",
            -2,
            FARMERS_AGAINST,
            "2025-05-06T00:00:00+00:00",
            "herald-2025-05-06",
            2,
            FARMERS_FOR,
            0.0,
        )
    ]
    assert found["holderLabel"].tolist() == ["Farmers’ Union"]
    assert found.attrs == {"undated": 1, "windowDays": 1.0}


def test_the_network_takes_a_date_range_and_duplicates(corpus: KnowledgeGraph) -> None:
    january = corpus.network("two-mode", start="2025-01-01", end="2025-01-31")
    assert sorted((u.removeprefix(SGD), v.removeprefix(SGD)) for u, v in january.edges()) == [
        ("ana-varga", "ruritania-joins-shield"),
        ("herald-2025-01-10-observers", "cost"),
    ]
    assert january.graph["undated"] == 1
    monthly = corpus.network("two-mode", duplicates="month")
    # Each holder-target-stance once a month: the two wire copies of April are one edge.
    wire = [key for *_, key in monthly.edges(keys=True) if "wire" in key]
    assert (monthly.number_of_edges(), len(wire), monthly.graph["undated"]) == (7, 1, 1)
    assert "undated" not in corpus.network("two-mode").graph  # no time asked: nothing left out


def test_the_undated_seed_says_it_is_undated(seed: KnowledgeGraph) -> None:
    windows = seed.windowed_networks("congruence", "1m")
    assert (len(windows), windows.attrs["undated"]) == (0, SEED_POSITIONS)
    assert list(windows.columns) == WINDOW_COLUMNS
    assert (len(seed.shifts()), seed.shifts().attrs["undated"]) == (0, SEED_POSITIONS)
    assert (len(seed.disagreements()), seed.disagreements().attrs["undated"]) == (0, SEED_POSITIONS)
    path = seed.trajectory("canadian-officials", "canada-joins-golden-dome")
    assert (len(path), path.attrs["undatedPositions"]) == (0, ["canadian-officials-optimistic-about-joining"])
    assert seed.network("two-mode", start="2025-01-01").graph["undated"] == SEED_POSITIONS
    assert seed.network("two-mode").number_of_edges() == SEED_POSITIONS  # and without time, as before


def test_a_disk_store_keeps_the_folder_it_was_opened_with(tmp_path: Path) -> None:
    with KnowledgeGraph.open("disk", path=tmp_path / "store", data_dir=CORPUS) as kg:
        assert len(kg.trajectory("ana-varga", "ruritania-joins-shield")) == 3
    with KnowledgeGraph.open("disk", path=tmp_path / "store", embedded=False) as kg:
        assert len(kg.trajectory("ana-varga", "ruritania-joins-shield")) == 3


def test_a_folder_with_problems_fails_naming_the_file_and_line() -> None:
    with pytest.raises(CodingError, match=r"beta\.yaml:8: duplicate id 'ruritania-weighs-joining'"):
        KnowledgeGraph.open(data_dir=TEST_DATA / "broken" / "clash-id")


def test_a_remote_store_refuses_a_folder() -> None:
    with pytest.raises(ValidationFailedError, match="data_dir") as raised:
        KnowledgeGraph.open("remote", endpoint="http://127.0.0.1:9/query", data_dir=CORPUS)
    assert raised.value.parameter == "data_dir"
