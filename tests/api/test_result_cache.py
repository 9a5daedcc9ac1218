"""The result cache over HTTP: answers kept until the store is written to, and served byte for byte.

Real services on loopback (:mod:`tests.api.support`) on the fictional sample data or the embedded
data, and a real Oxigraph server for the remote store. No answer may outlive a write: each kind
of write is followed by the read it changes, on the memory and the disk store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from api.settings import Settings
from graph.coding.coders import token_hash
from tests.api.support import TOKEN, RunningService, sample_settings, serve
from tests.graph.conftest import OxigraphServer

GRAPH = "urn:cache-test:g"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
# Some seconds of counting: eight joined copies of the sample's named graphs (4 quads) and its
# default graph (3 triples), 4^8 * 3 rows.
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o "
    + " ".join(f"GRAPH ?g{i} {{ ?s{i} ?p{i} ?o{i} }}" for i in range(8))
    + " }"
)
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
BOUND_SECONDS = 60.0
# Headers the server (not the app) writes, and the one telling a hit from a miss.
_NOT_COMPARED = {"date", "x-cache"}


def sparql(client: httpx.Client, query: str, accept: str = "text/csv", **headers: str) -> httpx.Response:
    return client.get("/sparql", params={"query": query}, headers={"Accept": accept, **headers})


def count(client: httpx.Client) -> tuple[int, str]:
    response = sparql(client, COUNT)
    assert response.status_code == 200, response.text
    return int(response.text.split()[-1]), response.headers["x-cache"]


def assert_same_answer(miss: httpx.Response, hit: httpx.Response) -> None:
    assert (miss.headers["x-cache"], hit.headers["x-cache"]) == ("miss", "hit")
    assert (hit.status_code, hit.content) == (miss.status_code, miss.content)
    kept = [(name, value) for name, value in miss.headers.multi_items() if name not in _NOT_COMPARED]
    assert [(name, value) for name, value in hit.headers.multi_items() if name not in _NOT_COMPARED] == kept


def counts(client: httpx.Client) -> dict[str, int]:
    response = client.get("/cache")
    assert response.status_code == 200, response.text
    body: dict[str, int] = response.json()
    return body


@pytest.fixture(params=["memory", "disk"])
def writable_store(
    request: pytest.FixtureRequest, data_file: Path, tmp_path: Path
) -> Iterator[RunningService]:
    """A fresh service of each embedded store on the sample data, accepting writes with TOKEN."""
    settings = sample_settings(
        data_file, store=request.param, disk_path=tmp_path / "store", write_token=TOKEN
    )
    with serve(settings) as running:
        yield running


def _update(client: httpx.Client, auth: dict[str, str]) -> httpx.Response:
    insert = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:a> <urn:p> "fictional" }} }}'
    return client.post("/update", data={"update": insert}, headers=auth)


def _turtle(triples: int) -> bytes:
    return "".join(f'<urn:s{i}> <urn:p> "fictional {i}" .\n' for i in range(triples)).encode()


def _put(client: httpx.Client, auth: dict[str, str]) -> httpx.Response:
    headers = {**auth, "Content-Type": "text/turtle"}
    return client.put("/store", params={"graph": GRAPH}, content=_turtle(2), headers=headers)


def _post(client: httpx.Client, auth: dict[str, str]) -> httpx.Response:
    headers = {**auth, "Content-Type": "text/turtle"}
    return client.post(
        "/store", params={"graph": GRAPH}, content=b'<urn:t> <urn:p> "fictional" .', headers=headers
    )


def _delete(client: httpx.Client, auth: dict[str, str]) -> httpx.Response:
    return client.delete("/store", params={"graph": GRAPH}, headers=auth)


# Each write, and the number of triples the graph holds after it.
WRITES: list[tuple[Callable[[httpx.Client, dict[str, str]], httpx.Response], int]] = [
    (_update, 1),
    (_put, 2),
    (_post, 3),
    (_delete, 0),
]


def test_every_kind_of_write_drops_the_answers_it_changes(
    writable_store: RunningService, auth: dict[str, str]
) -> None:
    with writable_store.client() as client:
        assert count(client) == (0, "miss")
        assert count(client) == (0, "hit")
        for _ in range(2):  # a 404: errors are never kept
            missing = client.get("/store", params={"graph": GRAPH})
            assert (missing.status_code, missing.headers["x-cache"]) == (404, "miss")
        for write, triples in WRITES:
            written = write(client, auth)
            assert written.status_code in (200, 201, 204), (write.__name__, written.text)
            assert count(client) == (triples, "miss"), write.__name__
            assert count(client) == (triples, "hit"), write.__name__
        assert counts(client)["entries"] == 1  # the answers of older generations are gone


def test_an_answer_worked_out_while_a_write_landed_is_not_kept(
    writable_store: RunningService, auth: dict[str, str]
) -> None:
    outcome: dict[str, httpx.Response] = {}
    with writable_store.client() as client:
        # A disk store starts its writer at the first write, once the reads then running end.
        assert _update(client, auth).status_code == 204
        misses = counts(client)["misses"]
        slow = threading.Thread(target=lambda: outcome.update(slow=sparql(client, SLOW)))
        slow.start()
        deadline = time.monotonic() + BOUND_SECONDS
        while counts(client)["misses"] == misses:  # the slow read has read the generation
            assert time.monotonic() < deadline, "the slow read never reached the cache"
            time.sleep(0.01)
        assert _update(client, auth).status_code == 204
        written_while_running = slow.is_alive()
        slow.join(BOUND_SECONDS)
        assert outcome["slow"].status_code == 200, outcome["slow"].text
        if not written_while_running:
            pytest.skip("the slow read ended before the write did: nothing to show")
        # Not even under its own generation, which no request has moved the cache past yet.
        assert counts(client)["entries"] == 0


def test_a_remote_store_is_not_cached_unless_configured(tmp_path: Path) -> None:
    engine = OxigraphServer(tmp_path / "oxigraph")
    engine.start()
    try:
        remote: dict[str, Any] = {
            "store": "remote",
            "remote_query_url": engine.query_url,
            "remote_update_url": engine.update_url,
        }
        with serve(Settings(**remote)) as service, service.client() as client:
            first = sparql(client, COUNT)
            assert first.status_code == 200, first.text
            assert "x-cache" not in first.headers
            other_client = httpx.post(
                engine.update_url,
                data={"update": f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:a> <urn:p> "fictional" }} }}'},
            )
            assert other_client.status_code == 204, other_client.text
            assert sparql(client, COUNT).text.split()[-1] == "1"  # a write the service never saw
            assert counts(client) == {
                "enabled": False,
                "hits": 0,
                "misses": 0,
                "evictions": 0,
                "entries": 0,
                "bytes": 0,
                "max_bytes": 0,
            }
        with serve(Settings(**remote, result_cache=True)) as service, service.client() as client:
            assert count(client) == (1, "miss")
            assert count(client) == (1, "hit")
    finally:
        engine.stop()


def test_stancegraph_result_cache_0_turns_it_off(data_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCEGRAPH_RESULT_CACHE", "0")
    with serve(sample_settings(data_file)) as service, service.client() as client:
        for _ in range(2):
            response = sparql(client, COUNT)
            assert response.status_code == 200 and "x-cache" not in response.headers
        assert counts(client)["enabled"] is False


@pytest.fixture(scope="module")
def golden_dome() -> Iterator[httpx.Client]:
    """A client of a service of its own on the embedded data, so each first request is a miss."""
    with serve(Settings(store="memory")) as running, running.client() as client:
        yield client


POSITIONS = (
    "PREFIX sp: <https://w3id.org/stancegraph/ontology#> "
    "SELECT ?position ?value WHERE { ?position sp:stanceValue ?value } ORDER BY ?position LIMIT 20"
)
DESCRIBE = "DESCRIBE <https://w3id.org/stancegraph/id/canada>"
READS: list[tuple[str, str, dict[str, Any]]] = [
    *[
        ("GET", "/sparql", {"params": {"query": POSITIONS}, "headers": {"Accept": accept}})
        for accept in (
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        )
    ],
    *[
        ("GET", "/sparql", {"params": {"query": DESCRIBE, "format": name}})
        for name in ("turtle", "ntriples", "jsonld", "rdfxml")
    ],
    ("POST", "/sparql", {"data": {"query": POSITIONS}, "headers": {"Accept": "text/csv"}}),
    ("POST", "/sparql", {"content": POSITIONS, "headers": {"Content-Type": "application/sparql-query"}}),
    ("GET", "/queries/positions-per-stakeholder", {}),
    ("GET", "/queries/positions-per-stakeholder", {"params": {"format": "csv"}}),  # streamed
    ("GET", "/stakeholders/canada", {}),
    ("GET", "/stakeholders/canada", {"headers": {"Accept": "application/ld+json"}}),
    ("GET", "/positions", {"params": {"limit": 5}}),
    ("GET", "/subgraph", {"params": {"focus": "canada", "depth": 2, "format": "turtle"}}),
    ("GET", "/network/congruence", {"params": {"format": "graphml"}}),
]


@pytest.mark.parametrize(("method", "path", "request_options"), READS)
def test_a_hit_is_the_miss_byte_for_byte(
    golden_dome: httpx.Client, method: str, path: str, request_options: dict[str, Any]
) -> None:
    miss = golden_dome.request(method, path, **request_options)
    assert miss.status_code == 200, miss.text
    hit = golden_dome.request(method, path, **request_options)
    assert_same_answer(miss, hit)


def test_the_bound_pushes_out_the_least_recently_used(data_file: Path) -> None:
    with (
        serve(sample_settings(data_file, result_cache_bytes=16 * 1024)) as service,
        service.client() as client,
    ):
        queries = [f'SELECT ?text WHERE {{ BIND("{"fictional " * 200}{i}" AS ?text) }}' for i in range(12)]
        for query in queries:
            assert sparql(client, query).headers["x-cache"] == "miss"
        held = counts(client)
        assert held["evictions"] > 0 and held["bytes"] <= 16 * 1024
        assert sparql(client, queries[-1]).headers["x-cache"] == "hit"
        assert sparql(client, queries[0]).headers["x-cache"] == "miss"
        big = f'SELECT ?text WHERE {{ BIND("{"x" * 9000}" AS ?text) }}'  # past half the bound
        first, again = sparql(client, big), sparql(client, big)
        assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "miss")
        assert again.content == first.content and len(first.content) > 9000


@pytest.fixture(scope="module")
def two_coders(data_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    coders = tmp_path_factory.mktemp("coders") / "coders.yaml"
    coders.write_text(
        "# A fictional coders file, for the tests.\ncoders:\n"
        f"  - name: ana\n    role: reader\n    token_sha256: {token_hash('ana-token-fictional')}\n"
        f"  - name: rui\n    role: reader\n    token_sha256: {token_hash('rui-token-fictional')}\n",
        encoding="utf-8",
    )
    with serve(sample_settings(data_file, coders_file=coders, read_access="coders")) as running:
        yield running


def test_different_authorizations_never_share_an_answer(two_coders: RunningService) -> None:
    ana = {"Authorization": "Bearer ana-token-fictional"}
    rui = {"Authorization": "Bearer rui-token-fictional"}
    with two_coders.client() as client:
        assert sparql(client, COUNT, **ana).headers["x-cache"] == "miss"
        assert sparql(client, COUNT, **ana).headers["x-cache"] == "hit"
        assert sparql(client, COUNT, **rui).headers["x-cache"] == "miss"
        for _ in range(2):  # a refusal is never kept, and no one's answer is given without a token
            refused = sparql(client, COUNT)
            assert (refused.status_code, refused.headers["x-cache"]) == (401, "miss")
            wrong = sparql(client, COUNT, Authorization="Bearer not-a-coder")
            assert (wrong.status_code, wrong.headers["x-cache"]) == (401, "miss")


@pytest.fixture(scope="module")
def big_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.ttl"
    lines = (f"<http://example.org/s{i}> <http://example.org/p{i % 7}> {i} .\n" for i in range(3000))
    path.write_text("# Fictional triples, for the tests.\n" + "".join(lines), encoding="utf-8")
    return path


def test_timeouts_and_memory_limits_still_answer_with_the_cache_on(big_data: Path) -> None:
    huge = (
        "SELECT ?n WHERE { BIND('xxxxxxxxxxxxxxxx' AS ?a0) "
        + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(40))
        + " BIND(STRLEN(?a40) AS ?n) }"
    )
    settings = sample_settings(big_data, query_timeout=2.0, query_memory_limit="256MiB")
    with serve(settings) as service, httpx.Client(base_url=service.url, timeout=BOUND_SECONDS) as client:
        for _ in range(2):
            timed_out = sparql(client, CARTESIAN)
            assert (timed_out.status_code, timed_out.json()["error"]) == (504, "timeout")
            too_big = sparql(client, huge)
            assert (too_big.status_code, too_big.json()["error"]) == (503, "memory-limit")
        assert counts(client)["entries"] == 0


CODED_TEXT = (Path(__file__).parents[1] / "data" / "sources" / "cache-fictional.txt").read_text(
    encoding="utf-8"
)
CODED_DOC = "fictional-ostrava-dale"
LEVY = "strongly supports the lantern levy"


COUNCIL = {"id": "ostrava-dale-council", "label": "Ostrava Dale council", "type": "GovernmentBody"}


@pytest.fixture(params=["memory", "disk"])
def coding_service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningService]:
    """The embedded data on each embedded store, with a fictional document and its entities added."""
    settings = Settings(store=request.param, disk_path=tmp_path / "store", write_token=SecretStr(TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    document = {"document": {"slug": CODED_DOC, "title": "Ostrava Dale (fictional)"}, "text": CODED_TEXT}
    with serve(settings) as running, running.client() as client:
        made = client.post("/documents", json=document, headers=auth)
        assert made.status_code == 201, made.text
        for section, item in (
            ("stakeholders", COUNCIL),
            ("threats", {"id": "lantern-levy", "label": "Levy"}),
        ):
            entity = {"section": section, "document": CODED_DOC, **item}
            answer = client.post("/entities", json=entity, headers=auth)
            assert answer.status_code == 201, answer.text
        yield running


def test_the_coding_api_drops_the_answers_it_changes(
    coding_service: RunningService, auth: dict[str, str]
) -> None:
    def holder_card(client: httpx.Client) -> tuple[list[tuple[str, str]], str]:
        card = client.get("/stakeholders/ostrava-dale-council")
        assert card.status_code == 200, card.text
        return [(p["id"], p["stance"]) for p in card.json()["positions"]], card.headers["x-cache"]

    position = {
        "id": "council-supports-levy",
        "holder": "ostrava-dale-council",
        "target": "lantern-levy",
        "stance": "supports",
        "attribution": "direct",
        "reason": "coded in a test",
        "evidence": [{"quote": LEVY, "start": CODED_TEXT.index(LEVY)}],
    }
    with coding_service.client() as client:
        assert holder_card(client) == ([], "miss")
        assert holder_card(client) == ([], "hit")
        created = client.post(f"/documents/{CODED_DOC}/positions", json=position, headers=auth)
        assert created.status_code == 201, created.text
        assert holder_card(client) == ([("council-supports-levy", "supports")], "miss")
        assert holder_card(client) == ([("council-supports-levy", "supports")], "hit")
        edited = client.put(
            "/positions/council-supports-levy",
            json={**position, "stance": "considers", "replaces": 1},
            headers=auth,
        )
        assert edited.status_code == 200, edited.text
        assert holder_card(client) == ([("council-supports-levy", "considers")], "miss")
        retracted = client.delete(
            "/positions/council-supports-levy", params={"reason": "withdrawn in a test"}, headers=auth
        )
        assert retracted.status_code in (200, 204), retracted.text
        assert holder_card(client) == ([], "miss")
