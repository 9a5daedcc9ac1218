"""The package as a user installs it: the wheel, in a fresh virtualenv, run from outside the checkout.

The wheel is built offline, with no build isolation, from a copy of the working tree: a build in
the checkout would leave build/ behind, and a stale build/lib ships modules deleted since. The
virtualenv has no pip and no system site-packages. Its dependencies come from this environment's
site-packages, named in a .pth file as a plain path entry: Python runs no .pth file of such a
directory, so the editable install of the checkout kept there stays inert, and graph and api can
only come from the wheel (a test checks it). One virtualenv serves every test here.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
# What the build reads: the metadata, the packages, and the directories setup.py maps into graph.
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "graph", "api", "ontology", "queries", "data")
SHIPPED = ("ontology", "queries", "data")
COMMAND_SECONDS = 180
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Installed:
    """The wheel, the virtualenv it is installed in, and a scratch directory outside the checkout."""

    wheel: Path
    source: Path
    venv: Path
    cwd: Path

    @property
    def environment(self) -> dict[str, str]:
        """The environment of the installed commands: the virtualenv's bin first on PATH."""
        return _clean_environment() | {"PATH": f"{self.venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}

    def run(self, *arguments: str | Path) -> subprocess.CompletedProcess[str]:
        """``stancegraph ARGUMENTS`` from the virtualenv, in the scratch folder; fails unless it exits 0."""
        command = [str(self.venv / "bin" / "stancegraph"), *map(str, arguments)]
        result = subprocess.run(
            command,
            cwd=self.cwd,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
            check=False,
        )
        assert result.returncode == 0, f"{' '.join(command[1:])}: {result.stdout}{result.stderr}"
        return result

    @contextmanager
    def serving(self, *arguments: str | Path) -> Iterator[httpx.Client]:
        """``stancegraph serve ARGUMENTS`` on a free loopback port, and its client, until the block ends."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [self.venv / "bin" / "stancegraph", "serve", "--host", "127.0.0.1", "--port", str(port)]
        server = subprocess.Popen(
            [*command, *arguments],
            cwd=self.cwd,
            env=self.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                _wait_until_healthy(client, server)
                yield client
        finally:
            server.terminate()
            server.communicate(timeout=STARTUP_SECONDS)


def _clean_environment() -> dict[str, str]:
    """This process's environment minus what could reach the checkout, change the settings or
    start coverage (the installed copy is not the code measured)."""
    return {
        name: value
        for name, value in os.environ.items()
        if name != "PYTHONPATH" and not name.startswith(("COVERAGE_", "STANCEGRAPH_", "VIRTUAL_ENV"))
    }


def _wait_until_healthy(client: httpx.Client, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if server.poll() is not None:
            output = server.stdout.read().decode() if server.stdout else ""
            pytest.fail(f"the service exited with status {server.returncode}: {output}")
        try:
            if client.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)


def _copy_build_inputs(destination: Path) -> None:
    ignored = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in BUILD_INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignored)
        else:
            shutil.copy2(source, destination / name)


def _step(*command: str | Path) -> None:
    """One step of the set-up, with its output shown only if it fails."""
    result = subprocess.run(
        list(map(str, command)),
        env=_clean_environment(),
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )
    assert result.returncode == 0, f"{' '.join(map(str, command))}: {result.stdout}{result.stderr}"


def _site_packages(venv: Path) -> Path:
    return venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel built from the working tree and installed in a fresh virtualenv."""
    major = int(version("setuptools").split(".")[0])
    assert major >= 77, "the wheel builds with setuptools >= 77: `make test` installs it (the test extra)"
    work = tmp_path_factory.mktemp("wheel")
    source, dist, venv, cwd = (work / name for name in ("source", "dist", "venv", "cwd"))
    source.mkdir()
    cwd.mkdir()
    _copy_build_inputs(source)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    _step(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, source)
    (wheel,) = dist.glob("stancegraph-*.whl")
    _step(sys.executable, "-m", "venv", "--without-pip", venv)
    dependencies = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (_site_packages(venv) / "dependencies.pth").write_text("\n".join(dependencies) + "\n", encoding="utf-8")
    _step(*pip, "--python", venv / "bin" / "python", "install", "--no-deps", "--no-index", wheel)
    return Installed(wheel, source, venv, cwd)


def test_the_wheel_ships_the_code_and_all_it_reads_and_nothing_else(installed: Installed) -> None:
    source = installed.source
    expected = {
        path.relative_to(source).as_posix()
        for package in ("graph", "api")
        for path in (source / package).rglob("*")
        if path.is_file()
    } | {
        f"graph/shipped/{path.relative_to(source).as_posix()}"
        for name in SHIPPED
        for path in (source / name).rglob("*")
        if path.is_file()
    }
    with zipfile.ZipFile(installed.wheel) as wheel:
        shipped = {name for name in wheel.namelist() if ".dist-info/" not in name}
    assert {"graph/py.typed", "api/py.typed", "graph/shipped/ontology/stancegraph.ttl"} <= shipped
    assert sorted(expected - shipped) == [], "not in the wheel: add them to package-data in pyproject.toml"
    assert sorted(shipped - expected) == []


def test_the_installed_package_is_the_wheels_not_the_checkouts(installed: Installed) -> None:
    script = "import api, graph, graph.paths; print(api.__file__, graph.__file__, graph.paths.ONTOLOGY_FILE)"
    result = subprocess.run(
        [installed.venv / "bin" / "python", "-c", script],
        cwd=installed.cwd,
        env=installed.environment,
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=True,
    )
    site = _site_packages(installed.venv)
    for path in map(Path, result.stdout.split()):
        assert path.is_relative_to(site), path
    assert ROOT not in {installed.cwd, *installed.cwd.parents}


def test_serve_answers_with_the_embedded_graph_its_page_and_docs(installed: Installed) -> None:
    with installed.serving() as client:
        page = client.get("/")
        assert page.status_code == 200, page.text
        scripts = ["assets/explorer.js"]
        for script in scripts:  # the page's own modules, following their relative imports
            response = client.get(f"/{script}")
            assert response.status_code == 200, script
            assert response.headers["content-type"].startswith("text/javascript")
            imported = re.findall(r'from "\./([\w-]+\.js)"', response.text)
            scripts += [f"assets/{name}" for name in imported if f"assets/{name}" not in scripts]
        vendored = re.findall(r'"(\./vendor/[^"]+)"', page.text)
        assert vendored, "the page has no import map"
        for url in vendored:
            response = client.get(url.removeprefix("."))
            assert response.status_code == 200, url
            assert response.headers["content-type"].startswith("text/javascript")
        docs = client.get("/docs")
        assert docs.status_code == 200
        for asset in re.findall(r'(?:src|href)="(/[^"]+)"', docs.text):
            assert client.get(asset).status_code == 200, asset
        ontology = client.get("/ontology", headers={"Accept": "text/turtle"})
        assert ontology.status_code == 200
        assert "owl:Ontology" in ontology.text
        assert client.get("/stakeholders/canada").json()["label"] == "Canada"
        ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert ask.json()["boolean"] is True
        assert len(client.get("/queries").json()) == len(list((ROOT / "queries").glob("*.rq")))


def test_every_command_runs_from_the_installed_package(installed: Installed) -> None:
    assert "conforms" in installed.run("validate").stdout
    assert "positions" in installed.run("info").stdout
    assert installed.run("build", "-o", "built.nq").stdout.startswith("wrote ")
    count = installed.run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert count.stdout.split()[0] == "n"
    installed.run("export", "--focus", "canada", "--depth", "1", "-o", "canada.ttl")
    assert "owl:Ontology" in (installed.cwd / "canada.ttl").read_text(encoding="utf-8")
    installed.run("load", "built.nq", "--disk-path", "store")
    assert (installed.cwd / "store").is_dir()
    with installed.serving("--data", "built.nq") as client:
        assert client.get("/stakeholders/canada").json()["label"] == "Canada"
