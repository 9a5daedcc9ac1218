"""Named queries over REST on the Golden Dome data, through a real uvicorn on loopback."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from graph.queries import NamedQuery, list_queries

QUERIES = list_queries()

# A value for each required parameter, by type, that the Golden Dome data answers.
SAMPLE_VALUES = {
    "position": "experts-support-joining",
    "stakeholder": "canada",
    "text": "canad",
}

INJECTIONS = [
    "canada> } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o",
    "canada' || true || '",
    "?x",
    "<https://w3id.org/stancegraph/id/canada>",
]


@pytest.fixture(scope="module")
def client(golden_dome_client: httpx.Client) -> httpx.Client:
    return golden_dome_client


def run(client: httpx.Client, name: str, **params: object) -> dict:
    response = client.get(f"/queries/{name}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def required_values(query: NamedQuery) -> dict[str, str]:
    return {p.name: SAMPLE_VALUES[p.name] for p in query.parameters if p.required and p.default is None}


def test_every_named_query_is_listed_with_its_typed_parameters(client: httpx.Client) -> None:
    listed = client.get("/queries").json()
    assert [query["name"] for query in listed] == [query.name for query in QUERIES]
    by_name = {query["name"]: query for query in listed}
    stakeholder, *narrowing = by_name["positions-of-stakeholder"]["parameters"]
    assert stakeholder == {
        "name": "stakeholder",
        "type": "id",
        "default": None,
        "required": True,
        "description": "The id of the stakeholder (for example canada).",
    }
    assert [(p["name"], p["type"], p["required"]) for p in narrowing] == [
        ("document", "id", False),
        ("from", "datetime", False),
        ("to", "datetime-end", False),
    ]
    participant = by_name["supporters-of-participation"]["parameters"][0]
    assert (participant["type"], participant["default"], participant["required"]) == ("id", "canada", False)
    assert all(query["summary"] and query["description"] for query in listed)


@pytest.mark.parametrize("query", QUERIES, ids=[query.name for query in QUERIES])
def test_every_named_query_runs(client: httpx.Client, query: NamedQuery) -> None:
    table = run(client, query.name, **required_values(query))
    assert table["query"] == query.name
    assert table["columns"]
    assert all(set(row) <= set(table["columns"]) for row in table["rows"])


def test_each_named_query_is_its_own_operation_in_openapi(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for query in QUERIES:
        operation = paths[f"/queries/{query.name}"]["get"]
        assert operation["summary"] == query.summary
        declared = {p["name"]: p for p in operation["parameters"]}
        assert set(declared) == {p.name for p in query.parameters} | {"format", "min_sources"}
    stakeholder = {p["name"]: p for p in paths["/queries/positions-of-stakeholder"]["get"]["parameters"]}
    assert stakeholder["stakeholder"]["required"] is True
    assert stakeholder["stakeholder"]["schema"]["pattern"] == "^[a-z0-9-]+$"
    agreements = {p["name"]: p for p in paths["/queries/agreements"]["get"]["parameters"]}
    assert agreements["include_neutral"]["schema"]["anyOf"][0] == {"type": "boolean"}
    assert agreements["include_neutral"]["required"] is False


def test_rows_hold_plain_values(client: httpx.Client) -> None:
    table = run(client, "supporters-of-participation")
    assert {row["holderLabel"] for row in table["rows"]} == {"Analysts", "Canadian officials", "Experts"}
    experts = run(client, "positions-of-stakeholder", stakeholder="experts")["rows"]
    assert [(row["stanceLabel"], row["value"], row["hedged"]) for row in experts] == [("supports", 2, True)]


def test_the_conflicts_question_has_no_answer(client: httpx.Client) -> None:
    assert run(client, "conflicts")["rows"] == []


def test_csv_by_accept_or_by_format(client: httpx.Client) -> None:
    by_accept = client.get(
        "/queries/positions-of-stakeholder", params={"stakeholder": "experts"}, headers={"Accept": "text/csv"}
    )
    by_format = client.get(
        "/queries/positions-of-stakeholder", params={"stakeholder": "experts", "format": "csv"}
    )
    for response in (by_accept, by_format):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert [row["stanceLabel"] for row in rows] == ["supports"]


def test_sparql_results_json_are_the_engines(client: httpx.Client) -> None:
    response = client.get(
        "/queries/positions-of-stakeholder",
        params={"stakeholder": "experts"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    body = response.json()
    assert "stanceLabel" in body["head"]["vars"]
    assert body["results"]["bindings"][0]["stanceLabel"]["value"] == "supports"


@pytest.mark.parametrize("value", INJECTIONS)
def test_sparql_in_an_id_parameter_is_refused_naming_it(client: httpx.Client, value: str) -> None:
    response = client.get("/queries/positions-of-stakeholder", params={"stakeholder": value})
    assert response.status_code == 422
    assert "stakeholder" in response.json()["message"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_sparql_in_a_string_parameter_is_one_literal(client: httpx.Client, value: str) -> None:
    before = client.get("/stakeholders").json()["total"]
    table = run(client, "search-labels", text=value)
    # Bound as a literal, the text matches no label; pasted as code it would match or break the query.
    assert table["rows"] == []
    assert client.get("/stakeholders").json()["total"] == before


def test_a_string_parameter_matches_as_data(client: httpx.Client) -> None:
    rows = run(client, "search-labels", text="CANAD")["rows"]
    assert {row["label"] for row in rows} >= {"Canada", "Canadian government", "Canadian officials"}
    assert {row["text"] for row in rows} == {"CANAD"}


def test_defaults_and_typed_values(client: httpx.Client) -> None:
    stated_only = run(client, "unaddressed-concerns")["rows"]
    with_inferred = run(client, "unaddressed-concerns", include_inferred="true")["rows"]
    assert len(with_inferred) <= len(stated_only)
    response = client.get("/queries/unaddressed-concerns", params={"include_inferred": "perhaps"})
    assert response.status_code == 422
    assert "include_inferred" in response.json()["message"]
    assert response.json()["parameter"] == "include_inferred"


def test_unknown_names_are_refused_naming_them(client: httpx.Client) -> None:
    response = client.get("/queries/no-such-question")
    assert response.status_code == 404
    assert "no-such-question" in response.json()["message"]
    response = client.get("/queries/conflicts", params={"colour": "red"})
    assert response.status_code == 422
    assert "colour" in response.json()["message"]
    assert response.json()["parameter"] == "colour"
    response = client.get("/queries/positions-of-stakeholder")
    assert response.status_code == 422
    assert "stakeholder" in response.json()["message"]
    assert response.json()["parameter"] == "stakeholder"


def test_rows_carry_the_undated_article_as_their_document_and_no_date(client: httpx.Client) -> None:
    table = run(client, "positions-of-stakeholder", stakeholder="experts")
    assert {"document", "date", "validAt", "from", "to"} <= set(table["columns"])
    assert [row["document"] for row in table["rows"]] == [
        "https://w3id.org/stancegraph/id/golden-dome-canada"
    ]
    assert all("date" not in row for row in table["rows"])


def test_from_and_to_reach_the_query_and_leave_the_undated_article_out(client: httpx.Client) -> None:
    everything = run(client, "positions-per-stakeholder")["rows"]
    assert sum(row["positions"] for row in everything) == 25
    bounded = run(client, "positions-per-stakeholder", **{"from": "2025", "to": "2025-06"})["rows"]
    assert len(bounded) == len(everything)
    assert {(row["positions"], row["from"], row["to"]) for row in bounded} == {
        (0, "2025-01-01T00:00:00+00:00", "2025-06-30T23:59:59.999999+00:00")
    }


def test_a_bad_time_is_refused_naming_the_parameter(client: httpx.Client) -> None:
    response = client.get(
        "/queries/positions-of-stakeholder", params={"stakeholder": "experts", "from": "March"}
    )
    assert response.status_code == 422
    assert response.json()["parameter"] == "from"
    assert "'from': 'March' must be a year (2025)" in response.json()["message"]
    response = client.get("/queries/agreements", params={"from": "2025-04", "to": "2025-03"})
    assert response.status_code == 422
    assert response.json()["parameter"] == "from"


def test_an_unservable_format_is_406(client: httpx.Client) -> None:
    response = client.get("/queries/conflicts", headers={"Accept": "image/png"})
    assert response.status_code == 406
