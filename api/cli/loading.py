"""``stancegraph load``: RDF files (or the embedded data) into the disk store, or into a remote engine.

Into the disk store each file goes in one transaction. Into a remote engine the data goes graph
by graph (:mod:`graph.stores.resumable`), every file parsed first, so data that does not parse
sends nothing; a load cut short (Ctrl-C, a killed process, the engine gone) is resumed by
running the same command again: the graphs the engine holds whole are skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.base import (
    DiskPathOption,
    RemoteOption,
    RemoteUpdateOption,
    app,
    opened_store,
    reported_errors,
    settings_from,
)
from api.settings import StoreKind
from graph.errors import QuerySyntaxError

if TYPE_CHECKING:
    from graph.stores.resumable import GraphStep

FilesArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="RDF files: Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD (default: the embedded data, "
        "source texts included: what `serve` loads)."
    ),
]
LoadStoreOption = Annotated[StoreKind, typer.Option(help="disk (default) or remote.")]
GraphStoreOption = Annotated[
    str | None, typer.Option(help="Graph Store endpoint of the remote store (Virtuoso needs it).")
]
EngineOption = Annotated[
    str | None, typer.Option(help="The remote engine: auto (default), oxigraph, virtuoso or generic.")
]
EMBEDDED = "the embedded data"


@app.command()
def load(
    files: FilesArgument = None,
    store: LoadStoreOption = "disk",
    disk_path: DiskPathOption = None,
    remote_query_url: RemoteOption = None,
    remote_update_url: RemoteUpdateOption = None,
    remote_graph_store_url: GraphStoreOption = None,
    remote_engine: EngineOption = None,
) -> None:
    """Load RDF files into the disk store, each in one transaction, or into a remote engine graph by
    graph, resumable (named graphs kept).

    Disk: Ctrl-C stops at once; the file being loaded is then in the store whole or not at all,
    and the command says which (exit status 130). Remote: run the command again after an
    interruption, and it skips the graphs the engine already holds whole.
    """
    if store == "memory":
        typer.echo(
            "error: --store: load into disk or remote (a memory store ends with the command)", err=True
        )
        raise typer.Exit(2)
    paths = list(files or [])
    with reported_errors():
        media_types = _media_types(paths)
    if store == "disk":
        if not paths:
            typer.echo(
                "error: give the files to load into the disk store (`serve` loads the embedded data)",
                err=True,
            )
            raise typer.Exit(2)
        _load_into_disk(paths, media_types, settings_from(disk_path=disk_path).disk_path)
        return
    options = {
        "store": "remote",
        "remote_query_url": remote_query_url,
        "remote_update_url": remote_update_url,
        "remote_graph_store_url": remote_graph_store_url,
        "remote_engine": remote_engine,
    }
    _load_into_remote(paths, media_types, options)


def _media_types(paths: list[Path]) -> list[str]:
    from graph.formats import media_type_for_file

    try:
        return [media_type_for_file(path) for path in paths]
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None


def _parsed(paths: list[Path], media_types: list[str]) -> list[tuple[str, list[tuple[str | None, bytes]]]]:
    """Each input's graphs as N-Triples, every input parsed before anything is sent."""
    from graph.dataset import NQUADS, embedded_nquads
    from graph.stores.by_graph import dataset_graphs

    if not paths:
        return [(EMBEDDED, dataset_graphs(embedded_nquads(), NQUADS))]
    inputs = []
    for path, media_type in zip(paths, media_types, strict=True):
        try:
            inputs.append((str(path), dataset_graphs(path.read_bytes(), media_type)))
        except (SyntaxError, QuerySyntaxError) as error:
            # pyoxigraph's message names the line (and column) it stopped at.
            raise QuerySyntaxError(f"{path}: {error}") from None
    return inputs


def _load_into_remote(paths: list[Path], media_types: list[str], options: dict[str, str | None]) -> None:
    from api.progress import stage_bars
    from graph.stores.resumable import load_graphs

    with reported_errors():
        inputs = _parsed(paths, media_types)
    total = sum(ntriples.count(b"\n") for _, graphs in inputs for _, ntriples in graphs)
    done: list[GraphStep] = []
    try:
        with opened_store(**options) as opened, stage_bars({"loading": "triples"}) as progress:
            progress("loading", 0, total)
            sent = 0

            def told(step: GraphStep) -> None:
                nonlocal sent
                done.append(step)
                sent += step.triples
                progress("loading", sent, total)
                if step.action == "replaced":
                    typer.echo(
                        f"replaced <{step.graph}>: {step.found} of its {step.triples} triples were there"
                    )

            for name, graphs in inputs:
                steps = load_graphs(opened, graphs, told)
                typer.echo(f"{name}: {_summary(steps)}")
    except KeyboardInterrupt:
        typer.echo(f"interrupted after {len(done)} graphs: run the same command again to resume", err=True)
        raise typer.Exit(130) from None
    except typer.Exit:
        if done:
            typer.echo(f"stopped after {len(done)} graphs: run the same command again to resume", err=True)
        raise


def _summary(steps: list[GraphStep]) -> str:
    """``3 graphs added, 1 replaced, 12 skipped (already complete): 1,234 triples sent``."""
    counts = {"added": 0, "replaced": 0, "skipped": 0}
    sent = 0
    for step in steps:
        counts[step.action] += 1
        sent += 0 if step.action == "skipped" else step.triples
    return (
        f"{counts['added']} graphs added, {counts['replaced']} replaced, "
        f"{counts['skipped']} skipped (already complete): {sent:,} triples sent"
    )


def _load_into_disk(files: list[Path], media_types: list[str], location: Path) -> None:
    from api.load_report import report_interrupted_load
    from api.progress import part_of, stage_bars
    from graph.stores import DiskStore

    with reported_errors():
        under_way: Path | None = None  # the file being loaded
        before: int | None = None  # the quads in the store before it, once counted
        sizes = [path.stat().st_size for path in files]
        try:
            with DiskStore(location) as store, stage_bars({"loading": "bytes"}) as progress:
                done, total = 0, sum(sizes)  # bytes: the engine tells how far its parse has read
                progress("loading", done, total)
                try:
                    for path, media_type, size in zip(files, media_types, sizes, strict=True):
                        typer.echo(f"loading {path}")
                        under_way, before = path, None
                        before = len(store)
                        parsed = part_of(progress, "loading", done, size, total) if progress.shown else None
                        store.load_dataset(path.read_bytes(), media_type, progress=parsed)
                        after = len(store)
                        done += size
                        progress("loading", done, total)
                        under_way = None  # a Ctrl-C from here on finds the file reported loaded
                        typer.echo(f"loaded {path}: {after - before} quads added")
                    typer.echo(f"{len(store)} quads in {location}")
                except KeyboardInterrupt:
                    # Killed now, not left to finish: a disk store killed mid-load comes back
                    # all or nothing (graph.stores.disk), and reopening it tells which.
                    store.kill()
                    raise
        except KeyboardInterrupt:
            report_interrupted_load(location, under_way, before)
