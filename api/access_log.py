"""The access log: one line per HTTP request, with its method, path, status and time in milliseconds.

uvicorn's own access log has no duration, so this is a plain ASGI middleware around the whole
app (every other middleware's time counted), logging to ``stancegraph.access``. The time runs
from the request's arrival to the last byte of the response handed to the server, so a streamed
result counts whole. No header is logged, so neither Authorization nor cookies ever are; the
path keeps its query string as sent (no secret travels in one here: write tokens go in the
Authorization header), cut at :data:`MAX_TARGET` characters and with every byte outside
printable ASCII percent-escaped, so one request is always one line. Websocket and lifespan
events pass through unlogged.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOGGER = logging.getLogger("stancegraph.access")

MAX_TARGET = 300
"""Characters of the request target logged at most: a SPARQL query in a URL can be long."""

# Printable ASCII but the quote, which delimits the request in the line.
_KEPT = frozenset(range(0x21, 0x7F)) - {ord('"')}


def _escaped(raw: bytes) -> str:
    return "".join(chr(byte) if byte in _KEPT else f"%{byte:02X}" for byte in raw)


def request_target(scope: Scope) -> str:
    """The path and query string as the client sent them, on one line and at most :data:`MAX_TARGET` long.

    >>> request_target({"path": "/search", "raw_path": b"/search", "query_string": b"q=canad\\xc3\\xa1"})
    '/search?q=canad%C3%A1'
    >>> len(request_target({"path": "/", "query_string": b"q=" + b"x" * 1000}))
    300
    """
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
    query: bytes = scope.get("query_string", b"")
    target = _escaped(raw_path) + (f"?{_escaped(query)}" if query else "")
    return target if len(target) <= MAX_TARGET else target[: MAX_TARGET - 1] + "…"


class AccessLog:
    """ASGI middleware writing one line per HTTP request to :data:`ACCESS_LOGGER` once it is answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: list[int] = []

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            # No response started: the server answers 500 to what escaped the app (or the client left).
            _log(scope, status[0] if status else 500, (time.perf_counter() - started) * 1000)


def _log(scope: Scope, status: int, milliseconds: float) -> None:
    if not ACCESS_LOGGER.isEnabledFor(logging.INFO):
        return
    client: Any = scope.get("client")
    where = f"{client[0]}:{client[1]}" if client else "-"
    ACCESS_LOGGER.info(
        '%s "%s %s" %d %.1f ms', where, scope["method"], request_target(scope), status, milliseconds
    )
