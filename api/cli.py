"""The ``stancegraph`` command: serve, build, validate, add-document, schema, query, export, info, load.

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
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError

from api.settings import Settings, StoreKind
from graph.errors import GraphError
from graph.formats import EXPORT_FORMATS, find_format, format_for_file
from graph.knowledge import KnowledgeGraph
from graph.stores.base import Store
from graph.subgraph import MAX_DEPTH, Mode, cbd, ego_subgraph

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


@contextmanager
def _opened_store(**options: Any) -> Iterator[Store]:
    """The store the settings (environment, then options) describe, with its data; closed on leaving."""
    from api.main import open_configured_store

    with _reported_errors():
        store = open_configured_store(_settings(**options))
        try:
            yield store
        finally:
            store.close()


@app.command()
def serve(
    store: StoreOption = None,
    disk_path: DiskPathOption = None,
    remote_query_url: RemoteOption = None,
    remote_update_url: RemoteUpdateOption = None,
    data: DataOption = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8000).")] = None,
    public_url: Annotated[
        str | None,
        typer.Option(help="URL clients reach the service at, e.g. behind a proxy (default: its address)."),
    ] = None,
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
                public_url=public_url,
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


@app.command("add-document")
def add_document(
    source: Annotated[Path, typer.Argument(help="The source text (UTF-8), e.g. data/sources/report.txt.")],
    title: Annotated[str, typer.Option(help="The document's title, as it gives it.")],
    date: Annotated[
        str | None, typer.Option(help="As the source gives it: 2025, 2025-03, 2025-03-14 or a date-time.")
    ] = None,
    publisher: Annotated[str | None, typer.Option(help="The outlet that published it.")] = None,
    author: Annotated[str | None, typer.Option(help="Who wrote it.")] = None,
    url: Annotated[str | None, typer.Option(help="Where it was published (http or https).")] = None,
    slug: Annotated[str | None, typer.Option(help="Its id (default: from the file name).")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Folder of coding files (default: data/).")] = None,
) -> None:
    """Write a new coding file for a source text: its document block filled in, the rest to code."""
    from graph.coding import default_slug, scaffold_coding
    from graph.paths import DATA_DIR

    folder = data_dir or DATA_DIR
    with _reported_errors():
        text = scaffold_coding(
            source, folder, title=title, date=date, publisher=publisher, author=author, url=url, slug=slug
        )
        path = folder / f"{slug or default_slug(source)}.yaml"
        with path.open("x", encoding="utf-8") as file:  # never over a coding already there
            file.write(text)
    typer.echo(f"wrote {path}: code its positions, then run `stancegraph validate`")


@app.command()
def schema(
    registry: Annotated[
        bool, typer.Option(help="The schema of the entity registry (entities.yaml) instead.")
    ] = False,
) -> None:
    """Print the JSON Schema of a coding file, for editors to validate and complete coding files with."""
    from graph.coding import json_schema_text, registry_json_schema_text

    typer.echo(registry_json_schema_text() if registry else json_schema_text(), nl=False)


# Typer offers an Enum's values as the choices: the export formats' names, from the registry.
if TYPE_CHECKING:
    ExportFormatName = str
else:
    ExportFormatName = StrEnum("ExportFormatName", [(f.name, f.name) for f in EXPORT_FORMATS])


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
    options = {"store": store, "disk_path": disk_path, "remote_query_url": remote_query_url, "data": data}
    with _opened_store(**options) as opened:
        text = sparql if sparql is not None else file.read_text(encoding="utf-8")  # type: ignore[union-attr]
        frame = KnowledgeGraph(opened).sparql(text)
    if output_format is TableFormat.csv:
        sys.stdout.write(frame.to_csv(index=False))
    elif output_format is TableFormat.json:
        typer.echo(json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(frame.to_string(index=False) if len(frame) else "(no rows)")


@app.command()
def export(
    focus: Annotated[str, typer.Option(help="Id (e.g. canada) or IRI of the entity at the centre.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    depth: Annotated[int, typer.Option(min=1, max=MAX_DEPTH, help="Hops from the focus (ego mode).")] = 2,
    mode: Annotated[Mode, typer.Option(help="ego: neighbourhood; cbd: Concise Bounded Description.")] = (
        Mode.ego
    ),
    output_format: Annotated[
        ExportFormatName | None,
        typer.Option("--format", help="Default: from the file's extension (.ttl, .owl, .graphml, ...)."),
    ] = None,
    store: StoreOption = None,
    disk_path: DiskPathOption = None,
    remote_query_url: RemoteOption = None,
    data: DataOption = None,
) -> None:
    """Export the neighbourhood of an entity: Turtle and RDF/XML open in Protégé, GraphML in Gephi."""
    from graph.export import SELF_CONTAINED, export_name, ontology_graph
    from graph.export import export as serialize

    if output_format is not None:
        chosen = find_format(output_format, EXPORT_FORMATS)
    else:
        chosen = format_for_file(output, EXPORT_FORMATS)
    if chosen is None:
        typer.echo(f"error: give --format: the extension of {output.name} names no format", err=True)
        raise typer.Exit(2)
    options = {"store": store, "disk_path": disk_path, "remote_query_url": remote_query_url, "data": data}
    with _opened_store(**options) as opened:
        if mode is Mode.cbd:
            subgraph, name = cbd(opened, focus), export_name(focus)
        else:
            subgraph, name = ego_subgraph(opened, focus, depth), export_name(focus, depth)
        ontology = ontology_graph(opened) if chosen.name in SELF_CONTAINED else None
        body = serialize(subgraph, chosen.name, ontology=ontology, name=name)
        output.write_bytes(body)
    typer.echo(f"wrote {len(subgraph)} triples around {focus} to {output} ({chosen.name})")


@app.command()
def info(
    store: StoreOption = None,
    disk_path: DiskPathOption = None,
    remote_query_url: RemoteOption = None,
    data: DataOption = None,
) -> None:
    """Count what the graph holds: quads, named graphs, positions, stakeholders, targets, documents."""
    options = {"store": store, "disk_path": disk_path, "remote_query_url": remote_query_url, "data": data}
    from graph.read import graph_counts

    with _opened_store(**options) as opened:
        counts = graph_counts(opened)
    width = max(map(len, counts))
    for name, count in counts.items():
        typer.echo(f"{name:<{width}}  {count}")


@app.command()
def load(
    files: Annotated[
        list[Path], typer.Argument(help="RDF files: Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD.")
    ],
    disk_path: DiskPathOption = None,
) -> None:
    """Load RDF files into the disk store, each in one transaction (named graphs kept).

    Ctrl-C stops at once: the file being loaded is then in the store whole or not at all,
    and the command says which (exit status 130).
    """
    from graph.formats import media_type_for_file
    from graph.stores import DiskStore

    with _reported_errors():
        try:
            media_types = [media_type_for_file(path) for path in files]
        except ValueError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
        location = _settings(disk_path=disk_path).disk_path
        under_way: Path | None = None  # the file being loaded
        before: int | None = None  # the quads in the store before it, once counted
        try:
            with DiskStore(location) as store:
                try:
                    for path, media_type in zip(files, media_types, strict=True):
                        typer.echo(f"loading {path}")
                        under_way, before = path, None
                        before = len(store)
                        store.load_dataset(path.read_bytes(), media_type)
                        under_way = None
                        typer.echo(f"loaded {path}")
                    typer.echo(f"{len(store)} quads in {location}")
                except KeyboardInterrupt:
                    # Killed now, not left to finish: a disk store killed mid-load comes back
                    # all or nothing (graph.stores.disk), and reopening it tells which.
                    store.kill()
                    raise
        except KeyboardInterrupt:
            _report_interrupted_load(location, under_way, before)


def _report_interrupted_load(location: Path, path: Path | None, before: int | None) -> None:
    """Say what a Ctrl-C during the load of ``path`` left in the store, and exit 130 (SIGINT's code).

    ``before`` is None when the load had not been sent to the store yet.
    """
    if path is None:
        typer.echo("interrupted: the files reported loaded are in the store, nothing else", err=True)
        raise typer.Exit(130)
    after = before if before is None else _quads_once_settled(location, path)
    if after == before:
        typer.echo(f"interrupted: nothing of {path} was loaded; the store is as it was", err=True)
    else:
        message = f"interrupted after the load committed: the store holds the whole of {path} ({after} quads)"
        typer.echo(message, err=True)
    raise typer.Exit(130)


def _quads_once_settled(location: Path, path: Path) -> int:
    """The quads in the store after an interrupted load; opening it clears a bulk load cut short."""
    from graph.stores import DiskStore

    try:
        with DiskStore(location) as store:
            return len(store)
    except KeyboardInterrupt:
        settled = "its next open settles which"
        typer.echo(f"interrupted again: {path} is in the store whole or not at all; {settled}", err=True)
        raise typer.Exit(130) from None


if __name__ == "__main__":  # pragma: no cover
    app()
