"""GET /search over quotes and texts, on the embedded Golden Dome data."""

from __future__ import annotations

import httpx
import pytest

from graph.paths import DATA_DIR


def test_labels_stay_the_default(golden_dome_client: httpx.Client) -> None:
    items = golden_dome_client.get("/search", params={"q": "trump"}).json()["items"]
    assert (items[0]["label"], items[0]["matched"]) == ("Donald Trump", "Trump")
    assert all("kind" not in item for item in items)


def test_a_quote_hit_names_its_span_and_positions(golden_dome_client: httpx.Client) -> None:
    response = golden_dome_client.get("/search", params={"q": '"missile defenses"', "in": "quotes"})
    assert response.status_code == 200, response.text
    hits = response.json()["items"]
    assert hits and all(hit["kind"] == "quote" for hit in hits)
    text = (DATA_DIR / "sources" / "golden-dome-canada.txt").read_text(encoding="utf-8")
    for hit in hits:
        assert hit["positions"] and hit["document"] == "golden-dome-canada"
        assert all(text[span["start"] : span["end"]].lower() == "missile defenses" for span in hit["spans"])


def test_labels_come_before_quotes_and_one_page_spans_both(golden_dome_client: httpx.Client) -> None:
    both = golden_dome_client.get("/search", params={"q": "golden dome", "in": "labels,quotes"}).json()
    assert "matched" in both["items"][0] and both["items"][-1]["kind"] == "quote"
    labels = golden_dome_client.get("/search", params={"q": "golden dome"}).json()["total"]
    quotes = golden_dome_client.get("/search", params={"q": "golden dome", "in": "quotes"}).json()["total"]
    assert both["total"] == labels + quotes


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"q": "dome", "in": "titles"}, "in"),
        ({"q": "dome", "in": ""}, "in"),
        ({"q": '"golden dome', "in": "quotes"}, "q"),
    ],
)
def test_bad_search_parameters_get_422_naming_them(
    golden_dome_client: httpx.Client, params: dict[str, str], named: str
) -> None:
    response = golden_dome_client.get("/search", params=params)
    assert response.status_code == 422, response.text
    assert named in response.text
