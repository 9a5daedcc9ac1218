"""Shifts and disagreements: did the holder change, or do the sources differ?

Over the dated positions of each holder-target pair, in time order:

* a **disagreement** is two positions from different sources (documents) with
  opposite non-zero stance values less than ``window`` apart (by default
  :data:`~graph.analysis.dating.SAME_WINDOW`, the same day): the sources, not the
  holder, differ;
* a **shift** is a change between consecutive positions that are not part of a
  disagreement (those are left out of the sequence, and counted as ``contested``):
  a change of sign (neutral, 0, is a sign of its own), or of value by at least
  ``threshold``. A change only of hedging is no shift, nor are two positions of
  one document at one time. Positions in one document with their own times
  (``sg:validAt``) can shift: the text dates the change.

Times are compared as stored: a month-precision time is the 1st of its month at midnight UTC,
so a disagreement or shift between times of unequal precision is only as exact as the coarser
(each side gives its ``precision``). Both answers say how many positions they left out for want
of a date.

>>> import datetime
>>> from graph.network.records import PositionRecord
>>> def stated(position, document, day, value):
...     return PositionRecord(position, "urn:h", "H", "urn:t", "T", value=value, document=document,
...                           reported_at=datetime.datetime(2025, 3, day, tzinfo=datetime.UTC))
>>> records = [stated("urn:p1", "urn:a", 1, 2), stated("urn:p2", "urn:b", 9, -2)]
>>> [(s.before.position, s.after.position, s.days) for s in shifts(records).shifts]
[('urn:p1', 'urn:p2', 8.0)]
>>> records = [stated("urn:p1", "urn:a", 1, 2), stated("urn:p2", "urn:b", 1, -2)]
>>> found = disagreements(records).disagreements
>>> shifts(records).shifts, [(d.first.position, d.second.position) for d in found]
([], [('urn:p1', 'urn:p2')])
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import pairwise

from graph.analysis.dating import (
    SAME_WINDOW,
    dated_position,
    days_between,
    has_value,
    holder_of,
    same_window,
    sign,
    split_dated,
    target_of,
    time_order,
)
from graph.analysis.reading import position_quotes
from graph.analysis.shapes import Disagreement, Disagreements, Shift, Shifts
from graph.errors import ValidationFailedError
from graph.network.records import PositionRecord, position_records
from graph.network.selection import window_records
from graph.read.shapes import Evidence
from graph.stores.base import Store

DEFAULT_SHIFT_THRESHOLD = 2
"""A change of value this large is a shift even without a change of sign. On the -2..+2 scale a
change of two steps always changes the sign too, so by default only a change of side is a shift:
``supports`` (+2) to a milder +1 is a change of degree; ``threshold=1`` counts it as well."""

Quotes = Mapping[str, list[Evidence]]
Pair = tuple[PositionRecord, PositionRecord]


def _records(source: Store | Iterable[PositionRecord]) -> list[PositionRecord]:
    return position_records(source) if isinstance(source, Store) else list(source)


def _quotes(
    source: Store | Iterable[PositionRecord], quotes: Store | Quotes | None, pairs: list[Pair]
) -> Quotes:
    # The quotes of the positions the answer shows, read in one query when a store gives them.
    if quotes is not None and not isinstance(quotes, Store):
        return quotes
    store = quotes if quotes is not None else source if isinstance(source, Store) else None
    if store is None:
        return {}
    return position_quotes(store, {record.position for pair in pairs for record in pair})


def _check_window(given: datetime.timedelta | str) -> datetime.timedelta:
    window = same_window(given)
    if window < datetime.timedelta(0):
        raise ValidationFailedError(f"window: must not be negative, got {window}", parameter="window")
    return window


def _in_range(
    source: Store | Iterable[PositionRecord],
    start: str | datetime.date | None,
    end: str | datetime.date | None,
) -> tuple[list[PositionRecord], int]:
    # The records whose time lies in start..end (the web service's from and to), and how many
    # undated ones that range left out; every record, when no range is asked for.
    records = _records(source)
    if start is None and end is None:
        return records, 0
    selection = window_records(records, start=start, end=end)
    return selection.records, selection.undated


def _sequences(records: Iterable[PositionRecord]) -> tuple[list[list[PositionRecord]], int]:
    # The dated, valued positions of each holder-target pair in time order; and how many were undated.
    dated, undated = split_dated(records)
    pairs: dict[tuple[str, str], list[PositionRecord]] = defaultdict(list)
    for record in dated:
        if has_value(record):
            pairs[record.holder, record.target].append(record)
    return [sorted(pairs[key], key=time_order) for key in sorted(pairs)], len(undated)


def _source(record: PositionRecord) -> str:
    return record.document or record.position  # a position with no document is a source of its own


def _opposed(first: PositionRecord, second: PositionRecord) -> bool:
    assert isinstance(first.value, int) and isinstance(second.value, int)  # only valued records compared
    return sign(first.value) * sign(second.value) < 0


def _disagreeing(sequence: list[PositionRecord], window: datetime.timedelta) -> list[Pair]:
    found = []
    for index, first in enumerate(sequence):
        assert first.time is not None
        for second in sequence[index + 1 :]:
            assert second.time is not None
            if second.time - first.time >= window:
                break  # the sequence is in time order: every later one is farther still
            if _source(first) != _source(second) and _opposed(first, second):
                found.append((first, second))
    return found


def _changed(before: PositionRecord, after: PositionRecord, threshold: int) -> bool:
    assert isinstance(before.value, int) and isinstance(after.value, int)
    if _source(before) == _source(after) and before.time == after.time:
        return False  # one statement of a source, not a change over time
    return sign(before.value) != sign(after.value) or abs(after.value - before.value) >= threshold


def shifts(
    source: Store | Iterable[PositionRecord],
    *,
    threshold: int = DEFAULT_SHIFT_THRESHOLD,
    window: datetime.timedelta | str = SAME_WINDOW,
    start: str | datetime.date | None = None,
    end: str | datetime.date | None = None,
    quotes: Store | Quotes | None = None,
) -> Shifts:
    """The holder-target pairs whose stance changed, each change with its positions before and after.

    ``source`` is a store (its :func:`~graph.network.records.position_records`) or
    records. Quotes come from ``quotes`` (a store to read them from, or a mapping by
    position IRI), else from ``source`` when it is a store, else there are none.
    ``start`` and ``end`` keep the positions of a time range (undated ones then counted out).
    Ordered by holder, target and time. See the module docstring for the rules.

    >>> import datetime
    >>> shifts([], threshold=0)
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: threshold: must be at least 1, got 0
    """
    if threshold < 1:
        raise ValidationFailedError(f"threshold: must be at least 1, got {threshold}", parameter="threshold")
    window = _check_window(window)
    records, undated_out = _in_range(source, start, end)
    sequences, undated = _sequences(records)
    undated += undated_out
    found: list[Pair] = []
    contested: set[str] = set()
    for sequence in sequences:
        disputed = {record.position for pair in _disagreeing(sequence, window) for record in pair}
        contested |= disputed
        kept = [record for record in sequence if record.position not in disputed]
        found.extend(pair for pair in pairwise(kept) if _changed(*pair, threshold))
    quoted = _quotes(source, quotes, found)
    return Shifts(
        shifts=[_shift(before, after, quoted) for before, after in found],
        threshold=threshold,
        windowDays=window.total_seconds() / 86400,
        undated=undated,
        contested=len(contested),
    )


def _shift(before: PositionRecord, after: PositionRecord, quoted: Quotes) -> Shift:
    assert isinstance(before.value, int) and isinstance(after.value, int)
    assert before.time is not None and after.time is not None
    return Shift(
        holder=holder_of(before),
        target=target_of(before),
        before=dated_position(before, quoted),
        after=dated_position(after, quoted),
        change=after.value - before.value,
        signChanged=sign(before.value) != sign(after.value),
        days=days_between(before.time, after.time),
    )


def disagreements(
    source: Store | Iterable[PositionRecord],
    *,
    window: datetime.timedelta | str = SAME_WINDOW,
    start: str | datetime.date | None = None,
    end: str | datetime.date | None = None,
    quotes: Store | Quotes | None = None,
) -> Disagreements:
    """Pairs of positions from different sources that attribute opposite stances to one holder on one
    target less than ``window`` apart; ``source``, ``start``, ``end`` and ``quotes`` as for :func:`shifts`.

    Each pair once, the earlier first; ordered by holder, target and time. Three
    sources on one day, two for and one against, are two disagreements.

    >>> disagreements([], window=datetime.timedelta(days=-1))
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: window: must not be negative, got -1 day, 0:00:00
    """
    window = _check_window(window)
    records, undated_out = _in_range(source, start, end)
    sequences, undated = _sequences(records)
    undated += undated_out
    found = [pair for sequence in sequences for pair in _disagreeing(sequence, window)]
    quoted = _quotes(source, quotes, found)
    listed = []
    for first, second in found:
        assert first.time is not None and second.time is not None
        listed.append(
            Disagreement(
                holder=holder_of(first),
                target=target_of(first),
                first=dated_position(first, quoted),
                second=dated_position(second, quoted),
                days=days_between(first.time, second.time),
            )
        )
    return Disagreements(disagreements=listed, windowDays=window.total_seconds() / 86400, undated=undated)
