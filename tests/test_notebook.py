"""The analyst's walkthrough, notebooks/explore.ipynb, runs top to bottom without an error.

It runs in a fresh python3 kernel started from this test's own interpreter
(jupyter_client launches a kernelspec whose command is ``python`` with
``sys.executable``), in a temporary working directory, with matplotlib's Agg
backend: no display needed. Its export goes to a temporary folder of its own
(under the kernel's TMPDIR, set here), never into the working directory: run
from notebooks/, it would otherwise leave an untracked file in the checkout.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[1]  # the repository: this file is a checkout tool

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
CELL_TIMEOUT_SECONDS = 300

# The executed notebook, its working directory and the TMPDIR its kernel had.
Executed = tuple[nbformat.NotebookNode, Path, Path]


def _stored() -> nbformat.NotebookNode:
    notebook: nbformat.NotebookNode = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    return notebook


def test_the_kernel_is_this_interpreter() -> None:
    # A kernelspec naming another Python would run the notebook against other packages than these.
    command = KernelSpecManager().get_kernel_spec("python3").argv[0]
    assert (
        command in ("python", "python3", sys.executable)
        or Path(command).resolve() == Path(sys.executable).resolve()
    )


def test_the_notebook_is_stored_without_outputs() -> None:
    notebook = _stored()
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells
    assert all(not cell.outputs and cell.execution_count is None for cell in code_cells)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Executed:
    workdir = tmp_path_factory.mktemp("notebook")
    temporary = tmp_path_factory.mktemp("notebook-tmp")
    notebook = _stored()
    # The project on the kernel's path whether or not it is installed; Agg draws without a display.
    python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = os.environ | {"PYTHONPATH": python_path, "MPLBACKEND": "Agg", "TMPDIR": str(temporary)}
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_SECONDS,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute(env=env)  # raises CellExecutionError, naming the cell, if any cell fails
    return notebook, workdir, temporary


def _printed(notebook: nbformat.NotebookNode) -> str:
    return "".join(
        output.get("text", "") + output.get("data", {}).get("text/plain", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


def test_every_cell_runs(executed: Executed) -> None:
    notebook, *_ = executed
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert errors == []


def test_the_walkthrough_shows_the_articles_answers(executed: Executed) -> None:
    printed = _printed(executed[0])
    for supporter in ("Analysts", "Experts", "Canadian officials"):
        assert supporter in printed
    assert "0 conflicting pairs" in printed
    assert "Canada is reportedly considering aligning itself" in printed


def test_the_walkthrough_follows_the_fictional_corpus_over_time(executed: Executed) -> None:
    printed = _printed(executed[0])
    assert "25 positions left out as undated" in printed  # the article is undated, and says so
    assert "Ana Varga on Ruritania joins Shield: +2 → -2 after 45 days" in printed
    assert "left out: 1 undated, 2 contested" in printed


def test_the_export_opens_as_turtle(executed: Executed) -> None:
    notebook, _, temporary = executed
    written = re.search(r"triples written to (\S+)", _printed(notebook))
    assert written is not None
    export = Path(written.group(1))
    assert export.name == "canada.ttl"
    assert export.is_relative_to(temporary.resolve())
    document = Graph().parse(export, format="turtle")
    assert any(str(subject).endswith("/id/canada") for subject in document.subjects())


def test_the_notebook_writes_nothing_where_it_runs(executed: Executed) -> None:
    _, workdir, _ = executed
    assert list(workdir.iterdir()) == []  # run from notebooks/, nothing is left untracked in the checkout
