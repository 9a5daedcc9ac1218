"""The ``export-coding`` and ``import-coding`` commands' work: coding files to and from a store.

:mod:`api.cli` declares the commands; this does their work and says what went wrong as the
command line should: an unknown document or a broken coding file exits with status 2,
naming the document or the file and line; a conflict with the stored graphs with status 1.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import typer

from api.settings import Settings, StoreKind
from graph.coding.export import export_coding, export_registry, source_of
from graph.coding.importing import check_coding_file, import_coding
from graph.coding.load import Coding
from graph.coding.quotes import sha256
from graph.coding.scope import Scope
from graph.errors import CodingError, ConflictError, NotFoundError
from graph.stores.base import Store


def _fail(message: str, status: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(status)


def write_export(
    opened: AbstractContextManager[Store], document: str | None, output: Path | None, registry: bool
) -> None:
    """Write the coding of ``document`` (or, ``registry``, the entity registry) to ``output`` or stdout,
    reading the store ``opened`` opens.

    Beside a file, the document's source text is written where the coding names it, if missing;
    one there that differs from the stored text is an error (a build would not find the quotes).
    """
    if registry == (document is not None):
        raise _fail("give a DOCUMENT id or --registry (one of the two)", 2)
    with opened as store:
        try:
            # Over an earlier file of it, its order is kept, so that a diff shows only what changed.
            text = (
                export_registry(store, output) if document is None else export_coding(store, document, output)
            )
            source = source_of(store, document) if document is not None and output is not None else None
        except NotFoundError as error:
            raise _fail(str(error), 2) from None
    if output is None:
        typer.echo(text, nl=False)
        return
    if source is not None:
        path, stored = output.parent / source[0], source[1]
        if path.is_file() and sha256(path.read_text(encoding="utf-8")) != sha256(stored):
            raise _fail(f"{path} differs from the text the store holds for {document!r}", 1)
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(stored, encoding="utf-8")
            typer.echo(f"wrote {path}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}")


def checked_file(file: Path, registry: Path | None) -> tuple[Coding, Scope]:
    """The coding file checked as a build checks it; exit status 2 naming file and line if it is broken."""
    try:
        return check_coding_file(file, registry)
    except CodingError as error:
        raise _fail(str(error), 2) from None
    except OSError as error:
        raise _fail(f"{file}: {error.strerror or error}", 2) from None


def run_import(
    opened: AbstractContextManager[Store],
    file: Path,
    registry: Path | None,
    force: bool,
    checked: tuple[Coding, Scope],
    coder: str,
) -> None:
    """Import ``file`` (``checked`` by :func:`checked_file`) into the store ``opened`` opens, in
    place of its document's graphs, as ``coder``'s revisions, and say what was done."""
    with opened as store:
        try:
            report = import_coding(store, file, registry, force, checked, coder)
        except CodingError as error:
            raise _fail(str(error), 2) from None
        except ConflictError as error:
            raise _fail(str(error), 1) from None
    done = "created" if report.created else "replaced"
    typer.echo(f"{done} document {report.slug!r}: {report.triples} triples")


def lasting(store: StoreKind | None) -> StoreKind:
    """The store an import writes to: the settings' (environment, then option), never the memory
    store, whose writes end with the command."""
    chosen: StoreKind = store or Settings().store
    if chosen == "memory":
        raise _fail("import-coding writes to a store that lasts: give --store disk or --store remote", 2)
    return chosen
