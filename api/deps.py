"""What routes receive by dependency: the settings, the store, the query policy, write permission,
the ontology exports declare their terms from, and the bounds of the paging parameters.

The look-ups are ``async`` (they never block): FastAPI would send a sync dependency through
the thread pool, a hop that costs far more than the look-up. The app's state is read here
alone; a route too hot for dependency solving calls :func:`store_of` and its kin directly.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from rdflib import Graph

from api.errors import ApiError
from api.settings import Settings
from graph.errors import QuerySyntaxError, ValidationFailedError
from graph.export import ontology_graph
from graph.read import MAX_LIMIT
from graph.sparql.policy import QueryPolicy
from graph.stores.base import Store

MAX_OFFSET = 10**9
"""The largest ``offset`` a page may start at: far past any store this service holds, and well
inside the engine's 64-bit integers, so no offset a client sends reaches the engine as one it
cannot read."""

Limit = Annotated[int, Query(ge=0, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")]
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description=f"Items to skip before the page (at most {MAX_OFFSET}).")
]

_log = logging.getLogger(__name__)

_bearer = HTTPBearer(
    auto_error=False,
    description="The write token the service was started with (STANCEGRAPH_WRITE_TOKEN).",
)


def settings_of(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def store_of(request: Request) -> Store:
    """The store opened by the app's lifespan."""
    store: Store = request.app.state.store
    return store


def policy_of(request: Request) -> QueryPolicy:
    """The policy refusing SERVICE, LOAD and non-local FROM."""
    policy: QueryPolicy = request.app.state.policy
    return policy


async def get_settings(request: Request) -> Settings:
    return settings_of(request)


async def get_store(request: Request) -> Store:
    return store_of(request)


async def get_policy(request: Request) -> QueryPolicy:
    return policy_of(request)


def get_export_ontology(request: Request, store: Annotated[Store, Depends(get_store)]) -> Graph:
    """The ontology exports take their declarations from: the store's, read once per app.

    Re-read only on restart: an export made after the ontology graph was
    replaced through /store still declares the terms as first read.
    """
    state = request.app.state
    if getattr(state, "export_ontology", None) is None:
        state.export_ontology = ontology_graph(store)
    ontology: Graph = state.export_ontology
    return ontology


def require_write_permission(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Let a write through only with the configured bearer token.

    No token configured: writes are off (403). A missing or wrong token: 401
    with a ``WWW-Authenticate`` challenge. The comparison takes constant time.
    """
    if settings.write_token is None:
        raise ApiError(
            403,
            "writes are disabled: start the service with a write token "
            "(--write-token or STANCEGRAPH_WRITE_TOKEN) to enable them",
            kind="writes-disabled",
        )
    expected = settings.write_token.get_secret_value().encode()
    given = credentials.credentials.encode() if credentials is not None else b""
    if credentials is None or not hmac.compare_digest(given, expected):
        raise ApiError(
            401,
            "this write needs the header 'Authorization: Bearer <write token>'",
            headers={"WWW-Authenticate": 'Bearer realm="stancegraph"'},
        )


async def service_written_queries() -> AsyncIterator[None]:
    """For routes whose SPARQL the service writes: no engine syntax error reaches the client.

    Such an error is about a query the client never saw, so its line and column would point
    nowhere: the parameters should have been refused before (422 naming one). Should one
    slip through, the client gets a 400 without the generated text, and the log the details.
    """
    try:
        yield
    except QuerySyntaxError as error:
        _log.error("a query written by the service does not parse: %s", error)
        raise ApiError(
            400, "the store cannot run this request with these parameters; change them and retry"
        ) from error


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
PolicyDep = Annotated[QueryPolicy, Depends(get_policy)]
ExportOntologyDep = Annotated[Graph, Depends(get_export_ontology)]
WritePermission = Depends(require_write_permission)
ServiceWrittenQueries = Depends(service_written_queries)


def _query_names(dependant: Dependant) -> frozenset[str]:
    # The query parameters a route declares, its dependencies' included, by the names sent.
    names = {field.alias for field in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return frozenset(names)


_KNOWN: dict[int, frozenset[str]] = {}


async def refuse_unknown_parameters(request: Request) -> None:
    """A 422 naming the query parameters the route does not take, so a misspelt ``form=`` or an
    unsupported ``since=`` is never silently ignored (and everything answered instead)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _KNOWN.get(id(route))
    if known is None:
        known = _KNOWN[id(route)] = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        offered = ", ".join(sorted(known)) or "none"
        raise ValidationFailedError(
            f"{unknown[0]}: unknown parameter (this route takes: {offered})", parameter=unknown[0]
        )


KnownParametersOnly = Depends(refuse_unknown_parameters)
