"""What every ``stancegraph`` command shares: the typer app, the store options, the error report.

The commands are in the modules beside this one, each registering on :data:`app`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from api.settings import Settings, StoreKind
from graph.errors import GraphError
from graph.stores.base import Store

app = typer.Typer(
    help="stancegraph: a stakeholder-position knowledge graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn the library's errors into one readable line and exit status 1."""
    try:
        yield
    except GraphError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        typer.echo(f"error: invalid settings: {problems}", err=True)
        raise typer.Exit(2) from None
    except OSError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


def settings_from(**options: Any) -> Settings:
    """Settings from the environment, overridden by the options given on the command line."""
    return Settings(**{name: value for name, value in options.items() if value not in (None, [])})


StoreOption = Annotated[StoreKind | None, typer.Option(help="memory, disk or remote (default: memory).")]
DiskPathOption = Annotated[Path | None, typer.Option(help="Directory of the disk store.")]
RemoteOption = Annotated[str | None, typer.Option(help="SPARQL query endpoint of the remote store.")]
RemoteUpdateOption = Annotated[str | None, typer.Option(help="SPARQL update endpoint of the remote store.")]
DataOption = Annotated[
    list[Path] | None, typer.Option("--data", help="RDF files to use instead of the embedded data.")
]


@contextmanager
def opened_store(**options: Any) -> Iterator[Store]:
    """The store the settings (environment, then options) describe, with its data; closed on leaving."""
    from api.main import open_configured_store

    with reported_errors():
        store = open_configured_store(settings_from(**options))
        try:
            yield store
        finally:
            store.close()
