"""The service itself: its SPARQL service description, liveness (/health) and readiness (/ready)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep
from api.errors import ApiError, error_responses, retry_after
from api.negotiation import describe, negotiate
from api.settings import Settings
from graph.errors import GraphError, StoreUnavailableError
from graph.formats import GRAPH_FORMATS, HTML, RESULTS_FORMATS, SPARQL_CSV, TRIPLE_FORMATS
from graph.stores.base import AsyncQueryStore, Store
from graph.stores.disk import DiskStore
from graph.stores.memory import MemoryStore

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ENTAILMENT_SIMPLE = URIRef("http://www.w3.org/ns/entailment/Simple")

router = APIRouter(tags=["service"])

EDITOR_PAGE = "./#editor"
"""Where a browser opening /sparql is sent: the page's SPARQL editor (relative, so it holds behind a
proxy that serves the service under a path)."""


def service_description(query_endpoint: str, update_endpoint: str, settings: Settings) -> Graph:
    """The SPARQL 1.1 Service Description of the query and update endpoints."""
    graph = Graph()
    graph.bind("sd", SD)
    query_service, update_service = BNode(), BNode()
    graph.add((query_service, RDF.type, SD.Service))
    graph.add((query_service, SD.endpoint, URIRef(query_endpoint)))
    graph.add((query_service, SD.supportedLanguage, SD.SPARQL10Query))
    graph.add((query_service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((query_service, SD.defaultEntailmentRegime, ENTAILMENT_SIMPLE))
    for media_format in (*RESULTS_FORMATS, *GRAPH_FORMATS):
        graph.add((query_service, SD.resultFormat, URIRef(media_format.iri)))
    if settings.union_default_graph:
        graph.add((query_service, SD.feature, SD.UnionDefaultGraph))
    graph.add((query_service, SD.feature, SD.EmptyGraphs))
    graph.add((update_service, RDF.type, SD.Service))
    graph.add((update_service, SD.endpoint, URIRef(update_endpoint)))
    graph.add((update_service, SD.supportedLanguage, SD.SPARQL11Update))
    return graph


def public_base(request: Request, settings: Settings) -> str:
    """Where clients reach the service: ``public_url``, or else the address it listens on.

    Never the Host header (or a forwarded one): any client could then make the service
    advertise a host of its choosing. The listening address is the socket's own (the ASGI
    ``server``), so a service bound to port 0 or to every interface names a real one.
    """
    if settings.public_url is not None:
        return settings.public_url
    server = request.scope.get("server")
    # No server, or no port (a Unix socket): the configured address is all there is to name.
    host, port = server if server is not None and server[1] is not None else (settings.host, settings.port)
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def service_description_response(request: Request, settings: Settings) -> Response:
    """The service description, in the RDF format the client accepts; a browser (which prefers
    HTML to any RDF) is sent to the page's SPARQL editor instead."""
    offers = (*TRIPLE_FORMATS, HTML)
    chosen = negotiate(offers, request.headers.get("accept"), request.query_params.get("format"))
    if chosen is HTML:
        return RedirectResponse(EDITOR_PAGE, status_code=303, headers={"Vary": "Accept"})
    if chosen is None:
        raise ApiError(406, f"the service description is available as {describe(TRIPLE_FORMATS)}")
    base, paths = public_base(request, settings), request.app.url_path_for
    description = service_description(base + paths("sparql_get"), base + paths("update_post"), settings)
    assert chosen.rdflib is not None  # every triple format names its rdflib serializer
    body = description.serialize(format=chosen.rdflib, encoding="utf-8")
    return Response(body, media_type=chosen.media_type, headers={"Vary": "Accept"})


READY_TIMEOUT_SECONDS = 2.0
_READY_QUERY = "ASK {}"  # evaluated like any query, reading no data: the store answers, or not
_READY_RETRY_SECONDS = 5.0  # the Retry-After when the store gives no hint of its own


@router.get(
    "/health",
    summary="Liveness check",
    description="Answers 200 while the service process runs, naming the kind of store it serves. "
    "It never asks the store: whether the store answers is `/ready`.",
)
async def health(store: StoreDep) -> dict[str, str]:
    """Liveness: the process runs and answers; no store call, so never slow and never 503."""
    return {"status": "ok", "store": store.kind}


@router.get(
    "/ready",
    summary="Readiness check",
    description=f"200 when the store answers a trivial query within {READY_TIMEOUT_SECONDS:g} s; "
    "otherwise 503 with `Retry-After` (an engine being restarted, a remote engine down). Names the "
    "store and, for an embedded one, its engine's restarts: `writes_lost` counts the writes a "
    "memory store's restart dropped (it reloads the data it was started from).",
    responses={
        200: {"description": "The store answers queries"},
        **error_responses(503),
    },
)
async def ready(store: StoreDep) -> JSONResponse:
    """Readiness: the store answers a query now."""
    problem: GraphError | None = None
    try:
        await asyncio.wait_for(_ask(store), READY_TIMEOUT_SECONDS + 1)
    except GraphError as error:
        problem = error
    except TimeoutError:
        problem = StoreUnavailableError(
            f"the store did not answer a trivial query within {READY_TIMEOUT_SECONDS:g} s"
        )
    body: dict[str, object] = {"status": "ready", "store": store.kind, **_engine_report(store)}
    if problem is None:
        return JSONResponse(body)
    hint = problem.retry_after if isinstance(problem, StoreUnavailableError) else None
    body |= {"status": "unavailable", "error": "unavailable", "message": str(problem)}
    return JSONResponse(body, status_code=503, headers=retry_after(hint or _READY_RETRY_SECONDS))


async def _ask(store: Store) -> None:
    if isinstance(store, AsyncQueryStore):  # no thread: the engine's reply wakes the loop
        result = await store.query_async(
            _READY_QUERY, results_media_type=SPARQL_CSV, timeout=READY_TIMEOUT_SECONDS
        )
        result.read()
    else:
        await run_in_threadpool(
            lambda: store.query(
                _READY_QUERY, results_media_type=SPARQL_CSV, timeout=READY_TIMEOUT_SECONDS
            ).read()
        )


def _engine_report(store: Store) -> dict[str, object]:
    """What an embedded store's supervision tells of its engine (see graph.stores.engine.supervision)."""
    if not isinstance(store, MemoryStore | DiskStore):
        return {}
    status = store.engine_status
    return {
        "engine": status.state,
        "restarts": status.restarts,
        "restarted_at": _iso(status.restarted_at),
        "writes_lost": status.writes_lost,
        "writes_lost_at": _iso(status.writes_lost_at),
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")
