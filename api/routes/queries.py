"""Named queries over REST, in the manner of grlc: list the competency questions, run one by name.

Every ``queries/*.rq`` file becomes its own operation, ``GET /queries/<name>``,
with its parameters declared and typed in OpenAPI (ids with their pattern,
integers, booleans). Values are bound as RDF terms by
:func:`graph.queries.bind_parameters`, never pasted into the text: an ``id``
holding SPARQL syntax is refused (422), a ``string`` holding it is one literal.
A query file added after the app started is still served, by the catch-all
route, without its own OpenAPI entry.

Answers: ``{"query", "columns", "rows"}`` with plain values by default;
``text/csv`` (or ``?format=csv``), TSV and the SPARQL result formats as the
engine serialized them.
"""

from __future__ import annotations

import inspect
import keyword
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from typing_extensions import TypedDict

from api.deps import MinSources, ServiceWrittenQueries, SettingsDep, StoreDep
from api.errors import ApiError, error_responses
from api.negotiation import describe, negotiate, response_content
from api.routes.sparql import TRUNCATED_HEADER
from api.settings import Settings
from graph.analysis import CountedTable, counted_query_table
from graph.errors import ValidationFailedError
from graph.formats import RESULTS_FORMATS, SPARQL_CSV, TABLE, MediaFormat
from graph.namespaces import SLUG_PATTERN
from graph.queries import (
    MAX_INTEGER,
    NamedQuery,
    Parameter,
    ParameterValue,
    bind_parameters,
    list_queries,
    load_query,
)
from graph.stores.base import QueryResult, Store

router = APIRouter(tags=["named queries"], dependencies=[ServiceWrittenQueries])

FORMATS = (TABLE, *RESULTS_FORMATS)
FORMAT_PARAMETER = "format"
MIN_SOURCES_PARAMETER = "min_sources"
_SERVICE_PARAMETERS = (FORMAT_PARAMETER, MIN_SOURCES_PARAMETER)

# A time travels as its text: graph.queries reads the forms a date or date-time may take.
_PYTHON_TYPES: dict[str, type] = {
    "id": str,
    "iri": str,
    "string": str,
    "integer": int,
    "boolean": bool,
    "datetime": str,
    "datetime-end": str,
}
_PATTERNS = {"id": SLUG_PATTERN}


class ParameterInfo(TypedDict):
    name: str
    type: str
    default: str | None
    required: bool
    description: str


class QueryInfo(TypedDict):
    name: str
    summary: str
    description: str
    parameters: list[ParameterInfo]


def query_info(query: NamedQuery) -> QueryInfo:
    """A named query's header as JSON."""
    return QueryInfo(
        name=query.name,
        summary=query.summary,
        description=query.description,
        parameters=[
            ParameterInfo(
                name=p.name,
                type=p.type,
                default=p.default,
                required=p.required and p.default is None,
                description=p.description,
            )
            for p in query.parameters
        ],
    )


@router.get(
    "/queries",
    summary="List the named queries",
    description="The competency questions: name, summary, description and typed parameters of each.",
    response_model=list[QueryInfo],
)
def list_named_queries() -> list[QueryInfo]:
    return [query_info(query) for query in list_queries()]


TABLE_SCHEMA: dict[str, object] = {
    "type": "object",
    "description": "The rows with plain values (IRIs as strings, numbers and booleans as JSON ones).",
    "required": ["query", "columns", "rows", "truncated"],
    "properties": {
        "query": {"type": "string"},
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {"type": "array", "items": {"type": "object"}},
        "truncated": {"type": "boolean", "description": "Whether the row cap cut the result."},
        "undated": {
            "type": ["integer", "null"],
            "description": "Positions `from`/`to` left out for want of a date (null: no bound given, "
            "or the rows name no position).",
        },
    },
}
_FORMAT_DOC = "Result format, overriding Accept: table (JSON rows, the default), json, xml, csv, tsv."
_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The rows: JSON `{query, columns, rows}` with plain values, or the engine's SPARQL "
        "results (JSON, XML, CSV, TSV) by Accept or `format`.",
        "content": {TABLE.media_type: {"schema": TABLE_SCHEMA}, **response_content(RESULTS_FORMATS)},
    },
    **error_responses(404, 406, 422, 503, 504),
}


async def run_named_query(
    store: Store,
    settings: Settings,
    name: str,
    values: Mapping[str, ParameterValue],
    accept: str | None,
    format_param: str | None,
    min_sources: int | None = None,
) -> Response:
    """Run a named query in the format negotiated: plain JSON rows, or the engine's own bytes."""
    chosen = negotiate(FORMATS, accept, format_param)
    if chosen is None:
        asked = f"format={format_param}" if format_param else f"Accept: {accept}"
        raise ApiError(406, f"cannot serve {asked}; named queries answer as {describe(FORMATS)}")
    headers = {"Vary": "Accept"}
    if chosen is not TABLE and min_sources is not None:
        raise ValidationFailedError(
            f"{MIN_SOURCES_PARAMETER}: filters the JSON rows (format=table), not the engine's "
            f"{chosen.name} results",
            parameter=MIN_SOURCES_PARAMETER,
        )
    if chosen is TABLE:
        table: CountedTable = await run_in_threadpool(
            lambda: counted_query_table(
                store, name, values, min_sources=min_sources, timeout=settings.query_timeout
            )
        )
        if table["truncated"]:
            headers[TRUNCATED_HEADER] = "true"
        return JSONResponse(table, headers=headers)
    result = await run_in_threadpool(_engine_result, store, name, values, chosen, settings.query_timeout)
    if result.truncated:
        headers[TRUNCATED_HEADER] = "true"
    if chosen is SPARQL_CSV:
        headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return StreamingResponse(result.chunks, media_type=result.media_type, headers=headers)


def _engine_result(
    store: Store, name: str, values: Mapping[str, ParameterValue], chosen: MediaFormat, timeout: float
) -> QueryResult:
    query = load_query(name)
    return store.query(
        query.sparql, results_media_type=chosen, bindings=bind_parameters(query, values), timeout=timeout
    )


def _python_name(name: str) -> str:
    # A parameter's name in the endpoint's signature: `from` is a Python keyword, so it becomes
    # `from_`, still sent and documented as `from` (the Query's alias).
    return f"{name}_" if keyword.iskeyword(name) else name


def _given(request: Request, query: NamedQuery, declared: Mapping[str, Any]) -> dict[str, ParameterValue]:
    """The parameter values of a request, by the query's parameter names; an undeclared one is
    refused, naming it."""
    names = {_python_name(parameter.name): parameter.name for parameter in query.parameters}
    for name in request.query_params:
        if name not in _SERVICE_PARAMETERS and name not in names.values():
            known = ", ".join(names.values()) or "none"
            raise ValidationFailedError(f"{name}: no such parameter (parameters: {known})", parameter=name)
    return {names.get(key, key): value for key, value in declared.items() if value is not None}


def _query_parameter(parameter: Parameter) -> inspect.Parameter:
    python_type = _PYTHON_TYPES[parameter.type]
    default = None if parameter.default is None else python_type(parameter.default)
    if parameter.type == "boolean" and parameter.default is not None:
        default = parameter.default == "true"
    bound = MAX_INTEGER if parameter.type == "integer" else None
    described = Query(
        alias=parameter.name,
        description=f"{parameter.description} ({parameter.type})".strip(),
        pattern=_PATTERNS.get(parameter.type),
        ge=None if bound is None else -bound,
        le=bound,
    )
    required = parameter.required and parameter.default is None
    return inspect.Parameter(
        _python_name(parameter.name),
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[python_type if required else python_type | None, described],
        default=inspect.Parameter.empty if required else default,
    )


def _operation(query: NamedQuery) -> Callable[..., Any]:
    """The endpoint of one named query, with a signature FastAPI reads its typed parameters from."""

    async def run(
        request: Request,
        store: StoreDep,
        settings: SettingsDep,
        format: str | None = None,
        min_sources: int | None = None,
        **values: Any,
    ) -> Response:
        given = _given(request, query, values)
        accept = request.headers.get("accept")
        return await run_named_query(store, settings, query.name, given, accept, format, min_sources)

    fixed = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter("store", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=StoreDep),
        inspect.Parameter("settings", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=SettingsDep),
    ]
    format_parameter = inspect.Parameter(
        FORMAT_PARAMETER,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[str | None, Query(description=_FORMAT_DOC)],
        default=None,
    )
    min_sources_parameter = inspect.Parameter(
        MIN_SOURCES_PARAMETER,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=MinSources,
        default=None,
    )
    typed = [_query_parameter(parameter) for parameter in query.parameters]
    service = [format_parameter, min_sources_parameter]
    run.__signature__ = inspect.Signature([*fixed, *typed, *service])  # type: ignore[attr-defined]
    run.__name__ = f"query_{query.name.replace('-', '_')}"
    return run


for _query in list_queries():
    router.add_api_route(
        f"/queries/{_query.name}",
        _operation(_query),
        methods=["GET"],
        name=f"query_{_query.name}",
        summary=_query.summary,
        description=_query.description,
        response_class=Response,
        responses=_RESPONSES,
    )


@router.get("/queries/{name}", include_in_schema=False)
async def run_any_named_query(
    name: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    format: Annotated[str | None, Query()] = None,
    min_sources: MinSources = None,
) -> Response:
    """Any named query by name (404 naming an unknown one), its parameters as given in the URL."""
    query = await run_in_threadpool(load_query, name)
    values = {key: value for key, value in request.query_params.items() if key not in _SERVICE_PARAMETERS}
    declared = {parameter.name for parameter in query.parameters}
    given = _given(request, query, {key: values.get(key) for key in declared})
    accept = request.headers.get("accept")
    return await run_named_query(store, settings, name, given, accept, format, min_sources)
