"""The ``stancegraph`` command: serve, build, validate, query, export, info, load.

``serve`` needs the web app; every other command only calls ``graph/``. Errors
are printed as one line (a coding error names file and line) with exit code 1,
never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from api.settings import Settings, StoreKind
from graph.errors import GraphError
from graph.knowledge import KnowledgeGraph

app = typer.Typer(
    help="stancegraph: a stakeholder-position knowledge graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@contextmanager
def _reported_errors() -> Iterator[None]:
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


def _settings(**options: Any) -> Settings:
    """Settings from the environment, overridden by the options given on the command line."""
    return Settings(**{name: value for name, value in options.items() if value not in (None, [])})


StoreOption = Annotated[StoreKind | None, typer.Option(help="memory, disk or remote (default: memory).")]
DiskPathOption = Annotated[Path | None, typer.Option(help="Directory of the disk store.")]
RemoteOption = Annotated[str | None, typer.Option(help="SPARQL query endpoint of the remote store.")]
RemoteUpdateOption = Annotated[str | None, typer.Option(help="SPARQL update endpoint of the remote store.")]
DataOption = Annotated[
    list[Path] | None, typer.Option("--data", help="RDF files to use instead of the embedded data.")
]


@app.command()
def serve(
    store: StoreOption = None,
    disk_path: DiskPathOption = None,
    remote_query_url: RemoteOption = None,
    remote_update_url: RemoteUpdateOption = None,
    data: DataOption = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8000).")] = None,
) -> None:
    """Serve the SPARQL endpoint, REST resources and web page (default: the embedded data in memory)."""
    from api.server import run

    with _reported_errors():
        run(
            _settings(
                store=store,
                disk_path=disk_path,
                remote_query_url=remote_query_url,
                remote_update_url=remote_update_url,
                data=data,
                host=host,
                port=port,
            )
        )


@app.command()
def build(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write (.nq or .trig).")] = Path(
        "build/stancegraph.nq"
    ),
    data_dir: Annotated[Path | None, typer.Option(help="Folder of coding files (default: data/).")] = None,
) -> None:
    """Compile the coding files to RDF; on any error write nothing and name file and line."""
    from graph.coding import build as build_files
    from graph.paths import DATA_DIR

    with _reported_errors():
        count = build_files(data_dir or DATA_DIR, output)
    typer.echo(f"wrote {count} quads to {output}")


@app.command()
def validate(
    data_dir: Annotated[Path | None, typer.Option(help="Folder of coding files (default: data/).")] = None,
) -> None:
    """Check the coding files: SHACL shapes, and every quote against its source text."""
    from graph.paths import DATA_DIR
    from graph.validation import validate_data

    with _reported_errors():
        report = validate_data(data_dir or DATA_DIR)
    typer.echo(str(report))
    if not report.conforms:
        raise typer.Exit(1)


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="The SPARQL query (or use --file).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a file.")] = None,
    output_format: Annotated[TableFormat, typer.Option("--format", help="table, csv or json.")] = (
        TableFormat.table
    ),
    store: StoreOption = None,
    disk_path: DiskPathOption = None,
    remote_query_url: RemoteOption = None,
    data: DataOption = None,
) -> None:
    """Run a SPARQL SELECT or ASK and print the rows (CONSTRUCT prints Turtle)."""
    if (sparql is None) == (file is None):
        typer.echo("error: give a query or --file, not both", err=True)
        raise typer.Exit(2)
    with _reported_errors():
        text = sparql if sparql is not None else file.read_text(encoding="utf-8")  # type: ignore[union-attr]
        graph = _open(store=store, disk_path=disk_path, remote_query_url=remote_query_url, data=data)
        try:
            frame = graph.sparql(text)
        finally:
            graph.close()
    if output_format is TableFormat.csv:
        sys.stdout.write(frame.to_csv(index=False))
    elif output_format is TableFormat.json:
        typer.echo(json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(frame.to_string(index=False) if len(frame) else "(no rows)")


def _open(**options: Any) -> KnowledgeGraph:
    """The knowledge graph the settings describe, for the commands that read it."""
    from api.app import open_configured_store

    return KnowledgeGraph(open_configured_store(_settings(**options)))


if __name__ == "__main__":  # pragma: no cover
    app()
