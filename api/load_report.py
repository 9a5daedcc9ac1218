"""What ``stancegraph load`` says when Ctrl-C stops it: which of the file under way is in the store.

A disk store killed mid-load comes back all or nothing (:mod:`graph.stores.disk`); reopening it
tells which, and clears a bulk load cut short.
"""

from __future__ import annotations

from pathlib import Path

import typer


def report_interrupted_load(location: Path, path: Path | None, before: int | None) -> None:
    """Say what a Ctrl-C during the load of ``path`` left in the store, and exit 130 (SIGINT's code).

    ``before`` is None when the load had not been sent to the store yet.
    """
    if path is None:
        typer.echo("interrupted: the files reported loaded are in the store, nothing else", err=True)
        raise typer.Exit(130)
    after = before if before is None else quads_once_settled(location, path)
    if after == before:
        typer.echo(f"interrupted: nothing of {path} was loaded; the store is as it was", err=True)
    else:
        message = f"interrupted after the load committed: the store holds the whole of {path} ({after} quads)"
        typer.echo(message, err=True)
    raise typer.Exit(130)


def quads_once_settled(location: Path, path: Path) -> int:
    """The quads in the store after an interrupted load; opening it clears a bulk load cut short."""
    from graph.stores import DiskStore

    try:
        with DiskStore(location) as store:
            return len(store)
    except KeyboardInterrupt:
        settled = "its next open settles which"
        typer.echo(f"interrupted again: {path} is in the store whole or not at all; {settled}", err=True)
        raise typer.Exit(130) from None
