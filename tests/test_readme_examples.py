"""Every example of README.md, run as the README shows it (issue 17).

The fenced ``sh`` blocks are split into commands as the shell reads them
(quotes and backslash continuations); each runs under bash in a temporary
directory that has the checkout's ``.venv/bin`` and ``tests/`` at their README
paths, so the text runs unchanged but for two things: ``127.0.0.1:8000``
becomes a live service's address, and ``curl`` gets ``--fail`` and a
``--write-out`` of the status on stderr (what it writes to stdout or files
stays as shown). A ``stancegraph serve`` line starts the real command on a
free port (``STANCEGRAPH_PORT``), which must become ready, and the examples
after it in its section talk to it; before one, they talk to a real uvicorn
serving what `STANCEGRAPH_WRITE_TOKEN=secret make serve` serves (the embedded
data, that token). Other commands must exit 0. The
``python`` blocks run in a fresh interpreter. What cannot run here is in
:data:`NOT_RUN`, each with its reason, and a test keeps that list and the
README in step.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from api.settings import Settings
from tests.api.support import RunningService, serve
from tests.readme_blocks import Example, readme_examples, words

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FILES = ROOT / "tests" / "data" / "readme"  # fictional extra.ttl, extra.trig, my.ttl, other.trig
README_ADDRESS = "http://127.0.0.1:8000"
REMOTE_ADDRESS = "http://127.0.0.1:7878"  # the Oxigraph server of the remote-store example
STARTUP_SECONDS = 120
COMMAND_SECONDS = 120

# Commands (by their words' start) that a test cannot run, and why.
NOT_RUN = {
    "make serve": "installs into .venv first, then serves until stopped; "
    "test_make_serve_passes_the_port checks the command it runs (make -n)",
    "make test": "the whole suite, this test among it, after apt-get of Chromium and a JRE",
    ".venv/bin/stancegraph add-document": "writes a coding file into the checkout's data/ for a source "
    "text the reader brings; tests/api/test_cli_add_document.py runs it on a temporary folder",
}
# Inline commands in the prose, not run here either: `pip install .` (tests/test_wheel.py builds and
# installs the wheel), the notebook's install line (it installs; test_the_notebook_install_line_...
# checks the extra it names, and tests/test_notebook.py runs the notebook), and
# `STANCEGRAPH_WRITE_TOKEN=secret make serve` (the token the service here gets, read from that line),
# and `make coverage` (this suite again, under coverage).


EXAMPLES = readme_examples(README)
SECTIONS = list(dict.fromkeys(example.section for example in EXAMPLES))


def _not_run(example: Example) -> str | None:
    return next((why for start, why in NOT_RUN.items() if words(example).startswith(start)), None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(**extra: str) -> dict[str, str]:
    """This environment without proxies or service settings (the README's defaults apply), plus ``extra``."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.upper().endswith("_PROXY") and not name.startswith("STANCEGRAPH_")
    }
    return kept | {"PYTHONPATH": str(ROOT), "NO_PROXY": "127.0.0.1,localhost"} | extra


def _write_token() -> str:
    found = re.search(r"STANCEGRAPH_WRITE_TOKEN=(\S+) make serve", README.read_text(encoding="utf-8"))
    assert found, "the README says how to set the write token"
    return found.group(1)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder laid out like the checkout for the README's relative paths, and its fictional files."""
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "bin").symlink_to(Path(sys.executable).parent)
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    for file in FILES.iterdir():
        shutil.copy(file, tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def golden_dome() -> Iterator[RunningService]:
    """The service of `STANCEGRAPH_WRITE_TOKEN=secret make serve`: the embedded data, writes on."""
    with serve(Settings(store="memory", write_token=SecretStr(_write_token()))) as running:
        yield running


@contextmanager
def _background(
    command: str, cwd: Path, env: dict[str, str]
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """Run ``command`` under bash in a process group of its own, stopped (group and all) at the end."""
    log = cwd / f"log-{len(list(cwd.glob('log-*')))}.txt"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["bash", "-c", command],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process, log
    finally:
        for stop in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, stop)  # bash and what it started (`build && serve`), by its own group
                process.wait(timeout=30)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue


def _wait_until(answers: Callable[[], bool], process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        assert process.poll() is None, f"exited with {process.returncode}: {log.read_text()}"
        try:
            if answers():
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"not ready after {STARTUP_SECONDS} s: {log.read_text()}"
        time.sleep(0.2)


def _ready(url: str) -> Callable[[], bool]:
    return lambda: httpx.get(f"{url}/ready", timeout=5, trust_env=False).status_code == 200


def _run_curl(command: str, cwd: Path) -> str | None:
    assert command.startswith("curl "), "curl comes first, so its options can be added"
    command = "curl --fail --silent --show-error --write-out '%{stderr}%{http_code}\\n' " + command[5:]
    done = subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=_environment(), capture_output=True, timeout=COMMAND_SECONDS
    )
    status = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
    if done.returncode != 0 or not status or not status[0].startswith("2"):
        hint = "" if command.isascii() else " (curl sends non-ASCII as raw bytes: percent-encode it)"
        said = done.stderr.decode(errors="replace")[:500]
        return f"curl exited {done.returncode}, HTTP {status}{hint}: {said}"
    return None


def _run_command(command: list[str], cwd: Path) -> str | None:
    done = subprocess.run(command, cwd=cwd, env=_environment(), capture_output=True, timeout=COMMAND_SECONDS)
    return None if done.returncode == 0 else done.stderr.decode(errors="replace")[-1500:]


class SectionRun:
    """Runs one section's examples in order. A `stancegraph serve` example starts the real command on a
    free port, which the section's later examples talk to until the next one; before it, they talk to
    the README's `make serve` service."""

    def __init__(self, cwd: Path, request: pytest.FixtureRequest, servers: ExitStack) -> None:
        self.cwd, self.request, self.servers = cwd, request, servers
        self.url: str | None = None

    def run(self, example: Example) -> str | None:
        """``None`` when the example did what the README says, else what went wrong."""
        text = example.text
        if README_ADDRESS in text:
            text = text.replace(README_ADDRESS, self.url or self.request.getfixturevalue("golden_dome").url)
        if example.language == "yaml":  # an editor hint: the schema it names, from a coding file in data/
            schema = re.search(r"\$schema=(\S+)", text)
            return None if schema and (ROOT / "data" / schema.group(1)).is_file() else "no such schema"
        if example.language == "python":
            return _run_command([sys.executable, "-c", text], self.cwd)
        if text.startswith("curl "):
            return _run_curl(text, self.cwd)
        if "stancegraph serve" in text:
            return self._serve(text)
        assert text.startswith(".venv/bin/stancegraph "), f"{example}: no way to run it is known"
        return _run_command(["bash", "-c", text], self.cwd)

    def _serve(self, command: str) -> str | None:
        self.servers.close()  # the section's previous server, if any
        self.url = None
        if REMOTE_ADDRESS in command:
            command = command.replace(REMOTE_ADDRESS, self._oxigraph())
        port = _free_port()
        process, log = self.servers.enter_context(
            _background(command, self.cwd, _environment(STANCEGRAPH_PORT=str(port)))
        )
        try:
            _wait_until(_ready(f"http://127.0.0.1:{port}"), process, log)
        except AssertionError as error:
            return str(error)[:800]
        self.url = f"http://127.0.0.1:{port}"
        return None

    def _oxigraph(self) -> str:
        """An Oxigraph server, started as the README says, for the remote-store example."""
        url = f"http://127.0.0.1:{_free_port()}"
        oxigraph = Path(sys.executable).with_name("oxigraph")
        line = f"{oxigraph} serve --bind {url.removeprefix('http://')} --union-default-graph --timeout-s 40"
        process, log = self.servers.enter_context(_background(line, self.cwd, _environment()))
        _wait_until(lambda: httpx.get(url, timeout=5, trust_env=False).status_code < 500, process, log)
        return url


@pytest.mark.parametrize("section", SECTIONS)
def test_the_examples_of_each_section_run(
    section: str, workdir: Path, request: pytest.FixtureRequest
) -> None:
    # One test per section, its examples in README order: a write and the read after it stay together.
    with ExitStack() as servers:
        runner = SectionRun(workdir, request, servers)
        failures = [
            f"{example}\n    {problem}"
            for example in EXAMPLES
            if example.section == section and _not_run(example) is None
            if (problem := runner.run(example)) is not None
        ]
    assert not failures, "\n".join(failures)


def test_every_example_is_run_or_listed_with_its_reason() -> None:
    assert any(example.text.startswith("curl ") for example in EXAMPLES)
    assert any(example.language == "python" for example in EXAMPLES)
    for start in NOT_RUN:
        assert any(words(example).startswith(start) for example in EXAMPLES), f"{start!r} is not in README"
    unknown = [
        example
        for example in EXAMPLES
        if example.language == "sh"
        and _not_run(example) is None
        and not example.text.startswith(("curl ", ".venv/bin/stancegraph "))
    ]
    assert unknown == []


def test_make_serve_passes_the_port() -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("no make on this machine")
    shown = [words(example) for example in EXAMPLES if words(example).startswith("make serve PORT=")]
    assert shown, "the README shows how to move make serve to another port"
    port = shown[0].removeprefix("make serve PORT=").split()[0]
    # -n prints what make would run (the install, if out of date, too) and runs none of it. A make
    # running this test passes its command line (PORT=... too) down in MAKEFLAGS: not to this one.
    env = {k: v for k, v in _environment().items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    given, unset = (
        subprocess.run(
            [make, "-n", "-C", str(ROOT), "serve", *port_option], capture_output=True, text=True, env=env
        )
        for port_option in ([f"PORT={port}"], [])
    )
    assert given.returncode == 0, given.stderr
    assert f"stancegraph serve --port {port}" in given.stdout
    assert re.search(r"stancegraph serve\s*$", unset.stdout, re.MULTILINE)  # then STANCEGRAPH_PORT decides


def test_the_notebook_install_line_names_its_extra() -> None:
    line = re.search(
        r"`(\.venv/bin/pip install [^`]*jupyter lab notebooks/explore\.ipynb)`", README.read_text()
    )
    assert line, "the README says how to install and open the notebook"
    extra = re.search(r"'\.\[(\w+)\]'", line.group(1))
    assert extra, "it installs the project's notebook extra"
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    wanted = {re.split(r"[<>=\[ ]", requirement)[0].lower() for requirement in extras[extra.group(1)]}
    assert {"matplotlib", "ipykernel"} <= wanted  # the notebook's first cell imports matplotlib
