"""/analysis and a stakeholder's trajectory: the debate over time, with the quotes behind every answer.

A position's time is the date the text gives for the stance (``validAt``), else its
document's; every answer says how many positions it left out for want of a date.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from api.deps import KnownParametersOnly, ServiceWrittenQueries, StoreDep
from api.errors import error_responses
from graph.analysis import DEFAULT_SHIFT_THRESHOLD, Disagreements, Shifts, Trajectory
from graph.analysis import disagreements as find_disagreements
from graph.analysis import shifts as find_shifts
from graph.analysis import trajectory as find_trajectory
from graph.namespaces import SLUG_PATTERN

router = APIRouter(tags=["analysis"], dependencies=[ServiceWrittenQueries, KnownParametersOnly])

_RESPONSES = error_responses(404, 422, 503, 504)

FromQuery = Annotated[
    str | None, Query(alias="from", description="Positions from this date or date-time on (ISO 8601).")
]
ToQuery = Annotated[
    str | None, Query(alias="to", description="Positions up to this date (the whole day) or date-time.")
]
WindowQuery = Annotated[
    str,
    Query(description="Positions less than this apart are at the same time: days or weeks (1d, 2w)."),
]


@router.get(
    "/stakeholders/{id}/trajectory",
    summary="A stakeholder's stance on a target over time",
    description="The dated sequence of the stakeholder's positions on `target`, in time order, each with "
    "its document, time and precision, stance, value, hedging and quotes; undated positions are listed "
    "apart (`undated`, `undatedPositions`), never placed on the time axis.",
    response_model=Trajectory,
    responses=_RESPONSES,
)
async def trajectory(
    store: StoreDep,
    id: Annotated[str, Path(pattern=SLUG_PATTERN, description="The stakeholder's id.")],
    target: Annotated[str, Query(pattern=SLUG_PATTERN, description="The target's id, e.g. a program.")],
) -> Trajectory:
    return await run_in_threadpool(find_trajectory, store, id, target)


@router.get(
    "/analysis/shifts",
    summary="Who changed their stance",
    description="Holder-target pairs whose stance changed between documents: a change of side, or a change "
    "of value of at least `threshold`; a change of hedging alone is not a shift. Each comes with the "
    "positions before and after, their quotes and the days between. Positions that sources attribute "
    "differently at the same time (see /analysis/disagreements) are left out and counted in `contested`.",
    response_model=Shifts,
    responses=_RESPONSES,
)
async def shifts(
    store: StoreDep,
    threshold: Annotated[
        int, Query(ge=1, le=4, description="The least change of value (on -2..+2) that is a shift.")
    ] = DEFAULT_SHIFT_THRESHOLD,
    window: WindowQuery = "1d",
    start: FromQuery = None,
    end: ToQuery = None,
) -> Shifts:
    return await run_in_threadpool(
        lambda: find_shifts(store, threshold=threshold, window=window, start=start, end=end)
    )


@router.get(
    "/analysis/disagreements",
    summary="Where the sources disagree",
    description="Pairs of positions from different documents that give one holder opposite stances on one "
    "target less than `window` apart: the sources disagree, which is not the holder changing its mind.",
    response_model=Disagreements,
    responses=_RESPONSES,
)
async def disagreements(
    store: StoreDep,
    window: WindowQuery = "1d",
    start: FromQuery = None,
    end: ToQuery = None,
) -> Disagreements:
    return await run_in_threadpool(lambda: find_disagreements(store, window=window, start=start, end=end))
