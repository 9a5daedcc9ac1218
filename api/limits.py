"""What every request passes before routing: a strictly UTF-8 query string, a cap on body size.

The body's size is enforced while it streams in (never read whole first).
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.encoding import decode_fields
from api.errors import ApiError, error_response


class _BodyTooLarge(Exception):
    """Raised from ``receive`` when the body passes the cap; caught by the middleware."""


class BodySizeLimitMiddleware:
    """Answers 413 when a request body exceeds ``max_bytes``.

    A declared Content-Length over the cap is refused before any byte is read;
    a chunked body is counted as it arrives and refused the moment it passes.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await error_response(400, "bad-request", "Content-Length is not a number")(
                    scope, receive, send
                )
                return
            if int(declared) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
        if b"transfer-encoding" not in headers:
            # No body, or one framed by the Content-Length just checked: the server delivers
            # no byte past it, so there is nothing to count.
            await self.app(scope, receive, send)
            return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _BodyTooLarge:
            if response_started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body exceeds the limit of {self.max_bytes} bytes"
        # Connection: close, since the rest of the body is left unread.
        response = error_response(413, "too-large", message, headers={"Connection": "close"})
        await response(scope, receive, send)


class StrictQueryStringMiddleware:
    """Answers 400, naming the field, when the query string is not UTF-8 once percent-decoded.

    Starlette would turn such bytes into U+FFFD, and a route would run on text the client
    never sent. A middleware rather than a dependency: it costs a microsecond, where FastAPI
    spends tens solving a dependency.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            try:
                _check_query_string(scope["query_string"])
            except ApiError as error:
                await error_response(error.status, error.kind, error.message)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _check_query_string(encoded: bytes) -> None:
    # Fields are split at raw '&' and '=', ASCII bytes that no UTF-8 sequence contains: the
    # whole decodes if and only if every field does, so fields are looked at only to name one.
    try:
        unquote_to_bytes(encoded).decode("utf-8")
    except UnicodeDecodeError:
        decode_fields(encoded, "query string")
