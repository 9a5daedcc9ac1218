"""What routes receive by dependency: the settings, the store, the query policy, write permission.

The look-ups are ``async`` (they never block): FastAPI would send a sync dependency through
the thread pool, a hop that costs far more than the look-up.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from api.settings import Settings
from graph.sparql import QueryPolicy
from graph.stores.base import Store

_bearer = HTTPBearer(
    auto_error=False,
    description="The write token the service was started with (STANCEGRAPH_WRITE_TOKEN).",
)


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


async def get_store(request: Request) -> Store:
    """The store opened by the app's lifespan."""
    return request.app.state.store


async def get_policy(request: Request) -> QueryPolicy:
    """The policy refusing SERVICE, LOAD and non-local FROM."""
    return request.app.state.policy


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


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
PolicyDep = Annotated[QueryPolicy, Depends(get_policy)]
WritePermission = Depends(require_write_permission)
