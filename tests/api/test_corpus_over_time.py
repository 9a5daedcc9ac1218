"""The debate over time through the service: networks by window, trajectories, shifts, disagreements.

Served from the fictional dated corpus of tests/data/corpus (its README lists every document,
date and position the expected answers below come from), built as `stancegraph build` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import Settings
from graph.coding.build import build
from tests.api.support import serve

CORPUS = Path(__file__).parents[1] / "data" / "corpus"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    data = tmp_path_factory.mktemp("corpus") / "corpus.nq"
    build(CORPUS, data)
    with serve(Settings(store="memory", data=[data])) as running, running.client() as client:
        yield client


def get(client: httpx.Client, url: str, **params: str | int) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_trajectory_lists_the_dated_positions_in_time_order(client: httpx.Client) -> None:
    found = get(client, "/stakeholders/ana-varga/trajectory", target="ruritania-joins-shield")
    points = [
        (p["document"], p["time"][:10], p["precision"], p["value"], p["hedged"]) for p in found["points"]
    ]
    assert points == [
        ("herald-2025-01-10", "2025-01-10", "day", 2, False),
        ("courier-2025-02", "2025-02-01", "month", 2, True),
        ("herald-2025-03-20", "2025-03-18", "day", -2, False),
    ]
    assert found["undated"] == 0
    assert all(point["quotes"] and point["quotes"][0]["quote"] for point in found["points"])


def test_a_change_of_side_is_a_shift_and_a_change_of_hedging_is_not(client: httpx.Client) -> None:
    found = get(client, "/analysis/shifts")
    moves = [
        (s["holder"]["id"], s["before"]["document"], s["after"]["document"], s["change"])
        for s in found["shifts"]
    ]
    assert moves == [("ana-varga", "courier-2025-02", "herald-2025-03-20", -4)]
    assert found["shifts"][0]["days"] == 45.0
    assert (found["undated"], found["contested"]) == (1, 2)


def test_two_outlets_on_one_day_disagree_rather_than_the_holder_shifting(client: httpx.Client) -> None:
    found = get(client, "/analysis/disagreements")
    pairs = [
        (d["holder"]["id"], d["first"]["document"], d["second"]["document"]) for d in found["disagreements"]
    ]
    assert pairs == [("farmers-union", "courier-2025-05-06", "herald-2025-05-06")]
    assert found["undated"] == 1


def test_a_time_range_keeps_its_positions_and_counts_the_undated(client: httpx.Client) -> None:
    found = get(client, "/network/two-mode", **{"from": "2025-01-01", "to": "2025-01-31"})
    edges = sorted((link["source"], link["target"]) for link in found["links"])
    assert edges == [
        ("ana-varga", "ruritania-joins-shield"),
        ("herald-2025-01-10-observers", "cost"),
    ]
    assert found["undated"] == 1
    assert get(client, "/network/two-mode")["undated"] is None  # no time asked: nothing left out


def test_monthly_windows_each_count_their_positions(client: httpx.Client) -> None:
    found = get(client, "/network/two-mode", window="1m", **{"from": "2025-01-01", "to": "2025-06-30"})
    assert [(w["start"][:7], w["positions"]) for w in found["windows"]] == [
        ("2025-01", 2),
        ("2025-02", 1),
        ("2025-03", 1),
        ("2025-04", 2),
        ("2025-05", 2),
        ("2025-06", 0),
    ]
    assert (found["kernel"], found["duplicates"], found["undated"]) == ("none", "include", 1)


def test_a_windowed_series_exports_to_graphml_with_gephi_intervals(client: httpx.Client) -> None:
    response = client.get("/network/two-mode", params={"window": "1m", "format": "graphml"})
    assert response.status_code == 200, response.text
    assert 'attr.name="start"' in response.text and 'attr.name="end"' in response.text


def test_networks_keep_what_enough_sources_state(client: httpx.Client) -> None:
    # Only Ana Varga's support has two sources (the Herald and the Courier); the wire copies are one.
    found = get(client, "/network/two-mode", min_sources=2)
    assert sorted((link["source"], link["target"], link["position"]) for link in found["links"]) == [
        ("ana-varga", "ruritania-joins-shield", "courier-2025-02-varga-supports-joining"),
        ("ana-varga", "ruritania-joins-shield", "herald-2025-01-10-varga-supports-joining"),
    ]
    windows = get(client, "/network/two-mode", min_sources=2, window="1m", **{"from": "2025-01-01"})
    assert [w["positions"] for w in windows["windows"]] == [1, 1]  # January, February: the last dated
    scores = get(client, "/network/two-mode/centrality", min_sources=2)["scores"]
    assert sorted(score["id"] for score in scores) == ["ana-varga", "ruritania-joins-shield"]
    assert get(client, "/network/congruence/communities", min_sources=3)["communities"] == []


def test_named_queries_count_the_undated_and_keep_what_enough_sources_state(client: httpx.Client) -> None:
    everything = get(client, "/queries/positions-of-stakeholder", stakeholder="farmers-union")
    assert (len(everything["rows"]), everything["undated"]) == (5, None)
    dated = get(client, "/queries/positions-of-stakeholder", stakeholder="farmers-union", **{"from": "2025"})
    assert (len(dated["rows"]), dated["undated"]) == (4, 1)  # the leaflet is undated
    corroborated = get(client, "/queries/positions-of-stakeholder", stakeholder="ana-varga", min_sources=2)
    assert sorted(row["position"].rsplit("/", 1)[1] for row in corroborated["rows"]) == [
        "courier-2025-02-varga-supports-joining",
        "herald-2025-01-10-varga-supports-joining",
    ]


@pytest.mark.parametrize(
    ("url", "params", "named"),
    [
        ("/queries/stance-distribution", {"min_sources": "2"}, "min_sources"),
        (
            "/queries/positions-of-stakeholder",
            {"stakeholder": "ana-varga", "min_sources": "2", "format": "csv"},
            "min_sources",
        ),
        ("/network/conflict", {"min_sources": "0"}, "min_sources"),
        ("/network/conflict/centrality", {"min_sources": "x"}, "min_sources"),
        ("/network/conflict", {"since": "2025-01-01"}, "since"),
        ("/network/conflict", {"from": "2025-05-01", "to": "2025-01-01"}, "from"),
        ("/network/conflict", {"step": "1w"}, "step"),
        ("/network/conflict", {"window": "3 weeks"}, "window"),
        ("/analysis/shifts", {"window": "1m"}, "window"),
        ("/analysis/shifts", {"threshold": "0"}, "threshold"),
        ("/stakeholders/ana-varga/trajectory", {"target": "Not An Id"}, "target"),
    ],
)
def test_bad_or_unknown_parameters_get_422_naming_them(
    client: httpx.Client, url: str, params: dict[str, str], named: str
) -> None:
    response = client.get(url, params=params)
    assert response.status_code == 422, response.text
    assert named in response.text


def test_a_trajectory_of_an_unknown_stakeholder_is_404(client: httpx.Client) -> None:
    response = client.get("/stakeholders/atlantis/trajectory", params={"target": "shield"})
    assert response.status_code == 404, response.text


def test_copies_of_one_text_are_one_source(client: httpx.Client) -> None:
    farmers = get(client, "/positions", holder="farmers-union", target="cost", sources="true")["items"]
    assert [(p["id"], p["sources"]) for p in farmers] == [
        ("wire-courier-2025-04-02-farmers-concerned-cost", 1),
        ("wire-herald-2025-04-02-farmers-concerned-cost", 1),
    ]
    varga = get(client, "/positions", holder="ana-varga", min_sources=2)
    assert [p["id"] for p in varga["items"]] == [
        "courier-2025-02-varga-supports-joining",
        "herald-2025-01-10-varga-supports-joining",
    ]
    assert all(p["sources"] == 2 for p in varga["items"])
    plain = get(client, "/positions", holder="ana-varga")["items"]
    assert all("sources" not in p for p in plain)
