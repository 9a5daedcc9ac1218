"""The remote store's HTTP: requests to a SPARQL endpoint, and its failures as :mod:`graph.errors`.

A status of 400 is a syntax error (with the line and column the remote's message names), 404
is not found, 408 and 504 a timeout (and so is an answer Virtuoso cut at its own time limit),
401 and 403 refused credentials; a read or write that stalls past the timeout is a timeout,
and anything else makes the store unavailable.

>>> http = SparqlHttp(None, connect_timeout=1)
>>> http.send("GET", "http://127.0.0.1:9/sparql")
Traceback (most recent call last):
...
graph.errors.StoreUnavailableError: the SPARQL endpoint http://127.0.0.1:9/sparql cannot be reached: ...
>>> http.close()
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any

import httpx

from graph.errors import GraphError, NotFoundError, QuerySyntaxError, QueryTimeoutError, StoreUnavailableError
from graph.sparql.positions import error_position

# Pauses before the attempts after the first, for a transient engine error (seconds).
_RETRY_PAUSES = (0.05, 0.2, 0.6)


class SparqlHttp:
    """The connections to one remote engine's endpoints, authenticated with ``auth`` (see
    :class:`~graph.stores.remote.RemoteStore`)."""

    def __init__(self, auth: tuple[str, str] | httpx.Auth | None, *, connect_timeout: float) -> None:
        self._connect_timeout = connect_timeout
        self._client = httpx.Client(auth=auth, follow_redirects=True)

    def send(
        self,
        method: str,
        url: str,
        *,
        timeout: float | None = None,
        retry: str | None = None,
        idempotent: bool = False,
        **request: Any,
    ) -> httpx.Response:
        """Send a request and return the streaming response once its status says success; sent
        again, after a growing pause, within ``timeout``, while the error message holds ``retry``
        (a transient failure the engine names: Virtuoso's lock wait under concurrent reads) or,
        for an ``idempotent`` request, while the engine closes the connection before answering."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for pause in (*_RETRY_PAUSES, None):
            try:
                return self._send(method, url, timeout=timeout, **request)
            except GraphError as error:
                late = deadline is not None and pause is not None and time.monotonic() + pause >= deadline
                if pause is None or late or not _transient(error, retry, idempotent):
                    raise
            time.sleep(pause)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _send(self, method: str, url: str, *, timeout: float | None, **request: Any) -> httpx.Response:
        limits = httpx.Timeout(timeout, connect=self._connect_timeout)
        try:
            response = self._client.send(
                self._client.build_request(method, url, timeout=limits, **request), stream=True
            )
        except httpx.HTTPError as error:
            raise transport_error(url, error, timeout) from error
        if response.status_code >= 400:
            try:
                response.read()
            except httpx.HTTPError as error:
                raise transport_error(url, error, timeout) from error
            finally:
                response.close()
            raise status_error(url, response)
        if "s1tat" in str(response.headers.get("x-sql-state", "")).lower():
            # Virtuoso's "anytime" answer: cut at its own time limit, yet 200 like a whole one.
            response.close()
            raise QueryTimeoutError(f"the SPARQL endpoint {url} stopped at its own time limit")
        return response

    def server(self, url: str) -> str:
        """The ``Server`` header the endpoint answers a bare GET with (its engine's name, mostly)."""
        try:
            response = self._client.get(url, timeout=self._connect_timeout)
        except httpx.HTTPError as error:
            raise transport_error(url, error, self._connect_timeout) from error
        return str(response.headers.get("server", ""))

    def chunks(self, response: httpx.Response, timeout: float | None) -> Generator[bytes, None, None]:
        """The body as it arrives; the response is closed once it is read, or the generator closed."""
        try:
            yield from response.iter_bytes()
        except httpx.HTTPError as error:
            raise transport_error(str(response.url), error, timeout) from error
        finally:
            response.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()


def _transient(error: GraphError, retry: str | None, idempotent: bool) -> bool:
    # A kept-alive connection the engine closed meanwhile, or one it dropped past its own
    # connection limit (Virtuoso's MaxClientConnections), fails before any answer: a read may
    # be sent again, a write may not (it may have been applied).
    dropped = isinstance(error.__cause__, httpx.RemoteProtocolError)
    return (retry is not None and retry in str(error)) or (idempotent and dropped)


def media_type_of(response: httpx.Response) -> str:
    """The media type of a response's body, lower-cased and without parameters."""
    return str(response.headers.get("content-type", "")).split(";")[0].strip().lower()


def transport_error(url: str, error: httpx.HTTPError, timeout: float | None) -> GraphError:
    if isinstance(error, httpx.ReadTimeout | httpx.WriteTimeout):
        return QueryTimeoutError(f"the SPARQL endpoint {url} gave no answer within {timeout:g} s")
    return StoreUnavailableError(f"the SPARQL endpoint {url} cannot be reached: {error}")


def status_error(url: str, response: httpx.Response) -> GraphError:
    message = response.text.strip()[:2000] or response.reason_phrase
    status = response.status_code
    if status == 400:
        line, column = error_position(message)
        return QuerySyntaxError(message, line=line, column=column)
    if status == 404:
        return NotFoundError(message)
    if status in (408, 504) or (status == 500 and message.startswith("Virtuoso S1T00")):
        return QueryTimeoutError(f"the SPARQL endpoint {url} timed out: {message}")
    if status in (401, 403):
        return StoreUnavailableError(f"the SPARQL endpoint {url} refused our credentials ({status})")
    return StoreUnavailableError(f"the SPARQL endpoint {url} answered {status}: {message}")
