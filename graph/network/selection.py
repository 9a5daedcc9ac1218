"""The positions a network over time is built from: a closed date range and DNA's ``duplicates`` option.

A position's time is :attr:`~graph.network.records.PositionRecord.time` (its own
``sg:validAt``, else its document's ``dcterms:issued``), counted at the instant
stored: a document known to the month only stands at the first of that month.
Nothing is invented for a position with no time: whenever an answer depends on
time (a range, a window, duplicates per calendar period) it is left out and
counted, so the answer can say how many it left out (``undated``).

>>> import datetime
>>> day = lambda d: datetime.datetime(2025, 3, d, tzinfo=datetime.UTC)
>>> records = [PositionRecord("urn:p1", "urn:a", "A", "urn:t", "T", "supports", 1, reported_at=day(1)),
...            PositionRecord("urn:p2", "urn:a", "A", "urn:t", "T", "supports", 1, reported_at=day(20)),
...            PositionRecord("urn:p3", "urn:b", "B", "urn:t", "T", "supports", 1)]
>>> chosen = window_records(records, start="2025-03-01", end="2025-03-31", duplicates="month")
>>> [record.position for record in chosen.records], chosen.undated
(['urn:p1'], 1)
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable
from typing import NamedTuple

from graph.network.choices import Duplicates, Level, TimeOptions, choose, time_options
from graph.network.records import PositionRecord


class Selection(NamedTuple):
    """The records a network is built from, and how many positions were left out for want of a date."""

    records: list[PositionRecord]
    undated: int


def _period(duplicates: Duplicates) -> Callable[[PositionRecord], Hashable]:
    # The period within which one holder-target-stance counts once. Calendar weeks are ISO weeks,
    # Monday to Sunday, as DNA's (UK) calendar weeks; a position with no document is its own period.
    def calendar(part: Callable[[datetime.datetime], Hashable]) -> Callable[[PositionRecord], Hashable]:
        return lambda record: part(record.time) if record.time else record.position

    periods: dict[Duplicates, Callable[[PositionRecord], Hashable]] = {
        Duplicates.document: lambda record: record.document or record.position,
        Duplicates.day: calendar(lambda time: time.date()),
        Duplicates.week: calendar(lambda time: time.isocalendar()[:2]),
        Duplicates.month: calendar(lambda time: (time.year, time.month)),
        Duplicates.year: calendar(lambda time: time.year),
        Duplicates.range: lambda record: None,
    }
    return periods[duplicates]


def without_duplicates(
    records: Iterable[PositionRecord], duplicates: Duplicates | str
) -> list[PositionRecord]:
    """The records with each holder-target-stance counted once per period, as DNA's ``duplicates``.

    A holder-target-stance is a holder's stance, with its value, on a target. ``include`` keeps
    every record; ``document``, ``day``, ``week`` (ISO, Monday to Sunday), ``month`` and
    ``year`` keep the earliest of each period (by time, then position IRI); ``range`` the
    earliest of the whole range. The records keep their order.

    >>> import datetime
    >>> on = lambda d: datetime.datetime(2025, 3, d, tzinfo=datetime.UTC)  # 3 March is a Monday
    >>> records = [PositionRecord(f"urn:p{d}", "urn:a", "A", "urn:t", "T", "supports", 1, reported_at=on(d))
    ...            for d in (2, 3, 9, 10)]
    >>> [record.position for record in without_duplicates(records, "week")]
    ['urn:p2', 'urn:p3', 'urn:p10']
    """
    chosen = time_options(duplicates=duplicates).duplicates
    records = list(records)
    if chosen is Duplicates.include:
        return records
    period = _period(chosen)
    earliest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    order = sorted(
        range(len(records)),
        key=lambda index: (
            records[index].time is None,
            records[index].time or earliest,
            records[index].position,
        ),
    )
    seen: set[tuple[str, str, str, int | str, Hashable]] = set()
    kept: set[int] = set()
    for index in order:
        record = records[index]
        key = (record.holder, record.target, record.stance, record.value, period(record))
        if key not in seen:
            seen.add(key)
            kept.add(index)
    return [record for index, record in enumerate(records) if index in kept]


def undated_positions(records: Iterable[PositionRecord]) -> int:
    """How many positions (distinct IRIs) among ``records`` have no time.

    >>> undated_positions([PositionRecord("urn:p", "urn:a", "A", "urn:t", "T")] * 2)
    1
    """
    return len({record.position for record in records if record.time is None})


def window_records(
    records: Iterable[PositionRecord],
    *,
    start: str | datetime.date | None = None,
    end: str | datetime.date | None = None,
    duplicates: Duplicates | str | None = None,
    options: TimeOptions | None = None,
    dated: bool = False,
) -> Selection:
    """The records whose time lies in the closed range ``start``..``end``, duplicates counted once.

    ``start`` and ``end`` are the web service's ``from`` and ``to`` (a date alone takes in all
    of its day); either may be left open. Duplicates are removed within the range, before any
    window is laid over it, as DNA filters statements first. When the answer depends on time, an
    undated position is left out and counted in ``undated``; otherwise (no range, duplicates
    ``include``, ``document`` or ``range``) every record stays and ``undated`` is 0, unless
    ``dated`` asks for dated records only. ``options``, already checked, stands for the other
    keywords.
    """
    chosen = options or time_options(start=start, end=end, duplicates=duplicates)
    records = list(records)
    undated = 0
    if dated or chosen.time_based:
        undated = undated_positions(records)
        begins, ends = chosen.start, chosen.end
        records = [
            record
            for record in records
            if (time := record.time) is not None
            and (begins is None or time >= begins)
            and (ends is None or time <= ends)
        ]
    return Selection(without_duplicates(records, chosen.duplicates), undated)


def span(records: Iterable[PositionRecord]) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The earliest and the latest time of the dated records; None when none is dated.

    >>> import datetime
    >>> span([PositionRecord("urn:p", "urn:a", "A", "urn:t", "T")]) is None
    True
    """
    times = [record.time for record in records if record.time is not None]
    return (min(times), max(times)) if times else None


def roll_up(
    records: Iterable[PositionRecord], level: Level = Level.nation, *, inferred: bool = False
) -> list[PositionRecord]:
    """The records with each holder replaced by the group it belongs to.

    At ``level="nation"`` a holder becomes its nation through the member and part links the
    sources state (Canadian officials, stated members of the Canadian government, stated part
    of Canada, become Canada); a holder with no such nation stays itself. With ``inferred`` the
    analyst's inferred links count too (:attr:`~graph.network.records.PositionRecord.inferred_nation`).
    ``"stakeholder"`` changes nothing.

    >>> officials = PositionRecord("urn:p", "urn:officials", "Officials", "urn:t", "T",
    ...                            inferred_nation="urn:canada", inferred_nation_label="Canada")
    >>> [(r.holder, r.holder_label) for r in roll_up([officials])]
    [('urn:officials', 'Officials')]
    >>> [(r.holder, r.holder_label) for r in roll_up([officials], inferred=True)]
    [('urn:canada', 'Canada')]
    """
    if choose(Level, level, "roll-up level") is Level.stakeholder:
        return list(records)
    rolled = []
    for record in records:
        nation, label = record.nation, record.nation_label
        if inferred and record.inferred_nation:
            nation, label = record.inferred_nation, record.inferred_nation_label
        if nation:
            record = record._replace(holder=nation, holder_label=label or nation, holder_type="Nation")
        rolled.append(record)
    return rolled


def roll_up_basis(level: Level | str, *, inferred: bool = False) -> str:
    """What a roll-up to ``level`` went through, as an answer says it: ``stated`` (the links the
    sources state, or no roll-up at all) or ``stated and inferred`` (the analyst's inferred links too).

    >>> [roll_up_basis(level, inferred=True) for level in ("nation", "stakeholder")], roll_up_basis("nation")
    (['stated and inferred', 'stated'], 'stated')
    """
    rolled = choose(Level, level, "roll-up level") is Level.nation
    return "stated and inferred" if inferred and rolled else "stated"
