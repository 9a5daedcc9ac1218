"""Pages of a list: ``limit`` items from ``offset``, checked before any query is asked."""

from __future__ import annotations

from graph.errors import ValidationFailedError

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


def check_page(limit: int, offset: int) -> None:
    """ValidationFailedError naming ``limit`` or ``offset`` when out of range.

    >>> check_page(1001, 0)
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: limit: must be between 0 and 1000, got 1001
    """
    if not 0 <= limit <= MAX_LIMIT:
        raise ValidationFailedError(f"limit: must be between 0 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise ValidationFailedError(f"offset: must be 0 or more, got {offset}")


def page_clause(limit: int | None, offset: int) -> str:
    """The query's ``LIMIT`` and ``OFFSET``; nothing when there is no limit.

    >>> page_clause(2, 4), page_clause(None, 4)
    ('LIMIT 2 OFFSET 4', '')
    """
    return "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"
