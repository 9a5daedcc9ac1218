"""REST resources on the Golden Dome data, through a real uvicorn on loopback."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter
from rdflib import RDF, RDFS, Graph, Literal

from graph.namespaces import OA, SG, SGD
from graph.read import (
    ConcernDetail,
    DocumentDetail,
    Found,
    Listed,
    MeasureDetail,
    Page,
    Position,
    ProgramDetail,
    StakeholderDetail,
    ThreatDetail,
)
from graph.read.fulltext import TextHit


@pytest.fixture(scope="module")
def client(golden_dome_client: httpx.Client) -> httpx.Client:
    return golden_dome_client


def get_json(client: httpx.Client, url: str, **params: str | int | bool) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def labels(items: list[dict[str, Any]]) -> list[str]:
    return [item["label"] for item in items]


def test_a_stakeholder_has_its_positions_with_their_quotes(client: httpx.Client) -> None:
    canada = get_json(client, "/stakeholders/canada")
    assert (canada["id"], canada["label"], canada["type"]) == ("canada", "Canada", "Nation")
    assert canada["iri"] == str(SGD.canada)
    in_talks = next(p for p in canada["positions"] if p["id"] == "canada-in-talks-to-join-golden-dome")
    assert in_talks["holder"]["label"] == "Canada"
    assert in_talks["target"]["label"] == "Canada joins Golden Dome"
    assert (in_talks["stance"], in_talks["value"], in_talks["attribution"]) == ("considers", 0, "reported")
    assert in_talks["hedged"] is True
    assert in_talks["hedgeCues"] == ["perhaps", "reportedly"]
    quotes = [evidence["quote"] for evidence in in_talks["evidence"]]
    assert quotes[0].startswith("Canada is reportedly in talks to perhaps join")
    assert {evidence["document"] for evidence in in_talks["evidence"]} == {"golden-dome-canada"}


def test_embedded_positions_come_a_page_at_a_time(client: httpx.Client) -> None:
    voice = get_json(client, "/stakeholders/golden-dome-canada-authorial-voice")
    assert voice["positionCount"] == len(voice["positions"]) == 10
    first = get_json(client, "/stakeholders/golden-dome-canada-authorial-voice", limit=3)
    rest = get_json(client, "/stakeholders/golden-dome-canada-authorial-voice", limit=10, offset=3)
    assert (first["positionCount"], len(first["positions"]), len(rest["positions"])) == (10, 3, 7)
    paged = [p["id"] for p in first["positions"] + rest["positions"]]
    assert paged == [p["id"] for p in voice["positions"]]


def test_memberships_are_listed(client: httpx.Client) -> None:
    officials = get_json(client, "/stakeholders/canadian-officials")
    assert labels(officials["memberOf"]) == ["Canadian government"]
    government = get_json(client, "/stakeholders/canadian-government")
    assert labels(government["partOf"]) == ["Canada"]
    assert government["aliases"] == ["The Canadian government"]


def test_an_unknown_id_is_404_naming_it(client: httpx.Client) -> None:
    response = client.get("/stakeholders/atlantis")
    assert response.status_code == 404
    assert "atlantis" in response.json()["message"]
    # A program is not a stakeholder.
    assert client.get("/stakeholders/golden-dome").status_code == 404


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/stakeholders?limit=-1", "limit"),
        ("/stakeholders?limit=1001", "limit"),
        ("/programs?offset=-3", "offset"),
        ("/positions?min_value=high", "min_value"),
        ("/positions?hedged=maybe", "hedged"),
        ("/positions?holder=Canada%3E%20%7D", "holder"),
        ("/search?q=", "q"),
    ],
)
def test_a_bad_parameter_is_422_naming_it(client: httpx.Client, url: str, parameter: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    body = response.json()
    assert parameter in body["message"]
    assert body.get("parameter", parameter) == parameter


def test_lists_page_deterministically(client: httpx.Client) -> None:
    whole = get_json(client, "/stakeholders", limit=1000)
    assert whole["total"] == len(whole["items"]) == 14
    pages = [get_json(client, "/stakeholders", limit=5, offset=offset) for offset in (0, 5, 10)]
    assert [item["id"] for page in pages for item in page["items"]] == [item["id"] for item in whole["items"]]
    assert all(page["total"] == 14 for page in pages)
    assert labels(whole["items"])[:3] == ["Analysts", "Canada", "Canadian government"]
    counts = {item["label"]: item["positionCount"] for item in whole["items"]}
    assert counts["Canada"] == 2
    assert counts["Donald Trump"] == 1  # he promotes the program (issue 16)
    assert counts["United States"] == 0


@pytest.mark.parametrize(
    ("collection", "expected"),
    [
        ("programs", ["Golden Dome"]),
        (
            "concerns",
            [
                "Geopolitical impacts",
                "Military spending",
                "National security",
                "National sovereignty",
                "Political dynamics, domestic and within the U.S.",
            ],
        ),
        ("documents", ["Canada Explores Participation in Trump’s ‘Golden Dome’ Missile Defense Initiative"]),
    ],
)
def test_collections(client: httpx.Client, collection: str, expected: list[str]) -> None:
    assert labels(get_json(client, f"/{collection}")["items"]) == expected


def test_threats_and_measures_are_listed(client: httpx.Client) -> None:
    assert "Missile threats" in labels(get_json(client, "/threats")["items"])
    assert get_json(client, "/measures")["total"] == 9


def test_a_program_with_its_actors(client: httpx.Client) -> None:
    dome = get_json(client, "/programs/golden-dome")
    assert [(link["label"], link["inferred"]) for link in dome["promotedBy"]] == [("Donald Trump", False)]
    # The text does not say Trump initiated it: that link is an analyst inference.
    assert [(link["label"], link["inferred"]) for link in dome["initiatedBy"]] == [("Donald Trump", True)]
    assert labels(dome["aimsAt"]) == ["Advancements in missile technology", "Rogue states"]
    assert set(labels([p["holder"] for p in dome["positions"]])) == {
        "Stakeholders on both sides of the border",
        "The article’s authorial voice",  # it calls the program contentious
        "Donald Trump",  # he promotes it
    }


def test_a_concern_with_the_measures_addressing_it(client: httpx.Client) -> None:
    security = get_json(client, "/concerns/national-security")
    addressed = {link["label"]: link["inferred"] for link in security["addressedBy"]}
    assert addressed["Intelligence exchange"] is True
    assert set(addressed.values()) == {True}
    # Its positions are those that target or regard it, as /positions?concern= finds them.
    assert {p["holder"]["label"] for p in security["positions"]} == {
        "Canadian officials",
        "The article’s authorial voice",
    }


def test_a_measure_with_status_and_what_it_addresses(client: httpx.Client) -> None:
    exchange = get_json(client, "/measures/intelligence-exchange")
    assert exchange["status"] == "underReview"
    assert {link["label"]: link["inferred"] for link in exchange["addresses"]} == {
        "Missile threats": False,
        "National security": True,
    }
    assert labels(exchange["partOf"]) == ["Canada joins Golden Dome"]
    assert [p["stance"] for p in exchange["positions"]] == ["considers"]


def test_a_threat_with_what_aims_at_it(client: httpx.Client) -> None:
    rogue = get_json(client, "/threats/rogue-states")
    assert labels(rogue["aimedAtBy"]) == ["Golden Dome"]
    missiles = get_json(client, "/threats/missile-threats")
    assert "Intelligence exchange" in labels(missiles["addressedBy"])


def test_a_document_with_its_text_and_evidence(client: httpx.Client) -> None:
    document = get_json(client, "/documents/golden-dome-canada")
    text = document["text"]
    assert document["title"].startswith("Canada Explores Participation")
    assert len(document["sha256"]) == 64
    assert document["evidence"], "the document has evidence spans"
    for span in document["evidence"]:
        assert text[span["start"] : span["end"]] == span["quote"]
        assert span["position"]
    garbled = [span for span in document["evidence"] if span["garbled"]]
    assert [span["quote"][:8] for span in garbled] == ["second,,"]
    assert "lost" in garbled[0]["note"]


@pytest.mark.parametrize(
    ("filters", "holders"),
    [
        ({"stance": "supports"}, {"Experts", "Analysts", "Donald Trump"}),
        ({"attribution": "reported"}, {"Canada"}),
        (
            {"hedged": "true"},
            {"Canada", "Canadian officials", "Experts", "Analysts", "The article’s authorial voice"},
        ),
        ({"holder": "canadian-officials"}, {"Canadian officials"}),
        ({"concern": "national-security"}, {"Canadian officials", "The article’s authorial voice"}),
        (
            {"min_value": 1, "target": "canada-joins-golden-dome"},
            {"Canadian officials", "Experts", "Analysts"},
        ),
        ({"max_value": 0, "min_value": 0, "stance": "assesses"}, {"Canadian government"}),
    ],
)
def test_positions_filter(client: httpx.Client, filters: dict[str, str | int], holders: set[str]) -> None:
    page = get_json(client, "/positions", limit=1000, **filters)
    assert {position["holder"]["label"] for position in page["items"]} == holders
    assert page["total"] == len(page["items"])


def test_position_filters_hold_for_every_item(client: httpx.Client) -> None:
    hedged = get_json(client, "/positions", hedged="true", limit=1000)["items"]
    assert all(p["hedged"] and p["hedgeCues"] for p in hedged)
    strong = get_json(client, "/positions", min_value=1, limit=1000)["items"]
    assert strong and all(p["value"] >= 1 for p in strong)
    assert get_json(client, "/positions", document="golden-dome-canada")["total"] == 25
    paged = [get_json(client, "/positions", limit=7, offset=o)["items"] for o in (0, 7, 14, 21)]
    assert len({p["id"] for page in paged for p in page}) == 25


@pytest.mark.parametrize("q", ["CANADA", "canadá", "ÇANADA"])
def test_search_ignores_case_and_accents(client: httpx.Client, q: str) -> None:
    found = get_json(client, "/search", q=q)
    assert found["items"][0]["label"] == "Canada"
    assert found["items"][0]["matched"] == "Canada"
    assert "Canada joins Golden Dome" in labels(found["items"])


def test_search_finds_aliases_and_ranks_exact_prefix_substring(client: httpx.Client) -> None:
    trump = get_json(client, "/search", q="trump")["items"]
    assert (trump[0]["label"], trump[0]["matched"]) == ("Donald Trump", "Trump")
    security = get_json(client, "/search", q="security")["items"]
    # "National security" contains it; nothing equals or starts with it.
    assert labels(security)[0] == "National security"
    assert labels(get_json(client, "/search", q="golden dome")["items"])[0] == "Golden Dome"
    assert get_json(client, "/search", q="atlantis") == {"total": 0, "limit": 50, "offset": 0, "items": []}


def test_json_ld_parses_into_triples_about_the_entity(client: httpx.Client) -> None:
    response = client.get("/stakeholders/canada", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    body = response.json()
    assert "@context" in body
    graph = Graph().parse(data=response.text, format="json-ld")
    assert (SGD.canada, RDFS.label, Literal("Canada", lang="en")) in graph
    assert (SGD.canada, RDF.type, SG.Nation) in graph
    position = SGD["canada-in-talks-to-join-golden-dome"]
    assert (position, SG.holder, SGD.canada) in graph
    assert (position, SG.stance, SG.considers) in graph
    assert (position, SG.attribution, SG.reported) in graph
    assert (position, SG.hedgeCue, Literal("perhaps")) in graph
    evidence = SGD["canada-in-talks-to-join-golden-dome-ev1"]
    assert (position, SG.evidence, evidence) in graph
    assert any(str(quote).startswith("Canada is reportedly") for quote in graph.objects(evidence, OA.exact))


def test_json_ld_invents_no_terms(client: httpx.Client, ontology_terms: set[str]) -> None:
    for url in ("/stakeholders?limit=3", "/measures/intelligence-exchange", "/documents/golden-dome-canada"):
        response = client.get(url, headers={"Accept": "application/ld+json"})
        graph = Graph().parse(data=response.text, format="json-ld")
        assert len(graph) > 0
        invented = {
            str(term)
            for triple in graph
            for term in triple
            if str(term).startswith(str(SG)) and str(term) not in ontology_terms
        }
        assert not invented, url


def test_a_list_in_json_ld_is_the_entities_on_the_page(client: httpx.Client) -> None:
    response = client.get("/concerns", headers={"Accept": "application/ld+json"})
    graph = Graph().parse(data=response.text, format="json-ld")
    assert set(graph.subjects(RDF.type, SG.Concern)) == {
        SGD[slug]
        for slug in (
            "geopolitical-impacts",
            "military-spending",
            "national-security",
            "national-sovereignty",
            "political-dynamics",
        )
    }


def test_plain_json_is_the_default_and_406_for_what_cannot_be_served(client: httpx.Client) -> None:
    assert client.get("/stakeholders/canada", headers={"Accept": "text/html, */*;q=0.1"}).status_code == 200
    assert client.get("/stakeholders/canada", headers={"Accept": "application/json"}).status_code == 200
    assert client.get("/stakeholders/canada", headers={"Accept": "image/png"}).status_code == 406


def test_openapi_documents_the_resources(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/stakeholders", "/stakeholders/{id}", "/documents/{id}", "/positions", "/search"):
        assert "get" in paths[path], path
    parameters = {p["name"] for p in paths["/positions"]["get"]["parameters"]}
    assert {"holder", "target", "stance", "min_value", "max_value", "concern", "document"} <= parameters


@pytest.mark.parametrize(
    ("url", "model"),
    [
        ("/stakeholders", Page[Listed]),
        ("/stakeholders/canada", StakeholderDetail),
        ("/programs/golden-dome", ProgramDetail),
        ("/concerns/national-security", ConcernDetail),
        ("/measures/collaborative-military-drills", MeasureDetail),
        ("/threats/missile-threats", ThreatDetail),
        ("/documents/golden-dome-canada", DocumentDetail),
        ("/positions?hedged=true", Page[Position]),
        ("/search?q=canada", Page[Found | TextHit]),
        ("/search?q=canada&in=labels,quotes", Page[Found | TextHit]),
    ],
)
def test_a_body_is_exactly_the_model_its_route_declares(client: httpx.Client, url: str, model: Any) -> None:
    body = client.get(url).json()
    adapter: TypeAdapter[Any] = TypeAdapter(model)
    # Strict: no value had to be coerced; dumped back, nothing was left out or added.
    assert adapter.dump_python(adapter.validate_python(body, strict=True)) == body
    path = url.split("?")[0]
    template = "/".join(path.split("/")[:2]) + ("/{id}" if path.count("/") > 1 else "")
    declared = client.get("/openapi.json").json()["paths"][template]["get"]["responses"]["200"]["content"]
    assert declared["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1] == _schema_name(model)


def _schema_name(model: Any) -> str:
    # As OpenAPI names a model: Page[Listed] is Page_Listed_, Page[A | B] is Page_Union_A__B__.
    arguments = getattr(model, "__args__", ())
    return str(getattr(model, "__name__", "Union")) + "".join(f"_{_schema_name(a)}_" for a in arguments)


@pytest.fixture(scope="module")
def ontology_terms() -> set[str]:
    from graph.paths import ONTOLOGY_FILE

    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    return {str(subject) for subject in ontology.subjects()}
