"""Networks over time, as DNA's time windows: window counts, kernel weights, duplicates, undated positions.

Every expected number here is worked out by hand from the rules in graph/network/time.py and
selection.py; the records are made up for the tests (fictional holders a, b, c and targets t, u).
"""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest

from graph.errors import ValidationFailedError
from graph.network import (
    MAX_WINDOWS,
    Kernel,
    PositionRecord,
    Window,
    kernel_weight,
    time_options,
    time_windows,
    window_records,
    windowed_networks,
    without_duplicates,
)

UTC = datetime.UTC


def at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, tzinfo=UTC)


def record(
    position: str,
    holder: str,
    target: str,
    value: int,
    time: datetime.datetime | None,
    *,
    document: str | None = None,
    nation: str | None = None,
) -> PositionRecord:
    return PositionRecord(
        f"urn:{position}",
        f"urn:{holder}",
        holder.upper(),
        f"urn:{target}",
        target.upper(),
        "supports" if value > 0 else "opposes",
        value,
        document=f"urn:{document}" if document else None,
        reported_at=time,
        nation=f"urn:{nation}" if nation else None,
        nation_label=nation.title() if nation else None,
    )


def spans(windows: list[Window]) -> list[tuple[str, str]]:
    return [(window.start.date().isoformat(), window.end.date().isoformat()) for window in windows]


# --- windows --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "step", "start", "end", "expected"),
    [
        # Month windows moving a month: January, February, March; the last reaches past 31 March.
        (
            "1m",
            "1m",
            "2025-01-01",
            "2025-03-31",
            [("2025-01-01", "2025-02-01"), ("2025-02-01", "2025-03-01"), ("2025-03-01", "2025-04-01")],
        ),
        # Two months moving one (DNA's overlap): the second already reaches past the end.
        (
            "2m",
            "1m",
            "2025-01-01",
            "2025-03-31",
            [("2025-01-01", "2025-03-01"), ("2025-02-01", "2025-04-01")],
        ),
        # No step: one unit of the window (a day), as DNA moves its window.
        (
            "3d",
            None,
            "2025-03-01",
            "2025-03-05",
            [("2025-03-01", "2025-03-04"), ("2025-03-02", "2025-03-05"), ("2025-03-03", "2025-03-06")],
        ),
        # A step longer than the window leaves gaps: 2, 3, 5 and 6 March are in no window.
        (
            "1d",
            "3d",
            "2025-03-01",
            "2025-03-07",
            [("2025-03-01", "2025-03-02"), ("2025-03-04", "2025-03-05"), ("2025-03-07", "2025-03-08")],
        ),
        # Months from the 31st: counted from the start, so the windows neither drift nor leave gaps.
        (
            "1m",
            "1m",
            "2025-01-31",
            "2025-03-31",
            [("2025-01-31", "2025-02-28"), ("2025-02-28", "2025-03-31"), ("2025-03-31", "2025-04-30")],
        ),
        (
            "1w",
            "2w",
            "2025-03-03",
            "2025-03-17",
            [("2025-03-03", "2025-03-10"), ("2025-03-17", "2025-03-24")],
        ),
        ("1y", None, "2024-02-29", "2025-01-01", [("2024-02-29", "2025-02-28")]),
    ],
)
def test_window_counts_and_bounds(
    window: str, step: str | None, start: str, end: str, expected: list[tuple[str, str]]
) -> None:
    assert spans(time_windows([], window, step, start, end)) == expected


def test_windows_span_the_dated_records_when_no_range_is_given() -> None:
    records = [record("p1", "a", "t", 1, at(2025, 1, 10)), record("p2", "b", "t", 1, at(2025, 2, 1))]
    # From 10 January: the first month window already takes in 1 February.
    assert spans(time_windows(records, "1m")) == [("2025-01-10", "2025-02-10")]
    assert spans(time_windows(records, "2w", "2w")) == [
        ("2025-01-10", "2025-01-24"),
        ("2025-01-24", "2025-02-07"),
    ]
    assert time_windows([record("p3", "c", "t", 1, None)], "1m") == []


def test_a_window_is_half_open_and_its_midpoint_halfway() -> None:
    january = Window(at(2025, 1, 1), at(2025, 2, 1))
    assert january.midpoint == datetime.datetime(2025, 1, 16, 12, tzinfo=UTC)  # 31 days: 15.5 days in
    assert kernel_weight("none", at(2025, 1, 1), january) == 1.0
    assert kernel_weight("none", at(2025, 2, 1), january) == 0.0  # the next window's


def test_more_windows_than_one_answer_holds_are_refused_naming_step() -> None:
    with pytest.raises(ValidationFailedError) as error:
        time_windows([], "1d", "1d", "2020-01-01", "2023-01-01")  # 1097 days
    assert error.value.parameter == "step"
    assert len(time_windows([], "1d", "1d", "2020-01-01", "2022-09-26")) == MAX_WINDOWS


# --- kernels --------------------------------------------------------------------------------------

# Four days from 1 January: midpoint 3 January, u = 2 (t - m) / 4 days = (day - 3) / 2.
FOUR_DAYS = Window(at(2025, 1, 1), at(2025, 1, 5))
DAYS = (1, 2, 3, 4, 5, 7)  # u = -1, -1/2, 0, 1/2, 1 (the end, outside), 2


def phi(u: float) -> float:
    return math.exp(-u * u / 2) / math.sqrt(2 * math.pi)


@pytest.mark.parametrize(
    ("kernel", "expected"),
    [
        ("none", [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]),
        ("uniform", [0.5, 0.5, 0.5, 0.5, 0.0, 0.0]),  # K = 1/2
        ("triangular", [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]),  # K = 1 - |u|
        ("epanechnikov", [0.0, 0.5625, 0.75, 0.5625, 0.0, 0.0]),  # K = 3/4 (1 - u²)
        # K = exp(-u²/2) / sqrt(2 pi), beyond the window too: phi(1), phi(1/2), phi(0), ..., phi(2)
        (
            "gaussian",
            [
                0.24197072451914337,
                0.3520653267642995,
                0.3989422804014327,
                0.3520653267642995,
                0.24197072451914337,
                0.05399096651318806,
            ],
        ),
    ],
)
def test_kernel_weights_by_distance_from_the_midpoint(kernel: str, expected: list[float]) -> None:
    weights = [kernel_weight(kernel, at(2025, 1, day), FOUR_DAYS) for day in DAYS]
    assert weights == pytest.approx(expected, abs=1e-15)


def test_the_gaussian_values_are_the_standard_normal_density() -> None:
    assert [phi(u) for u in (1, 0.5, 0, 2)] == pytest.approx(
        [0.24197072451914337, 0.3520653267642995, 0.3989422804014327, 0.05399096651318806]
    )


# a and b agree on t and on u, c opposes t; a's second position on t, on 1 January (u = -1), weighs
# 0 under the triangular and Epanechnikov kernels, so its heavier one (2 January) counts.
KERNEL_RECORDS = [
    record("p1", "a", "t", 1, at(2025, 1, 2)),  # u = -1/2
    record("p2", "b", "t", 2, at(2025, 1, 3)),  # u = 0
    record("p3", "a", "u", 1, at(2025, 1, 4)),  # u = 1/2
    record("p4", "b", "u", 1, at(2025, 1, 4)),  # u = 1/2
    record("p5", "c", "t", -1, at(2025, 1, 3)),  # u = 0
    record("p6", "a", "t", 1, at(2025, 1, 1)),  # u = -1
]


def one_window(kind: str, kernel: str | None) -> Any:
    result = windowed_networks(
        KERNEL_RECORDS, kind, start="2025-01-01", end="2025-01-04", window="4d", step="4d", kernel=kernel
    )
    assert len(result.windows) == 1
    return result.windows[0]


def edge_weights(network: Any) -> dict[tuple[str, str], float]:
    return {tuple(sorted((first, second))): weight for first, second, weight in network.edges(data="weight")}


def test_without_a_kernel_the_window_counts_targets_as_the_network_without_time() -> None:
    window = one_window("congruence", None)
    assert (window.positions, edge_weights(window.network)) == (6, {("urn:a", "urn:b"): 2})
    assert "weight" not in next(iter(one_window("two-mode", None).network.edges(data=True)))[2]


@pytest.mark.parametrize(
    ("kernel", "positions", "congruence", "conflict"),
    [
        # a-b: sqrt(w_a,t w_b,t) + sqrt(w_a,u w_b,u); a-c, b-c: sqrt of their weights on t.
        (
            "triangular",
            5,
            {("urn:a", "urn:b"): math.sqrt(0.5 * 1.0) + math.sqrt(0.5 * 0.5)},
            {("urn:a", "urn:c"): math.sqrt(0.5 * 1.0), ("urn:b", "urn:c"): 1.0},
        ),
        (
            "epanechnikov",
            5,
            {("urn:a", "urn:b"): math.sqrt(0.5625 * 0.75) + 0.5625},
            {("urn:a", "urn:c"): math.sqrt(0.5625 * 0.75), ("urn:b", "urn:c"): 0.75},
        ),
        ("uniform", 6, {("urn:a", "urn:b"): 1.0}, {("urn:a", "urn:c"): 0.5, ("urn:b", "urn:c"): 0.5}),
        (
            "gaussian",
            6,
            {("urn:a", "urn:b"): math.sqrt(phi(0.5) * phi(0)) + phi(0.5)},
            {("urn:a", "urn:c"): math.sqrt(phi(0.5) * phi(0)), ("urn:b", "urn:c"): phi(0)},
        ),
    ],
)
def test_kernel_weighted_ties_are_geometric_means_summed_over_targets(
    kernel: str,
    positions: int,
    congruence: dict[tuple[str, str], float],
    conflict: dict[tuple[str, str], float],
) -> None:
    agreeing = one_window("congruence", kernel)
    assert agreeing.positions == positions
    assert edge_weights(agreeing.network) == pytest.approx(congruence)
    assert edge_weights(one_window("conflict", kernel).network) == pytest.approx(conflict)
    signed = edge_weights(one_window("signed", kernel).network)
    assert signed == pytest.approx({**congruence, **{pair: -weight for pair, weight in conflict.items()}})


def test_two_mode_edges_carry_their_position_kernel_weight() -> None:
    network = one_window("two-mode", "triangular").network
    weights = {key: weight for _, _, key, weight in network.edges(keys=True, data="weight")}
    assert weights == {"urn:p1": 0.5, "urn:p2": 1.0, "urn:p3": 0.5, "urn:p4": 0.5, "urn:p5": 1.0}
    assert network.graph["positions"] == 5
    assert (network.graph["start"], network.graph["midpoint"]) == (
        "2025-01-01T00:00:00Z",
        "2025-01-03T00:00:00Z",
    )


def test_kernel_smoothing_moves_the_weights_with_the_window() -> None:
    # Two-day triangular windows moving a day (u = days from the midpoint): 1-3 January (midpoint
    # the 2nd) holds p1 alone, p6 weighing 0; 2-4 January holds b and c, who disagree; 3-5 January
    # (midpoint the 4th) holds a and b on u at u = 0, weight 1 each, p2 and p5 weighing 0 at u = -1.
    result = windowed_networks(
        KERNEL_RECORDS, "congruence", start="2025-01-01", end="2025-01-04", window="2d", kernel="triangular"
    )
    assert [
        (window.start.day, window.positions, edge_weights(window.network)) for window in result.windows
    ] == [
        (1, 1, {}),
        (2, 2, {}),
        (3, 2, {("urn:a", "urn:b"): 1.0}),
    ]


# --- duplicates -----------------------------------------------------------------------------------

# One holder-target-stance (a supports t, value 1) in four documents, and a's value 2 beside it.
# 2 March 2025 is a Sunday (ISO week 9), the 3rd a Monday (week 10); 31 March and 1 April share
# week 14; 1 January 2026 is in 2026's first week.
DUPLICATES = [
    record("d1", "a", "t", 1, at(2025, 3, 2), document="A"),
    record("d2", "a", "t", 1, at(2025, 3, 2), document="B"),
    record("d3", "a", "t", 1, at(2025, 3, 3), document="B"),
    record("d4", "a", "t", 1, at(2025, 3, 31), document="C"),
    record("d5", "a", "t", 1, at(2025, 4, 1), document="C"),
    record("d6", "a", "t", 1, at(2026, 1, 1), document="D"),
    record("x", "a", "t", 2, at(2025, 3, 2), document="A"),  # another value: never a duplicate of those
]


@pytest.mark.parametrize(
    ("duplicates", "kept"),
    [
        ("include", ["d1", "d2", "d3", "d4", "d5", "d6", "x"]),
        ("document", ["d1", "d2", "d4", "d6", "x"]),  # the earliest of each document
        ("day", ["d1", "d3", "d4", "d5", "d6", "x"]),  # d1 and d2 share a day and a time: IRI order
        ("week", ["d1", "d3", "d4", "d6", "x"]),
        ("month", ["d1", "d5", "d6", "x"]),
        ("year", ["d1", "d6", "x"]),
        ("range", ["d1", "x"]),
    ],
)
def test_duplicates_count_once_per_period(duplicates: str, kept: list[str]) -> None:
    assert [r.position for r in without_duplicates(DUPLICATES, duplicates)] == [
        f"urn:{name}" for name in kept
    ]
    result = windowed_networks(DUPLICATES, "two-mode", duplicates=duplicates)
    assert sorted(key for _, _, key in result.windows[0].network.edges(keys=True)) == sorted(
        f"urn:{name}" for name in kept
    )


def test_duplicates_are_counted_within_the_range_before_windows() -> None:
    # From 3 March, d3 (3 March) is the first of March: the month's duplicate then is d3, not d1.
    chosen = window_records(DUPLICATES, start="2025-03-03", end="2025-12-31", duplicates="month")
    assert [r.position for r in chosen.records] == ["urn:d3", "urn:d5"]
    # Over the range, d2 to d6 are duplicates of d1; with no end given, the range ends with the
    # last position left (as DNA's), 2 March: one window.
    ranged = windowed_networks(DUPLICATES, "two-mode", start="2025-03-01", window="1m", duplicates="range")
    assert [sorted(key for *_, key in w.network.edges(keys=True)) for w in ranged.windows] == [
        ["urn:d1", "urn:x"]
    ]
    to_january = windowed_networks(
        DUPLICATES, "two-mode", start="2025-03-01", end="2026-01-31", window="1m", duplicates="range"
    )
    assert [sorted(key for *_, key in w.network.edges(keys=True)) for w in to_january.windows] == [
        ["urn:d1", "urn:x"],
        *([[]] * 10),  # April to January
    ]


def test_rolled_up_holders_are_duplicates_of_their_nation() -> None:
    officials = record("o", "officials", "t", 1, at(2025, 3, 2), document="A", nation="canada")
    government = record("g", "government", "t", 1, at(2025, 3, 2), document="A", nation="canada")
    by_nation = windowed_networks([officials, government], "two-mode", level="nation", duplicates="document")
    assert [(h, t) for h, t, _ in by_nation.windows[0].network.edges(keys=True)] == [("urn:canada", "urn:t")]
    by_holder = windowed_networks([officials, government], "two-mode", duplicates="document")
    assert by_holder.windows[0].network.number_of_edges() == 2


# --- undated positions ----------------------------------------------------------------------------


def test_undated_positions_are_left_out_of_time_based_answers_and_counted() -> None:
    records = [*KERNEL_RECORDS, record("n1", "d", "t", 1, None), record("n2", "e", "t", -1, None)]
    records.append(records[-1]._replace(target="urn:u"))  # one position, two records: counted once
    result = windowed_networks(records, "congruence", window="2d", step="2d")
    assert result.undated == 2
    assert [spans([Window(w.start, w.end)])[0] for w in result.windows] == [
        ("2025-01-01", "2025-01-03"),
        ("2025-01-03", "2025-01-05"),
    ]
    assert not any("urn:d" in w.network for w in result.windows)
    ranged = window_records(records, start="2025-01-03")
    assert (len(ranged.records), ranged.undated) == (4, 2)
    # Nothing depends on time: every record stays, none is counted as left out.
    assert window_records(records, duplicates="document") == (records, 0)
    assert window_records(records, duplicates="month").undated == 2


def test_a_corpus_with_no_date_has_no_window_and_says_how_many_it_left_out() -> None:
    undated = [record("n1", "d", "t", 1, None), record("n2", "e", "t", 1, None)]
    result = windowed_networks(undated, "congruence", window="1m")
    assert (result.windows, result.undated) == ([], 2)
    # With a range there is a window, and it is empty.
    ranged = windowed_networks(undated, "congruence", start="2025-01-01", end="2025-01-31")
    assert [(w.positions, w.network.number_of_nodes()) for w in ranged.windows] == [(0, 0)]
    assert spans([Window(w.start, w.end) for w in ranged.windows]) == [("2025-01-01", "2025-02-01")]


# --- parameters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "parameter"),
    [
        ({"start": "2025-03-01", "end": "2025-02-28"}, "from"),
        ({"start": "March 2025"}, "from"),
        ({"end": "2025-02-30"}, "to"),
        ({"window": "3x"}, "window"),
        ({"window": "0d"}, "window"),
        ({"window": "1m", "step": "-1d"}, "step"),
        ({"step": "1w"}, "step"),
        ({"kernel": "gaussian"}, "kernel"),
        ({"window": "1m", "kernel": "box"}, "kernel"),
        ({"window": "1m", "kernel": "gaussian", "normalization": "jaccard"}, "kernel"),
        ({"duplicates": "hour"}, "duplicates"),
        ({"normalization": "average"}, "normalization"),
    ],
)
def test_bad_or_contradictory_time_options_name_their_parameter(
    options: dict[str, str], parameter: str
) -> None:
    with pytest.raises(ValidationFailedError) as error:
        time_options(**options)
    assert error.value.parameter == parameter
    assert str(error.value).startswith((f"{parameter}:", "unknown"))
    with pytest.raises(ValidationFailedError) as again:
        windowed_networks(KERNEL_RECORDS, "congruence", **options)
    assert again.value.parameter == parameter


def test_time_options_read_dates_times_and_lengths() -> None:
    options = time_options(start="2025-03-01T12:00:00+02:00", end=datetime.date(2025, 3, 31), window="6m")
    assert options.start == datetime.datetime(2025, 3, 1, 10, tzinfo=UTC)
    assert options.end == datetime.datetime(2025, 3, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert (str(options.window), str(options.step), options.kernel) == ("6m", "1m", Kernel.none)
    # The forms a coding file dates documents with: a month means all of it, a zone must be said.
    month = time_options(start="2025-02", end="2025-02")
    assert (month.start, month.end) == (
        datetime.datetime(2025, 2, 1, tzinfo=UTC),
        datetime.datetime(2025, 2, 28, 23, 59, 59, 999999, tzinfo=UTC),
    )
    with pytest.raises(ValidationFailedError, match="from: '2025-03-01T12:00:00' has no time zone"):
        time_options(start="2025-03-01T12:00:00")
    assert not time_options(duplicates="range").time_based
    with pytest.raises(ValidationFailedError) as error:
        time_windows([], "9999y", start="2025-01-01", end="2025-01-02")
    assert error.value.parameter == "window"  # past the year 9999
