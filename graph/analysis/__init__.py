"""The corpus over time: trajectories, shifts, disagreements between sources, corroboration.

Plain functions over position records (:class:`~graph.network.records.PositionRecord`)
or a store, in the style of networkx; every answer keeps its quotes, and every
answer about time says how many positions it left out for want of a date.

* :mod:`~graph.analysis.trajectory`: one holder's stance values on one target in time order;
* :mod:`~graph.analysis.shifts`: who changed (:func:`shifts`) and where the sources differ
  (:func:`disagreements`);
* :mod:`~graph.analysis.tables`: named queries that say how many undated positions their time
  bounds left out, and take ``min_sources``;
* :mod:`~graph.analysis.sources`: how many independent sources support each position
  (:func:`corroboration`), copies and near-copies counted once; :func:`corroborated` keeps
  those with ``min_sources``;
* :mod:`~graph.analysis.dating` puts records on the time axis; :mod:`~graph.analysis.reading`
  reads quotes and hashes; :mod:`~graph.analysis.shapes` holds the answers (frozen dataclasses
  the service serializes as they are).

>>> import datetime
>>> from graph.network.records import PositionRecord
>>> day = lambda n: datetime.datetime(2025, 3, n, tzinfo=datetime.UTC)
>>> records = [
...     PositionRecord("urn:p1", "urn:h", "H", "urn:t", "T", value=2, document="urn:a", reported_at=day(1)),
...     PositionRecord("urn:p2", "urn:h", "H", "urn:t", "T", value=2, hedged=True, document="urn:b",
...                    reported_at=day(8)),
...     PositionRecord("urn:p3", "urn:h", "H", "urn:t", "T", value=-1, document="urn:c", reported_at=day(15)),
...     PositionRecord("urn:p4", "urn:h", "H", "urn:t", "T", value=1, document="urn:d"),
... ]
>>> found = shifts(records)
>>> [(s.before.position, s.after.position, s.change, s.days) for s in found.shifts], found.undated
([('urn:p2', 'urn:p3', -3, 7.0)], 1)
"""

from __future__ import annotations

from graph.analysis.dating import SAME_WINDOW
from graph.analysis.shapes import (
    Corroboration,
    DatedPosition,
    Disagreement,
    Disagreements,
    Named,
    Shift,
    Shifts,
    Trajectory,
)
from graph.analysis.shifts import DEFAULT_SHIFT_THRESHOLD, disagreements, shifts
from graph.analysis.sources import (
    NEAR_COPY_THRESHOLD,
    corroborated,
    corroborated_records,
    corroboration,
    positions_with_sources,
    source_counts,
    sources_by_position,
)
from graph.analysis.tables import CountedTable, counted_query_table
from graph.analysis.trajectory import trajectory

__all__ = [
    "DEFAULT_SHIFT_THRESHOLD",
    "NEAR_COPY_THRESHOLD",
    "SAME_WINDOW",
    "Corroboration",
    "CountedTable",
    "DatedPosition",
    "Disagreement",
    "Disagreements",
    "Named",
    "Shift",
    "Shifts",
    "Trajectory",
    "corroborated",
    "corroborated_records",
    "corroboration",
    "counted_query_table",
    "disagreements",
    "positions_with_sources",
    "shifts",
    "source_counts",
    "sources_by_position",
    "trajectory",
]
