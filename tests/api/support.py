"""A real uvicorn on 127.0.0.1 serving the app, for the API tests and the W3C suite.

:func:`serve` runs the service in a thread of the test process on a socket
bound to a free loopback port, and stops it by its own server handle.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from api.main import create_app
from api.settings import Settings

STARTUP_SECONDS = 60
TOKEN = "test-write-token"

# A small data set with a default graph and two named graphs, served instead of the embedded data.
EX = "http://example.org/"
TRIG = f"""
@prefix ex: <{EX}> .
ex:alice ex:name "Alice" ; ex:knows ex:bob .
ex:bob ex:name "Bob" .
ex:g1 {{ ex:carol ex:name "Carol" ; ex:age 42 . }}
ex:g2 {{ ex:dave ex:name "Dave" . ex:erin ex:name "Erin" . }}
"""


@dataclass
class RunningService:
    """A service listening on loopback: its base URL, settings and app."""

    url: str
    settings: Settings
    app: FastAPI

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)


@contextmanager
def serve(settings: Settings) -> Iterator[RunningService]:
    """Run the app under uvicorn on a free loopback port until the block ends."""
    app = create_app(settings)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the service did not start")
            time.sleep(0.02)
        yield RunningService(f"http://127.0.0.1:{port}", settings, app)
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_SECONDS)
        listener.close()


def sample_settings(data_file: Path, **overrides: Any) -> Settings:
    """Settings serving the sample data from memory, with the union default graph off."""
    values: dict[str, Any] = {"store": "memory", "data": [data_file], "union_default_graph": False}
    return Settings(**(values | overrides))


def wait_until_healthy(server: subprocess.Popen[bytes], base: str, seconds: float = 60) -> None:
    """Return once the service ``server`` runs answers ``/health`` at ``base``; fail, with what it
    printed when it can tell, if the process ends first or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None:
            printed = server.stdout.read().decode(errors="replace") if server.stdout else ""
            raise AssertionError(f"the service exited with status {server.returncode}: {printed}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"the service did not start within {seconds} s"
        time.sleep(0.2)
