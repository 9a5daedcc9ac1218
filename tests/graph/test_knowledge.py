"""The notebook API: tables with the query's columns, Python values, clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from rdflib import BNode, Graph, Literal, URIRef

import graph
from graph.errors import NotFoundError, QuerySyntaxError, ValidationFailedError
from graph.knowledge import KnowledgeGraph
from graph.paths import SOURCES_DIR
from graph.queries import list_queries
from graph.terms import python_value

SEED_CONFLICT_NOTE = (
    "no two coded positions take opposite sides on one target "
    "(25 positions coded, 3 concerns with no identified holder); absence of coded opposition is not consensus"
)
"""What the seed's empty conflict network says: what was coded, and that no opposition is no consensus."""

XSD = "http://www.w3.org/2001/XMLSchema#"  # a string: rdflib's namespace object confuses doctest collection
SGD = "https://w3id.org/stancegraph/id/"
SG = "https://w3id.org/stancegraph/ontology#"


@pytest.fixture(scope="module")
def kg() -> Iterator[KnowledgeGraph]:
    with KnowledgeGraph.open() as knowledge:
        yield knowledge


def test_result_terms_become_python_values() -> None:
    assert python_value(URIRef(SGD + "canada")) == SGD + "canada"
    assert python_value(Literal("Canada", lang="en")) == "Canada"
    assert python_value(Literal("7", datatype=URIRef(XSD + "integer"))) == 7
    assert python_value(Literal("true", datatype=URIRef(XSD + "boolean"))) is True
    assert python_value(Literal("x", datatype=URIRef("urn:unknown-type"))) == "x"
    assert python_value(BNode("b1")) == "b1"
    assert python_value(None) is None


def test_sparql_gives_one_column_per_variable_in_order_and_python_values(kg: KnowledgeGraph) -> None:
    frame = kg.sparql(
        f"""SELECT ?position ?value ?hedged ?validAt WHERE {{
              ?position <{SG}holder> <{SGD}experts> ; <{SG}stanceValue> ?value ; <{SG}hedged> ?hedged .
              OPTIONAL {{ ?position <{SG}validAt> ?validAt }}
            }}"""
    )
    assert list(frame.columns) == ["position", "value", "hedged", "validAt"]
    row = frame.iloc[0]
    assert (row["position"], int(row["value"]), bool(row["hedged"])) == (
        SGD + "experts-support-joining",
        2,
        True,
    )
    assert row["validAt"] is None  # the article gives no date, so none is invented


def test_an_empty_answer_keeps_its_columns(kg: KnowledgeGraph) -> None:
    frame = kg.sparql("SELECT ?a ?b WHERE { ?a <urn:nothing> ?b }")
    assert frame.empty
    assert list(frame.columns) == ["a", "b"]


def test_bindings_are_passed_as_terms(kg: KnowledgeGraph) -> None:
    frame = kg.sparql(
        "SELECT ?holder ?label WHERE { ?holder <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        {"holder": URIRef(SGD + "analysts")},
    )
    assert frame["label"].tolist() == ["Analysts"]


def test_sparql_refuses_other_forms_and_reports_syntax_errors(kg: KnowledgeGraph) -> None:
    with pytest.raises(ValidationFailedError, match="use ask"):
        kg.sparql("ASK { ?s ?p ?o }")
    with pytest.raises(QuerySyntaxError):
        kg.sparql("SELECT ?s WHERE { ?s ?p }")


def test_ask_and_construct(kg: KnowledgeGraph) -> None:
    assert kg.ask(f"ASK {{ <{SGD}canada> a <{SG}Nation> }}")
    assert not kg.ask(f"ASK {{ <{SGD}canada> a <{SG}Program> }}")
    described = kg.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<{SGD}canada> AS ?s) ?s ?p ?o }}")
    assert isinstance(described, Graph)
    assert (URIRef(SGD + "canada"), None, Literal("Canada", lang="en")) in described
    assert "sgd:canada" in described.serialize(format="turtle")


def test_queries_lists_every_named_query_with_its_parameters(kg: KnowledgeGraph) -> None:
    table = kg.queries()
    assert list(table.columns) == ["name", "summary", "parameters", "description"]
    assert table["name"].tolist() == [query.name for query in list_queries()]
    by_name = table.set_index("name")
    assert by_name.loc["supporters-of-participation", "parameters"] == (
        "participant (id, default canada), document (id, optional), from (datetime, optional), "
        "to (datetime-end, optional)"
    )
    assert by_name.loc["hedged-or-reported-positions", "parameters"] == (
        "holder (id, optional), document (id, optional), from (datetime, optional), "
        "to (datetime-end, optional)"
    )
    assert by_name.loc["unaddressed-concerns", "parameters"] == "include_inferred (boolean, default false)"


def test_run_binds_typed_parameters_and_names_bad_ones(kg: KnowledgeGraph) -> None:
    assert set(kg.run("unaddressed-concerns", include_inferred=True)["include_inferred"]) == {True}
    with pytest.raises(ValidationFailedError, match="'include_inferred' must be a boolean"):
        kg.run("unaddressed-concerns", include_inferred="perhaps")
    with pytest.raises(ValidationFailedError, match="no parameter 'colour'"):
        kg.run("conflicts", colour="red")
    with pytest.raises(NotFoundError, match="no named query 'who-wins'"):
        kg.run("who-wins")


def test_positions_of_a_stakeholder(kg: KnowledgeGraph) -> None:
    positions = kg.positions_of("experts")
    assert positions["stanceLabel"].tolist() == ["supports"]
    assert positions["targetLabel"].tolist() == ["Canada joins Golden Dome"]
    assert kg.positions_of("donald-trump")["targetLabel"].tolist() == ["Golden Dome"]  # promotes it
    assert kg.positions_of("united-states").empty  # named, but takes no position
    with pytest.raises(NotFoundError, match="no stakeholder 'atlantis'"):
        kg.positions_of("atlantis")
    with pytest.raises(NotFoundError, match="no stakeholder 'golden-dome'"):
        kg.positions_of("golden-dome")  # a program, not a stakeholder
    with pytest.raises(ValidationFailedError, match="must be an id"):
        kg.positions_of("Canada> } DROP ALL")


def test_evidence_for_a_position_points_into_the_source_text(kg: KnowledgeGraph) -> None:
    with (SOURCES_DIR / "golden-dome-canada.txt").open(encoding="utf-8", newline="") as file:
        text = file.read()
    evidence = kg.evidence_for("canadian-officials-optimistic-about-joining")
    assert len(evidence) == 1
    row = evidence.iloc[0]
    assert row["quote"] == text[row["start"] : row["end"]]
    assert row["quote"].startswith("Canadian officials express optimism")
    with pytest.raises(NotFoundError, match="no position 'canada'"):
        kg.evidence_for("canada")


def test_networks_delegate_to_graph_network(kg: KnowledgeGraph) -> None:
    congruence = kg.network("congruence")
    assert isinstance(congruence, nx.Graph)
    assert congruence.has_edge(SGD + "experts", SGD + "analysts")
    assert congruence.has_edge(SGD + "experts", SGD + "canadian-officials")
    conflict = kg.network("conflict")
    assert conflict.number_of_edges() == 0
    assert conflict.graph["note"] == SEED_CONFLICT_NOTE
    two_mode = kg.network("two-mode", level="nation")
    assert two_mode.has_edge(SGD + "canada", SGD + "canada-joins-golden-dome")
    # Whose officials they are the text does not say: rolled up to Canada only through inferred links.
    assert SGD + "canadian-officials" in two_mode
    assert SGD + "canadian-officials" not in kg.network("two-mode", level="nation", inferred=True)
    assert kg.network("signed", normalization="jaccard").graph["normalization"] == "jaccard"
    with pytest.raises(ValidationFailedError, match="unknown network 'spider'"):
        kg.network("spider")  # type: ignore[arg-type]


def test_connection_follows_the_membership_chain(kg: KnowledgeGraph) -> None:
    path = kg.connection("canadian-officials", "canada")
    assert [path.labels[node] for node in path.nodes] == [
        "Canadian officials",
        "Canadian government",
        "Canada",
    ]


def test_open_gives_a_memory_store_with_the_embedded_data() -> None:
    with KnowledgeGraph.open() as opened:
        assert opened.store.kind == "memory"
        assert opened.run("supporters-of-participation")["holderLabel"].tolist()
        assert repr(opened) == "<KnowledgeGraph on a memory store>"


def test_a_disk_store_gets_the_embedded_data_once(tmp_path: Path) -> None:
    with KnowledgeGraph.open("disk", path=tmp_path / "store") as first:
        size = len(first.store)
        assert first.positions_of("experts")["stanceLabel"].tolist() == ["supports"]
        first.store.update("DROP GRAPH <https://w3id.org/stancegraph/graph/golden-dome-canada/inferred>")
    with KnowledgeGraph.open("disk", path=tmp_path / "store") as again:
        assert 0 < len(again.store) < size  # kept as left, not loaded afresh
    with KnowledgeGraph.open(embedded=False) as empty:
        assert len(empty.store) == 0


def test_to_rdflib_keeps_the_named_graphs() -> None:
    with KnowledgeGraph.open() as opened:
        dataset = opened.to_rdflib()
        names = {str(named.identifier) for named in dataset.graphs() if len(named)}
        assert {
            "https://w3id.org/stancegraph/graph/ontology",
            "https://w3id.org/stancegraph/graph/golden-dome-canada",
            "https://w3id.org/stancegraph/graph/golden-dome-canada/inferred",
        } <= names
        assert sum(len(named) for named in dataset.graphs()) == len(opened.store)


def test_the_package_exports_the_notebook_api_and_the_errors() -> None:
    assert graph.open_graph == KnowledgeGraph.open
    assert graph.KnowledgeGraph is KnowledgeGraph
    assert issubclass(graph.NotFoundError, graph.GraphError)
    assert issubclass(graph.CodingError, graph.ValidationFailedError)
    assert {"QuerySyntaxError", "StoreUnavailableError", "QueryTimeoutError", "run_query"} <= set(
        graph.__all__
    )
