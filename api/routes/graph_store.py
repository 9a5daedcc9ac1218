"""/store: the SPARQL 1.1 Graph Store HTTP Protocol (?graph=IRI or ?default).

GET and HEAD are open like queries; PUT, POST and DELETE are writes and need
the bearer token: the admin's, when a coders file is configured (they bypass the coding
model). Every write is atomic: data that does not parse (or, with
``?validate=shacl``, does not conform to the shapes) changes nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from rdflib import Dataset, URIRef
from starlette.concurrency import run_in_threadpool

from api.deps import RawWrites, SettingsDep, StoreDep
from api.errors import ApiError, error_responses
from api.negotiation import content_type_of, describe, negotiate, response_content
from graph.errors import ValidationFailedError
from graph.formats import N_TRIPLES, TRIPLE_FORMATS, find_format
from graph.prefixed import with_prefixes
from graph.sparql.uploads import check_rdf_upload, upload_triples
from graph.stores.base import Store
from graph.validation import shacl_problems

router = APIRouter(tags=["graph store"])


class Validation(StrEnum):
    """What an upload is checked against before it is written."""

    shacl = "shacl"


GraphParam = Annotated[
    str | None, Query(description="IRI of the named graph to act on (exclusive with `default`).")
]
DefaultParam = Annotated[
    str | None,
    Query(description="Present (`?default`, no value needed) to act on the default graph."),
]
FormatParam = Annotated[str | None, Query(alias="format", description="Format, overriding Accept.")]
ValidateParam = Annotated[
    Validation | None,
    Query(
        description="`shacl`: refuse (422, listing the violations) data that does not conform to the shapes."
    ),
]

_GRAPH_CONTENT = response_content(TRIPLE_FORMATS)
# Uploads are documented as text: they go on the wire as the bytes of the document.
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {f.media_type: {"schema": {"type": "string"}} for f in TRIPLE_FORMATS},
    }
}
_WRITE_ERRORS = error_responses(400, 401, 403, 413, 415, 422, 503)
_ADMIN_ONLY = (
    " A write here bypasses the coding model and its checks: with a coders file configured, only a coder "
    "of role admin (or the write token, the admin named 'admin') may make it; other coders get 403."
)


def _target(graph: str | None, default: str | None) -> str | None:
    """The graph named by the query string: an absolute IRI, or None for the default graph."""
    if (graph is None) == (default is None):
        raise ApiError(400, "name exactly one graph: ?graph=<absolute IRI> or ?default")
    if graph is not None and not urlsplit(graph).scheme:
        raise ApiError(400, f"the graph name must be an absolute IRI, not {graph!r}")
    return graph


def _label(graph: str | None) -> str:
    return "the default graph" if graph is None else f"graph <{graph}>"


async def _serialized_graph(
    request: Request, store: Store, graph: str | None, format_param: str | None
) -> tuple[bytes, str]:
    chosen = negotiate(TRIPLE_FORMATS, request.headers.get("accept"), format_param)
    if chosen is None:
        raise ApiError(406, f"a graph is available as {describe(TRIPLE_FORMATS)}")
    # Turtle gets the project's prefixes: the engine's dump has none.
    body = await run_in_threadpool(lambda: with_prefixes(store.get_graph(graph, chosen.media_type), chosen))
    return body, chosen.media_type


@router.get(
    "/store",
    summary="Read a graph",
    description="The graph named by `?graph=` (or `?default`), in the format negotiated by Accept "
    "(Turtle, N-Triples, JSON-LD, RDF/XML). 404 when the graph does not exist.",
    response_class=Response,
    responses={
        200: {"description": "The graph", "content": _GRAPH_CONTENT},
        **error_responses(400, 404, 406),
    },
)
async def get_graph(
    request: Request,
    store: StoreDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
    format_param: FormatParam = None,
) -> Response:
    body, media_type = await _serialized_graph(request, store, _target(graph, default), format_param)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


@router.head(
    "/store",
    summary="Check a graph",
    description="The headers GET would answer with, and no body: 200 when the graph exists, 404 otherwise.",
    response_class=Response,
    responses={200: {"description": "The graph exists"}, **error_responses(400, 404, 406)},
)
async def head_graph(
    request: Request,
    store: StoreDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
    format_param: FormatParam = None,
) -> Response:
    body, media_type = await _serialized_graph(request, store, _target(graph, default), format_param)
    headers = {"Content-Length": str(len(body)), "Content-Type": media_type, "Vary": "Accept"}
    return Response(status_code=200, headers=headers)


async def _upload(request: Request, graph: str | None) -> tuple[bytes, str]:
    """The request body and its RDF media type (415 for what cannot be read as one graph, 400 for
    RDF no parser may be given: RDF/XML with a DTD, JSON-LD nested too deep)."""
    content_type = content_type_of(request.headers.get("content-type"))
    upload_format = find_format(content_type, TRIPLE_FORMATS) if content_type else None
    if upload_format is None:
        raise ApiError(
            415, f"send {_label(graph)} as one of {describe(TRIPLE_FORMATS)}, not {content_type or 'nothing'}"
        )
    data = await request.body()
    check_rdf_upload(data, upload_format.media_type)  # before any parser, here or in the store, sees it
    return data, upload_format.media_type


def _check_shapes(store: Store, graph: str | None, data: bytes, media_type: str, *, replace: bool) -> None:
    """Raise ValidationFailedError unless the graph as it would be after the write conforms to the shapes."""
    resulting = Dataset()
    target = resulting.graph(URIRef(graph)) if graph is not None else resulting.default_graph
    target.parse(data=upload_triples(data, media_type, graph), format=N_TRIPLES.rdflib)
    if not replace and store.has_graph(graph):
        target.parse(data=store.get_graph(graph, N_TRIPLES.media_type), format=N_TRIPLES.rdflib)
    problems = shacl_problems(resulting)
    if problems:
        raise ValidationFailedError(
            f"{_label(graph)} would not conform to the shapes ({len(problems)} violations): "
            + "; ".join(problems)
        )


async def _write(
    request: Request,
    store: Store,
    graph: str | None,
    validate: Validation | None,
    *,
    replace: bool,
    timeout: float,
) -> Response:
    data, media_type = await _upload(request, graph)
    if validate is Validation.shacl:
        await run_in_threadpool(_check_shapes, store, graph, data, media_type, replace=replace)
    write = store.put_graph if replace else store.post_graph
    created = await run_in_threadpool(lambda: write(graph, data, media_type, timeout=timeout))
    return Response(status_code=201 if created else 204)


@router.put(
    "/store",
    summary="Replace a graph (needs the write token)",
    description="Replace the graph with the body (Turtle, N-Triples, JSON-LD or RDF/XML by Content-Type), "
    "atomically. 201 when the graph was created, 204 when it was replaced." + _ADMIN_ONLY,
    status_code=204,
    response_class=Response,
    responses={201: {"description": "Created"}, 204: {"description": "Replaced"}, **_WRITE_ERRORS},
    dependencies=[RawWrites],
    openapi_extra=_UPLOAD_BODY,
)
async def put_graph(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
    validate: ValidateParam = None,
) -> Response:
    target = _target(graph, default)
    return await _write(request, store, target, validate, replace=True, timeout=settings.query_timeout)


@router.post(
    "/store",
    summary="Add to a graph (needs the write token)",
    description="Add the triples of the body to the graph, atomically. 201 when the graph was created, "
    "204 when it existed." + _ADMIN_ONLY,
    status_code=204,
    response_class=Response,
    responses={201: {"description": "Created"}, 204: {"description": "Added"}, **_WRITE_ERRORS},
    dependencies=[RawWrites],
    openapi_extra=_UPLOAD_BODY,
)
async def post_graph(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
    validate: ValidateParam = None,
) -> Response:
    target = _target(graph, default)
    return await _write(request, store, target, validate, replace=False, timeout=settings.query_timeout)


@router.delete(
    "/store",
    summary="Delete a graph (needs the write token)",
    description="Remove the named graph (or empty the default graph). 404 when it does not exist."
    + _ADMIN_ONLY,
    status_code=204,
    response_class=Response,
    responses={204: {"description": "Deleted"}, **error_responses(400, 401, 403, 404, 503)},
    dependencies=[RawWrites],
)
async def delete_graph(
    store: StoreDep, settings: SettingsDep, graph: GraphParam = None, default: DefaultParam = None
) -> Response:
    target = _target(graph, default)
    await run_in_threadpool(lambda: store.delete_graph(target, timeout=settings.query_timeout))
    return Response(status_code=204)
