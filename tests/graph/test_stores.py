"""One suite for the three stores (memory, disk, remote against a real Oxigraph server)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from graph.errors import (
    ForbiddenOperationError,
    GraphError,
    NotFoundError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreUnavailableError,
)
from graph.results import select_all
from graph.sparql.uploads import MAX_JSON_LD_DEPTH
from graph.stores import DiskStore, MemoryStore, Store, open_store
from graph.stores.remote import RemoteStore
from reliability.corpus import billion_laughs
from reliability.filesystems import small_filesystem_at
from tests.graph.conftest import engine_bug, store_kind

EX = "http://example.org/"
G1, G2 = f"{EX}graph/one", f"{EX}graph/two"
DATASET = f"""
<{EX}alice> <{EX}name> "Alice"@en <{G1}> .
<{EX}alice> <{EX}knows> <{EX}bob> <{G1}> .
<{EX}bob> <{EX}name> "Bob" <{G2}> .
<{EX}bob> <{EX}age> "42"^^<http://www.w3.org/2001/XMLSchema#integer> <{G2}> .
""".encode()
TIMEOUT = 1.5
ROOT = Path(__file__).resolve().parents[2]


def loaded(store: Store) -> Store:
    store.load_dataset(DATASET, "application/n-quads")
    return store


def select_json(store: Store, sparql: str, **options: object) -> list[dict[str, str]]:
    body = store.query(sparql, **options).read()  # type: ignore[arg-type]
    rows = json.loads(body)["results"]["bindings"]
    return [{name: value["value"] for name, value in row.items()} for row in rows]


def quads(store: Store) -> set[str]:
    """Everything in the store, as N-Triples lines per graph, to compare before and after."""
    lines = {f"{graph} {line}" for graph in store.graph_names() for line in triples_of(store, graph)}
    return lines | {f"default {line}" for line in triples_of(store, None)}


def triples_of(store: Store, graph: str | None) -> set[str]:
    return set(store.get_graph(graph, "application/n-triples").decode().splitlines())


# --- queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "media_type",
    ["application/sparql-results+json", "application/sparql-results+xml", "text/tab-separated-values"],
)
def test_select_in_each_results_format(store: Store, media_type: str) -> None:
    result = loaded(store).query(
        f"SELECT ?name WHERE {{ ?person <{EX}name> ?name }} ORDER BY STR(?name)",
        results_media_type=media_type,
    )
    assert (result.form, result.media_type, result.truncated) == ("SELECT", media_type, False)
    parsed = ox.parse_query_results(result.read(), format=ox.QueryResultsFormat.from_media_type(media_type))
    assert [str(row["name"]) for row in parsed] == ['"Alice"@en', '"Bob"']


def test_select_as_csv(store: Store) -> None:
    body = loaded(store).query(
        f"SELECT ?name WHERE {{ ?person <{EX}name> ?name }} ORDER BY STR(?name)",
        results_media_type="text/csv",
    )
    assert list(csv.reader(io.StringIO(body.read().decode()))) == [["name"], ["Alice"], ["Bob"]]


def test_queries_asked_together_answer_each_in_order(store: Store) -> None:
    loaded(store)
    names = [f"SELECT ?name WHERE {{ <{EX}{who}> <{EX}name> ?name }}" for who in ("bob", "alice", "nobody")]
    answers = select_all(store, [*names, "SELECT (42 AS ?answer) WHERE {}"])
    assert [[str(row.get("name", row.get("answer"))) for row in rows] for rows in answers] == [
        ["Bob"],
        ["Alice"],
        [],
        ["42"],
    ]
    with pytest.raises(QuerySyntaxError):
        select_all(store, [names[0], "SELECT WHERE nonsense"])
    assert select_all(store, names[:1]) == answers[:1]  # a failed batch leaves the store answering


@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask(store: Store, media_type: str) -> None:
    loaded(store)
    for sparql, answer in [
        (f"ASK {{ <{EX}alice> <{EX}knows> <{EX}bob> }}", True),
        ("ASK { <x:no> ?p ?o }", False),
    ]:
        result = store.query(sparql, results_media_type=media_type)
        assert result.form == "ASK"
        parsed = ox.parse_query_results(
            result.read(), format=ox.QueryResultsFormat.from_media_type(media_type)
        )
        assert bool(parsed) is answer


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
    ],
)
def test_construct_in_each_graph_format(store: Store, media_type: str, rdflib_format: str) -> None:
    result = loaded(store).query(f"CONSTRUCT WHERE {{ <{EX}bob> ?p ?o }}", graph_media_type=media_type)
    assert (result.form, result.media_type) == ("CONSTRUCT", media_type)
    graph = Dataset() if rdflib_format in ("nquads", "trig") else Graph()
    graph.parse(data=result.read(), format=rdflib_format)
    assert (URIRef(f"{EX}bob"), URIRef(f"{EX}age"), Literal(42)) in set(graph.triples((None, None, None)))
    assert len(set(graph.triples((None, None, None)))) == 2


def test_describe(store: Store) -> None:
    result = loaded(store).query(f"DESCRIBE <{EX}alice>", graph_media_type="application/n-triples")
    assert result.form == "DESCRIBE"
    assert f"<{EX}alice> <{EX}knows> <{EX}bob> .".encode() in result.read()


def test_bindings_are_rdf_terms(store: Store) -> None:
    loaded(store)
    # pyoxigraph substitutes only variables the query projects.
    sparql = "SELECT ?person ?value WHERE { ?person ?property ?value }"
    by_literal = select_json(store, sparql, bindings={"value": Literal("Alice", lang="en")})
    assert by_literal == [{"person": f"{EX}alice", "value": "Alice"}]
    # A term that would break the query if it were pasted as text is just a literal.
    assert select_json(store, sparql, bindings={"value": Literal('x" } UNION { ?person ?p ?o')}) == []
    by_iri = select_json(
        store, "SELECT ?who ?name WHERE { ?who ?p ?name }", bindings={"who": URIRef(f"{EX}bob")}
    )
    assert {row["name"] for row in by_iri} == {"Bob", "42"}


def test_default_graph_is_the_union_unless_graphs_are_given(store: Store) -> None:
    loaded(store)
    sparql = "SELECT ?s WHERE { ?s ?p ?o }"
    assert {row["s"] for row in select_json(store, sparql)} == {f"{EX}alice", f"{EX}bob"}
    assert {row["s"] for row in select_json(store, sparql, default_graphs=[G2])} == {f"{EX}bob"}
    named = select_json(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[G1])
    assert named == [{"g": G1}]
    # Only named graphs given: the default graph is empty (SPARQL Protocol).
    assert select_json(store, sparql, named_graphs=[G1]) == []


def test_syntax_error_has_line_and_column(store: Store, request: pytest.FixtureRequest) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT ?s\nWHERE { ?s ?p }")
    assert caught.value.line == 2
    if store_kind(request) != "remote-virtuoso":  # Virtuoso's messages name the line only
        assert caught.value.column is not None


# --- writes -----------------------------------------------------------------------------------


def test_update_is_seen_by_the_next_query(store: Store) -> None:
    for number in range(3):
        store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}counter> <{EX}value> {number} }} }}")
        assert len(select_json(store, f"SELECT ?v WHERE {{ <{EX}counter> <{EX}value> ?v }}")) == number + 1
    assert len(store) == 3


def test_graph_store_operations(store: Store) -> None:
    turtle = f"@prefix ex: <{EX}> . ex:a ex:p ex:b .".encode()
    assert store.put_graph(G1, turtle, "text/turtle") is True
    assert store.put_graph(G1, f"<{EX}c> <{EX}p> <{EX}d> .".encode(), "application/n-triples") is False
    assert triples_of(store, G1) == {f"<{EX}c> <{EX}p> <{EX}d> ."}
    assert store.post_graph(G1, turtle, "text/turtle") is False
    assert store.post_graph(G2, turtle, "text/turtle") is True
    assert len(triples_of(store, G1)) == 2
    assert sorted(store.graph_names()) == [G1, G2]
    assert store.has_graph(G1) and store.has_graph(None) and not store.has_graph(f"{EX}graph/none")
    store.delete_graph(G1)
    assert not store.has_graph(G1)
    with pytest.raises(NotFoundError):
        store.delete_graph(G1)
    with pytest.raises(NotFoundError):
        store.get_graph(G1, "text/turtle")
    assert len(Graph().parse(data=store.get_graph(G2, "text/turtle"), format="turtle")) == 1


def test_default_graph_upload(store: Store, request: pytest.FixtureRequest) -> None:
    engine_bug(
        request,
        "remote-virtuoso",
        "Virtuoso keeps every triple in a named graph: its Graph Store endpoint refuses ?default "
        "and INSERT DATA without GRAPH fails (SP031), so the store refuses with a clear 400",
        raises=ForbiddenOperationError,
    )
    store.put_graph(None, f"@prefix ex: <{EX}> . ex:a ex:p ex:b .".encode(), "text/turtle")
    assert triples_of(store, None) >= {f"<{EX}a> <{EX}p> <{EX}b> ."}


def test_failed_updates_change_nothing(store: Store, request: pytest.FixtureRequest) -> None:
    engine_bug(
        request,
        "remote-virtuoso",
        "Virtuoso 7.2 applies the operations of one update request one by one: a failing one "
        "leaves the earlier ones applied (no rollback), and CREATE GRAPH of a graph that exists "
        "does not fail",
    )
    loaded(store)
    before = quads(store)
    with pytest.raises(QuerySyntaxError):
        store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}x> <{EX}y> <{EX}z> }} }} ; INSERT DATA {{ oops")
    with pytest.raises(GraphError):  # each store words "the graph already exists" its own way
        store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}x> <{EX}y> <{EX}z> }} }} ; CREATE GRAPH <{G2}>")
    assert quads(store) == before


def test_failed_upload_changes_nothing(store: Store) -> None:
    loaded(store)
    before = quads(store)
    broken = f'<{EX}a> <{EX}p> <{EX}b> .\n<{EX}a> <{EX}p> "unterminated .\n'.encode()
    with pytest.raises(QuerySyntaxError) as caught:
        store.put_graph(G1, broken, "text/turtle")
    assert caught.value.line == 2
    with pytest.raises(QuerySyntaxError):
        store.post_graph(G2, broken, "application/n-triples")
    with pytest.raises(QuerySyntaxError):
        store.load_dataset(broken, "application/n-quads")
    assert quads(store) == before


def nested_json_ld(depth: int) -> bytes:
    return f'{{"@id": "{EX}a", "{EX}p": {"[" * depth}1{"]" * depth}}}'.encode()


@pytest.mark.parametrize(
    ("data", "media_type", "refusal"),
    [
        (billion_laughs(), "application/rdf+xml", "entit"),
        (nested_json_ld(MAX_JSON_LD_DEPTH + 1), "application/ld+json", "nested deeper"),
    ],
    ids=["billion-laughs", "deep-json-ld"],
)
def test_load_refuses_what_no_parser_may_see(
    store: Store, data: bytes, media_type: str, refusal: str
) -> None:
    # Refused before any parser sees it, both by the bulk load (empty store) and by the transaction.
    with pytest.raises(QuerySyntaxError, match=refusal):
        store.load_dataset(data, media_type)
    assert len(store) == 0
    before = quads(loaded(store))
    with pytest.raises(QuerySyntaxError, match=refusal):
        store.load_dataset(data, media_type)
    assert quads(store) == before


# --- limits -----------------------------------------------------------------------------------


def test_row_cap_cuts_and_says_so(store_factory: Callable[..., Store]) -> None:
    store = loaded(store_factory(max_rows=2))
    result = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert result.truncated
    assert len(json.loads(result.read())["results"]["bindings"]) == 2
    whole = store.query(f"SELECT ?o WHERE {{ <{EX}alice> <{EX}name> ?o }}", results_media_type="text/csv")
    assert not whole.truncated
    assert whole.read().decode().splitlines() == ["o", "Alice"]
    graph = store.query("CONSTRUCT WHERE { ?s ?p ?o }", graph_media_type="text/turtle")
    assert graph.truncated
    assert len(Graph().parse(data=graph.read(), format="turtle")) == 2


def _cpu_seconds(root: psutil.Process) -> float:
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def _becomes_idle(root: psutil.Process, within: float) -> bool:
    """Whether the process tree spends (almost) no CPU over some half second before ``within`` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        before = _cpu_seconds(root)
        time.sleep(0.5)
        if _cpu_seconds(root) - before < 0.1:
            return True
    return False


def _wait_until_busy(root: psutil.Process, since: float, within: float = 10) -> None:
    """Until the process tree has used a fifth of a CPU second more than ``since``: the work is under way."""
    deadline = time.monotonic() + within
    while _cpu_seconds(root) < since + 0.2:
        assert time.monotonic() < deadline, "the work never got under way"
        time.sleep(0.01)


def _process_doing_the_work(store: Store, request: pytest.FixtureRequest) -> psutil.Process:
    if isinstance(store, RemoteStore):
        virtuoso = store_kind(request) == "remote-virtuoso"
        server = request.getfixturevalue("virtuoso_server" if virtuoso else "oxigraph_server")
        assert server.process is not None
        return psutil.Process(server.process.pid)
    assert isinstance(store, MemoryStore | DiskStore)
    return psutil.Process(store.engine_pid)


def test_timeout_stops_the_work_while_others_are_served(
    store: Store, request: pytest.FixtureRequest, large_graph: bytes, cartesian_query: str
) -> None:
    virtuoso = store_kind(request) == "remote-virtuoso"
    if virtuoso:
        # Virtuoso's work goes on past its time limit (below): on a server of the test's own, it
        # cannot slow the tests that come after this one on the session's server.
        server = request.getfixturevalue("own_virtuoso")
        store = server.store()
        request.addfinalizer(store.close)
        assert server.process is not None
        worker = psutil.Process(server.process.pid)
    else:
        worker = _process_doing_the_work(store, request)
    store.load_dataset(large_graph, "application/n-quads")
    slow_finished = threading.Event()
    outcome: list[BaseException] = []

    def run_slow_query() -> None:
        try:
            store.query(cartesian_query, timeout=TIMEOUT).read()
        except QueryTimeoutError as error:
            outcome.append(error)
        finally:
            slow_finished.set()

    slow = threading.Thread(target=run_slow_query)
    idle = _cpu_seconds(worker)
    slow.start()
    _wait_until_busy(worker, since=idle)
    answer = store.query("ASK { ?s ?p ?o }").read()
    assert not slow_finished.is_set(), "the quick query had to wait for the slow one"
    assert b"true" in answer
    slow.join(60)
    assert outcome and isinstance(outcome[0], QueryTimeoutError)
    if not virtuoso:
        # Embedded stores kill the worker before answering; the Oxigraph server stops at its own
        # timeout. Virtuoso answers SR171 at its MaxQueryExecutionTime (4 s here) but goes on with
        # this cross product for 8 s and more (measured 2026-12-04); nothing from here stops it.
        assert _becomes_idle(_process_doing_the_work(store, request), within=10)
    assert b"true" in store.query("ASK { ?s ?p ?o }").read()


@pytest.mark.parametrize("store_factory", ["memory", "disk"], indirect=True)
def test_update_timeout_changes_nothing(store: Store, large_graph: bytes) -> None:
    store.load_dataset(large_graph, "application/n-quads")
    before = len(store)
    # An update's WHERE reads the real default graph (no union): name the graphs.
    slow_count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?x { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } }"
    with pytest.raises(QueryTimeoutError):
        store.update(
            f"INSERT {{ GRAPH <{G1}> {{ <{EX}total> <{EX}count> ?n }} }} WHERE {{ {{ {slow_count} }} }}",
            timeout=TIMEOUT,
        )
    assert len(store) == before
    store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}after> <{EX}p> 1 }} }}", timeout=TIMEOUT)
    assert len(store) == before + 1


# --- lifecycle ----------------------------------------------------------------------------------


@pytest.mark.parametrize("store_factory", ["memory", "disk"], indirect=True)
def test_close_leaves_no_process(store: Store) -> None:
    assert isinstance(store, MemoryStore | DiskStore)
    store.query("ASK {}").read()
    engine = psutil.Process(store.engine_pid)
    family = [engine, *engine.children(recursive=True)]
    assert len(family) >= 2
    store.close()
    _, alive = psutil.wait_procs(family, timeout=10)
    assert alive == []
    with pytest.raises(StoreUnavailableError):
        store.query("ASK {}")


def test_disk_reopens_without_reloading(tmp_path: Path) -> None:
    with DiskStore(tmp_path / "db") as store:
        assert store.load_if_empty(DATASET, "application/n-quads") is True
        store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}later> <{EX}p> 1 }} }}")
    with DiskStore(tmp_path / "db") as store:
        assert store.load_if_empty(DATASET, "application/n-quads") is False
        assert len(store) == 5


def test_disk_one_process_at_a_time(tmp_path: Path) -> None:
    with DiskStore(tmp_path / "db"), pytest.raises(StoreUnavailableError, match="cannot open"):
        DiskStore(tmp_path / "db")


# Run in a process of its own: where mount is not permitted, the read-only filesystem is a
# directory the process may not write, which needs an unprivileged user (see reliability.filesystems).
_READ_ONLY_SCRIPT = """
import json, sys
from graph.errors import StoreUnavailableError
from graph.stores.disk import DiskStore

triple = b"<http://example.org/x> <http://example.org/p> 1 ."
writes = [
    lambda store: store.update("INSERT DATA { <http://example.org/x> <http://example.org/p> 1 }"),
    lambda store: store.put_graph(sys.argv[2], triple, "text/turtle"),
    lambda store: store.post_graph(None, triple, "text/turtle"),
    lambda store: store.delete_graph(sys.argv[2]),
    lambda store: store.load_dataset(triple, "text/turtle"),
]
with DiskStore(sys.argv[1], union_default_graph=False) as store:
    refusals = []
    for write in writes:
        try:
            write(store)
            refusals.append(None)
        except StoreUnavailableError as error:
            refusals.append(str(error))
    rows = store.query(sys.argv[3], results_media_type="text/tab-separated-values").read().decode()
    print(json.dumps({"rows": rows, "refusals": refusals}))
"""
_ALL_QUADS = "SELECT * WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"


def test_disk_on_a_read_only_filesystem_serves_reads_and_refuses_writes(tmp_path: Path) -> None:
    with small_filesystem_at(tmp_path / "filesystem", 16 << 20) as filesystem:
        path = filesystem.path / "db"
        with DiskStore(path, union_default_graph=False) as store:
            loaded(store)
            store.update(f"INSERT DATA {{ <{EX}in> <{EX}default> <{EX}graph> }}")
            before = store.query(_ALL_QUADS, results_media_type="text/tab-separated-values").read().decode()
        filesystem.set_read_only(True)
        try:
            child = subprocess.run(
                [sys.executable, "-c", _READ_ONLY_SCRIPT, str(path), G1, _ALL_QUADS],
                capture_output=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                cwd=ROOT,
                preexec_fn=filesystem.preexec(),
                timeout=120,
                check=False,
            )
        finally:
            filesystem.set_read_only(False)
        assert child.returncode == 0, child.stderr.decode()
        outcome = json.loads(child.stdout)
        assert outcome["rows"] == before
        for refusal in outcome["refusals"]:
            assert refusal is not None, "a write went through on a read-only store"
            assert f"the disk store at {path} is read-only" in refusal and "writes are off" in refusal
        with DiskStore(path, union_default_graph=False) as store:  # writable again, and untouched
            after = store.query(_ALL_QUADS, results_media_type="text/tab-separated-values").read().decode()
            assert after == before
            store.update(f"INSERT DATA {{ <{EX}later> <{EX}p> 1 }}")


_WRITER_SCRIPT = """
import sys
from graph.stores.disk import DiskStore

store = DiskStore(sys.argv[1])
for number in range(1_000_000):
    store.update(
        f"INSERT DATA {{ GRAPH <http://example.org/log> {{ "
        f"<http://example.org/w{number}> <http://example.org/first> {number} . "
        f"<http://example.org/w{number}> <http://example.org/second> {number} }} }}"
    )
    print(number, flush=True)
"""


def test_disk_keeps_every_acknowledged_write_after_kill_9(tmp_path: Path) -> None:
    path = tmp_path / "db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER_SCRIPT, str(path)], stdout=subprocess.PIPE, env=env, cwd=ROOT
    )
    assert writer.stdout is not None
    acknowledged: list[int] = []
    deadline = time.monotonic() + 60
    while len(acknowledged) < 25 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        acknowledged.append(int(line))
    # kill -9 the service and its engine, writer and readers, mid-stream.
    family = [psutil.Process(writer.pid), *psutil.Process(writer.pid).children(recursive=True)]
    for process in family:
        with contextlib.suppress(psutil.NoSuchProcess):  # a reader that ended on its own since
            process.kill()
    psutil.wait_procs(family, timeout=10)
    acknowledged += [int(line) for line in writer.stdout.read().split()]
    writer.communicate(timeout=10)  # also closes its output pipe
    assert len(acknowledged) >= 25

    with DiskStore(path) as store:
        rows = select_json(
            store,
            "SELECT ?first ?second WHERE { ?w <http://example.org/first> ?first "
            "OPTIONAL { ?w <http://example.org/second> ?second } }",
        )
    firsts = {int(row["first"]) for row in rows}
    assert set(acknowledged) <= firsts
    assert all(row.get("second") == row["first"] for row in rows), "a write was applied only in part"


def test_remote_unavailable_then_recovers(oxigraph_server: Any) -> None:
    store = RemoteStore(oxigraph_server.query_url, update_endpoint=oxigraph_server.update_url)
    try:
        store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}a> <{EX}p> <{EX}b> }} }}")
        oxigraph_server.stop()
        with pytest.raises(StoreUnavailableError, match=oxigraph_server.query_url):
            store.query("ASK { ?s ?p ?o }")
        oxigraph_server.start()
        assert b"true" in store.query("ASK { ?s ?p ?o }").read()
    finally:
        store.close()


def test_open_store_needs_what_the_kind_needs() -> None:
    with pytest.raises(ValueError, match="path"):
        open_store("disk")
    with pytest.raises(ValueError, match="endpoint"):
        open_store("remote")
    with pytest.raises(ValueError, match="unknown"):
        open_store("cloud")  # type: ignore[arg-type]
