"""A Virtuoso Open Source server (Debian's ``virtuoso-opensource``) started by the tests on loopback.

Its database, log and configuration live in a directory of the test's own; it listens on two
free loopback ports (ISQL and HTTP), its SPARQL user is granted updates (so the plain
``/sparql`` endpoint and the Graph Store endpoint ``/sparql-graph-crud`` take writes, as on a
loopback-only deployment), and it is stopped by its own process handle. ``make test``
installs the package (``make system-packages``); without it the Virtuoso tests skip.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.stores import open_store
from graph.stores.remote import RemoteStore
from reliability.processes import free_port

START_SECONDS = 60.0
STOP_SECONDS = 15.0
# What the SPARQL user may do: SPARQL_UPDATE covers updates on /sparql and the Graph Store endpoint.
_GRANTS = 'grant SPARQL_UPDATE to "SPARQL";'

_INI = """\
; Written by the stancegraph tests: a throw-away Virtuoso on loopback.
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DisableUnixSocket = 1
NumberOfBuffers = 4000
MaxDirtyBuffers = 3000
DirsAllowed = .
CheckpointInterval = 0
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 16
MaxClientConnections = 16
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {timeout}
"""


def virtuoso_executables() -> tuple[str, str]:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        pytest.skip("Virtuoso (Debian package virtuoso-opensource) is not installed: make system-packages")
    return server, isql


class VirtuosoServer:
    """``virtuoso-t +foreground`` on a directory of its own, stopped by its own process handle."""

    def __init__(self, directory: Path, *, timeout_seconds: int = 4) -> None:
        self.directory = directory
        self.timeout_seconds = timeout_seconds
        self.isql_port, self.http_port = free_port(), free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.url}/sparql"

    @property
    def store_url(self) -> str:
        return f"{self.url}/sparql-graph-crud"

    def settings(self) -> dict[str, object]:
        """The service settings of a remote store in front of this server."""
        return {
            "store": "remote",
            "remote_engine": "virtuoso",
            "remote_query_url": self.query_url,
            "remote_update_url": self.update_url,
            "remote_graph_store_url": self.store_url,
        }

    def start(self) -> VirtuosoServer:
        server, isql = virtuoso_executables()
        self.directory.mkdir(parents=True, exist_ok=True)
        ini = self.directory / "virtuoso.ini"
        ini.write_text(
            _INI.format(
                dir=self.directory,
                isql_port=self.isql_port,
                http_port=self.http_port,
                timeout=self.timeout_seconds,
            ),
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [server, "+foreground", "+configfile", str(ini)],
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.directory / "virtuoso.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"virtuoso-t exited with status {self.process.returncode}: {log}")
            try:
                if httpx.get(self.query_url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError(f"Virtuoso did not answer within {START_SECONDS:g} s")
        subprocess.run(
            [isql, f"127.0.0.1:{self.isql_port}", "dba", "dba", f"exec={_GRANTS}"],
            check=True,
            capture_output=True,
            timeout=START_SECONDS,
        )
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_SECONDS)

    def store(self, **options: Any) -> RemoteStore:
        """A remote store on this server's endpoints, with the Virtuoso engine profile."""
        store = open_store(
            "remote",
            endpoint=self.query_url,
            update_endpoint=self.update_url,
            graph_store_endpoint=self.store_url,
            engine="virtuoso",
            **options,
        )
        assert isinstance(store, RemoteStore)
        return store

    def clear(self) -> None:
        """Drop every graph the tests wrote (Virtuoso's own graphs stay)."""
        with self.store() as store:
            for graph in store.graph_names():
                store.update(f"DROP SILENT GRAPH <{graph}>")


@pytest.fixture(scope="session")
def virtuoso_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso server for the session (and xdist worker): it takes seconds to start."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def virtuoso_server(virtuoso_session: VirtuosoServer) -> VirtuosoServer:
    """The session's Virtuoso server, holding none of the graphs earlier tests wrote."""
    virtuoso_session.clear()
    return virtuoso_session


@pytest.fixture
def own_virtuoso(tmp_path: Path) -> Iterator[VirtuosoServer]:
    """A Virtuoso server of the test's own, for a test that other tests' work on the session's
    server must not reach (or whose work, going on past Virtuoso's time limit, would reach them)."""
    server = VirtuosoServer(tmp_path / "virtuoso").start()
    yield server
    server.stop()
