"""What the analyses answer: small frozen dataclasses of plain fields, ready to be JSON.

Every field is a str, int, float, bool, None, a list, a datetime, another of
these classes or a :class:`~graph.read.shapes.Evidence` (a typed dict), so the
service serializes an answer as it is: FastAPI (pydantic) writes a datetime as
an ISO 8601 string in UTC (``2025-03-01T00:00:00Z``) through the route's response
model, and ``pydantic.TypeAdapter(Shifts).dump_python(answer, mode="json")`` gives
the same JSON outside a route. Notebooks keep the datetimes. Keys of more than
one word are camelCase, as in the REST answers of :mod:`graph.read`. Ids are the
REST ids of :func:`graph.read.names.identifier` (the slug of an ``sgd:`` IRI).

>>> import datetime
>>> from pydantic import TypeAdapter
>>> point = DatedPosition("p1", "doc-a", datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC), "day",
...                       "supports", 2, False, [])
>>> TypeAdapter(DatedPosition).dump_python(point, mode="json")["time"]
'2025-03-01T00:00:00Z'
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from graph.read.shapes import Evidence


@dataclass(frozen=True, slots=True)
class Named:
    """An entity a position names: its id, IRI, label and most specific class (``None`` if unknown)."""

    id: str
    iri: str
    label: str
    type: str | None


@dataclass(frozen=True, slots=True)
class DatedPosition:
    """A position placed on the time axis, with its quoted spans.

    ``time`` is the position's own ``sg:validAt`` when the text dates the stance,
    else its document's ``dcterms:issued``; ``precision`` how much of it the source
    gives (``year``, ``month``, ``day`` or ``instant``): a day-precision time is
    midnight UTC of that day, and is no more exact than that. ``value`` and
    ``hedged`` are as stored (text when not well-formed, as in the REST answers).
    """

    position: str
    document: str | None
    time: datetime.datetime
    precision: str | None
    stance: str
    value: int | str
    hedged: bool | str
    quotes: list[Evidence]


@dataclass(frozen=True, slots=True)
class Trajectory:
    """A holder's stances on a target in time order, and the undated ones apart (never on the axis)."""

    holder: Named
    target: Named
    points: list[DatedPosition]
    undated: int
    undatedPositions: list[str]


@dataclass(frozen=True, slots=True)
class Shift:
    """A holder whose stance on a target changed from ``before`` to ``after``, ``days`` later.

    ``change`` is the value after minus the value before; ``signChanged`` tells a
    change of side (neutral, 0, is a side of its own) from a change of degree.
    """

    holder: Named
    target: Named
    before: DatedPosition
    after: DatedPosition
    change: int
    signChanged: bool
    days: float


@dataclass(frozen=True, slots=True)
class Shifts:
    """The shifts found, with the rule that found them and what it left out.

    ``undated``: positions left out for want of a date; ``contested``: dated
    positions left out because they take part in a disagreement (the sources, not
    the holder, differ there), listed by :func:`graph.analysis.disagreements`.
    """

    shifts: list[Shift]
    threshold: int
    windowDays: float
    undated: int
    contested: int


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Two sources attributing opposite non-zero stances to one holder on one target, ``days`` apart.

    ``first`` is the earlier of the two (on a tie, the one of the lesser document id).
    """

    holder: Named
    target: Named
    first: DatedPosition
    second: DatedPosition
    days: float


@dataclass(frozen=True, slots=True)
class Disagreements:
    """The disagreements found within ``windowDays``; ``undated``: positions left out for want of a date."""

    disagreements: list[Disagreement]
    windowDays: float
    undated: int


@dataclass(frozen=True, slots=True)
class Corroboration:
    """How many independent sources support a position's holder, target and sign of value.

    ``documents``: the documents stating the same holder-target-sign, one list per
    independent source (copies and near-copies of one text together), each sorted,
    the lists in order of their first document. A position with no document is a
    source of its own and names none.
    """

    position: str
    holder: str
    target: str
    sign: int
    sources: int
    documents: list[list[str]]
