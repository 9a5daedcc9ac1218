"""REST resources: stakeholders, programs, concerns, measures, threats, documents, positions, search.

Thin: each route checks its parameters' types, asks :mod:`graph.read` (which
does the SPARQL) in the thread pool, so store calls never block the event loop,
and returns the answer: FastAPI checks it against the route's response model and
serializes it as JSON. A client asking for ``application/ld+json`` gets the same
document with an ``@context`` (:mod:`api.jsonld`) instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import Limit, MinSources, Offset, ServiceWrittenQueries, StoreAsOfDep, StoreDep
from api.errors import ApiError, error_responses
from api.jsonld import PositionsVia, context, with_context
from api.negotiation import describe, negotiate
from graph import read
from graph.analysis import positions_with_sources
from graph.formats import JSON, JSON_LD
from graph.namespaces import SLUG_PATTERN
from graph.read import (
    DEFAULT_LIMIT,
    ConcernDetail,
    DocumentDetail,
    Found,
    KindName,
    Listed,
    MeasureDetail,
    Page,
    Position,
    PositionFilter,
    ProgramDetail,
    StakeholderDetail,
    ThreatDetail,
)
from graph.read.fulltext import TextHit

router = APIRouter(tags=["resources"], dependencies=[ServiceWrittenQueries])

FORMATS = (JSON, JSON_LD)

CONCEPT_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"

EntityId = Annotated[str, Path(pattern=SLUG_PATTERN, description="The entity's id, e.g. canada.")]


def _id_filter(what: str) -> Any:
    return Query(pattern=SLUG_PATTERN, description=what)


def _stance_value(what: str) -> Any:
    # The ontology's scale: an integer outside it, once in the query, is one the engine may
    # not read (past 64 bits), and the filter would then silently match nothing.
    return Query(ge=-2, le=2, description=what)


_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {JSON_LD.media_type: {"schema": {"type": "object"}}}},
    **error_responses(404, 406, 422, 503, 504),
}


_VARY = {"Vary": "Accept"}


def respond(
    request: Request,
    response: Response,
    body: Mapping[str, Any],
    positions_via: PositionsVia = "holder",
    *,
    document: bool = False,
    search: bool = False,
) -> Any:
    """``body`` for FastAPI to check against the route's model and serialize as JSON; or, when Accept
    prefers ``application/ld+json``, a response of it as JSON-LD with its @context."""
    accept = request.headers.get("accept")
    chosen = negotiate(FORMATS, accept)
    if chosen is None:
        raise ApiError(406, f"cannot serve Accept: {accept}; this resource serves {describe(FORMATS)}")
    if chosen is JSON_LD:
        jsonld = with_context(body, context(positions_via, document=document, search=search))
        return JSONResponse(jsonld, media_type=JSON_LD.media_type, headers=_VARY)
    response.headers.update(_VARY)
    return body


_COLLECTIONS: tuple[tuple[str, KindName, type, PositionsVia], ...] = (
    ("stakeholders", "stakeholder", StakeholderDetail, "holder"),
    ("programs", "program", ProgramDetail, "target"),
    ("concerns", "concern", ConcernDetail, "target"),
    ("measures", "measure", MeasureDetail, "target"),
    ("threats", "threat", ThreatDetail, "target"),
    ("documents", "document", DocumentDetail, "target"),
)

_DETAILS = {
    "stakeholder": "its summary, the groups it is a member or part of, and every position it holds "
    "with its quoted evidence",
    "program": "its summary, who initiated and promotes it, what it aims at, and the positions taken on it",
    "concern": "its summary, broader and narrower concerns, the measures addressing it (stated or inferred), "
    "and the positions that target or regard it (the ones `/positions?concern=` lists)",
    "measure": "its summary, status, what it addresses (stated or inferred), what it is part of, and the "
    "positions taken on it",
    "threat": "its summary, the programs aimed at it, the measures addressing it, and the positions on it",
    "document": "its title, SHA-256, source path, full text, and every evidence span quoting it "
    "(offsets index the text)",
}


def _lister(kind: KindName) -> Callable[..., Awaitable[Any]]:
    async def list_entities(
        request: Request,
        response: Response,
        store: StoreDep,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Any:
        page = await run_in_threadpool(read.list_entities, store, kind, limit=limit, offset=offset)
        return respond(request, response, page)

    return list_entities


def _describer(kind: KindName, positions_via: PositionsVia) -> Callable[..., Awaitable[Any]]:
    async def describe_entity(
        request: Request,
        response: Response,
        store: StoreDep,
        id: EntityId,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Any:
        detail = await run_in_threadpool(read.describe, store, kind, id, limit=limit, offset=offset)
        return respond(request, response, detail, positions_via, document=kind == "document")

    return describe_entity


for _path, _kind, _detail, _via in _COLLECTIONS:
    router.add_api_route(
        f"/{_path}",
        _lister(_kind),
        methods=["GET"],
        name=f"list_{_path}",
        summary=f"List {_path}",
        description=f"The {_path}, ordered by label then id, with the number of positions of each and the "
        "coder's notes" + (" and status" if _kind == "measure" else "") + ".",
        response_model=Page[Listed],
        responses=_RESPONSES,
    )
    router.add_api_route(
        f"/{_path}/{{id}}",
        _describer(_kind, _via),
        methods=["GET"],
        name=f"get_{_kind}",
        summary=f"One {_kind}",
        description=f"One {_kind}: {_DETAILS[_kind]}. Its positions come a page at a time "
        "(`limit`, `offset`; `positionCount` tells how many there are; `/positions` filters them). "
        f"404 names an id that is not a {_kind}.",
        response_model=_detail,
        responses=_RESPONSES,
    )


@router.get(
    "/positions",
    summary="Positions, filtered",
    description="Positions with their holder, target, stance, attribution, hedging, the coder's notes and "
    "quoted evidence, ordered by id. Every filter left out matches anything; `stance` follows the stance "
    "hierarchy (`exact=true` for that stance alone); `concern` matches positions that target or regard it. "
    "With `sources=true` or `min_sources`, each position says how many independent sources state its "
    "holder, target and side (copies of one text and near-copies of a quote count once); worked out for "
    "the whole store at the first such request after a write.",
    response_model=Page[Position],
    responses=_RESPONSES,
)
async def list_positions(
    request: Request,
    response: Response,
    store: StoreAsOfDep,
    holder: Annotated[str | None, _id_filter("Id of the stakeholder holding the position.")] = None,
    target: Annotated[str | None, _id_filter("Id of what the position is about.")] = None,
    stance: Annotated[
        str | None,
        Query(
            pattern=CONCEPT_PATTERN,
            description="Stance concept, e.g. supports, concerned; with its narrower stances in the "
            "stance scheme (proposes matches recommends) unless `exact=true`.",
        ),
    ] = None,
    exact: Annotated[
        bool, Query(description="Match `stance` alone, not the stances narrower than it.")
    ] = False,
    min_value: Annotated[int | None, _stance_value("Lowest stance value (-2 to +2).")] = None,
    max_value: Annotated[int | None, _stance_value("Highest stance value (-2 to +2).")] = None,
    concern: Annotated[str | None, _id_filter("Id of a concern the position targets or regards.")] = None,
    document: Annotated[str | None, _id_filter("Id of a document the evidence comes from.")] = None,
    attribution: Annotated[
        str | None,
        Query(
            pattern=CONCEPT_PATTERN,
            description="Attribution mode: direct, reported, unattributed, authorial.",
        ),
    ] = None,
    hedged: Annotated[
        bool | None, Query(description="Only hedged (true) or unhedged (false) positions.")
    ] = None,
    min_sources: MinSources = None,
    sources: Annotated[
        bool, Query(description="Show each position's number of independent sources.")
    ] = False,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Any:
    where = PositionFilter(
        holder=holder,
        target=target,
        stance=stance,
        min_value=min_value,
        max_value=max_value,
        concern=concern,
        document=document,
        attribution=attribution,
        hedged=hedged,
        min_sources=min_sources,
        exact_stance=exact,
    )
    listing = positions_with_sources if sources or min_sources is not None else read.positions
    page = await run_in_threadpool(listing, store, where, limit=limit, offset=offset)
    return respond(request, response, page)


@router.get(
    "/search",
    summary="Search labels, quotes and texts",
    description="What matches `q` where `in` says: `labels` (entities whose label or alias contains "
    "`q`, ignoring case and accents; exact matches first, then prefixes, then the rest; `matched` is "
    "the name that matched), `quotes` (evidence quotes) and `texts` (documents' source texts). Quotes "
    "and texts are searched word by word, ignoring case and accents: every word must occur, "
    '`"a phrase"` in order, `word*` as a prefix; their hits carry `kind`, the `spans` where they are '
    "(code points of the document's text) and the `positions` resting on them, ranked by BM25. "
    "Labels come first, then quotes, then texts.",
    response_model=Page[Found | TextHit],
    responses=_RESPONSES,
)
async def search(
    request: Request,
    response: Response,
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, description="The text to look for.")],
    scopes: Annotated[
        str,
        Query(alias="in", description="Where to look, comma-separated: labels, quotes, texts."),
    ] = "labels",
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Any:
    where = [scope.strip() for scope in scopes.split(",")]
    page = await run_in_threadpool(read.search, store, q, scopes=where, limit=limit, offset=offset)
    return respond(request, response, page, search=True)
