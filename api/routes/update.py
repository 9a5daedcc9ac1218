"""/update: the SPARQL 1.1 Protocol update operation (writes: need the bearer token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import PolicyDep, RawWrites, SettingsDep, StoreDep
from api.encoding import decode_fields, decode_utf8
from api.errors import ApiError, error_responses
from api.negotiation import content_type_of
from api.routes.sparql import FORM
from graph.update_dataset import with_protocol_dataset

router = APIRouter(tags=["sparql"])

SPARQL_UPDATE = "application/sparql-update"

_UsingGraphs = Annotated[
    list[str] | None,
    Query(
        alias="using-graph-uri",
        description="IRI of a graph the WHERE clauses read as their default graph, as USING; repeatable. "
        "Refused beside USING, USING NAMED or WITH in the update.",
    ),
]
_UsingNamedGraphs = Annotated[
    list[str] | None,
    Query(
        alias="using-named-graph-uri",
        description="IRI of a named graph the WHERE clauses may read, as USING NAMED; repeatable.",
    ),
]


@router.post(
    "/update",
    name="update_post",
    summary="SPARQL Update (needs the write token)",
    description="SPARQL 1.1 Protocol update via POST: an HTML form (`update=`) or the update itself "
    f"(`{SPARQL_UPDATE}`). Atomic: a failing update changes nothing. Needs `Authorization: Bearer <token>`; "
    "with no token configured, writes are disabled (403). An update bypasses the coding model and its "
    "checks: with a coders file configured, only a coder of role admin (or the write token, the admin "
    "named 'admin') may send one; other coders get 403 naming their role.",
    status_code=204,
    response_class=Response,
    responses={204: {"description": "Applied"}, **error_responses(400, 401, 403, 413, 415, 503, 504)},
    dependencies=[RawWrites],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                FORM: {
                    "schema": {
                        "type": "object",
                        "required": ["update"],
                        "properties": {"update": {"type": "string", "description": "The SPARQL Update."}},
                    }
                },
                SPARQL_UPDATE: {"schema": {"type": "string"}},
            },
        }
    },
)
async def update_post(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    policy: PolicyDep,
    using_graphs: _UsingGraphs = None,
    using_named_graphs: _UsingNamedGraphs = None,
) -> Response:
    content_type = content_type_of(request.headers.get("content-type"))
    if content_type == FORM:
        form = decode_fields(await request.body(), "form")
        updates = form.get("update", [])
        if len(updates) != 1:
            raise ApiError(400, "the form must have exactly one 'update' field")
        update = updates[0]
        using_graphs = [*(using_graphs or []), *form.get("using-graph-uri", [])]
        using_named_graphs = [*(using_named_graphs or []), *form.get("using-named-graph-uri", [])]
    elif content_type == SPARQL_UPDATE:
        update = decode_utf8(await request.body())
    else:
        raise ApiError(
            415, f"POST an update as {FORM} or as {SPARQL_UPDATE}, not {content_type or 'nothing'}"
        )
    update = await run_in_threadpool(
        with_protocol_dataset, update, using_graphs or [], using_named_graphs or []
    )
    outbound = await run_in_threadpool(policy.check_update, update, store.has_graph)
    await run_in_threadpool(store.update, update, timeout=settings.query_timeout, outbound=outbound)
    return Response(status_code=204)
