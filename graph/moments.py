"""Times as a coder writes them (a year, a month, a day or a date-time) and as the graph stores them.

The graph stores every time as an ``xsd:dateTime`` in UTC with its precision beside it
(``sg:timePrecision``): ``xsd:date`` and its kin are outside the OWL 2 datatype map, so HermiT
refuses them. A day becomes midnight UTC, a month its first day, a year the 1st of January;
the precision says how much of that the source gave.

>>> moment = parse_moment("2025-03")
>>> moment.lexical, moment.precision, str(moment)
('2025-03-01T00:00:00Z', 'month', '2025-03')
>>> parse_moment("2025-03-14T10:30:00+01:00").lexical
'2025-03-14T09:30:00Z'
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Any

PRECISIONS = ("year", "month", "day", "instant")
FORMS = (
    "a year (2025), a month (2025-03), a day (2025-03-14) "
    "or a date-time with its time zone (2025-03-14T09:30:00Z)"
)
# The forms as the JSON Schema gives them to editors (YAML reads an unquoted year as a number).
PATTERN = (
    r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2}))?)?)?$"
)
_YEAR = re.compile(r"[0-9]{4}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?")
_ZONE = re.compile(r"Z|[+-][0-9]{2}:?[0-9]{2}")


@dataclass(frozen=True)
class Moment:
    """A time the source gives: ``at`` (UTC, timezone-aware) and how much of it is known."""

    at: datetime.datetime
    precision: str

    @property
    def lexical(self) -> str:
        """``at`` as the lexical form of an ``xsd:dateTime`` in UTC (``Z``)."""
        text = self.at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        if self.at.microsecond:
            text += f".{self.at.microsecond:06d}".rstrip("0")
        return text + "Z"

    def __str__(self) -> str:
        """The moment as a coder writes it: no more than the source gave."""
        if self.precision == "year":
            return f"{self.at.year:04d}"
        if self.precision == "month":
            return f"{self.at.year:04d}-{self.at.month:02d}"
        if self.precision == "day":
            return self.at.date().isoformat()
        return self.lexical


def parse_moment(value: Any) -> Moment:
    """The moment ``value`` names: a year (text or, as YAML reads ``2025``, a number), a month,
    a day (text or a ``datetime.date``) or a date-time with its time zone (text or an aware
    ``datetime.datetime``). Raises ValueError saying which forms are accepted.

    >>> parse_moment(2025).lexical, parse_moment(datetime.date(2025, 3, 14)).precision
    ('2025-01-01T00:00:00Z', 'day')
    >>> parse_moment("2025-03-14T09:30")
    Traceback (most recent call last):
    ValueError: has no time zone: add Z (UTC) or an offset such as +01:00
    >>> parse_moment("2025-02-30")
    Traceback (most recent call last):
    ValueError: is no such date
    """
    if isinstance(value, datetime.datetime):
        return _instant(value)
    if isinstance(value, datetime.date):
        return Moment(_midnight(value), "day")
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return Moment(_midnight(datetime.date(value, 1, 1)), "year")
    if not isinstance(value, str):
        raise ValueError(f"must be {FORMS}")
    text = value.strip()
    try:
        if _YEAR.fullmatch(text):
            return Moment(_midnight(datetime.date(int(text), 1, 1)), "year")
        if month := _MONTH.fullmatch(text):
            return Moment(_midnight(datetime.date(int(month[1]), int(month[2]), 1)), "month")
        if _DAY.fullmatch(text):
            return Moment(_midnight(datetime.date.fromisoformat(text)), "day")
        if clock := _INSTANT.match(text):
            zone = text[clock.end() :]
            if not zone:
                raise ValueError("has no time zone: add Z (UTC) or an offset such as +01:00")
            if _ZONE.fullmatch(zone):
                return _instant(datetime.datetime.fromisoformat(text))
    except ValueError as error:
        if "time zone" in str(error):
            raise
        raise ValueError("is no such date") from error
    raise ValueError(f"must be {FORMS}")


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def _instant(value: datetime.datetime) -> Moment:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("has no time zone: add Z (UTC) or an offset such as +01:00")
    return Moment(value.astimezone(datetime.UTC), "instant")


def last_instant(moment: Moment) -> datetime.datetime:
    """The last microsecond of the period ``moment`` names (an instant is its own end): what a
    range ``to`` a day, a month or a year takes in.

    >>> last_instant(parse_moment("2024-02")).isoformat()
    '2024-02-29T23:59:59.999999+00:00'
    """
    at = moment.at
    if moment.precision == "instant":
        return at
    if moment.precision == "year":
        at = at.replace(month=12, day=31)
    elif moment.precision == "month":
        at = at.replace(day=calendar.monthrange(at.year, at.month)[1])
    return datetime.datetime.combine(at, datetime.time.max, at.tzinfo)


def instant_text(time: datetime.datetime) -> str:
    """``time`` in ISO 8601 as the stored ``xsd:dateTime`` writes it: UTC as ``Z``, as the REST
    answers' pydantic models show times too, so one answer never mixes ``Z`` and ``+00:00``.

    >>> instant_text(datetime.datetime(2025, 3, 1, tzinfo=datetime.timezone.utc))
    '2025-03-01T00:00:00Z'
    >>> two_hours = datetime.timezone(datetime.timedelta(hours=2))
    >>> instant_text(datetime.datetime(2025, 3, 1, 12, 30, tzinfo=two_hours))
    '2025-03-01T12:30:00+02:00'
    """
    text = time.isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
