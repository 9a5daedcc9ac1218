"""The one place errors become HTTP responses.

Every error body has the same JSON shape::

    {"error": "<kind>", "message": "<what went wrong>", "line": 3, "column": 7, "parameter": "limit"}

(``line`` and ``column`` only for syntax errors that have them, ``parameter`` only for a
422 caused by one request parameter). A 503 from a store that knows when it serves again (an
engine being restarted) carries ``Retry-After``. No traceback
ever reaches a client: anything unmapped is Starlette's plain 500.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import (
    ConflictError,
    FieldError,
    ForbiddenOperationError,
    GraphError,
    MemoryLimitError,
    NotFoundError,
    PermissionDeniedError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreUnavailableError,
    ValidationFailedError,
)

# Most specific first: the first class an error is an instance of decides.
_GRAPH_ERRORS: tuple[tuple[type[GraphError], int, str], ...] = (
    (ForbiddenOperationError, 400, "forbidden"),
    (QuerySyntaxError, 400, "syntax"),
    (NotFoundError, 404, "not-found"),
    (PermissionDeniedError, 403, "forbidden"),
    (ConflictError, 409, "conflict"),
    (ValidationFailedError, 422, "validation"),
    (StoreUnavailableError, 503, "unavailable"),
    (MemoryLimitError, 503, "memory-limit"),
    (QueryTimeoutError, 504, "timeout"),
)

_HTTP_KINDS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "too-large",
    415: "unsupported-media-type",
    422: "validation",
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "Kind of error, e.g. syntax, forbidden, timeout."},
        "message": {"type": "string"},
        "line": {"type": "integer", "description": "1-based line of a syntax error."},
        "column": {"type": "integer", "description": "1-based column of a syntax error."},
        "parameter": {"type": "string", "description": "The request parameter a 422 is about."},
    },
}


class ApiError(Exception):
    """An HTTP-level refusal (406, 401, 403, 413, 415 ...) raised by the routes."""

    def __init__(
        self, status: int, message: str, *, kind: str | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind or _HTTP_KINDS.get(status, "error")
        self.message = message
        self.headers = dict(headers or {})


def error_response(
    status: int,
    kind: str,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    line: int | None = None,
    column: int | None = None,
    parameter: str | None = None,
) -> JSONResponse:
    """The JSON error body every route answers with."""
    body: dict[str, object] = {"error": kind, "message": message}
    if line is not None:
        body["line"] = line
    if column is not None:
        body["column"] = column
    if parameter is not None:
        body["parameter"] = parameter
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def graph_error_status(error: GraphError) -> tuple[int, str]:
    """The status code and kind of a graph error."""
    for cls, status, kind in _GRAPH_ERRORS:
        if isinstance(error, cls):
            return status, kind
    return 500, "internal"


def retry_after(seconds: float) -> dict[str, str]:
    """The ``Retry-After`` header for a wait of ``seconds``: whole seconds, at least one.

    >>> retry_after(0.2), retry_after(2.5)
    ({'Retry-After': '1'}, {'Retry-After': '3'})
    """
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


async def _on_graph_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, GraphError)
    status, kind = graph_error_status(error)
    line = getattr(error, "line", None)
    column = getattr(error, "column", None)
    parameter = getattr(error, "parameter", None)
    # A store that knows when it serves again (an engine restarting) says so; others do not guess.
    hint = error.retry_after if isinstance(error, StoreUnavailableError) else None
    headers = retry_after(hint) if hint is not None else None
    response = error_response(
        status, kind, str(error), headers=headers, line=line, column=column, parameter=parameter
    )
    if isinstance(error, FieldError):
        return _with_fields(response, error)
    return response


def _with_fields(response: JSONResponse, error: FieldError) -> JSONResponse:
    """The error body with FastAPI's ``detail`` list beside it, each field located in the body sent,
    so a client that reads FastAPI's own 422s reads these the same way."""
    body = json.loads(bytes(response.body))
    body["detail"] = [
        {"loc": ["body", *path], "msg": message, "type": "value_error"} for path, message in error.problems
    ]
    return JSONResponse(body, status_code=response.status_code)


async def _on_api_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return error_response(error.status, error.kind, error.message, headers=error.headers)


async def _on_http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    return error_response(
        error.status_code,
        _HTTP_KINDS.get(error.status_code, "error"),
        str(error.detail),
        headers=error.headers,
    )


def _parameter_at(location: Sequence[object]) -> str | None:
    """The query or path parameter a validation problem is located at, by the name the client sent.

    >>> _parameter_at(("query", "default-graph-uri", 0)), _parameter_at(("body", "update"))
    ('default-graph-uri', None)
    """
    if len(location) > 1 and location[0] in ("query", "path"):
        return str(location[1])
    return None


_SHOWN_INPUT = 80  # characters of a bad value quoted back; a huge one is cut, not echoed whole


def _sent(problem: Mapping[str, Any]) -> str:
    """What the client sent, quoted back, for a parameter given as text (not a whole body)."""
    value = problem.get("input")
    if not isinstance(value, str):
        return ""
    shown = value if len(value) <= _SHOWN_INPUT else value[:_SHOWN_INPUT] + f"... ({len(value)} characters)"
    return f" (got {shown!r})"


async def _on_request_validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = error.errors()
    message = "; ".join(
        f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}{_sent(problem)}"
        for problem in problems
    )
    parameter = next(filter(None, (_parameter_at(problem["loc"]) for problem in problems)), None)
    return error_response(422, "validation", message or "invalid request", parameter=parameter)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every known error into the JSON error body."""
    app.add_exception_handler(GraphError, _on_graph_error)
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_request_validation)


def error_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses`` entries documenting the JSON error body for these statuses."""
    descriptions = {
        400: "Malformed request or query (with line and column), or an operation refused by policy",
        401: "Missing or wrong bearer token",
        403: "Writes are disabled, or the coder's role lacks the capability",
        404: "No such graph",
        409: "The write would lose what the store holds",
        406: "None of the acceptable media types can be served",
        413: "Request body too large",
        415: "Unsupported Content-Type",
        422: "Invalid parameter, or data that does not conform to the SHACL shapes",
        503: "The store is unavailable",
        504: "The query ran past the time limit",
    }
    return {
        status: {
            "description": descriptions.get(status, "Error"),
            "content": {"application/json": {"schema": ERROR_SCHEMA}},
        }
        for status in statuses
    }
