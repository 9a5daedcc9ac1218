"""/cache: what the result cache (:mod:`api.result_cache`) holds and how often it answered."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from graph.result_cache import GenerationCache

router = APIRouter(tags=["service"])


class CacheView(BaseModel):
    """The result cache's counts since the service started, and what it holds now."""

    enabled: bool = Field(description="Whether answers are kept (STANCEGRAPH_RESULT_CACHE).")
    hits: int = Field(0, description="Requests answered from the cache.")
    misses: int = Field(
        0, description="Requests the cache could answer but did not hold: they went to the store."
    )
    evictions: int = Field(0, description="Answers pushed out to stay within the bound.")
    entries: int = Field(0, description="Answers held now (of the store's current generation).")
    bytes: int = Field(0, description="Bytes the answers held take, as the bound counts them.")
    max_bytes: int = Field(0, description="The bound (STANCEGRAPH_RESULT_CACHE_BYTES); 0 when off.")


@router.get(
    "/cache",
    summary="Result cache counts",
    description="Hits, misses and evictions of the result cache since the service started, and the "
    "answers it holds. A write to the store drops every answer held; each answer of a read also says "
    "`X-Cache: hit` or `X-Cache: miss`.",
    response_model=CacheView,
)
async def cache_counts(request: Request) -> CacheView:
    cache: GenerationCache[object] | None = request.app.state.result_cache
    if cache is None:
        return CacheView(enabled=False)
    return CacheView(enabled=True, **asdict(cache.counts))
