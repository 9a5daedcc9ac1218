"""The ``export`` and ``info`` commands, run through typer's CliRunner on the embedded data."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import OWL, RDF, Graph
from typer.testing import CliRunner

from api.cli import app
from graph.export import export_iri
from graph.namespaces import SG, SGD
from graph.owl import check_owl_dl

runner = CliRunner()


def test_export_writes_a_self_contained_owl_document(tmp_path: Path) -> None:
    output = tmp_path / "canada.ttl"
    result = runner.invoke(app, ["export", "--focus", "canada", "--depth", "2", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "canada.ttl" in result.output
    document = Graph().parse(output, format="turtle")
    assert (export_iri("canada-depth2"), RDF.type, OWL.Ontology) in document
    assert (SGD["canada-in-talks-to-join-golden-dome"], SG.holder, SGD.canada) in document
    assert check_owl_dl(output.read_bytes()) == []


def test_export_formats_and_modes(tmp_path: Path) -> None:
    graphml = tmp_path / "canada.graphml"
    result = runner.invoke(app, ["export", "--focus", "canada", "--depth", "1", "-o", str(graphml)])
    assert result.exit_code == 0, result.output
    assert str(SGD.canada) in nx.read_graphml(graphml)
    described = tmp_path / "canada.out"
    arguments = ["export", "--focus", "canada", "--mode", "cbd", "--format", "ntriples", "-o", str(described)]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert set(Graph().parse(described, format="nt").subjects()) == {SGD.canada}


def test_export_errors_are_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--focus", "atlantis", "-o", str(tmp_path / "a.ttl")])
    assert result.exit_code == 1
    assert "atlantis" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "a.ttl").exists()
    result = runner.invoke(app, ["export", "--focus", "canada", "-o", str(tmp_path / "a.pdf")])
    assert result.exit_code == 2
    assert "--format" in result.output


def test_info_counts_what_the_graph_holds() -> None:
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    counts = dict(line.rsplit(None, 1) for line in result.output.strip().splitlines())
    assert int(counts["quads"]) > 1000
    assert int(counts["positions"]) == 20
    assert int(counts["stakeholders"]) == 14
    assert int(counts["concerns"]) == 4
    assert int(counts["documents"]) == 1
    assert int(counts["graphs"]) >= 3
