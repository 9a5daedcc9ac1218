"""The write API of documents and entities: create, edit and retract them, as JSON.

Thin, as :mod:`api.routes.coding` is: each route names the capability it needs and hands the
body to :mod:`graph.coding.new_entries` or :mod:`graph.coding.entry_edits`. A coder (``code``)
adds documents, edits their metadata and manages the entities scoped to a document; the
registry's entities and the retraction of a whole document need ``manage_entities``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from api.deps import KnownParametersOnly, ServiceWrittenQueries, StoreDep
from api.errors import error_responses
from api.routes.writes import CODE, WRITE_ERRORS, JsonBody, MemoryWarning, Slug, check_manages, taken
from graph.coding.coders import Coder
from graph.coding.entry_edits import edit_document, entity_scope, retract_document, retract_entity
from graph.coding.new_entries import save_document, save_entity
from graph.coding.offsets import Utf16Offsets
from graph.coding.position_store import document_text
from graph.errors import FieldError

router = APIRouter(tags=["coding"], dependencies=[ServiceWrittenQueries, KnownParametersOnly, MemoryWarning])

Reason = Annotated[str, Query(description="Why (recorded with the change).")]
_SECTIONS = "section: stakeholders, programs, participation_proposals, concerns, measures, threats"


@router.get(
    "/documents/{slug}/text",
    summary="A document's source text",
    description="The text evidence offsets index, with its length in code points and in UTF-16 units.",
    responses=error_responses(404, 503),
)
async def text_of_document(store: StoreDep, slug: Slug) -> dict[str, Any]:
    text = await run_in_threadpool(document_text, store, slug)
    units = Utf16Offsets(text)
    return {"slug": slug, "text": text, "length": units.code_points, "utf16Length": units.utf16_units}


def _metadata(body: dict[str, Any]) -> dict[str, Any]:
    metadata = body.get("document")
    if not isinstance(metadata, dict):
        raise FieldError([(("document",), "the document is a JSON object of the coding format's keys")])
    return metadata


@router.post(
    "/documents",
    status_code=201,
    summary="Add a document with its source text (capability code)",
    description="Body `{document: {slug, title, publisher?, author?, date?, url?}, text, reason?}`. The same "
    "slug with the same text answers the document there; with another text, 409.",
    responses=WRITE_ERRORS,
)
async def create_document(store: StoreDep, body: JsonBody, coder: Annotated[Coder, CODE]) -> dict[str, Any]:
    reason = taken(body, "reason", str, "new document")
    text = taken(body, "text", str, "")
    metadata = _metadata(body)
    slug = await run_in_threadpool(save_document, store, metadata, text, coder=coder.name, reason=reason)
    return {"slug": slug, "coder": coder.name}


@router.put(
    "/documents/{slug}",
    summary="Edit a document's metadata (capability code); its text stays",
    description="Body `{document: {title, publisher?, author?, date?, url?}, reason}`: the keys replace the "
    "document's. The text cannot change (its evidence offsets index it).",
    responses=WRITE_ERRORS,
)
async def edit_a_document(
    store: StoreDep, slug: Slug, body: JsonBody, coder: Annotated[Coder, CODE]
) -> dict[str, Any]:
    reason = taken(body, "reason", str, "")
    metadata = _metadata(body)
    await run_in_threadpool(lambda: edit_document(store, slug, metadata, coder=coder.name, reason=reason))
    return {"slug": slug, "coder": coder.name}


@router.delete(
    "/documents/{slug}",
    summary="Retract a document that codes no position (capability manage_entities)",
    description="Its graphs go; its history graph keeps the retraction with every triple removed. 409 "
    "while it codes positions: retract them first.",
    responses=WRITE_ERRORS,
)
async def retract_a_document(
    store: StoreDep, slug: Slug, coder: Annotated[Coder, CODE], reason: Reason = ""
) -> dict[str, Any]:
    check_manages(coder, "retracting a document")
    await run_in_threadpool(lambda: retract_document(store, slug, coder=coder.name, reason=reason))
    return {"slug": slug, "coder": coder.name, "retracted": True}


@router.post(
    "/entities",
    status_code=201,
    summary="Add an entity, or edit one of the registry",
    description=f"Body `{{section, document?, reason?, ...the section's keys}}` ({_SECTIONS}). With "
    "`document`, a new entity scoped to it (capability code); without, an entity of the registry, created "
    "or replaced (manage_entities).",
    responses=WRITE_ERRORS,
)
async def create_entity(store: StoreDep, body: JsonBody, coder: Annotated[Coder, CODE]) -> dict[str, Any]:
    return await _save_entity(store, body, coder, edit=False)


@router.put(
    "/entities/{id}",
    summary="Edit an entity (replaced whole; capability code, manage_entities for the registry's)",
    description=f"Body as for creating it: `{{section, document?, reason, ...the section's keys}}` "
    f"({_SECTIONS}); `document` says the scope it is defined in. 404 when it is defined in none.",
    responses=WRITE_ERRORS,
)
async def edit_entity(
    store: StoreDep, id: Slug, body: JsonBody, coder: Annotated[Coder, CODE]
) -> dict[str, Any]:
    if body.setdefault("id", id) != id:
        raise FieldError([(("id",), f"the body's id {body['id']!r} is not the entity edited, {id!r}")])
    return await _save_entity(store, body, coder, edit=True)


async def _save_entity(store: Any, body: dict[str, Any], coder: Coder, *, edit: bool) -> dict[str, Any]:
    section = taken(body, "section", str, "")
    document = taken(body, "document", str)
    reason = taken(body, "reason", str, "edited entity" if edit else "new entity")
    if document is None:
        check_manages(coder, "entities of the registry")
    entity_id = await run_in_threadpool(
        lambda: save_entity(
            store, section, body, coder=coder.name, reason=reason, document=document, edit=edit
        )
    )
    return {"id": entity_id, "section": section, "document": document, "coder": coder.name}


@router.delete(
    "/entities/{id}",
    summary="Retract an entity nothing names (capability code, manage_entities for the registry's)",
    description="Its triples go; the history graph of its scope keeps the retraction with every triple "
    "removed. 409 while a position, a link or an annotation names it.",
    responses=WRITE_ERRORS,
)
async def retract_an_entity(
    store: StoreDep, id: Slug, coder: Annotated[Coder, CODE], reason: Reason = ""
) -> dict[str, Any]:
    if await run_in_threadpool(entity_scope, store, id) is None:
        check_manages(coder, "entities of the registry")
    await run_in_threadpool(lambda: retract_entity(store, id, coder=coder.name, reason=reason))
    return {"id": id, "coder": coder.name, "retracted": True}
