"""/sparql: the SPARQL 1.1 Protocol query operation.

Query by GET, by POST of an HTML form, or by POST of the query itself. The
store serializes the result and its bytes stream to the client untouched. A
result cut at the row cap carries ``X-Result-Truncated: true``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.deps import policy_of, settings_of, store_of
from api.encoding import decode_fields, decode_utf8
from api.errors import ApiError, error_responses
from api.negotiation import (
    FormatChoice,
    content_type_of,
    describe,
    format_choices,
    negotiate_choices,
    response_content,
    unknown_choice,
)
from api.routes.service import service_description_response
from graph.formats import GRAPH_FORMATS, RESULTS_FORMATS
from graph.prefixed import PREFIXED_FORMATS, with_prefixes
from graph.stores.base import AsyncQueryStore
from graph.stores.datasets import DEFAULT_GRAPH

router = APIRouter(tags=["sparql"])

TRUNCATED_HEADER = "X-Result-Truncated"

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"

_QUERY_DOC = "The SPARQL query. Without it, GET answers with the service description."
_DEFAULT_GRAPH_DOC = "IRI of a graph to use as (part of) the default graph; repeatable. Overrides FROM."
_NAMED_GRAPH_DOC = "IRI of a graph to make available to GRAPH; repeatable. Overrides FROM NAMED."
_FORMAT_DOC = (
    "Result format, overriding Accept: json, xml, csv, tsv (SELECT/ASK); turtle (n3, ttl), ntriples (nt), "
    "jsonld (json-ld), rdfxml (rdf+xml, rdf), nquads, trig (CONSTRUCT/DESCRIBE); or a media type. A name "
    "means the format of the query's kind, as in Fuseki: `json` is JSON-LD and `xml` RDF/XML for "
    "CONSTRUCT and DESCRIBE. A name of the other kind only (`turtle` for SELECT) is passed over and "
    "Accept decides; a name of no format is refused with 406. Repeatable; the first that fits wins."
)
_OUTPUT_DOC = "Same as `format` (the name Fuseki and SPARQLWrapper also send); `format` is read first."


def _parameter(name: str, description: str, *, repeatable: bool = False) -> dict[str, object]:
    schema = {"type": "array", "items": {"type": "string"}} if repeatable else {"type": "string"}
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


# The routes parse their URL parameters with decode_fields, which they need anyway to refuse
# bytes that are not UTF-8: FastAPI's solving of declared parameters would cost several times
# that on the route every client hits. So the parameters are documented here, by hand.
_DATASET_PARAMETERS = [
    _parameter("default-graph-uri", _DEFAULT_GRAPH_DOC, repeatable=True),
    _parameter("named-graph-uri", _NAMED_GRAPH_DOC, repeatable=True),
    _parameter("format", _FORMAT_DOC, repeatable=True),
    _parameter("output", _OUTPUT_DOC, repeatable=True),
]

_RESULT_CONTENT = response_content((*RESULTS_FORMATS, *GRAPH_FORMATS))
_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The result as the engine serialized it: SPARQL results for SELECT/ASK, RDF for "
        f"CONSTRUCT/DESCRIBE. `{TRUNCATED_HEADER}: true` when the row cap cut it.",
        "content": _RESULT_CONTENT,
    },
    **error_responses(400, 406, 413, 415, 422, 503, 504),
}


@router.get(
    "/sparql",
    name="sparql_get",
    summary="Query by GET (or the service description)",
    description="SPARQL 1.1 Protocol query via GET. With no `query`, answers with the SPARQL service "
    "description (Turtle, N-Triples, JSON-LD or RDF/XML by Accept); a browser (Accept preferring "
    "text/html) is redirected (303) to the page's SPARQL editor.",
    response_class=Response,
    responses={
        **_RESPONSES,
        303: {"description": "No `query` and a browser's Accept: go to the page's SPARQL editor."},
    },
    openapi_extra={"parameters": [*_DATASET_PARAMETERS, _parameter("query", _QUERY_DOC)]},
)
async def sparql_get(request: Request) -> Response:
    fields = decode_fields(request.scope["query_string"], "query string")
    queries = fields.get("query")
    if queries is None:
        return service_description_response(request, settings_of(request))
    if len(queries) > 1:
        raise ApiError(400, "give exactly one 'query' parameter")
    return await run_query(
        request,
        queries[0],
        fields.get("default-graph-uri", []),
        fields.get("named-graph-uri", []),
        format_choices(fields),
    )


@router.post(
    "/sparql",
    name="sparql_post",
    summary="Query by POST (form or direct)",
    description="SPARQL 1.1 Protocol query via POST: either an HTML form "
    f"(`{FORM}` with `query`, `default-graph-uri`, `named-graph-uri`) or the query itself as the body "
    f"(`{SPARQL_QUERY}`, dataset parameters in the URL).",
    response_class=Response,
    responses=_RESPONSES,
    openapi_extra={
        "parameters": _DATASET_PARAMETERS,
        "requestBody": {
            "required": True,
            "content": {
                FORM: {
                    "schema": {
                        "type": "object",
                        "required": ["query"],
                        "properties": {
                            "query": {"type": "string", "description": _QUERY_DOC},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                    }
                },
                SPARQL_QUERY: {"schema": {"type": "string"}},
            },
        },
    },
)
async def sparql_post(request: Request) -> Response:
    fields = decode_fields(request.scope["query_string"], "query string")
    default_graphs = fields.get("default-graph-uri", [])
    named_graphs = fields.get("named-graph-uri", [])
    choices = format_choices(fields)
    content_type = content_type_of(request.headers.get("content-type"))
    if content_type == FORM:
        form = decode_fields(await request.body(), "form")
        queries = form.get("query", [])
        if len(queries) != 1:
            raise ApiError(400, "the form must have exactly one 'query' field")
        query = queries[0]
        default_graphs = [*default_graphs, *form.get("default-graph-uri", [])]
        named_graphs = [*named_graphs, *form.get("named-graph-uri", [])]
        choices = format_choices(fields, form)
    elif content_type == SPARQL_QUERY:
        query = decode_utf8(await request.body())
    else:
        raise ApiError(415, f"POST a query as {FORM} or as {SPARQL_QUERY}, not {content_type or 'nothing'}")
    return await run_query(request, query, default_graphs, named_graphs, choices)


def _default_graphs(
    default_graphs: Sequence[str], named_graphs: Sequence[str], union: bool
) -> list[str] | None:
    # The store's default graph is the union, for the service's own queries; a client names no
    # dataset and reads SPARQL's standard one, unless the endpoint serves the union (the setting).
    if default_graphs or named_graphs or union:
        return list(default_graphs) or None
    return [DEFAULT_GRAPH]


async def run_query(
    request: Request,
    query: str,
    default_graphs: Sequence[str],
    named_graphs: Sequence[str],
    choices: Sequence[FormatChoice],
) -> Response:
    """Check, run and stream one query, in the format negotiated for its form (Accept or ``format``)."""
    accept = request.headers.get("accept")
    unknown = unknown_choice(choices, (*RESULTS_FORMATS, *GRAPH_FORMATS))
    if unknown is not None:
        raise ApiError(
            406,
            f"{unknown[0]}={unknown[1]} names no format this endpoint serves; it serves {_served()} "
            "(by name, e.g. json, csv, turtle, n3, json-ld, rdf+xml, or by media type)",
        )
    # Looked up directly, not declared as dependencies: FastAPI's solving of each costs more
    # than the look-up by far, on the route every client hits.
    store, settings, policy = store_of(request), settings_of(request), policy_of(request)
    # Only the engine's parse tells the form, so both kinds of format are chosen up front.
    results_format = negotiate_choices(RESULTS_FORMATS, accept, choices)
    graph_format = negotiate_choices(GRAPH_FORMATS, accept, choices)
    if results_format is None and graph_format is None:
        raise _not_acceptable(accept)
    policy.check_dataset_parameters(default_graphs, named_graphs)
    # The quick scan is a few regular expressions, which hold the GIL in any thread: it runs
    # here, and only a parse (rare: the engine may read a keyword) goes to the thread pool.
    outbound = policy.needs_full_check(query) and await run_in_threadpool(
        policy.check_query, query, store.has_graph
    )
    options: dict[str, Any] = {
        "results_media_type": results_format or RESULTS_FORMATS[0],
        "graph_media_type": graph_format or GRAPH_FORMATS[0],
        "default_graphs": _default_graphs(default_graphs, named_graphs, settings.union_default_graph),
        "named_graphs": list(named_graphs) or None,
        "timeout": settings.query_timeout,
        "outbound": outbound,  # only a query the policy allowed out may reach the network
    }
    if isinstance(store, AsyncQueryStore):  # no thread: the engine's reply wakes the loop
        result = await store.query_async(query, **options)
    else:
        result = await run_in_threadpool(store.query, query, **options)
    chosen = results_format if result.form in ("SELECT", "ASK") else graph_format
    if chosen is None:
        close = getattr(result.chunks, "close", None)
        if close is not None:
            close()
        raise _not_acceptable(accept, result.form)
    headers = {**result.headers, "Vary": "Accept"}
    if result.truncated:
        headers[TRUNCATED_HEADER] = "true"
    if chosen in PREFIXED_FORMATS:
        # The engine writes no prefixes; a graph people read gets the project's. The row cap
        # bounds the result, so holding it whole to rewrite it is bounded too.
        body = await run_in_threadpool(lambda: with_prefixes(result.read(), chosen))
        return Response(body, media_type=result.media_type, headers=headers)
    if result.body is not None:
        return Response(result.body, media_type=result.media_type, headers=headers)
    # A sync iterator: Starlette pulls it in the thread pool, so a remote's stream never blocks the loop.
    return StreamingResponse(result.chunks, media_type=result.media_type, headers=headers)


def _served() -> str:
    return (
        f"SELECT and ASK results as {describe(RESULTS_FORMATS)}; "
        f"CONSTRUCT and DESCRIBE results as {describe(GRAPH_FORMATS)}"
    )


def _not_acceptable(accept: str | None, form: str | None = None) -> ApiError:
    subject = f"{form} results" if form else "this query"
    return ApiError(406, f"cannot serve {subject} as Accept: {accept}; this endpoint serves {_served()}")
