"""The endpoint's dataset semantics, format names, prefixes and browser view (issue 17).

* Serving ``--data`` files, the default graph is the files' default graph unless the
  union is asked for; the embedded data keeps its union; the service description says which.
* ``format``/``output`` names SPARQL clients send, and a clear 406 for a name of no format.
* DESCRIBE (and CONSTRUCT) and Graph Store Turtle carry the project's prefixes.
* /sparql opened in a browser goes to the page's SPARQL editor.

The sample data is fictional (see :mod:`tests.api.support`).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from api.routes.service import SD
from api.settings import Settings
from tests.api.support import EX, RunningService, serve

NAMED_ONLY = f'<{EX}x> <{EX}name> "only in a named graph (fictional)" <{EX}g> .\n'
DEFAULT_GRAPH_NAMES = f"SELECT ?name WHERE {{ ?s <{EX}name> ?name }}"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def named_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("named-only") / "named.nq"
    path.write_text(NAMED_ONLY, encoding="utf-8")
    return path


def _names(service: RunningService) -> list[str]:
    response = httpx.get(f"{service.url}/sparql", params={"query": DEFAULT_GRAPH_NAMES})
    assert response.status_code == 200, response.text
    return [row["name"]["value"] for row in response.json()["results"]["bindings"]]


def _described_union(service: RunningService) -> bool:
    description = Graph().parse(data=httpx.get(f"{service.url}/sparql").text, format="turtle")
    return (None, SD.feature, SD.UnionDefaultGraph) in description


# --- dataset semantics ---------------------------------------------------------------------


def test_data_files_get_standard_semantics_by_default(named_only: Path) -> None:
    with serve(Settings(store="memory", data=[named_only])) as service:
        assert service.settings.union_default_graph is False
        assert _names(service) == []
        assert not _described_union(service)
        in_graph = f"SELECT ?name WHERE {{ GRAPH <{EX}g> {{ ?s <{EX}name> ?name }} }}"
        rows = httpx.get(f"{service.url}/sparql", params={"query": in_graph}).json()["results"]["bindings"]
        assert len(rows) == 1


def test_the_service_reads_a_built_corpus_whole_while_the_endpoint_is_standard(tmp_path: Path) -> None:
    # A build keeps each document's statements in a graph of its own: /sparql sees none of them in
    # its default graph, the REST resources (the service's own questions) see all of them.
    from graph.coding.build import build

    built = tmp_path / "corpus.nq"
    build(Path(__file__).parents[1] / "data" / "corpus", built)
    with serve(Settings(store="memory", data=[built])) as service, service.client() as client:
        varga = "<https://w3id.org/stancegraph/id/ana-varga>"
        asked = client.get("/sparql", params={"query": f"ASK {{ {varga} ?p ?o }}"})
        assert asked.json()["boolean"] is False
        real_default = {"query": f"ASK {{ {varga} ?p ?o }}", "default-graph-uri": "urn:x-arq:DefaultGraph"}
        assert client.get("/sparql", params=real_default).json()["boolean"] is False
        assert client.get("/stakeholders/ana-varga").json()["label"] == "Ana Varga"
        joining = {"target": "ruritania-joins-shield"}
        trajectory = client.get("/stakeholders/ana-varga/trajectory", params=joining)
        assert len(trajectory.json()["points"]) == 3


def test_the_union_is_an_option_for_data_files(named_only: Path) -> None:
    with serve(Settings(store="memory", data=[named_only], union_default_graph=True)) as service:
        assert _names(service) == ["only in a named graph (fictional)"]
        assert _described_union(service)


def test_the_embedded_data_keeps_its_union(golden_dome_client: httpx.Client) -> None:
    description = Graph().parse(data=golden_dome_client.get("/sparql").text, format="turtle")
    assert (None, SD.feature, SD.UnionDefaultGraph) in description
    query = "ASK { <https://w3id.org/stancegraph/id/canada> ?p ?o }"
    assert golden_dome_client.get("/sparql", params={"query": query}).json()["boolean"] is True


def test_the_settings_follow_the_data_unless_told() -> None:
    assert Settings().union_default_graph is True
    assert Settings(data=[Path("x.nq")]).union_default_graph is False
    assert Settings(data=[Path("x.nq")], union_default_graph=True).union_default_graph is True
    assert Settings(union_default_graph=False).union_default_graph is False


# --- format names ----------------------------------------------------------------------------

CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}name> ?o }} WHERE {{ ?s <{EX}name> ?o }}"
SELECT = f"SELECT ?o WHERE {{ ?s <{EX}name> ?o }}"


@pytest.mark.parametrize(
    ("query", "params", "media_type"),
    [
        (CONSTRUCT, {"format": "n3", "output": "n3"}, "text/turtle"),
        (CONSTRUCT, {"format": "json-ld"}, "application/ld+json"),
        (CONSTRUCT, {"output": "rdf+xml"}, "application/rdf+xml"),
        (CONSTRUCT, {"format": "xml"}, "application/rdf+xml"),  # xml for a graph: RDF/XML, as in Fuseki
        (CONSTRUCT, {"format": "json"}, "application/ld+json"),  # json for a graph: JSON-LD, as in Fuseki
        (CONSTRUCT, {"output": "nt"}, "application/n-triples"),
        (CONSTRUCT, {"format": "n-quads"}, "application/n-quads"),
        (CONSTRUCT, {"format": "trig"}, "application/trig"),
        (SELECT, {"format": "xml"}, "application/sparql-results+xml"),
        (SELECT, {"output": "json"}, "application/sparql-results+json"),
        (SELECT, {"format": "tsv"}, "text/tab-separated-values"),
        (SELECT, {"format": "turtle"}, "application/sparql-results+json"),  # no results as Turtle: Accept
    ],
)
def test_format_names_clients_send(
    service: RunningService, query: str, params: dict[str, str], media_type: str
) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type


def test_format_names_in_a_posted_form(service: RunningService) -> None:
    response = httpx.post(f"{service.url}/sparql", data={"query": CONSTRUCT, "output": "json-ld"})
    assert response.headers["content-type"] == "application/ld+json"


@pytest.mark.parametrize("parameter", ["format", "output"])
def test_a_name_of_no_format_is_406_naming_the_parameter(service: RunningService, parameter: str) -> None:
    response = httpx.get(f"{service.url}/sparql", params={"query": CONSTRUCT, parameter: "yaml"})
    assert response.status_code == 406
    assert f"{parameter}=yaml" in response.json()["message"]


# --- prefixes --------------------------------------------------------------------------------


def test_describe_turtle_has_the_projects_prefixes(golden_dome_client: httpx.Client) -> None:
    query = "DESCRIBE <https://w3id.org/stancegraph/id/canada>"
    response = golden_dome_client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    assert "@prefix sgd: <https://w3id.org/stancegraph/id/> ." in response.text
    assert "sgd:canada" in response.text
    graph = Graph().parse(data=response.text, format="turtle")
    labels = set(graph.objects(URIRef("https://w3id.org/stancegraph/id/canada"), None))
    assert Literal("Canada", lang="en") in labels or Literal("Canada") in labels


def test_graph_store_turtle_has_the_projects_prefixes(golden_dome_client: httpx.Client) -> None:
    params = {"graph": "https://w3id.org/stancegraph/graph/ontology"}
    response = golden_dome_client.get("/store", params=params, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "@prefix owl: <http://www.w3.org/2002/07/owl#> ." in response.text
    ntriples = golden_dome_client.get("/store", params=params, headers={"Accept": "application/n-triples"})
    assert len(Graph().parse(data=response.text, format="turtle")) == len(
        Graph().parse(data=ntriples.text, format="nt")
    )


# --- the browser view ------------------------------------------------------------------------


def test_a_browser_opening_sparql_goes_to_the_editor(service: RunningService) -> None:
    response = httpx.get(f"{service.url}/sparql", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 303
    assert response.headers["location"] == "./#editor"
    assert "accept" in response.headers["vary"].lower()
    page = httpx.get(f"{service.url}/sparql", headers={"Accept": BROWSER_ACCEPT}, follow_redirects=True)
    assert str(page.url) == f"{service.url}/#editor"
    assert 'id="editor"' in page.text


@pytest.mark.parametrize("accept", [None, "*/*", "text/turtle", "application/ld+json"])
def test_rdf_clients_still_get_the_service_description(service: RunningService, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(f"{service.url}/sparql", headers=headers)
    assert response.status_code == 200
    assert (None, SD.endpoint, URIRef(f"{service.url}/sparql")) in Graph().parse(
        data=response.text, format="json-ld" if accept == "application/ld+json" else "turtle"
    )
