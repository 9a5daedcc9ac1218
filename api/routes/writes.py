"""What the write routes share: the id path parameter, the JSON body, the capability checks, the
errors they document, and the taking of the write's own keys (``reason``, ``replaces``) out of a body."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Depends, Path, Request, Response

from api.deps import StoreDep, require
from api.errors import ApiError, error_responses
from graph.coding.coders import Capability, Coder
from graph.errors import FieldError
from graph.namespaces import SLUG_PATTERN

Slug = Annotated[str, Path(pattern=SLUG_PATTERN, description="The id (slug).")]
JsonBody = Annotated[dict[str, Any], Body()]
CODE = require(Capability.code)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 422, 503)


MEMORY_WARNING = '299 stancegraph "a memory store: this write lasts until the service stops"'


def _warn_of_memory(store: StoreDep, request: Request, response: Response) -> None:
    if store.kind == "memory" and request.method not in ("GET", "HEAD"):
        response.headers["Warning"] = MEMORY_WARNING  # RFC 7234's code for a lasting warning


MemoryWarning = Depends(_warn_of_memory)
"""A router's dependency: each answer to a write on a memory store says the write will not last."""


def taken(body: dict[str, Any], key: str, kind: type, default: Any = None) -> Any:
    """``body[key]`` taken out of the body, of type ``kind``; a FieldError naming it otherwise."""
    value = body.pop(key, default)
    if value is not default and (not isinstance(value, kind) or (isinstance(value, bool) and kind is int)):
        raise FieldError([((key,), f"'{key}' must be {'a whole number' if kind is int else 'text'}")])
    return value


def check_manages(coder: Coder, what: str) -> None:
    """A 403 unless ``coder`` may manage ``what`` (the registry's entities, whole documents)."""
    if not coder.can(Capability.manage_entities):
        raise ApiError(
            403,
            f"coder '{coder.name}' has the role {coder.role}, which lacks the capability manage_entities: "
            f"{what} need the role admin",
        )
