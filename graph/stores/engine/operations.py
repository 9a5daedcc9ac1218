"""The operations a store offers, as they run inside an engine process on a pyoxigraph store.

Readers, the disk writer and the memory store's successors all call :func:`execute`, which
turns every outcome, errors included, into a reply (see :mod:`graph.stores.engine.messages`).
"""

from __future__ import annotations

import contextlib
import os
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from graph.formats import JSON_LD, N_TRIPLES, RDF_XML, SPARQL_TSV, rdf_serializer, results_serializer
from graph.sparql.positions import error_position
from graph.sparql.rewriting import graph_update, query_form
from graph.sparql.uploads import check_rdf_payload, upload_as_ntriples
from graph.stores.datasets import DEFAULT_GRAPH
from graph.stores.engine.load_progress import counted
from graph.stores.engine.messages import LATEST, UPDATES, Reply, send_reply, unavailable
from graph.stores.engine.processes import limit_memory
from graph.stores.engine.sandbox import network_denied
from graph.stores.engine.serialization import RowCap, RowCapReached, solutions_as, triples_as


class _GraphNotFound(Exception):
    pass


# --- operations, run by readers, the disk writer or the memory dispatcher -------------------


def _term(encoded: tuple[str, ...]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind, value, *rest = encoded
    if kind == "iri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    datatype, language = rest
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)


# Whether a query's default graph is the union of all graphs (set once per engine process, from
# the store's options; forked workers inherit it), as Oxigraph server's --union-default-graph.
_union_default_graph = True


def _dataset(default_graphs: list[str] | None, named_graphs: list[str] | None) -> dict[str, Any]:
    if default_graphs is None and named_graphs is None:
        return {"use_default_graph_as_union": _union_default_graph}
    if default_graphs == [DEFAULT_GRAPH] and named_graphs is None:
        # SPARQL's own dataset: every named graph too, and a FROM in the query still applies.
        return {"use_default_graph_as_union": False}
    # SPARQL Protocol: once either list is given, the dataset is exactly what they name.
    return {
        "default_graph": [_graph(graph) for graph in default_graphs or ()],
        "named_graphs": [ox.NamedNode(graph) for graph in named_graphs or ()],
    }


def _graph(name: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if name == DEFAULT_GRAPH else ox.NamedNode(name)


def _query(
    store: ox.Store,
    max_rows: int | None,
    sparql: str,
    results_media_type: str,
    graph_media_type: str,
    default_graphs: list[str] | None,
    named_graphs: list[str] | None,
    bindings: dict[str, tuple[str, ...]],
) -> Reply:
    """Evaluate a query; the caller chose both media types from :mod:`graph.formats` beforehand."""
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(name): _term(term) for name, term in bindings.items()
    }
    result = store.query(sparql, substitutions=substitutions, **_dataset(default_graphs, named_graphs))
    if isinstance(result, ox.QueryBoolean):
        body = result.serialize(format=results_serializer(results_media_type)) or b""
        return ("bytes", ("ASK", results_media_type, False), body)
    if max_rows is None:
        if isinstance(result, ox.QuerySolutions):
            body = result.serialize(format=results_serializer(results_media_type)) or b""
            return ("bytes", ("SELECT", results_media_type, False), body)
        body = result.serialize(format=rdf_serializer(graph_media_type)) or b""
        return ("bytes", (_graph_form(sparql), graph_media_type, False), body)
    # The row cap: serialize one row per line (TSV, N-Triples) into a RowCap, which stops the
    # evaluation one row past the cap; the engine then re-serializes what was kept. pyoxigraph
    # asks nothing of its output but write() and flush().
    if isinstance(result, ox.QuerySolutions):
        cap = RowCap(max_rows, header_lines=1)
        with contextlib.suppress(RowCapReached):
            result.serialize(cast(IO[bytes], cap), format=results_serializer(SPARQL_TSV))
        body = solutions_as(cap.getvalue(), results_media_type)
        return ("bytes", ("SELECT", results_media_type, cap.truncated), body)
    cap = RowCap(max_rows, header_lines=0)
    with contextlib.suppress(RowCapReached):
        result.serialize(cast(IO[bytes], cap), format=rdf_serializer(N_TRIPLES))
    body = triples_as(cap.getvalue(), graph_media_type)
    return ("bytes", (_graph_form(sparql), graph_media_type, cap.truncated), body)


def _graph_form(sparql: str) -> str:
    return "DESCRIBE" if query_form(sparql) == "DESCRIBE" else "CONSTRUCT"


def _graph_term(graph: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


def _has_graph(store: ox.Store, graph: str | None) -> bool:
    return graph is None or store.contains_named_graph(ox.NamedNode(graph))


def _require_graph(store: ox.Store, graph: str | None) -> None:
    if not _has_graph(store, graph):
        raise _GraphNotFound(f"no graph <{graph}>")


def _get_graph(store: ox.Store, graph: str | None, media_type: str) -> Reply:
    _require_graph(store, graph)
    return (
        "bytes",
        None,
        store.dump(format=rdf_serializer(media_type), from_graph=_graph_term(graph)) or b"",
    )


def _write_graph(store: ox.Store, graph: str | None, data: bytes, media_type: str, replace: bool) -> bool:
    created = not _has_graph(store, graph)
    store.update(graph_update(graph, upload_as_ntriples(data, media_type, graph), replace=replace))
    return created


def _delete_graph(store: ox.Store, graph: str | None) -> None:
    _require_graph(store, graph)
    store.remove_graph(_graph_term(graph))


# Where a disk store's writer records that a bulk load is under way (set in the writer process;
# None in a memory store, whose data does not outlive its process anyway).
_bulk_load_marker: Path | None = None


def _is_empty(store: ox.Store) -> bool:
    return next(iter(store), None) is None and next(iter(store.named_graphs()), None) is None


def _mark_bulk_load(marker: Path, unfinished: bool) -> None:
    """Create or remove the marker file, durably (the directory entry synced too)."""
    if unfinished:
        with marker.open("wb") as file:
            os.fsync(file.fileno())
    else:
        marker.unlink(missing_ok=True)
    directory = os.open(marker.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _load_dataset(store: ox.Store, data: bytes, media_type: str, progress_path: str | None = None) -> None:
    """Add data to the store: all of it or, on any error, nothing.

    A store holding something loads in one transaction. An empty store takes Oxigraph's bulk
    loader instead (four times quicker, a third of the memory on a million triples), which is
    no transaction: a failed bulk load is undone by clearing the store, which was empty. On
    disk, a marker file is kept while the bulk load runs, so a store killed in the middle is
    found with its marker at the next open and cleared then (:func:`clear_unfinished_load`).
    With ``progress_path`` the bytes parsed are counted into that file as the parse goes
    (:mod:`graph.stores.engine.load_progress`).
    """
    check_rdf_payload(data, media_type)  # uploads reach here too: no parser may see billion laughs
    with counted(data, progress_path) as source:
        _load_source(store, source, media_type)


def _load_file(store: ox.Store, path: str, media_type: str) -> None:
    """A data file loaded as :func:`_load_dataset` loads bytes, read here: no other process holds a copy.

    The formats :func:`check_rdf_payload` looks into are read whole and checked (a refusal
    names the file); the others, which it passes, stream from the file to the parser.
    """
    if media_type not in (RDF_XML.media_type, JSON_LD.media_type):
        with Path(path).open("rb") as file:
            _load_source(store, file, media_type)
        return
    data = Path(path).read_bytes()
    try:
        check_rdf_payload(data, media_type)
    except SyntaxError as error:
        raise SyntaxError(f"{path}: {error}") from error
    _load_source(store, data, media_type)


def _load_source(store: ox.Store, source: bytes | IO[bytes], media_type: str) -> None:
    if not _is_empty(store):
        store.load(source, format=rdf_serializer(media_type))
        return
    if _bulk_load_marker is not None:
        _mark_bulk_load(_bulk_load_marker, unfinished=True)
    loaded = False
    try:
        store.bulk_load(source, format=rdf_serializer(media_type))
        store.flush()
        loaded = True
    finally:
        if not loaded:
            store.clear()
        if _bulk_load_marker is not None:
            _mark_bulk_load(_bulk_load_marker, unfinished=False)


def clear_unfinished_load(store: ox.Store, marker: Path) -> None:
    """Undo a bulk load the process was killed in: the store was empty before it began."""
    if marker.exists():
        store.clear()
        store.flush()
        _mark_bulk_load(marker, unfinished=False)


def _update_and_ask(store: ox.Store, sparql: str, ask: str) -> bool:
    """Apply an update, then answer an ASK on the store it left: the one writer lets no write between."""
    store.update(sparql)
    return bool(store.query(ask, **_dataset(None, None)))


def _holds_quads(store: ox.Store) -> bool:
    return next(iter(store), None) is not None


def _load_if_empty(store: ox.Store, data: bytes, media_type: str) -> bool:
    if _holds_quads(store):
        return False
    _load_dataset(store, data, media_type)
    return True


_OPERATIONS: dict[str, Callable[..., Any]] = {
    "graph_names": lambda store: [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)],
    "has_graph": _has_graph,
    "get_graph": _get_graph,
    "len": len,
    "holds_quads": _holds_quads,
    "update": lambda store, sparql: store.update(sparql),
    "update_and_ask": lambda store, sparql, ask: _update_and_ask(store, sparql, ask),
    "put_graph": lambda store, graph, data, media_type: _write_graph(store, graph, data, media_type, True),
    "post_graph": lambda store, graph, data, media_type: _write_graph(store, graph, data, media_type, False),
    "delete_graph": _delete_graph,
    "load_dataset": _load_dataset,
    "load_file": _load_file,
    "load_if_empty": _load_if_empty,
}


_NO_NETWORK = (
    "the engine tried to open a network connection (SERVICE or LOAD), which this store's workers "
    "may not: no host is reached unless STANCEGRAPH_OUTBOUND_HOSTS allows it"
)


def _refused_connection(error: OSError) -> bool:
    """Whether an engine error is the sandbox refusing a socket (or the name lookup before one)."""
    if not network_denied():
        return False
    # RocksDB's own errors are plain OSErrors naming a file; the refused socket is EACCES, and a
    # host name fails earlier, at its lookup.
    return isinstance(error, PermissionError) or "lookup address" in str(error)


def execute(store: ox.Store, operation: str, args: tuple[Any, ...], max_rows: int | None) -> Reply:
    """Run one operation on a store and turn its outcome, errors included, into a reply."""
    try:
        if operation in ("query", LATEST):
            return _query(store, max_rows, *args)
        value = _OPERATIONS[operation](store, *args)
        return value if isinstance(value, tuple) else ("ok", value)
    except SyntaxError as error:
        return ("error", "syntax", str(error), *error_position(str(error)))
    except _GraphNotFound as error:
        return ("error", "not_found", str(error), None, None)
    except OSError as error:
        if operation in ("query", *UPDATES) and _refused_connection(error):
            return ("error", "forbidden", _NO_NETWORK, None, None)
        return unavailable(str(error))
    except (RuntimeError, ValueError, TypeError) as error:
        return ("error", "evaluation", str(error), None, None)


RECYCLE_BYTES = 64 * 2**20
"""The memory a memory store's reader may make its own before it ends, after an answer that says so.

Reading pyoxigraph's in-memory store writes to the pages it reads (reference counts), so
each scan of a forked snapshot copies them: a reader that went over a million quads holds a
private copy of most of the store. A new fork shares them all again, for a millisecond."""


def _faulted_bytes() -> int:
    """Memory this process has faulted in since it started (copy-on-write copies included)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt * resource.getpagesize()


def serve_reads(
    connection: Connection,
    open_store: Callable[[], ox.Store],
    max_rows: int | None,
    memory_limit: int | None,
    recycle_bytes: int | None = None,
) -> None:
    """A reader's loop: open the store, then answer each operation until the dispatcher goes.

    Each reply is headed by whether the reader ends after it: once it has faulted in more
    than ``recycle_bytes`` (None: never).
    """
    try:
        store: ox.Store | None = open_store()
        failure: Reply | None = None
    except (OSError, RuntimeError) as error:
        store, failure = None, unavailable(f"cannot open the store to read: {error}")
    limit_memory(memory_limit)  # after the open: what the store maps is not the request's
    faulted = _faulted_bytes()
    while True:
        try:
            operation, args = connection.recv()
        except EOFError:
            return
        reply = failure or execute(store, operation, args, max_rows)  # type: ignore[arg-type]
        ending = recycle_bytes is not None and _faulted_bytes() - faulted > recycle_bytes
        send_reply(connection, reply, ending)
        if ending:
            return


def configure(*, union_default_graph: bool) -> None:
    """Set, once per engine process, whether a query's default graph is the union of all graphs."""
    global _union_default_graph
    _union_default_graph = union_default_graph


def set_bulk_load_marker(marker: Path | None) -> None:
    """Where this process records that a bulk load is under way (the disk writer's own file)."""
    global _bulk_load_marker
    _bulk_load_marker = marker
