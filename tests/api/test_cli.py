"""The ``stancegraph`` command: each subcommand through typer's CliRunner, and ``serve`` as a real process."""

from __future__ import annotations

import csv
import doctest
import io
import json
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import httpx
import networkx as nx
import pytest
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal
from typer.testing import CliRunner

from api import export_report, query_output
from api.cli import app
from graph.export import export_iri
from graph.namespaces import SG, SGD
from graph.stores import DiskStore
from graph.stores.engine.writer import BULK_LOAD_MARKER
from tests.api.support import wait_until_healthy
from tests.graph.conftest import generated_graph
from tests.ontology.owl import check_owl_dl

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
    assert int(counts["positions"]) == 25
    assert int(counts["stakeholders"]) == 14
    assert int(counts["concerns"]) == 5  # the political dynamics too (issue 16)
    assert int(counts["documents"]) == 1
    assert int(counts["graphs"]) >= 3


TEST_DATA = Path(__file__).resolve().parent.parent / "data"
SELECT_HOLDERS = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?holder WHERE { ?p sg:stance sg:supports ; sg:holder/rdfs:label ?holder } ORDER BY ?holder
"""


def test_build_error_names_file_and_line_and_writes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copytree(TEST_DATA / "sources", tmp_path / "sources")
    shutil.copy(TEST_DATA / "broken" / "unknown-id.yaml", data_dir)
    output = tmp_path / "out.nq"
    result = runner.invoke(app, ["build", "--data-dir", str(data_dir), "-o", str(output)])
    assert result.exit_code == 1
    assert "unknown-id.yaml:17: position 'critics-worry': holder: unknown id 'atlantis'" in result.output
    assert "Traceback" not in result.output
    assert not output.exists()


def test_build_and_validate_the_embedded_data(tmp_path: Path) -> None:
    output = tmp_path / "stancegraph.nq"
    result = runner.invoke(app, ["build", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_bytes().count(b"\n") > 1000
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "conforms"


def test_query_prints_table_csv_and_json(tmp_path: Path) -> None:
    as_csv = runner.invoke(app, ["query", SELECT_HOLDERS, "--format", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    assert list(csv.reader(io.StringIO(as_csv.output))) == [
        ["holder"],
        ["Analysts"],
        ["Donald Trump"],
        ["Experts"],
    ]
    query_file = tmp_path / "holders.rq"
    query_file.write_text(SELECT_HOLDERS, encoding="utf-8")
    as_json = runner.invoke(app, ["query", "--file", str(query_file), "--format", "json"])
    bindings = json.loads(as_json.output)["results"]["bindings"]  # SPARQL JSON, as format=json over HTTP
    assert [row["holder"]["value"] for row in bindings] == ["Analysts", "Donald Trump", "Experts"]
    as_tsv = runner.invoke(app, ["query", SELECT_HOLDERS, "--format", "tsv"])
    assert as_tsv.output.splitlines() == ["?holder", '"Analysts"@en', '"Donald Trump"@en', '"Experts"@en']
    as_table = runner.invoke(app, ["query", SELECT_HOLDERS, "--format", "table"])
    assert as_table.output.split() == ["holder", "Analysts", "Donald", "Trump", "Experts"]
    not_a_terminal = runner.invoke(app, ["query", SELECT_HOLDERS])  # piped: CSV, for the next program
    assert not_a_terminal.output == as_csv.output
    broken = runner.invoke(app, ["query", "SELECT ?x WHERE { ?x"])
    assert broken.exit_code == 1
    assert "error:" in broken.output
    assert "Traceback" not in broken.output


ASK_CANADA = "ASK { <https://w3id.org/stancegraph/id/canada> ?p ?o }"
CONSTRUCT_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?s rdfs:label ?label } WHERE { ?s a <https://w3id.org/stancegraph/ontology#Stakeholder> ;
  rdfs:label ?label }
"""


@pytest.mark.parametrize("given", [[], ["--format", "table"], ["--format", "csv"]])
def test_query_answers_ask_as_true_or_false(given: list[str]) -> None:
    result = runner.invoke(app, ["query", ASK_CANADA, *given])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "true"


def test_query_answers_a_false_ask_as_false() -> None:
    result = runner.invoke(app, ["query", "ASK { ?s ?p 'no such literal, fictional' }"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "false"


def test_query_answers_ask_in_sparql_json_and_xml() -> None:
    as_json = runner.invoke(app, ["query", ASK_CANADA, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output)["boolean"] is True
    as_xml = runner.invoke(app, ["query", ASK_CANADA, "--format", "xml"])
    assert "<boolean>true</boolean>" in as_xml.output


@pytest.mark.parametrize(
    ("given", "rdflib_format"),
    [
        ([], "turtle"),
        (["--format", "ttl"], "turtle"),
        (["--format", "ntriples"], "nt"),
        (["--format", "json"], "json-ld"),  # as format=json of a CONSTRUCT over HTTP
        (["--format", "application/rdf+xml"], "xml"),
        (["--format", "nquads"], "nquads"),
        (["--format", "trig"], "trig"),
    ],
)
def test_query_writes_construct_results_in_every_graph_format(given: list[str], rdflib_format: str) -> None:
    result = runner.invoke(app, ["query", CONSTRUCT_LABELS, *given])
    assert result.exit_code == 0, result.output
    graph = Dataset() if rdflib_format in ("nquads", "trig") else Graph()
    graph.parse(data=result.stdout_bytes, format=rdflib_format)
    labels = {str(label) for label in graph.objects(None, RDFS.label)}
    assert len(labels) == 14
    assert "Canada" in labels


def test_query_describes_in_turtle_by_default() -> None:
    result = runner.invoke(app, ["query", f"DESCRIBE {SGD.canada.n3()}"])
    assert result.exit_code == 0, result.output
    described = Graph().parse(data=result.stdout_bytes, format="turtle")
    assert (SGD.canada, RDFS.label, Literal("Canada", lang="en")) in described


@pytest.mark.parametrize(
    ("query", "given", "form"),
    [
        (SELECT_HOLDERS, "turtle", "a SELECT"),
        (ASK_CANADA, "ntriples", "an ASK"),
        (CONSTRUCT_LABELS, "csv", "a CONSTRUCT"),
        (CONSTRUCT_LABELS, "table", "a CONSTRUCT"),
        (f"DESCRIBE {SGD.canada.n3()}", "tsv", "a DESCRIBE"),
    ],
)
def test_a_format_that_does_not_fit_the_form_names_the_option_and_the_form(
    query: str, given: str, form: str
) -> None:
    result = runner.invoke(app, ["query", query, "--format", given])
    assert result.exit_code == 2
    assert f"error: --format {given} does not fit {form} query: give " in result.output
    assert "Traceback" not in result.output
    assert "ask()" not in result.output and "construct()" not in result.output


def test_an_unknown_format_is_refused_with_the_choices() -> None:
    result = runner.invoke(app, ["query", SELECT_HOLDERS, "--format", "pdf"])
    assert result.exit_code == 2
    assert "--format pdf names no format" in result.output
    assert "table, json, xml, csv or tsv" in result.output and "turtle" in result.output


def test_load_into_a_disk_store_then_count(tmp_path: Path) -> None:
    extra = tmp_path / "extra.trig"
    extra.write_text("<urn:g> { <urn:a> <urn:b> <urn:c> . <urn:a> <urn:b> <urn:d> }", encoding="utf-8")
    store_dir = tmp_path / "store"
    result = runner.invoke(app, ["load", str(extra), "--disk-path", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "2 quads" in result.output
    unknown = runner.invoke(app, ["load", str(tmp_path / "notes.txt"), "--disk-path", str(store_dir)])
    assert unknown.exit_code == 2
    assert "notes.txt" in unknown.output


# Fictional N-Quads, large enough that the load is still running when it is interrupted.
INTERRUPTED_QUADS = 300_000
STANCEGRAPH = str(Path(sys.executable).with_name("stancegraph"))
NOTHING_LOADED = "interrupted: nothing of"
ALL_LOADED = "interrupted after the load committed: the store holds the whole of"
REPORTED_LOADED = "interrupted: the files reported loaded are in the store, nothing else"


def _interrupted_load(store_dir: Path, data: Path, ready: Callable[[subprocess.Popen[str]], bool]) -> bool:
    """Run ``stancegraph load``, send SIGINT once ``ready`` says so; whether it says the file is in.

    Checks the exit status (130), that no traceback is printed, and that the command tells
    exactly one outcome.
    """
    command = [STANCEGRAPH, "load", str(data), "--disk-path", str(store_dir)]
    # A suite started in the background of a shell without job control inherits SIGINT ignored,
    # and so would the command (a Python program keeps an ignored SIGINT ignored): with a handler
    # in place here instead, the command starts with the default disposition (exec resets it).
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        loader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    finally:
        signal.signal(signal.SIGINT, inherited)
    try:
        deadline = time.monotonic() + 60
        while not ready(loader):
            assert loader.poll() is None, "the load ended before it could be interrupted"
            assert time.monotonic() < deadline, "the load never got there"
            time.sleep(0.002)
        loader.send_signal(signal.SIGINT)
        stdout, stderr = loader.communicate(timeout=60)
    finally:
        loader.kill()
        loader.communicate()  # also closes its pipes, when the test failed before reading them
    assert loader.returncode == 130, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    told = [message for message in (NOTHING_LOADED, ALL_LOADED, REPORTED_LOADED) if message in stderr]
    assert len(told) == 1, stderr
    if told == [REPORTED_LOADED]:  # the interrupt came after the load was acknowledged
        assert f"loaded {data}" in stdout
    return told != [NOTHING_LOADED]


def _fictional_file(tmp_path: Path) -> Path:
    data = tmp_path / "fictional.nq"
    data.write_bytes(generated_graph(INTERRUPTED_QUADS))
    return data


def test_ctrl_c_during_a_bulk_load_leaves_nothing_or_everything(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    loaded = _interrupted_load(
        store_dir, _fictional_file(tmp_path), lambda _: (store_dir / BULK_LOAD_MARKER).exists()
    )
    with DiskStore(store_dir) as store:
        assert len(store) == (INTERRUPTED_QUADS if loaded else 0)
    assert not (store_dir / BULK_LOAD_MARKER).exists()


def test_ctrl_c_once_a_bulk_load_committed_says_the_file_is_in(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    marker = store_dir / BULK_LOAD_MARKER
    seen: list[bool] = []

    def committed(_: subprocess.Popen[str]) -> bool:
        # The marker goes once the load is flushed, before the command hears it is done.
        seen.append(marker.exists())
        return any(seen) and not seen[-1]

    assert _interrupted_load(store_dir, _fictional_file(tmp_path), committed)
    with DiskStore(store_dir) as store:
        assert len(store) == INTERRUPTED_QUADS


def test_ctrl_c_during_a_transaction_leaves_the_store_as_it_was_or_with_the_file(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    with DiskStore(store_dir) as store:  # a store holding data loads in one transaction
        store.load_dataset(generated_graph(10, "http://example.org/first"), "application/n-quads")

    def loading(loader: subprocess.Popen[str]) -> bool:
        assert loader.stdout is not None
        return bool(select.select([loader.stdout], [], [], 0)[0]) and "loading" in loader.stdout.readline()

    loaded = _interrupted_load(store_dir, _fictional_file(tmp_path), loading)
    with DiskStore(store_dir) as store:
        assert len(store) == 10 + (INTERRUPTED_QUADS if loaded else 0)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("store", ["memory", "disk"])
def test_serve_runs_the_service_on_the_embedded_data(tmp_path: Path, store: str) -> None:
    """The README's `stancegraph serve`, as a real process on loopback, stopped by its handle."""
    port = _free_port()
    command = [str(Path(sys.executable).with_name("stancegraph")), "serve", "--port", str(port)]
    command += ["--store", store, "--disk-path", str(tmp_path / "store")]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(server, base)
        answer = httpx.get(f"{base}/sparql", params={"query": SELECT_HOLDERS}, headers={"Accept": "text/csv"})
        assert answer.text.split() == ["holder", "Analysts", "Donald", "Trump", "Experts"]
        assert httpx.get(f"{base}/stakeholders/canada").json()["label"] == "Canada"
    finally:
        server.terminate()
        server.communicate(timeout=30)  # also closes its output pipe


@pytest.mark.parametrize("module", [query_output, export_report], ids=lambda module: module.__name__)
def test_the_examples_in_the_command_modules_hold(module: ModuleType) -> None:
    failed, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failed == 0
