"""What routes receive by dependency: the settings, the store, the query policy, the coder a bearer
token names and what that coder may do, the ontology exports declare their terms from, and the
bounds of the paging parameters.

The look-ups are ``async`` (they never block): FastAPI would send a sync dependency through
the thread pool, a hop that costs far more than the look-up. The app's state is read here
alone; a route too hot for dependency solving calls :func:`store_of` and its kin directly.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from rdflib import Graph
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.settings import Settings
from graph.coding.as_of import view_as_of
from graph.coding.coders import Capability, Coder, Coders, Role, load_coders
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
MinSources = Annotated[
    int | None,
    Query(ge=1, le=10**6, description="Only positions this many independent sources state (a copy is none)."),
]

_log = logging.getLogger(__name__)

_bearer = HTTPBearer(
    auto_error=False,
    description="A coder's token (the coders file, STANCEGRAPH_CODERS_FILE, holds its SHA-256), or the "
    "write token the service was started with (STANCEGRAPH_WRITE_TOKEN): the admin named 'admin'.",
)
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="stancegraph"'}


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


AsOf = Annotated[
    datetime.datetime | None,
    Query(
        description="Read the coding as it stood at this time (ISO 8601, e.g. 2026-03-01T12:00:00Z): each "
        "position as its revision current then; positions created later absent, retracted later present."
    ),
]


async def get_store_as_of(request: Request, as_of: AsOf = None) -> Store:
    """The store, or with ``as_of`` a read-only view of the coding as it stood then
    (:func:`graph.coding.as_of.view_as_of`, made once per store revision and time)."""
    store = store_of(request)
    if as_of is None:
        return store
    return await run_in_threadpool(view_as_of, store, as_of)


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


def coders_for(settings: Settings) -> Coders:
    """The coders the settings name: the coders file's, and the write token's admin ('admin').

    Read when the app is created, so a bad coders file stops the start with a
    :class:`~graph.errors.CodingError` naming its file and line.
    """
    coders = load_coders(settings.coders_file) if settings.coders_file is not None else Coders(())
    if settings.write_token is not None:
        coders = coders.with_write_token(settings.write_token.get_secret_value())
    return coders


def coders_of(request: Request) -> Coders:
    """The coders of the app (see :func:`coders_for`)."""
    state = request.app.state
    if getattr(state, "coders", None) is None:  # an app made without create_app's start-up check
        state.coders = coders_for(settings_of(request))
    coders: Coders = state.coders
    return coders


def authorized(
    coders: Coders, credentials: HTTPAuthorizationCredentials | None, capability: Capability
) -> Coder:
    """The coder the bearer token names, when that coder's role has ``capability``.

    No coders at all: 403 (writes are off). No token, or a token of no coder: 401 with a
    ``WWW-Authenticate`` challenge. A coder whose role lacks the capability: 403 naming both.
    """
    if not len(coders):
        reading = capability is Capability.read  # only /coders/me: closed reads need coders (Settings)
        raise ApiError(
            403,
            f"{'no coders are configured' if reading else 'writes are disabled'}: start the service with "
            "a coders file (--coders-file or STANCEGRAPH_CODERS_FILE) or a write token "
            "(STANCEGRAPH_WRITE_TOKEN)",
            kind="no-coders" if reading else "writes-disabled",
        )
    if credentials is None:
        raise ApiError(
            401, "this request needs the header 'Authorization: Bearer <a coder's token>'", headers=_CHALLENGE
        )
    coder = coders.authenticate(credentials.credentials)
    if coder is None:
        raise ApiError(
            401,
            "the bearer token is not the token of any coder",
            headers={"WWW-Authenticate": 'Bearer realm="stancegraph", error="invalid_token"'},
        )
    if not coder.can(capability):
        needed = next(role for role in Role if capability in role.capabilities)
        raise ApiError(
            403,
            f"coder '{coder.name}' has the role {coder.role}, which lacks the capability {capability}: "
            f"that needs the role {needed}{' or above' if needed is not Role.admin else ''}",
        )
    return coder


def require(capability: Capability) -> Any:
    """A dependency letting the request through for a coder whose role has ``capability``; the
    :class:`~graph.coding.coders.Coder`, for the route to record the write under (and in
    ``request.state.coder``)::

        @router.post("/positions")
        async def create(coder: Annotated[Coder, require(Capability.code)]) -> ...
    """

    async def coder_who_may(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> Coder:
        coder = authorized(coders_of(request), credentials, capability)
        request.state.coder = coder
        return coder

    coder_who_may.__name__ = f"coder_who_may_{capability}"
    return Depends(coder_who_may)


# Paths that hold no data: open even when reads need a coder (probes, the page and its scripts).
OPEN_PATHS = frozenset({"/health", "/ready", "/", "/assets/{name}", "/vendor/{specifier:path}"})


async def require_read_access(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """Reads are open unless the settings say ``read_access: coders``: then they need a coder's token."""
    if settings_of(request).read_access == "open":
        return
    route = request.scope.get("route")
    if isinstance(route, APIRoute) and route.path in OPEN_PATHS:
        return
    authorized(coders_of(request), credentials, Capability.read)


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
StoreAsOfDep = Annotated[Store, Depends(get_store_as_of)]
"""The store for routes that read the coding and may be asked ``as_of=`` (positions, networks)."""
PolicyDep = Annotated[QueryPolicy, Depends(get_policy)]
ExportOntologyDep = Annotated[Graph, Depends(get_export_ontology)]
RawWrites = require(Capability.raw_writes)
"""SPARQL Update and Graph Store writes: they bypass the coding model, so the admin's alone."""
WritePermission = RawWrites  # the name routes used before coders
ReadAccess = Depends(require_read_access)
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
