"""The FastAPI application: settings in, routers mounted, the store opened for the app's lifetime.

Routers live one per resource in ``api/routes``; later ones are added to
:data:`ROUTERS`. The Swagger UI at /docs and ReDoc at /redoc are served from
local assets (the ``fastapi-offline`` package): no CDN.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware

from api.deps import ReadAccess, coders_for
from api.errors import install_error_handlers
from api.limits import BodySizeLimitMiddleware, StrictQueryStringMiddleware
from api.result_cache import CACHE_HEADER, ResultCacheMiddleware, result_cache_for
from api.routes import (
    analysis,
    assist,
    cache,
    coders,
    coding,
    entries,
    graph_store,
    network,
    ontology_docs,
    queries,
    resources,
    service,
    sparql,
    subgraph,
    update,
    web,
)
from api.routes.sparql import TRUNCATED_HEADER
from api.settings import Settings
from graph.dataset import load_embedded
from graph.errors import QuerySyntaxError
from graph.formats import media_type_for_file
from graph.sparql.policy import QueryPolicy
from graph.sparql.uploads import check_rdf_upload
from graph.stores import open_store
from graph.stores.base import Store
from graph.stores.engine.client import EmbeddedStore
from graph.stores.memory import MemoryStore

ROUTERS: tuple[APIRouter, ...] = (
    sparql.router,
    update.router,
    graph_store.router,
    service.router,
    cache.router,
    resources.router,
    queries.router,
    subgraph.router,
    network.router,
    analysis.router,
    ontology_docs.router,
    coders.router,
    coding.router,
    entries.router,
    assist.router,
    web.router,
)

DESCRIPTION = """
A SPARQL 1.1 service over the stakeholder-position graph.

* `/sparql`: SPARQL 1.1 Protocol queries (GET, POST form, POST `application/sparql-query`).
* `/update`: SPARQL 1.1 Update; `/store`: Graph Store HTTP Protocol. Writes need
  `Authorization: Bearer <token>` and are disabled when no token is configured.
* SERVICE, LOAD and FROM of graphs outside the store are refused; queries have a time limit
  and a row cap (`X-Result-Truncated: true` marks a cut result).
"""


def open_configured_store(settings: Settings) -> Store:
    """Open the store the settings name and give it its initial data.

    ``data`` files replace the embedded data set; the embedded data set is
    loaded into an empty memory or disk store (a disk store keeps it: it loads
    once). A remote store serves what the remote engine holds. A memory store
    keeps the recipe, not the data: if its engine dies, the new one loads the
    files (or the embedded data set) again.
    """
    store = open_store(
        settings.store,
        path=settings.disk_path,
        endpoint=settings.remote_query_url,
        update_endpoint=settings.remote_update_url,
        graph_store_endpoint=settings.remote_graph_store_url,
        engine=settings.remote_engine,
        read_timeout=settings.query_timeout,
        max_rows=settings.max_result_rows,
        workers=settings.readers,
        max_workers=settings.max_readers,
        memory_limit=settings.query_memory_limit,
    )
    try:
        recipe: Callable[[Store], None] | None = None
        if settings.data:
            recipe = partial(_load_files, settings.data)
        elif settings.store != "remote" and len(store) == 0:
            recipe = load_embedded
        if isinstance(store, MemoryStore) and recipe is not None:
            store.start_from(recipe)
        elif recipe is not None:
            recipe(store)
    except BaseException:
        store.close()  # stops the engine processes of a store that will never serve
        raise
    return store


def _load_files(paths: Sequence[Path], store: Store) -> None:
    for path in paths:
        _load_file(store, path)


def _load_file(store: Store, path: Path) -> None:
    """Load one data file, refused with its name when a parser may not be given it (a DTD ...).

    An embedded store's engine reads and checks the file itself: no process holds a copy of it."""
    if isinstance(store, EmbeddedStore):
        store.load_file(path, media_type_for_file(path))
        return
    data, media_type = path.read_bytes(), media_type_for_file(path)
    try:
        check_rdf_upload(data, media_type)
    except QuerySyntaxError as error:
        raise QuerySyntaxError(f"{path}: {error}") from error
    store.load_dataset(data, media_type)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service, configured by ``settings`` (default: from the environment)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = await run_in_threadpool(open_configured_store, settings)
        try:
            yield
        finally:
            await run_in_threadpool(app.state.store.close)

    app = FastAPIOffline(
        title="stancegraph",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.coders = coders_for(settings)  # here, so a bad coders file stops the start
    app.state.policy = QueryPolicy(allowed_hosts=frozenset(settings.outbound_hosts))
    install_error_handlers(app)
    # Added first, so innermost: the size limit bounds the bodies it reads, CORS heads its hits.
    app.state.result_cache = result_cache_for(settings)
    if app.state.result_cache is not None:
        app.add_middleware(ResultCacheMiddleware, cache=app.state.result_cache)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(StrictQueryStringMiddleware)
    if settings.cors_origins:
        # Added last, so outermost: refusals (413 included) carry the CORS headers too.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE"],
            allow_headers=["Accept", "Authorization", "Content-Type"],
            expose_headers=[TRUNCATED_HEADER, CACHE_HEADER],
        )
    # Only then: open reads (the default) pay no dependency on their hot path.
    gates = [ReadAccess] if settings.read_access == "coders" else []
    for router in ROUTERS:
        app.include_router(router, dependencies=gates)
    return app
