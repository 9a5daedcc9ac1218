"""Assisted coding: the review queue of suggested positions, and inter-coder agreement.

Thin: the suggester runs and the queue is read and written by :mod:`graph.suggest` (in the
thread pool); agreement is :mod:`graph.agreement`'s. Suggestions are never coded positions:
they live in the document's suggestions graph until a reviewer accepts one, which codes it
through the write API as a revision by that reviewer.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep, require
from api.errors import error_responses
from api.suggesters import Backend, suggester_for
from graph.agreement import agreement, positions_of_store
from graph.coding.coders import Capability, Coder
from graph.coding.position_store import document_text
from graph.errors import NotFoundError
from graph.namespaces import SLUG_PATTERN
from graph.stores.base import Store
from graph.suggest.backends import Suggester
from graph.suggest.queue import Status, accept, queued, reject, store_suggestions
from graph.suggest.stored import known_in_store

router = APIRouter(tags=["assisted coding"])

Slug = Annotated[str, Path(pattern=SLUG_PATTERN, description="The document's id (slug).")]
SuggestionId = Annotated[str, Path(pattern=SLUG_PATTERN, description="The suggestion's id.")]
CODE = require(Capability.code)
REVIEW = require(Capability.review)
_WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 422, 503)  # 400: a body that is not JSON


class SuggestRequest(BaseModel):
    """What to run: the rules (the default) or the configured language model."""

    model_config = ConfigDict(extra="forbid")
    backend: Backend = Field("rules", description="rules, or model (needs STANCEGRAPH_SUGGEST_MODEL_URL).")


class AcceptRequest(BaseModel):
    """Accept a suggestion, with the reviewer's edits (any of a position's keys) and a reason."""

    model_config = ConfigDict(extra="forbid")
    edits: dict[str, Any] = Field(
        default_factory=dict,
        description="Keys of the position that replace the suggestion's: id, holder, target, stance, value, "
        "attribution, hedges, regarding, valid_at, note, evidence ([{quote, start, end}], code points).",
    )
    reason: str | None = Field(None, description="Why (default: 'accepted suggestion <id> (<rule>)').")


class RejectRequest(BaseModel):
    """Reject a suggestion: it stays in the queue with the reason."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, description="Why the suggestion is rejected.")


def _run(store: Store, slug: str, suggester: Suggester) -> dict[str, Any]:
    text = document_text(store, slug)
    outcome = suggester.propose(text, known_in_store(store))
    added = store_suggestions(store, slug, outcome.suggestions, suggester.agent)
    return {
        "document": slug,
        "agent": {
            "name": suggester.agent.name,
            "version": suggester.agent.version,
            "fingerprint": suggester.agent.fingerprint,
        },
        "added": added,
        "suggested": len(outcome.suggestions),
        "rejected": outcome.rejected,
        "paraphrases": outcome.paraphrases,
        "suggestions": [item.as_json() for item in queued(store, slug)],
    }


@router.post(
    "/documents/{slug}/suggestions",
    summary="Suggest positions in a document and queue them for review (capability code)",
    description='Runs the rule-based suggester (or, `{"backend": "model"}`, the configured language model) '
    "on the document's text and adds what it proposes to the document's review queue, a graph of its own "
    "(`.../graph/{slug}/suggestions`): nothing is coded. Every quote is verified verbatim at its offsets; a "
    "model's quote that is not in the text is rejected and listed under `rejected`, a paraphrase kept "
    "flagged. A suggestion already queued is not queued again.",
    responses=_WRITE_ERRORS,
)
async def suggest_positions(
    store: StoreDep,
    settings: SettingsDep,
    slug: Slug,
    coder: Annotated[Coder, CODE],
    body: Annotated[SuggestRequest | None, Body()] = None,
) -> dict[str, Any]:
    suggester = suggester_for(settings, (body or SuggestRequest()).backend)
    return await run_in_threadpool(_run, store, slug, suggester)


@router.get(
    "/documents/{slug}/suggestions",
    summary="The review queue of a document",
    description="The suggestions for the document in text order, with their status (pending, accepted, "
    "rejected), the software that generated them, and the review.",
    responses=error_responses(404, 422, 503),
)
async def list_suggestions(
    store: StoreDep,
    slug: Slug,
    status: Annotated[Status | None, Query(description="Only the suggestions of this status.")] = None,
) -> dict[str, Any]:
    await run_in_threadpool(document_text, store, slug)  # 404 for a document the store lacks
    items = await run_in_threadpool(queued, store, slug, status)
    return {"document": slug, "suggestions": [item.as_json() for item in items]}


@router.post(
    "/suggestions/{suggestion_id}/accept",
    summary="Accept a suggestion: it becomes a coded position (capability review)",
    description="Codes the suggestion, with the `edits` applied, through the write API: a revision by the "
    "reviewer. A suggestion without a holder or target needs it in `edits` (else 422 naming it). 409 when "
    "the suggestion was already reviewed.",
    responses=_WRITE_ERRORS,
)
async def accept_suggestion(
    store: StoreDep,
    suggestion_id: SuggestionId,
    coder: Annotated[Coder, REVIEW],
    body: Annotated[AcceptRequest | None, Body()] = None,
) -> dict[str, Any]:
    request = body or AcceptRequest()
    item, saved = await run_in_threadpool(
        lambda: accept(store, suggestion_id, reviewer=coder.name, edits=request.edits, reason=request.reason)
    )
    return {
        "suggestion": item.as_json(),
        "position": {
            "id": saved.id,
            "revision": saved.revision,
            "coder": saved.coder,
            "position": saved.position,
        },
    }


@router.post(
    "/suggestions/{suggestion_id}/reject",
    summary="Reject a suggestion, with the reason (capability review)",
    description="The suggestion stays in the queue, rejected, with the reason, the reviewer and the time. "
    "409 when it was already reviewed.",
    responses=_WRITE_ERRORS,
)
async def reject_suggestion(
    store: StoreDep, suggestion_id: SuggestionId, coder: Annotated[Coder, REVIEW], body: RejectRequest
) -> dict[str, Any]:
    item = await run_in_threadpool(
        lambda: reject(store, suggestion_id, reviewer=coder.name, reason=body.reason)
    )
    return {"suggestion": item.as_json()}


@router.get(
    "/agreement",
    summary="Inter-coder agreement on a document",
    description="The positions of the document by the coder of each one's first revision: Krippendorff's "
    "alpha per variable (nominal: stance, attribution, holder, target; interval: value), agreement on "
    "units (span overlap), and each disagreement with every coder's position side by side. With positions "
    "of fewer than two coders there is nothing to measure: `note` says so, `alpha` is empty.",
    responses=error_responses(422, 503),
)
async def agreement_of_document(
    store: StoreDep,
    document: Annotated[str, Query(pattern=SLUG_PATTERN, description="The document's id (slug).")],
) -> dict[str, Any]:
    try:
        positions = await run_in_threadpool(positions_of_store, store, document)
    except NotFoundError:  # nothing coded in the service: no coder to compare
        positions = []
    coders = sorted({position.coder for position in positions})
    if len(coders) < 2:
        # Not an error: the document is as it is; the answer says why there is nothing to measure.
        note = f"positions of {len(coders)} coder(s) ({', '.join(coders) or 'none'}); agreement needs two"
        return {"document": document, "coders": coders, "note": note, "alpha": {}, "disagreements": []}
    return {"document": document, **agreement(positions).as_json()}
