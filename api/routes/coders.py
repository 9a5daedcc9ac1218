"""/coders/me: who the bearer token names, the coder's role and what the role may do."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import require
from api.errors import error_responses
from graph.coding.coders import Capability, Coder, Role

router = APIRouter(tags=["coders"])


class CoderView(BaseModel):
    """A coder as the coder sees themself: never the token, nor its hash."""

    name: str = Field(description="The name the coder's writes are recorded under.")
    role: Role = Field(description="reader, coder, reviewer or admin.")
    capabilities: list[Capability] = Field(
        description="What the role may do: read; code (create positions, edit and retract one's own); "
        "edit_others; review; manage_entities; raw_writes (SPARQL Update and Graph Store writes)."
    )


@router.get(
    "/coders/me",
    summary="Who am I (needs a coder's token)",
    description="The coder the bearer token names: name, role and capabilities. The token is a coder's "
    "of the coders file (STANCEGRAPH_CODERS_FILE) or the write token (the admin named 'admin'). 401 "
    "without a token or with one of no coder; 403 when no coders are configured.",
    response_model=CoderView,
    responses=error_responses(401, 403),
)
async def who_am_i(coder: Annotated[Coder, require(Capability.read)]) -> CoderView:
    # In the order Capability declares them, the order of the role ladder.
    capabilities = [capability for capability in Capability if coder.can(capability)]
    return CoderView(name=coder.name, role=coder.role, capabilities=capabilities)
