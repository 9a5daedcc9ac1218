"""The second layer of outbound refusal on its own: the embedded stores' engine cannot reach out.

The first layer, the query policy, lives in the HTTP layer (:class:`graph.sparql.policy.QueryPolicy`);
calling a store directly is running with it switched off. Every SERVICE and LOAD below is one
the engine accepts and would follow to the loopback listener; none may reach it, the store
answers an error (SILENT: a result without data), and its quads per graph stay as they were.
Only ``outbound=True``, the path of a request the policy allow-listed, gets through.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.dataset import load_embedded
from graph.errors import GraphError, QuerySyntaxError
from graph.stores.base import Store
from graph.stores.disk import DiskStore
from graph.stores.latest import latest_reads
from graph.stores.memory import MemoryStore
from tests.graph.test_sandbox import Listener

UPDATE_SECONDS = 30  # only bounds a hung update: each refusal takes milliseconds
QUADS_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"

# Queries that must fail: the service cannot be reached.
REFUSED_QUERIES = {
    "service": "SELECT * WHERE {{ {service} }}",
    "service-in-subquery": "SELECT * WHERE {{ {{ SELECT * WHERE {{ {service} }} }} }}",
    "construct": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {service} }}",
    "describe": "DESCRIBE ?s WHERE {{ {service} }}",
}
# Queries whose failed SERVICE is no error: SILENT, and EXISTS (which Oxigraph counts as a match).
ANSWERED_QUERIES = {
    "service-silent": "SELECT * WHERE {{ {silent} }}",
    "service-in-exists": "ASK {{ FILTER EXISTS {{ {service} }} }}",
    "service-in-not-exists": "ASK {{ VALUES ?a {{ 1 }} FILTER NOT EXISTS {{ {service} }} }}",
}
REFUSED_UPDATES = {
    "load": "LOAD <{url}/x.ttl>",
    "load-into": "LOAD <{url}/x.ttl> INTO GRAPH <http://example.org/fictional/loaded>",
}
ANSWERED_UPDATES = {
    "load-silent": "LOAD SILENT <{url}/x.ttl>",
    "insert-where-service-silent": "INSERT {{ ?s ?p ?o }} WHERE {{ {silent} }}",
}
# An update with a timeout is tried on a copy first (memory store): both paths must hold.
UPDATE_TIMEOUTS = pytest.mark.parametrize("timeout", [None, UPDATE_SECONDS], ids=["no-timeout", "timeout"])


@pytest.fixture
def listener() -> Iterator[Listener]:
    counter = Listener()
    yield counter
    counter.close()


@pytest.fixture(params=["memory", "disk", "disk-latest"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store of each embedded kind holding the embedded data set; ``disk-latest`` reads through
    :func:`graph.stores.latest.latest_reads`, so its writer answers the queries."""
    opened: MemoryStore | DiskStore = (
        MemoryStore() if request.param == "memory" else DiskStore(tmp_path / "disk")
    )
    with opened:
        load_embedded(opened)
        yield latest_reads(opened) if request.param == "disk-latest" else opened


def aimed_at(template: str, listener: Listener) -> str:
    """The SPARQL of ``template`` with its SERVICE or LOAD pointed at the listener."""
    service = f"SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }}"
    return template.format(url=listener.url, service=service, silent=service.replace(" ", " SILENT ", 1))


def fingerprint(store: Store) -> tuple[int, bytes]:
    """The quads in all (so in the default graph) and per named graph."""
    return len(store), store.query(QUADS_PER_GRAPH, results_media_type="text/csv").read()


def outcome(action: Callable[[], object]) -> object:
    """What ``action`` returned, or the store error it raised."""
    try:
        return action()
    except GraphError as error:
        return error


def assert_refused(result: object) -> None:
    """A store error, and not one saying the test's own SPARQL does not parse."""
    assert isinstance(result, GraphError) and type(result) is not QuerySyntaxError, repr(result)


@pytest.mark.parametrize("template", REFUSED_QUERIES.values(), ids=REFUSED_QUERIES.keys())
def test_a_query_cannot_reach_out(store: Store, listener: Listener, template: str) -> None:
    before = fingerprint(store)
    result = outcome(lambda: store.query(aimed_at(template, listener)).read())
    assert listener.arrived() == 0, "the engine connected out"
    assert_refused(result)
    assert fingerprint(store) == before


@pytest.mark.parametrize("template", ANSWERED_QUERIES.values(), ids=ANSWERED_QUERIES.keys())
def test_a_query_whose_service_may_fail_answers_without_reaching_out(
    store: Store, listener: Listener, template: str
) -> None:
    before = fingerprint(store)
    body = store.query(aimed_at(template, listener)).read()
    assert listener.arrived() == 0, "the engine connected out"
    answer = json.loads(body)
    assert all(not row for row in answer.get("results", {}).get("bindings", [])), "data from nowhere"
    assert fingerprint(store) == before


@UPDATE_TIMEOUTS
@pytest.mark.parametrize("template", REFUSED_UPDATES.values(), ids=REFUSED_UPDATES.keys())
def test_an_update_cannot_reach_out(
    store: Store, listener: Listener, template: str, timeout: float | None
) -> None:
    before = fingerprint(store)
    result = outcome(lambda: store.update(aimed_at(template, listener), timeout=timeout))
    assert listener.arrived() == 0, "the engine connected out"
    assert_refused(result)
    assert fingerprint(store) == before


@UPDATE_TIMEOUTS
@pytest.mark.parametrize("template", ANSWERED_UPDATES.values(), ids=ANSWERED_UPDATES.keys())
def test_a_silent_update_changes_nothing_and_does_not_reach_out(
    store: Store, listener: Listener, template: str, timeout: float | None
) -> None:
    before = fingerprint(store)
    store.update(aimed_at(template, listener), timeout=timeout)
    assert listener.arrived() == 0, "the engine connected out"
    assert fingerprint(store) == before


def test_an_allow_listed_query_and_update_do_reach_out(store: Store, listener: Listener) -> None:
    """The path of what the policy allowed out: the listener sees the engine come."""
    before = fingerprint(store)
    query = aimed_at(REFUSED_QUERIES["service"], listener)
    outcome(lambda: store.query(query, outbound=True).read())  # the listener hangs up: an error
    after_query = listener.arrived()
    assert after_query >= 1
    outcome(lambda: store.update(aimed_at(REFUSED_UPDATES["load"], listener), outbound=True))
    assert listener.arrived() > after_query
    assert fingerprint(store) == before
