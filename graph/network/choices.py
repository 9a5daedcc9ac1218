"""The choices a network is built with: kind, normalization, level, measure, and its time options.

Defined and checked once, here: the Python API takes them (or their values as
plain strings) and the web service offers them as the allowed values of its
parameters, translating a :class:`~graph.errors.ValidationFailedError` (which
names the parameter at fault) into its answer.

>>> choose(Normalization, "jaccard", "normalization") is Normalization.jaccard
True
>>> choose(Level, "planet", "roll-up level")
Traceback (most recent call last):
...
graph.errors.ValidationFailedError: unknown roll-up level 'planet' (valid: stakeholder, nation)
>>> time_options(start="2025-03-01", end="2025-02-01").start
Traceback (most recent call last):
...
graph.errors.ValidationFailedError: from: 2025-03-01T00:00:00+00:00 is after to: 2025-02-01T23:59:59...
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from graph.errors import ValidationFailedError
from graph.moments import last_instant, parse_moment

# No docstrings on the enums: the web service's OpenAPI document would carry them as descriptions.


class Kind(StrEnum):
    two_mode = "two-mode"
    congruence = "congruence"
    conflict = "conflict"
    signed = "signed"


class Normalization(StrEnum):
    none = "none"
    jaccard = "jaccard"
    cosine = "cosine"


class Level(StrEnum):
    stakeholder = "stakeholder"
    nation = "nation"


class Measure(StrEnum):
    degree = "degree"
    betweenness = "betweenness"
    eigenvector = "eigenvector"


class Kernel(StrEnum):
    none = "none"
    uniform = "uniform"
    gaussian = "gaussian"
    epanechnikov = "epanechnikov"
    triangular = "triangular"


class Duplicates(StrEnum):
    include = "include"
    document = "document"
    day = "day"
    week = "week"
    month = "month"
    year = "year"
    range = "range"


class Unit(StrEnum):
    days = "d"
    weeks = "w"
    months = "m"
    years = "y"


Choice = TypeVar("Choice", bound=StrEnum)

# Duplicates counted once per calendar period: these need a date, so they leave undated positions out.
CALENDAR_DUPLICATES = frozenset({Duplicates.day, Duplicates.week, Duplicates.month, Duplicates.year})
_LENGTH = re.compile(r"([1-9][0-9]{0,3})([dwmy])")
_LENGTH_SYNTAX = (
    "a whole number and a unit: d (days), w (weeks), m (months) or y (years), e.g. 30d, 4w, 1m, 1y"
)


def choose(choices: type[Choice], value: str, what: str, *, parameter: str | None = None) -> Choice:
    """The member of ``choices`` that ``value`` names; else ValidationFailedError naming ``what``.

    ``parameter``, when given, is the request parameter the error names.

    >>> choose(Kind, Kind.signed, "network")
    <Kind.signed: 'signed'>
    >>> choose(Measure, "fame", "centrality measure")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: unknown centrality measure 'fame' (valid: degree, betweenness, ...)
    """
    try:
        return choices(value)
    except ValueError:
        valid = ", ".join(choices)
        message = f"unknown {what} {value!r} (valid: {valid})"
        raise ValidationFailedError(message, parameter=parameter) from None


@dataclass(frozen=True)
class Length:
    """A length of time in whole calendar units: ``30d``, ``4w``, ``1m`` (a calendar month), ``1y``.

    >>> start = datetime.datetime(2025, 1, 31, tzinfo=datetime.UTC)
    >>> str(Length(1, Unit.months)), Length(1, Unit.months).after(start).date()
    ('1m', datetime.date(2025, 2, 28))
    >>> Length(1, Unit.months).after(start, times=2).date()  # counted from the start, not month by month
    datetime.date(2025, 3, 31)
    """

    count: int
    unit: Unit

    def __str__(self) -> str:
        return f"{self.count}{self.unit.value}"

    @property
    def one(self) -> Length:
        """One unit of this length: DNA's step when none is given."""
        return Length(1, self.unit)

    def after(self, time: datetime.datetime, times: int = 1) -> datetime.datetime:
        """``time`` moved on by ``times`` of this length; a month past a shorter month's end is its last day.

        Raises OverflowError past the year 9999.
        """
        count = self.count * times
        if self.unit is Unit.days:
            return time + datetime.timedelta(days=count)
        if self.unit is Unit.weeks:
            return time + datetime.timedelta(weeks=count)
        months = count if self.unit is Unit.months else 12 * count
        index = time.month - 1 + months
        year, month = time.year + index // 12, index % 12 + 1
        if year > datetime.MAXYEAR:
            raise OverflowError(f"{time.isoformat()} and {count}{self.unit.value} pass the year 9999")
        return time.replace(year=year, month=month, day=min(time.day, calendar.monthrange(year, month)[1]))


def length(value: str | Length, parameter: str) -> Length:
    """The length ``value`` names (see :class:`Length`); else ValidationFailedError naming ``parameter``.

    >>> length("6m", "window")
    Length(count=6, unit=<Unit.months: 'm'>)
    >>> length("3 weeks", "step")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: step: '3 weeks' is not a length: a whole number and a unit: ...
    """
    if isinstance(value, Length):
        return value
    found = _LENGTH.fullmatch(value.strip())
    if found is None:
        raise ValidationFailedError(
            f"{parameter}: {value!r} is not a length: {_LENGTH_SYNTAX}", parameter=parameter
        )
    return Length(int(found[1]), Unit(found[2]))


def moment(
    value: str | datetime.date | None, parameter: str, *, end_of_day: bool = False
) -> datetime.datetime | None:
    """The time ``value`` names, timezone-aware (UTC unless it says otherwise); None for None.

    ``value`` is a year, a month, a day or a date-time with its zone, as a coding file dates a
    document (:func:`graph.moments.parse_moment`), as text or as a ``date``/``datetime``. A period
    means its first instant, or with ``end_of_day`` its last one, so that a closed range to a day
    (a month, a year) takes in all of it.

    >>> moment("2025-03-01", "to", end_of_day=True).isoformat()
    '2025-03-01T23:59:59.999999+00:00'
    >>> moment("March", "from")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: from: 'March' must be ...
    """
    if value is None:
        return None
    try:
        found = parse_moment(value)
    except ValueError as error:
        raise ValidationFailedError(f"{parameter}: {value!r} {error}", parameter=parameter) from None
    return last_instant(found) if end_of_day else found.at


@dataclass(frozen=True)
class TimeOptions:
    """Checked time options of a network (see :func:`time_options`)."""

    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    window: Length | None = None
    step: Length | None = None
    kernel: Kernel = Kernel.none
    duplicates: Duplicates = Duplicates.include

    @property
    def time_based(self) -> bool:
        """Whether the answer depends on when positions held, and so leaves undated ones out."""
        return (
            self.start is not None
            or self.end is not None
            or self.window is not None
            or self.duplicates in CALENDAR_DUPLICATES
        )


def time_options(
    *,
    start: str | datetime.date | None = None,
    end: str | datetime.date | None = None,
    window: str | Length | None = None,
    step: str | Length | None = None,
    kernel: Kernel | str | None = None,
    duplicates: Duplicates | str | None = None,
    normalization: Normalization | str = Normalization.none,
) -> TimeOptions:
    """The time options checked together; a bad or contradictory one is a ValidationFailedError naming it.

    ``start`` and ``end`` (the web service's ``from`` and ``to``) close the range of a position's
    time; ``window`` and ``step`` are lengths (``step`` defaults to one unit of ``window``, as DNA
    moves its window by one time unit); ``kernel`` weighs positions within a window (``none``: the
    plain window) and needs one, and no edge normalization beside it; ``duplicates`` is DNA's option.

    >>> options = time_options(window="6m", kernel="triangular")
    >>> str(options.step), options.kernel, options.time_based
    ('1m', <Kernel.triangular: 'triangular'>, True)
    >>> time_options(step="1w")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: step: a step moves a window; give window too
    >>> time_options(window="1m", kernel="box").kernel
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: unknown kernel 'box' (valid: none, uniform, gaussian, ...)
    """
    begins, ends = moment(start, "from"), moment(end, "to", end_of_day=True)
    if begins is not None and ends is not None and begins > ends:
        raise ValidationFailedError(
            f"from: {begins.isoformat()} is after to: {ends.isoformat()}", parameter="from"
        )
    chosen_window = None if window is None else length(window, "window")
    chosen_step = None if step is None else length(step, "step")
    chosen_kernel = Kernel.none if kernel is None else choose(Kernel, kernel, "kernel", parameter="kernel")
    if chosen_window is None:
        if chosen_step is not None:
            raise ValidationFailedError("step: a step moves a window; give window too", parameter="step")
        if chosen_kernel is not Kernel.none:
            raise ValidationFailedError(
                "kernel: a kernel weighs positions within a window; give window too", parameter="kernel"
            )
    chosen_normalization = choose(Normalization, normalization, "normalization", parameter="normalization")
    if chosen_kernel is not Kernel.none and chosen_normalization is not Normalization.none:
        message = (
            f"kernel: {chosen_kernel} weights cannot be normalized by {chosen_normalization}; choose one"
        )
        raise ValidationFailedError(message, parameter="kernel")
    return TimeOptions(
        begins,
        ends,
        chosen_window,
        chosen_step or (chosen_window.one if chosen_window else None),
        chosen_kernel,
        Duplicates.include
        if duplicates is None
        else choose(Duplicates, duplicates, "duplicates option", parameter="duplicates"),
    )
