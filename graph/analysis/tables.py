"""Named queries with what SPARQL cannot say alone: the positions left out for want of a date,
and only the positions enough independent sources state.

A named query's time bounds (its ``datetime`` and ``datetime-end`` parameters) drop the
undated positions inside the engine, without a word; :func:`counted_query_table` runs the
query once more without them and counts the positions of that answer that have no time
(:attr:`~graph.network.records.PositionRecord.time`), so the answer says what it left out.
Both need the rows to name their position: a query with no ``position`` column (the
counts per stakeholder or stance) answers ``undated`` as None, and refuses ``min_sources``.

>>> from graph.dataset import load_embedded
>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> load_embedded(store)
>>> table = counted_query_table(store, "positions-of-stakeholder", {"stakeholder": "canada", "from": "2025"})
>>> len(table["rows"]), table["undated"]
(0, 2)
>>> counted_query_table(store, "positions-of-stakeholder", {"stakeholder": "canada"})["undated"] is None
True
"""

from __future__ import annotations

from collections.abc import Mapping

from graph.analysis.sources import corroborated, sources_by_position
from graph.errors import ValidationFailedError
from graph.network.records import position_records
from graph.queries import ParameterValue, load_query
from graph.read.shapes import QueryTable
from graph.read.tables import query_table
from graph.stores.base import Store

POSITION_COLUMN = "position"
"""The column that names the position a row rests on (its IRI)."""

_TIMES = ("datetime", "datetime-end")


class CountedTable(QueryTable):
    """A named query's rows, with ``undated``: the positions its time bounds left out for want of a
    date (None when no bound was given, or the rows name no position)."""

    undated: int | None


def counted_query_table(
    store: Store,
    name: str,
    values: Mapping[str, ParameterValue],
    *,
    min_sources: int | None = None,
    timeout: float | None = None,
) -> CountedTable:
    """:func:`graph.read.query_table` of the named query ``name``, with ``undated`` counted and, given
    ``min_sources``, only the rows whose position that many independent sources state.

    >>> from graph.stores.memory import MemoryStore
    >>> counted_query_table(MemoryStore(), "stance-distribution", {}, min_sources=2)
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: min_sources: the rows of 'stance-distribution' name no position ...
    """
    query = load_query(name)
    table = query_table(store, name, values, timeout=timeout)
    positional = POSITION_COLUMN in table["columns"]
    if min_sources is not None:
        if not positional:
            raise ValidationFailedError(
                f"min_sources: the rows of {name!r} name no position to count the sources of "
                f"(queries with a {POSITION_COLUMN!r} column take it)",
                parameter="min_sources",
            )
        counts = sources_by_position(store)
        # A row with no position (a concern no position holds) has no sources to count: it stays.
        rows = table["rows"]
        positioned = corroborated(
            [row for row in rows if POSITION_COLUMN in row],
            counts,
            min_sources,
            key=lambda row: str(row[POSITION_COLUMN]),
        )
        kept = {id(row) for row in positioned}
        table["rows"] = [row for row in rows if POSITION_COLUMN not in row or id(row) in kept]
    bounds = [p.name for p in query.parameters if p.type in _TIMES and values.get(p.name) is not None]
    undated = None
    if bounds and positional:
        unbounded = {key: value for key, value in values.items() if key not in bounds}
        everything = query_table(store, name, unbounded, timeout=timeout)["rows"]
        asked = {str(row[POSITION_COLUMN]) for row in everything if row.get(POSITION_COLUMN) is not None}
        undated = sum(1 for kept in position_records(store) if kept.position in asked and kept.time is None)
    return CountedTable(**table, undated=undated)
