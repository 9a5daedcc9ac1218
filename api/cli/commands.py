"""The ``stancegraph`` commands: serve, build, validate, add-document, schema, query, export, info,
export-coding, import-coding (``load`` is in :mod:`api.cli.loading`).

``serve`` needs the web app; every other command only calls ``graph/``. Errors
are printed as one line (a coding error names file and line) with exit code 1,
never a traceback.
"""

from __future__ import annotations

import getpass
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api import coding_files, query_output
from api.cli.base import (
    DataOption,
    DiskPathOption,
    RemoteOption,
    RemoteUpdateOption,
    StoreOption,
    app,
    opened_store,
    reported_errors,
    settings_from,
)
from graph.formats import EXPORT_FORMATS, find_format, format_for_file
from graph.subgraph import MAX_DEPTH, Mode, cbd, ego_subgraph


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
    union_default_graph: Annotated[
        bool | None,
        typer.Option(
            "--union-default-graph/--no-union-default-graph",
            help="The SPARQL endpoint's default graph is the union of all graphs (default: on for the "
            "embedded data, off with --data: the files' default graph, as SPARQL defines it; REST reads "
            "the union either way).",
        ),
    ] = None,
    access_log: Annotated[
        bool | None,
        typer.Option(
            "--access-log/--no-access-log",
            help="One line per request on stdout: method, path, status, time in ms (default: on).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="API processes on the port (default 1); more than one needs --store remote."),
    ] = None,
    coders_file: Annotated[
        Path | None,
        typer.Option(
            help="YAML file of the coders: coders: [{name, role, token_sha256}] (roles reader, coder, "
            "reviewer, admin; the SHA-256 of each bearer token, never the token). Checked at start."
        ),
    ] = None,
) -> None:
    """Serve the SPARQL endpoint, REST resources and web page (default: the embedded data in memory)."""
    from api.server import run

    with reported_errors():
        run(
            settings_from(
                store=store,
                disk_path=disk_path,
                remote_query_url=remote_query_url,
                remote_update_url=remote_update_url,
                data=data,
                host=host,
                port=port,
                public_url=public_url,
                union_default_graph=union_default_graph,
                access_log=access_log,
                workers=workers,
                coders_file=coders_file,
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
    from api.progress import stage_bars
    from graph.coding import build as build_files
    from graph.paths import DATA_DIR

    with reported_errors(), stage_bars({"compiling": "files"}) as progress:
        count = build_files(data_dir or DATA_DIR, output, progress=progress)
    typer.echo(f"wrote {count} quads to {output}")


@app.command()
def validate(
    data_dir: Annotated[Path | None, typer.Option(help="Folder of coding files (default: data/).")] = None,
) -> None:
    """Check the coding files: SHACL shapes, and every quote against its source text."""
    from graph.paths import DATA_DIR
    from graph.validation import validate_data

    with reported_errors():
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
    with reported_errors():
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


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="The SPARQL query (or use --file).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a file.")] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--format", help=query_output.FORMAT_HELP),
    ] = None,
    store: StoreOption = None,
    disk_path: DiskPathOption = None,
    remote_query_url: RemoteOption = None,
    data: DataOption = None,
) -> None:
    """Run a SPARQL query of any form: SELECT and ASK print results, CONSTRUCT and DESCRIBE a graph."""
    if (sparql is None) == (file is None):
        typer.echo("error: give a query or --file, not both", err=True)
        raise typer.Exit(2)
    terminal = sys.stdout.isatty()
    with reported_errors():
        text = sparql if sparql is not None else file.read_text(encoding="utf-8")  # type: ignore[union-attr]
    options = {"store": store, "disk_path": disk_path, "remote_query_url": remote_query_url, "data": data}
    try:
        # As the HTTP endpoint asks (api.routes.sparql): a format for each kind of result, up front.
        results_format, graph_format = query_output.plan(text, output_format, terminal=terminal)
        with opened_store(**options) as opened:
            result = opened.query(text, results_media_type=results_format, graph_media_type=graph_format)
            query_output.print_result(result, output_format, sys.stdout.buffer, terminal=terminal)
    except query_output.FormatMismatchError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    if result.truncated:
        typer.echo("warning: the result was cut at the row cap (STANCEGRAPH_MAX_RESULT_ROWS)", err=True)


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
    from api.export_report import summary, write_file
    from api.progress import stage_bars
    from graph.export import SELF_CONTAINED, export_name, ontology_graph
    from graph.export import export as serialize
    from graph.progress import counting

    if output_format is not None:
        chosen = find_format(output_format, EXPORT_FORMATS)
    else:
        chosen = format_for_file(output, EXPORT_FORMATS)
    if chosen is None:
        typer.echo(f"error: give --format: the extension of {output.name} names no format", err=True)
        raise typer.Exit(2)
    options = {"store": store, "disk_path": disk_path, "remote_query_url": remote_query_url, "data": data}
    bars = stage_bars({"selecting": "hops", "writing": "bytes"})
    with opened_store(**options) as opened, bars as progress:
        if mode is Mode.cbd:
            subgraph, name = cbd(opened, focus), export_name(focus)
        else:
            subgraph, name = ego_subgraph(opened, focus, depth, progress), export_name(focus, depth)
        ontology = ontology_graph(opened) if chosen.name in SELF_CONTAINED else None
        progress("serializing", 0, None)  # one call: no steps to tell, only its end
        body = serialize(subgraph, chosen.name, ontology=ontology, name=name)
        progress("serializing", 1, 1)
        write_file(output, body, counting(progress, "writing", len(body)))
    typer.echo(summary(body, chosen, len(subgraph), focus, output))


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

    with opened_store(**options) as opened:
        counts = graph_counts(opened)
    width = max(map(len, counts))
    for name, count in counts.items():
        typer.echo(f"{name:<{width}}  {count}")


@app.command("export-coding")
def export_coding(
    document: Annotated[str | None, typer.Argument(help="The document's id.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File (default: stdout).")] = None,
    registry: Annotated[bool, typer.Option(help="The entity registry (entities.yaml) instead.")] = False,
    store: StoreOption = None, disk_path: DiskPathOption = None, data: DataOption = None,
) -> None:  # fmt: skip
    """Write a document's coding as the store holds it, in the YAML that `build` reads."""
    coding_files.write_export(
        opened_store(store=store, disk_path=disk_path, data=data), document, output, registry
    )


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment or the password database
        return "import-coding"


@app.command("import-coding")
def import_coding(
    file: Path,
    registry: Annotated[Path | None, typer.Option(help="Default: entities.yaml beside it.")] = None,
    force: Annotated[
        bool, typer.Option(help="Replace anyway: triples no file says, newer revisions of its positions.")
    ] = False,
    coder: Annotated[
        str, typer.Option(help="Whose revisions the changes are (default: the login name).")
    ] = "",
    store: StoreOption = None, disk_path: DiskPathOption = None,
) -> None:  # fmt: skip
    """Check a coding file as `build` does and replace its document's graphs in the store, atomically;
    each position it changes becomes a revision (refused where the store's is newer than the file's)."""
    checked, kind = coding_files.checked_file(file, registry), coding_files.lasting(store)
    opened = opened_store(store=kind, disk_path=disk_path)
    coding_files.run_import(opened, file, registry, force, checked, coder or _login_name())
