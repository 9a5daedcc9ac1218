"""The service and an Oxigraph server as real processes on loopback, each stopped by its own handle.

The load runs and fault drills need what a deployment has: uvicorn in its own process
(possibly several workers), killable with SIGKILL, and a real SPARQL engine behind the
remote store. Every process here leads its own process group, so stopping it reaches its
uvicorn workers too and nothing else; every wait is bounded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

import httpx

from api.server import KEEP_ALIVE_SECONDS
from graph.dataset import embedded_nquads, load_embedded

REPO_ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 90.0
STOP_SECONDS = 15.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def oxigraph_executable() -> str:
    """The ``oxigraph`` command of the PyPI package ``oxigraph`` (on PATH or beside this Python)."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        raise FileNotFoundError("the oxigraph server (PyPI package oxigraph) is not installed")
    return found


def _wait_until_answering(
    url: str, process: subprocess.Popen[bytes], what: str, log: Path | None = None
) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""
            raise RuntimeError(f"{what} exited with status {process.returncode} while starting\n{tail}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer {url} within {START_SECONDS:g} s")


def _stop_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Signal the process group this process leads, then make sure it is gone."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(STOP_SECONDS)


class ServiceProcess:
    """``uvicorn --factory api.main:create_app`` in its own process group, configured by environment.

    ``settings`` are :class:`api.settings.Settings` fields (``store="disk"``, ``write_token=...``);
    they reach the app as ``STANCEGRAPH_*`` variables, as in a deployment. Output (uvicorn's
    log and anything the app prints) goes to ``log``. ``preexec`` runs in the child before
    uvicorn starts (resource limits for fault drills).

    >>> service = ServiceProcess(Path("service.log"), store="disk", write_token="secret")
    >>> service.environment()["STANCEGRAPH_STORE"], service.environment()["STANCEGRAPH_WRITE_TOKEN"]
    ('disk', 'secret')
    """

    factory = "api.main:create_app"

    def __init__(
        self,
        log: Path,
        *,
        workers: int = 1,
        port: int | None = None,
        preexec: Callable[[], None] | None = None,
        log_level: str = "info",
        **settings: object,
    ) -> None:
        self.log = log
        self.log_level = log_level
        self.workers = workers
        self.port = port or free_port()
        self.preexec = preexec
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items() if not name.startswith("STANCEGRAPH_")}
        for name, value in self.settings.items():
            if value is None:
                continue
            text = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
            env[f"STANCEGRAPH_{name.upper()}"] = text
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        return env

    def start(self) -> Self:
        command = [sys.executable, "-m", "uvicorn", "--factory", self.factory]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)]
        command += ["--log-level", self.log_level, "--timeout-graceful-shutdown", "5"]
        # As `stancegraph serve` keeps them (api.server.KEEP_ALIVE_SECONDS): longer than a client's
        # idle connections, so none is closed under a request sent on it.
        command += ["--timeout-keep-alive", str(KEEP_ALIVE_SECONDS)]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command,
                cwd=REPO_ROOT,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=self.preexec,
            )
        try:
            _wait_until_answering(f"{self.url}/health", self.process, "the service", self.log)
        except RuntimeError:
            self.stop()
            raise
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a power cut would: no shutdown code runs."""
        if self.process is not None:
            _stop_group(self.process, signal.SIGKILL)

    def stop(self) -> None:
        """A graceful stop (SIGTERM), SIGKILL if it does not end in time."""
        if self.process is not None:
            _stop_group(self.process, signal.SIGTERM)

    def output(self) -> str:
        """Everything the service has written to its log so far."""
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class OxigraphServer:
    """``oxigraph serve --union-default-graph`` on a directory, restartable on the same port."""

    def __init__(self, location: Path, *, timeout_seconds: int = 60, port: int | None = None) -> None:
        self.location = location
        self.timeout_seconds = timeout_seconds
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self) -> dict[str, object]:
        """The service settings of a remote store in front of this server."""
        return {
            "store": "remote",
            "remote_query_url": f"{self.url}/query",
            "remote_update_url": f"{self.url}/update",
            "remote_graph_store_url": f"{self.url}/store",
        }

    def load(self, nquads: bytes) -> None:
        """Load N-Quads into the (stopped) server's directory with ``oxigraph load``."""
        self.location.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [oxigraph_executable(), "load", "--location", str(self.location), "--format", "nq"],
            input=nquads,
            check=True,
            capture_output=True,
            timeout=START_SECONDS,
        )

    def load_embedded(self) -> Self:
        """Load the embedded Golden Dome data set (ontology and coding graphs)."""
        self.load(embedded_nquads())
        return self

    def start(self) -> Self:
        command = [oxigraph_executable(), "serve", "--location", str(self.location)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--union-default-graph"]
        command += ["--timeout-s", str(self.timeout_seconds)]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_until_answering(self.url, self.process, "oxigraph serve")
        return self

    def kill(self) -> None:
        """Stop the engine dead (SIGKILL): requests in flight lose their connection."""
        if self.process is not None:
            _stop_group(self.process, signal.SIGKILL)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.kill()


@contextmanager
def configuration(name: str, workdir: Path, **settings: object) -> Iterator[ServiceProcess]:
    """One of the load configurations, running: ``memory``, ``disk``, ``remote`` (2 workers),
    ``remote-4`` or ``virtuoso-4`` (4 workers).

    ``remote`` and ``remote-4`` start an Oxigraph server loaded with the embedded data and
    their uvicorn workers in front of it, ``virtuoso-4`` a Virtuoso server (loaded through the
    remote store, graph by graph) and four workers; ``disk`` loads the embedded data into a fresh directory.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / f"{name}.log"
    if name == "memory":
        with ServiceProcess(log, store="memory", **settings) as service:
            yield service
    elif name == "disk":
        with ServiceProcess(log, store="disk", disk_path=workdir / "disk-store", **settings) as service:
            yield service
    elif name in _REMOTE_WORKERS:
        server = OxigraphServer(workdir / "oxigraph").load_embedded()
        workers = _REMOTE_WORKERS[name]
        with server, ServiceProcess(log, workers=workers, **server.settings(), **settings) as service:
            yield service
    elif name in _VIRTUOSO_WORKERS:
        # Imported here: tests.remote.virtuoso imports this module.
        from tests.remote.virtuoso import VirtuosoServer

        virtuoso = VirtuosoServer(workdir / "virtuoso", timeout_seconds=60).start()
        try:
            with virtuoso.store() as store:
                load_embedded(store)
            workers = _VIRTUOSO_WORKERS[name]
            with ServiceProcess(log, workers=workers, **virtuoso.settings(), **settings) as service:
                yield service
        finally:
            virtuoso.stop()
    else:
        raise ValueError(f"unknown configuration {name!r}: {', '.join(CONFIGURATIONS)}")


# The remote configurations: the uvicorn workers in front of the one Oxigraph server, or Virtuoso.
_REMOTE_WORKERS = {"remote": 2, "remote-4": 4}
_VIRTUOSO_WORKERS = {"virtuoso-4": 4}
CONFIGURATIONS: tuple[str, ...] = ("memory", "disk", *_REMOTE_WORKERS, *_VIRTUOSO_WORKERS)


def environment_summary() -> str:
    """The machine as a load run saw it: cores and load average (other work competes for the CPU)."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.2f} (1 min) / {five:.2f} (5 min)"
