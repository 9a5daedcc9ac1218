"""The command line's long work, run as the real ``stancegraph`` process: progress bars on a terminal
(a pseudo-terminal here) and none when piped, and counts that say what the files hold."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from api.cli import app
from tests.graph.conftest import generated_graph

STANCEGRAPH = str(Path(sys.executable).with_name("stancegraph"))
DEADLINE_SECONDS = 180
# A terminal rich can draw on: a real terminal type, a width (a new pseudo-terminal has none).
TERMINAL_ENV = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
TERMINAL_ENV.pop("NO_COLOR", None)
BAR = "━"  # what rich draws a bar with


@dataclass
class Run:
    returncode: int
    terminal: str
    piped: str


def run_on_terminal(command: list[str], *, terminal: str) -> Run:
    """Run ``command`` with its ``terminal`` stream ("stdout" or "stderr") on a pseudo-terminal and
    the other in a file; read the terminal until the process closes it, within a deadline."""
    controller, attached = pty.openpty()
    fcntl.ioctl(attached, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    with tempfile.TemporaryFile() as other:
        streams = {"stdout": other, "stderr": other} | {terminal: attached}
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            env=TERMINAL_ENV,
            stdout=streams["stdout"],
            stderr=streams["stderr"],
        )
        os.close(attached)
        seen = bytearray()
        try:
            deadline = time.monotonic() + DEADLINE_SECONDS
            while True:
                assert time.monotonic() < deadline, (
                    f"{command} did not finish: {seen.decode(errors='replace')}"
                )
                if not select.select([controller], [], [], 0.5)[0]:
                    continue
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # EIO: every holder of the terminal's other end has closed it
                    break
                if not chunk:
                    break
                seen += chunk
            returncode = process.wait(timeout=DEADLINE_SECONDS)
        finally:
            process.kill()
            process.wait()
            os.close(controller)
        other.seek(0)
        return Run(returncode, seen.decode(errors="replace"), other.read().decode(errors="replace"))


def run_piped(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=DEADLINE_SECONDS, check=False)


def test_build_shows_its_progress_on_a_terminal_and_nothing_when_piped(tmp_path: Path) -> None:
    output = tmp_path / "stancegraph.nq"
    on_terminal = run_on_terminal([STANCEGRAPH, "build", "-o", str(output)], terminal="stderr")
    assert on_terminal.returncode == 0, on_terminal.terminal + on_terminal.piped
    assert "compiling" in on_terminal.terminal and "1/1 files" in on_terminal.terminal
    assert "serializing" in on_terminal.terminal and BAR in on_terminal.terminal
    assert "wrote" in on_terminal.piped and "wrote" not in on_terminal.terminal
    piped = run_piped([STANCEGRAPH, "build", "-o", str(output)])
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == ""
    count = int(re.fullmatch(r"wrote (\d+) quads to .*\n", piped.stdout).group(1))  # type: ignore[union-attr]
    dataset = Dataset()
    dataset.parse(output, format="nquads")
    assert count == len(dataset)


def test_load_shows_its_progress_on_a_terminal_and_counts_what_it_added(tmp_path: Path) -> None:
    data = tmp_path / "fictional.nq"
    data.write_bytes(generated_graph(20_000))
    command = [STANCEGRAPH, "load", str(data), "--disk-path", str(tmp_path / "store")]
    on_terminal = run_on_terminal(command, terminal="stderr")
    assert on_terminal.returncode == 0, on_terminal.terminal + on_terminal.piped
    assert "loading" in on_terminal.terminal and BAR in on_terminal.terminal
    # In bytes, as the engine's parse read them, up to the whole file once it is in the store.
    size = data.stat().st_size / 1e6
    assert f"{size:.1f}/{size:.1f} MB" in on_terminal.terminal, on_terminal.terminal
    assert f"loaded {data}: 20000 quads added" in on_terminal.piped
    again = run_piped([STANCEGRAPH, "load", str(data), "--disk-path", str(tmp_path / "second")])
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""
    assert f"loaded {data}: 20000 quads added\n20000 quads in" in again.stdout


def test_export_shows_its_progress_on_a_terminal_and_says_what_the_file_holds(tmp_path: Path) -> None:
    output = tmp_path / "canada.ttl"
    command = [STANCEGRAPH, "export", "--focus", "canada", "--depth", "2", "-o", str(output)]
    on_terminal = run_on_terminal(command, terminal="stderr")
    assert on_terminal.returncode == 0, on_terminal.terminal + on_terminal.piped
    assert "selecting" in on_terminal.terminal and "3/3 hops" in on_terminal.terminal
    assert "writing" in on_terminal.terminal
    written = int(re.match(r"wrote (\d+) triples to ", on_terminal.piped).group(1))  # type: ignore[union-attr]
    assert written == len(Graph().parse(output, format="turtle"))
    piped = run_piped(command)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == ""


runner = CliRunner()


@pytest.mark.parametrize(
    ("extension", "rdflib_format"), [("owl", "xml"), ("nt", "nt"), ("jsonld", "json-ld")]
)
def test_every_rdf_export_says_how_many_triples_the_file_holds(
    tmp_path: Path, extension: str, rdflib_format: str
) -> None:
    output = tmp_path / f"canada.{extension}"
    arguments = ["export", "--focus", "canada", "--depth", "1", "-o", str(output)]
    result = runner.invoke(app, [*arguments, *(["--format", "jsonld"] if extension == "jsonld" else [])])
    assert result.exit_code == 0, result.output
    written = int(re.match(r"wrote (\d+) triples", result.output).group(1))  # type: ignore[union-attr]
    assert written == len(Graph().parse(output, format=rdflib_format))


def test_graph_exports_say_how_many_nodes_and_edges_they_hold(tmp_path: Path) -> None:
    graphml = tmp_path / "canada.graphml"
    result = runner.invoke(app, ["export", "--focus", "canada", "--depth", "1", "-o", str(graphml)])
    assert result.exit_code == 0, result.output
    found = re.match(
        r"wrote (\d+) nodes and (\d+) edges to .*, from the (\d+) triples around canada", result.output
    )
    assert found, result.output
    assert int(found.group(1)) == nx.read_graphml(graphml).number_of_nodes()
    edges = ElementTree.parse(graphml).getroot().iter("{http://graphml.graphdrawing.org/xmlns}edge")
    assert int(found.group(2)) == sum(1 for _ in edges)
    table = tmp_path / "canada.csv"
    result = runner.invoke(app, ["export", "--focus", "canada", "--depth", "1", "-o", str(table)])
    edge_rows = table.read_text(encoding="utf-8").strip().count("\n")  # lines but the header
    assert result.output.startswith(f"wrote {edge_rows} edges to "), result.output


def test_query_prints_a_table_on_a_terminal() -> None:
    query = """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
      PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
      SELECT DISTINCT ?holder WHERE { ?p sg:stance sg:supports ; sg:holder/rdfs:label ?holder }
      ORDER BY ?holder"""
    on_terminal = run_on_terminal([STANCEGRAPH, "query", query], terminal="stdout")
    assert on_terminal.returncode == 0, on_terminal.terminal + on_terminal.piped
    assert on_terminal.terminal.split() == ["holder", "Analysts", "Donald", "Trump", "Experts"]
