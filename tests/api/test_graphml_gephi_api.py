"""GraphML for Gephi as the service and the CLI serve it: GET and POST /subgraph, /network, `export`.

Every file passes the GraphML schema's identity rules and Gephi's property names
(:mod:`tests.graph.graphml_checks`) and is read alike by networkx and igraph. The
timeline comes from the fictional dated corpus of tests/data/corpus.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from graph.coding.build import build
from graph.namespaces import entity
from tests.api.support import serve
from tests.graph.graphml_checks import (
    assert_both_parsers_agree,
    edge_ids,
    gephi_problems,
    graphml_problems,
    key_types,
)

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
GRAPHML = "application/graphml+xml"
CONSTRUCT = """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
CONSTRUCT { ?position sg:holder ?holder ; sg:target ?target ; sg:stanceValue ?value ; sg:hedged ?hedged }
WHERE { ?position sg:holder ?holder ; sg:target ?target ; sg:stanceValue ?value ; sg:hedged ?hedged }"""


@pytest.fixture(scope="module")
def client(golden_dome_client: httpx.Client) -> httpx.Client:
    return golden_dome_client


@pytest.fixture(scope="module")
def corpus_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    data = tmp_path_factory.mktemp("corpus") / "corpus.nq"
    build(CORPUS, data)
    with (
        serve(Settings(store="memory", data=[data])) as running,
        running.client() as client,
    ):
        yield client


def graphml(response: httpx.Response) -> bytes:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(GRAPHML)
    document = response.content
    assert graphml_problems(document) == []
    assert gephi_problems(document) == []
    assert b">True<" not in document and b">False<" not in document
    ids = edge_ids(document)
    assert len(ids) == len(set(ids))
    return document


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_get_subgraph_graphml_is_typed_with_unique_edge_ids(client: httpx.Client, depth: int) -> None:
    response = client.get("/subgraph", params={"focus": "canada", "depth": depth, "format": "graphml"})
    document = graphml(response)
    assert response.headers["content-disposition"] == f'attachment; filename="canada-depth{depth}.graphml"'
    types = key_types(document, "node")
    assert (types["sg:stanceValue"], types["sg:hedged"], types["oa:start"]) == ("int", "boolean", "int")
    read, _ = assert_both_parsers_agree(document)
    assert read.nodes[str(entity("canada"))]["label"] == "Canada"
    assert isinstance(read.nodes[str(entity("canada-in-talks-to-join-golden-dome"))]["sg:stanceValue"], int)
    # Asked again, the same file: ids are the triples', not the order of a run.
    again = client.get("/subgraph", params={"focus": "canada", "depth": depth}, headers={"Accept": GRAPHML})
    assert graphml(again) == document


def test_post_subgraph_graphml_of_a_construct(client: httpx.Client) -> None:
    response = client.post(
        "/subgraph",
        params={"format": "graphml"},
        content=CONSTRUCT,
        headers={"Content-Type": "application/sparql-query"},
    )
    document = graphml(response)
    read, other = assert_both_parsers_agree(document)
    positions = [data for _, data in read.nodes(data=True) if "sg:stanceValue" in data]
    assert positions and all(isinstance(data["sg:stanceValue"], int) for data in positions)
    assert {type(data["sg:hedged"]) for data in positions} == {bool}
    # Every position has a holder and a target edge: two edges, two ids, per position.
    assert len(edge_ids(document)) == 2 * len(positions) == other.ecount()


@pytest.mark.parametrize("kind", ["two-mode", "congruence", "conflict", "signed"])
def test_every_network_graphml_keeps_the_rules(client: httpx.Client, kind: str) -> None:
    document = graphml(client.get(f"/network/{kind}", params={"format": "graphml"}))
    read, _ = assert_both_parsers_agree(document)
    assert all(data["label"] for *_, data in read.edges(data=True))
    if kind == "two-mode":
        edge_types = key_types(document, "edge")
        assert (edge_types["hedged"], edge_types["value"]) == ("boolean", "int")
        assert {type(data["hedged"]) for *_, data in read.edges(data=True)} == {bool}


@pytest.mark.parametrize(("kind", "window"), [("two-mode", "1m"), ("congruence", "3m")])
def test_a_windowed_network_keeps_gephis_start_and_end(
    corpus_client: httpx.Client, kind: str, window: str
) -> None:
    response = corpus_client.get(f"/network/{kind}", params={"window": window, "format": "graphml"})
    document = graphml(response)
    for domain in ("node", "edge"):
        types = key_types(document, domain)
        assert (types["start"], types["end"], types["windows"]) == ("string", "string", "int")
    read, _ = assert_both_parsers_agree(document)
    assert read.number_of_edges() > 0
    assert all(data["start"] <= data["end"] for *_, data in read.edges(data=True))


def test_cli_export_writes_the_same_rules(tmp_path: Path) -> None:
    output = tmp_path / "canada.graphml"
    result = CliRunner().invoke(app, ["export", "--focus", "canada", "--depth", "2", "-o", str(output)])
    assert result.exit_code == 0, result.output
    document = output.read_bytes()
    assert graphml_problems(document) == gephi_problems(document) == []
    ids = edge_ids(document)
    assert len(ids) == len(set(ids)) > 0
    assert_both_parsers_agree(document)
