"""The hostile-input corpus: every case gets its expected status, and nothing else happens.

For each case of :data:`reliability.corpus.CASES`: the status is the one expected (a 4xx,
or 504 for the query that must run into the timeout), the store's quads are exactly what
they were (count and checksum), no connection reaches the loopback listener the input
points at, no line of /etc/passwd comes back, and the service is still up.
"""

from __future__ import annotations

import resource
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.dataset import embedded_nquads
from reliability.corpus import (
    BILLION_LAUGHS,
    BILLION_LAUGHS_VALIDATED,
    BODY_CAP,
    CASES,
    LEAK_MARKER,
    QUERY_TIMEOUT_SECONDS,
    TOKEN,
    ConnectionCounter,
    HostileInput,
    RawResponse,
    explosion_graph,
    raw_request,
    store_fingerprint,
)
from reliability.processes import ServiceProcess

ASK_ANYTHING = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
# Bounds what an input that makes the service allocate without limit can take from the machine.
SERVICE_MEMORY_LIMIT = 6 << 30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (SERVICE_MEMORY_LIMIT, SERVICE_MEMORY_LIMIT))


def corpus_service(workdir: Path) -> ServiceProcess:
    data = workdir / "data.nq"
    data.write_bytes(embedded_nquads() + explosion_graph())
    return ServiceProcess(
        workdir / "service.log",
        preexec=_limit_memory,
        store="memory",
        data=[data],
        write_token=TOKEN,
        max_body_bytes=BODY_CAP,
        query_timeout=QUERY_TIMEOUT_SECONDS,
        union_default_graph=True,  # the embedded data, served as it is without --data
    )


@pytest.fixture(scope="module")
def shared_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    with corpus_service(tmp_path_factory.mktemp("corpus")) as service:
        yield service


def answers_queries(service: ServiceProcess) -> bool:
    if not service.running:
        return False
    response = raw_request("127.0.0.1", service.port, "GET", ASK_ANYTHING)
    return response.status == 200


@pytest.fixture
def service(shared_service: ServiceProcess) -> ServiceProcess:
    """The corpus service, restarted if an earlier case broke it (that case has failed)."""
    if not answers_queries(shared_service):
        shared_service.stop()
        shared_service.start()
    return shared_service


def send(service: ServiceProcess, case: HostileInput, listener: ConnectionCounter) -> RawResponse:
    target, body = case.resolved(listener.url)
    headers = {"Accept": "*/*"}
    if case.content_type:
        headers["Content-Type"] = case.content_type
    if case.write:
        headers["Authorization"] = f"Bearer {TOKEN}"
    return raw_request(
        "127.0.0.1", service.port, case.method, target, headers=headers, body=body, chunked=case.chunked
    )


def assert_refused_without_effect(
    service: ServiceProcess, case: HostileInput, listener: ConnectionCounter
) -> None:
    before = store_fingerprint(service.url)
    connections_before = listener.connections
    response = send(service, case, listener)
    assert response.status in case.expected, (
        f"{case.name}: got {response.status}, expected {sorted(case.expected)}: {response.text[:500]}"
    )
    assert LEAK_MARKER not in response.text
    assert answers_queries(service), f"{case.name} broke the service:\n{service.output()[-3000:]}"
    assert store_fingerprint(service.url) == before, f"{case.name} changed the store"
    assert listener.connections == connections_before, f"{case.name} made the service connect out"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_gets_its_status_and_changes_nothing(
    service: ServiceProcess, listener: ConnectionCounter, case: HostileInput
) -> None:
    assert_refused_without_effect(service, case, listener)


def test_the_service_answers_normally_after_the_corpus(service: ServiceProcess) -> None:
    response = raw_request(
        "127.0.0.1", service.port, "GET", "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
    )
    assert response.status == 200
    assert b"true" in response.body


@pytest.mark.parametrize("case", [BILLION_LAUGHS, BILLION_LAUGHS_VALIDATED], ids=lambda case: case.name)
def test_entity_expansion_is_refused(tmp_path: Path, listener: ConnectionCounter, case: HostileInput) -> None:
    """Billion laughs, each on a service of its own: expanding it would take gigabytes."""
    with corpus_service(tmp_path) as service:
        assert_refused_without_effect(service, case, listener)
