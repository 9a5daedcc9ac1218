"""Positions on the time axis: which are dated, what their time and sign are, and how far apart.

A position's time is its own ``sg:validAt`` when the text dates the stance, else
its document's ``dcterms:issued`` (:attr:`PositionRecord.time`); one with neither
is undated and is never placed on the axis: the analyses count it apart.

>>> import datetime
>>> from graph.network.records import PositionRecord
>>> march = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
>>> records = [PositionRecord("urn:p1", "urn:h", "H", "urn:t", "T", value=1, reported_at=march),
...            PositionRecord("urn:p2", "urn:h", "H", "urn:t", "T", value=-1)]
>>> dated, undated = split_dated(records)
>>> [record.position for record in dated], undated
(['urn:p1'], ['urn:p2'])
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from graph.analysis.shapes import DatedPosition, Named
from graph.errors import ValidationFailedError
from graph.network.choices import Unit, length
from graph.network.records import PositionRecord
from graph.read.names import identifier
from graph.read.shapes import Evidence

SAME_WINDOW = datetime.timedelta(days=1)
"""Two positions less than this apart are in one window: by default two day-precision documents of
the same date (both midnight UTC), or an instant and the day it falls in; not two consecutive dates."""

_DAY_SECONDS = 86400.0


def same_window(value: str | datetime.timedelta) -> datetime.timedelta:
    """The window within which two positions count as at the same time: a timedelta, or a length
    in days or weeks as the web service writes it (``1d``, ``2w``).

    >>> same_window("2w")
    datetime.timedelta(days=14)
    >>> same_window("1m")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: window: give it in days or weeks (e.g. 1d, 2w), not '1m'
    """
    if isinstance(value, datetime.timedelta):
        return value
    found = length(value, "window")
    if found.unit not in (Unit.days, Unit.weeks):
        message = f"window: give it in days or weeks (e.g. 1d, 2w), not {value!r}"
        raise ValidationFailedError(message, parameter="window")
    return datetime.timedelta(days=found.count * (7 if found.unit is Unit.weeks else 1))


def one_per_position(records: Iterable[PositionRecord]) -> list[PositionRecord]:
    """The first record of each position: a position stated with two values (which validation
    reports) is one position to the analyses, not two.

    >>> records = [PositionRecord("urn:p", "urn:h", "H", "urn:t", "T", value=v) for v in (1, 2)]
    >>> [record.value for record in one_per_position(records)]
    [1]
    """
    kept: dict[str, PositionRecord] = {}
    for record in records:
        kept.setdefault(record.position, record)
    return list(kept.values())


def split_dated(records: Iterable[PositionRecord]) -> tuple[list[PositionRecord], list[str]]:
    """The records of the dated positions (one per position), and the IRIs of the undated ones, sorted."""
    dated, undated = [], []
    for record in one_per_position(records):
        if record.time is None:
            undated.append(record.position)
        else:
            dated.append(record)
    return dated, sorted(undated)


def has_value(record: PositionRecord) -> bool:
    """Whether the record's value is an integer: one stored otherwise cannot be compared.

    >>> has_value(PositionRecord("urn:p", "urn:h", "H", "urn:t", "T", value="abc"))
    False
    """
    return type(record.value) is int


def sign(value: int) -> int:
    """-1, 0 or +1: the side a stance value takes (neutral is a side of its own).

    >>> sign(-2), sign(0), sign(1)
    (-1, 0, 1)
    """
    return (value > 0) - (value < 0)


def days_between(earlier: datetime.datetime, later: datetime.datetime) -> float:
    """How many days (fractional) lie from ``earlier`` to ``later``.

    >>> days_between(datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC),
    ...              datetime.datetime(2025, 3, 2, 12, tzinfo=datetime.UTC))
    1.5
    """
    return (later - earlier).total_seconds() / _DAY_SECONDS


def time_order(record: PositionRecord) -> tuple[datetime.datetime, str, str]:
    """The key ordering dated records by time, then document, then position: it never varies."""
    assert record.time is not None  # only dated records are ordered
    return record.time, record.document or "", record.position


def holder_of(record: PositionRecord) -> Named:
    """The record's holder as named in the answers."""
    return Named(identifier(record.holder), record.holder, record.holder_label, record.holder_type or None)


def target_of(record: PositionRecord) -> Named:
    """The record's target as named in the answers."""
    return Named(identifier(record.target), record.target, record.target_label, record.target_type or None)


def dated_position(record: PositionRecord, quotes: Mapping[str, list[Evidence]]) -> DatedPosition:
    """A dated record as placed on the time axis, with its quotes from ``quotes`` (by position IRI).

    >>> march = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    >>> record = PositionRecord("https://w3id.org/stancegraph/id/p1", "urn:h", "H", "urn:t", "T",
    ...     "supports", 2, document="https://w3id.org/stancegraph/id/doc-a", reported_at=march,
    ...     time_precision="day")
    >>> point = dated_position(record, {})
    >>> point.position, point.document, point.time.isoformat(), point.quotes
    ('p1', 'doc-a', '2025-03-01T00:00:00+00:00', [])
    """
    assert record.time is not None  # only dated records are placed
    return DatedPosition(
        position=identifier(record.position),
        document=identifier(record.document) if record.document else None,
        time=record.time,
        precision=record.time_precision,
        stance=record.stance,
        value=record.value,
        hedged=record.hedged,
        quotes=list(quotes.get(record.position, [])),
    )
