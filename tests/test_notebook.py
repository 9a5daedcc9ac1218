"""The analyst's walkthrough, notebooks/explore.ipynb, runs top to bottom without an error.

It runs in a fresh python3 kernel started from this test's own interpreter
(jupyter_client launches a kernelspec whose command is ``python`` with
``sys.executable``), in a temporary directory so its export lands there, with
matplotlib's Agg backend: no display needed.
"""

from __future__ import annotations

import os
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


def test_the_kernel_is_this_interpreter() -> None:
    # A kernelspec naming another Python would run the notebook against other packages than these.
    command = KernelSpecManager().get_kernel_spec("python3").argv[0]
    assert (
        command in ("python", "python3", sys.executable)
        or Path(command).resolve() == Path(sys.executable).resolve()
    )


def test_the_notebook_is_stored_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells
    assert all(not cell.outputs and cell.execution_count is None for cell in code_cells)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[nbformat.NotebookNode, Path]:
    workdir = tmp_path_factory.mktemp("notebook")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # The project on the kernel's path whether or not it is installed; Agg draws without a display.
    python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = os.environ | {"PYTHONPATH": python_path, "MPLBACKEND": "Agg"}
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_SECONDS,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute(env=env)  # raises CellExecutionError, naming the cell, if any cell fails
    return notebook, workdir


def _printed(notebook: nbformat.NotebookNode) -> str:
    return "".join(
        output.get("text", "") + output.get("data", {}).get("text/plain", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


def test_every_cell_runs(executed: tuple[nbformat.NotebookNode, Path]) -> None:
    notebook, _ = executed
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert errors == []


def test_the_walkthrough_shows_the_articles_answers(executed: tuple[nbformat.NotebookNode, Path]) -> None:
    printed = _printed(executed[0])
    for supporter in ("Analysts", "Experts", "Canadian officials"):
        assert supporter in printed
    assert "0 conflicting pairs" in printed
    assert "Canada is reportedly considering aligning itself" in printed


def test_the_walkthrough_follows_the_fictional_corpus_over_time(
    executed: tuple[nbformat.NotebookNode, Path],
) -> None:
    printed = _printed(executed[0])
    assert "20 positions left out as undated" in printed  # the article is undated, and says so
    assert "Ana Varga on Ruritania joins Shield: +2 → -2 after 45 days" in printed
    assert "left out: 1 undated, 2 contested" in printed


def test_the_export_opens_as_turtle(executed: tuple[nbformat.NotebookNode, Path]) -> None:
    _, workdir = executed
    export = Graph().parse(workdir / "canada.ttl", format="turtle")
    assert any(str(subject).endswith("/id/canada") for subject in export.subjects())
