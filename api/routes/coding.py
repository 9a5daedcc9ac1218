"""The write API of the coding model's positions and their revisions, as JSON (documents and entities:
:mod:`api.routes.entries`).

Thin: each route names the capability it needs, hands the body to :mod:`graph.coding.editing`
(and its kin) in the thread pool, and returns what they answer. Every write names its coder
(the bearer token's); refused data is a 422 whose ``detail`` names the field, as FastAPI's own.
A coder (capability ``code``) creates positions and edits or retracts their own; editing
another's, or a position coded from a file (nobody's), needs ``edit_others``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from starlette.concurrency import run_in_threadpool

from api.deps import KnownParametersOnly, ServiceWrittenQueries, StoreDep
from api.errors import error_responses
from api.routes.writes import CODE, WRITE_ERRORS, JsonBody, MemoryWarning, Slug, taken
from graph.coding.coders import Capability, Coder
from graph.coding.editing import SavedPosition, save_position
from graph.coding.editing import edit_position as edit_saved_position
from graph.coding.revising import position_history, restore_position, retract_position
from graph.errors import FieldError

router = APIRouter(tags=["coding"], dependencies=[ServiceWrittenQueries, KnownParametersOnly, MemoryWarning])

OffsetsQuery = Annotated[
    Literal["code_points", "utf16"],
    Query(description="The unit of the evidence offsets sent and returned: code points, or UTF-16 units."),
]


def _saved(saved: SavedPosition) -> dict[str, Any]:
    return {"id": saved.id, "revision": saved.revision, "coder": saved.coder, "position": saved.position}


@router.post(
    "/documents/{slug}/positions",
    status_code=201,
    summary="Code a position in a document (capability code)",
    description="Body: the coding format's position keys (id optional: one is made; an id a position has "
    "had answers 409), `reason`, and for each "
    "evidence item `quote` with `start`/`end` or `occurrence` where the quote occurs more than once. "
    "Answers `{id, revision, coder, position}`, the position as `/positions` shows it.",
    responses=WRITE_ERRORS,
)
async def create_position(
    store: StoreDep,
    slug: Slug,
    body: JsonBody,
    coder: Annotated[Coder, CODE],
    offsets: OffsetsQuery = "code_points",
) -> dict[str, Any]:
    return _saved(await run_in_threadpool(_save, _create, store, slug, body, coder, offsets))


_create = functools.partial(save_position, new=True)


def _save(
    save: Callable[..., SavedPosition],
    store: Any,
    where: str,
    body: dict[str, Any],
    coder: Coder,
    offsets: Any,
) -> SavedPosition:
    """``save`` of ``body`` at ``where`` (a document, or the position edited) by ``coder``, with
    ``reason`` and ``replaces`` taken out of the body."""
    reason = taken(body, "reason", str, "")
    replaces = taken(body, "replaces", int)
    return save(
        store,
        where,
        body,
        coder=coder.name,
        reason=reason,
        offsets=offsets,
        replaces=replaces,
        edit_others=coder.can(Capability.edit_others),
    )


@router.put(
    "/positions/{id}",
    summary="Edit a position: a new revision (capability code; edit_others for another's)",
    description="Body as for creating it, with `replaces`: the revision the edit was made to (from the save "
    "or the history); if another revision came since, 409 and nothing is written.",
    responses=WRITE_ERRORS,
)
async def edit_position(
    store: StoreDep,
    id: Slug,
    body: JsonBody,
    coder: Annotated[Coder, CODE],
    offsets: OffsetsQuery = "code_points",
) -> dict[str, Any]:
    return _saved(await run_in_threadpool(_save, edit_saved_position, store, id, body, coder, offsets))


@router.delete(
    "/positions/{id}",
    summary="Retract a position: a retraction revision, nothing deleted from history",
    description="The reason in the body `{reason, replaces?}` or the query `reason=`. The position leaves "
    "queries and networks (but not `as_of=` a time before); `/positions/{id}/restore` brings it back.",
    responses=WRITE_ERRORS,
)
async def retract(
    store: StoreDep,
    id: Slug,
    coder: Annotated[Coder, CODE],
    body: Annotated[dict[str, Any] | None, Body()] = None,
    reason: Annotated[str | None, Query(description="Why the position is retracted.")] = None,
) -> dict[str, Any]:
    sent = dict(body or {})
    said = taken(sent, "reason", str, reason or "")
    replaces = taken(sent, "replaces", int)
    saved = await run_in_threadpool(
        lambda: retract_position(
            store,
            id,
            coder=coder.name,
            reason=said,
            replaces=replaces,
            edit_others=coder.can(Capability.edit_others),
        )
    )
    return _saved(saved)


@router.get(
    "/positions/{id}/history",
    summary="Every revision of a position, with its diff",
    description="Oldest first: `{revision, coder, time, reason, retracted, diff, position}`; `diff` is "
    "`{field: [before, after]}` against the revision before, `position` the position then (offsets in code "
    "points). A position coded from a file has a revision 0, as imported, by no coder.",
    responses=error_responses(404, 503),
)
async def history(store: StoreDep, id: Slug) -> list[dict[str, Any]]:
    revisions = await run_in_threadpool(position_history, store, id)
    return [asdict(revision) for revision in revisions]


@router.post(
    "/positions/{id}/restore",
    summary="Restore a revision of a position: a new revision equal to it",
    description="Body `{revision, reason}`. Permissions as for editing.",
    responses=WRITE_ERRORS,
)
async def restore(store: StoreDep, id: Slug, body: JsonBody, coder: Annotated[Coder, CODE]) -> dict[str, Any]:
    revision = taken(body, "revision", int)
    if revision is None:
        raise FieldError([(("revision",), "say which revision to restore")])
    reason = taken(body, "reason", str, "")
    saved = await run_in_threadpool(
        lambda: restore_position(
            store,
            id,
            revision,
            coder=coder.name,
            reason=reason,
            edit_others=coder.can(Capability.edit_others),
        )
    )
    return _saved(saved)
