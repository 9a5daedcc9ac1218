"""The remote store's own limits on each real engine: its row cap read as the answer streams in, its
timeout kept whatever the engine's, and the service's 503/504 while the engine is down or slow,
then its recovery once the engine is back on the same port."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from graph.errors import QueryTimeoutError
from graph.stores.remote import RemoteStore
from graph.stores.streamed import first_lines, first_solutions
from tests.api.support import serve
from tests.graph.conftest import OxigraphServer, generated_graph
from tests.remote.virtuoso import VirtuosoServer

Engine = OxigraphServer | VirtuosoServer
BACK_SECONDS = 90
# 100 triples: 10,000 rows for a product of two patterns, more than the cap by far.
PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
PRODUCT_GRAPH = "CONSTRUCT { ?a ?b ?d } WHERE { ?a ?b ?c . ?d ?e ?f }"
# Minutes of work on 2000 triples (8e9 combinations), on either engine.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(params=["oxigraph", "virtuoso"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "virtuoso":
        yield request.getfixturevalue("virtuoso_server")
        return
    server = OxigraphServer(tmp_path / "oxigraph")
    server.start()
    yield server
    server.stop()


def _store(engine: Engine, **options: object) -> RemoteStore:
    if isinstance(engine, VirtuosoServer):
        return engine.store(**options)
    return RemoteStore(
        engine.query_url,
        update_endpoint=engine.update_url,
        graph_store_endpoint=engine.store_url,
        engine="oxigraph",
        **options,  # type: ignore[arg-type]
    )


def _settings(engine: Engine, **overrides: object) -> Settings:
    if isinstance(engine, VirtuosoServer):
        values = engine.settings()
    else:
        values = {"store": "remote", "remote_engine": "oxigraph", "remote_query_url": engine.query_url}
        values |= {"remote_update_url": engine.update_url, "remote_graph_store_url": engine.store_url}
    return Settings(**(values | overrides))  # type: ignore[arg-type]


def _endless_rows() -> Iterator[bytes]:
    yield b'{"head": {"vars": ["x"]}, "results": {"distinct": false, "bindings": ['
    for row in range(10_000):
        yield b'{"x": {"type": "literal", "value": "%d"}},\n' % row
    raise AssertionError("read past the cap")


def _endless_lines() -> Iterator[bytes]:
    for row in range(10_000):
        yield b'<http://example.org/a> <http://example.org/p> "%d" .\n' % row
    raise AssertionError("read past the cap")


def test_the_first_rows_are_read_and_no_more() -> None:
    assert first_solutions(_endless_rows(), 3).count(b'"type"') == 3
    assert first_lines(_endless_lines(), 3).count(b"\n") == 3


@pytest.mark.parametrize("sparql", [PRODUCT, PRODUCT_GRAPH])
def test_the_row_cap_cuts_a_large_answer(engine: Engine, sparql: str) -> None:
    with _store(engine) as loader:
        loader.load_dataset(generated_graph(100), "application/n-quads")
    with _store(engine, max_rows=5) as store:
        result = store.query(sparql, results_media_type="text/csv", graph_media_type="application/n-triples")
        body = result.read()
    assert result.truncated
    assert len(body.splitlines()) == (6 if sparql == PRODUCT else 5)  # CSV has its header line


def test_the_client_timeout_holds_before_the_engines(engine: Engine) -> None:
    with _store(engine) as loader:
        loader.load_dataset(generated_graph(2000), "application/n-quads")
    # The engine gives up after its own 4 s (the fixtures' setting); the store, after 1 s.
    with _store(engine, read_timeout=1.0) as store, pytest.raises(QueryTimeoutError):
        store.query(ENDLESS)
    with _store(engine) as store:  # the engine works on until its own limit, then serves again
        assert b"true" in store.query("ASK { ?s ?p ?o }", timeout=30).read()


def _status(client: httpx.Client, path: str) -> int:
    return client.get(path, headers={"Accept": "application/json"}).status_code


def test_the_service_says_503_while_the_engine_is_down_and_recovers(engine: Engine) -> None:
    with serve(_settings(engine)) as running, running.client() as client:
        assert _status(client, "/sparql?query=ASK%20%7B%7D") == 200
        engine.stop()
        try:
            down = client.get("/stakeholders")
            assert down.status_code == 503, down.text
            assert "cannot be reached" in down.text
            assert _status(client, "/sparql?query=ASK%20%7B%7D") == 503
        finally:
            engine.start()
        deadline = time.monotonic() + BACK_SECONDS
        while _status(client, "/stakeholders") != 200:
            assert time.monotonic() < deadline, "the service did not recover"
            time.sleep(0.1)
        assert _status(client, "/sparql?query=ASK%20%7B%7D") == 200


def test_the_service_says_504_when_the_engine_is_slow(engine: Engine) -> None:
    with _store(engine) as loader:
        loader.load_dataset(generated_graph(2000), "application/n-quads")
    with serve(_settings(engine, query_timeout=1.0)) as running, running.client() as client:
        slow = client.post("/sparql", data={"query": ENDLESS}, headers={"Accept": "application/json"})
        assert slow.status_code == 504, slow.text
        assert "1 s" in slow.text or "timed out" in slow.text or "time limit" in slow.text
        # Once the engine stops the abandoned query at its own limit, queries are answered again.
        deadline = time.monotonic() + BACK_SECONDS
        while _status(client, "/sparql?query=ASK%20%7B%7D") != 200:
            assert time.monotonic() < deadline, "the service did not recover"
            time.sleep(0.1)
