"""Shared fixtures: stores of every kind, a real Oxigraph server, a graph large enough to be slow.

``store`` runs a test once per kind (memory, disk, remote, remote-virtuoso); ``remote`` talks
to an ``oxigraph serve`` process started for the test on a free loopback port,
``remote-virtuoso`` to one Virtuoso server per test session (and xdist worker), emptied
before each test (:mod:`tests.remote.virtuoso`).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.stores import Store, open_store
from tests.remote.virtuoso import VirtuosoServer

STORE_KINDS = ["memory", "disk", "remote", "remote-virtuoso"]
SERVER_START_SECONDS = 20
# The server's own query timeout: what frees its CPU after our client gave up (remote tests use less).
SERVER_TIMEOUT_SECONDS = 4


def generated_graph(triples: int, graph: str = "http://example.org/generated") -> bytes:
    """N-Quads of a synthetic graph of ``triples`` triples in one named graph."""
    lines = (
        f"<http://example.org/s{i}> <http://example.org/p{i % 7}> <http://example.org/o{i % 101}> <{graph}> ."
        for i in range(triples)
    )
    return "\n".join(lines).encode()


@pytest.fixture
def large_graph() -> bytes:
    """N-Quads on which ``cartesian_query`` runs for minutes (2000 triples: 8e9 combinations)."""
    return generated_graph(2000)


@pytest.fixture
def cartesian_query() -> str:
    """A query that blocks inside one engine call for minutes on ``large_graph``."""
    return "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def oxigraph_executable() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.skip("the oxigraph server (PyPI package oxigraph) is not installed")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OxigraphServer:
    """An ``oxigraph serve`` process on loopback, stopped by its own process handle."""

    def __init__(self, location: Path, *, timeout_seconds: int = SERVER_TIMEOUT_SECONDS) -> None:
        self.location = location
        self.timeout_seconds = timeout_seconds
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.url}/store"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                oxigraph_executable(),
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--union-default-graph",
                "--timeout-s",
                str(self.timeout_seconds),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with status {self.process.returncode}")
            try:
                httpx.get(self.url, timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer within {SERVER_START_SECONDS} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path / "oxigraph")
    server.start()
    yield server
    server.stop()


def remote_store_for(server: OxigraphServer | VirtuosoServer, **options: Any) -> Store:
    """A remote store on the server's query, update and Graph Store endpoints."""
    if isinstance(server, VirtuosoServer):
        return server.store(**options)
    return open_store(
        "remote",
        endpoint=server.query_url,
        update_endpoint=server.update_url,
        graph_store_endpoint=server.store_url,
        **options,
    )


def store_kind(request: pytest.FixtureRequest) -> str:
    """The kind of store this test runs on (a ``store_factory`` parameter)."""
    return str(request.node.callspec.params["store_factory"])


def engine_bug(request: pytest.FixtureRequest, kind: str, reason: str, **xfail: Any) -> None:
    """Mark the test a strict xfail when it runs on ``kind``: a known bug or limit of that engine,
    so the test fails (XPASS) once the engine is fixed."""
    if store_kind(request) == kind:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason, **xfail))


@pytest.fixture(params=STORE_KINDS)
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Store]]:
    """Makes stores of this test's kind (options such as ``max_rows``), closing them all at the end."""
    kind = request.param
    opened: list[Store] = []

    def make(**options: Any) -> Store:
        if kind == "remote":
            store = remote_store_for(request.getfixturevalue("oxigraph_server"), **options)
        elif kind == "remote-virtuoso":
            store = remote_store_for(request.getfixturevalue("virtuoso_server"), **options)
        elif kind == "disk":
            store = open_store("disk", path=tmp_path / f"disk-{len(opened)}", **options)
        else:
            store = open_store("memory", **options)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory: Callable[..., Store]) -> Store:
    """A fresh, empty store of each kind in turn."""
    return store_factory()
