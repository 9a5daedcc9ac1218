"""The notebook's questions about time: windowed networks, trajectories, shifts, disagreements.

:class:`TimeQuestions` gives :class:`~graph.knowledge.KnowledgeGraph` its methods about time;
they ask :mod:`graph.network` and :mod:`graph.analysis`, and the functions below lay the
answers out as pandas DataFrames, a row per window, point, shift or disagreement. Every
table says in ``table.attrs["undated"]`` how many positions it left out for want of a date.
Times are pandas timestamps in UTC: a day-precision time is midnight of its day, a month
the 1st, no more exact than the ``precision`` column says. Ids are REST ids (the slug of
an ``sgd:`` IRI); a position's quotes are joined by :data:`QUOTE_SEPARATOR`.

>>> import datetime
>>> from graph.analysis import shifts
>>> from graph.network.records import PositionRecord
>>> def stated(position, day, value, document=None):
...     time = datetime.datetime(2025, 3, day, tzinfo=datetime.UTC) if document else None
...     return PositionRecord(position, "urn:h", "H", "urn:t", "T", value=value, document=document,
...                           reported_at=time)
>>> records = [stated("urn:p1", 1, 2, "urn:a"), stated("urn:p2", 9, -2, "urn:b"), stated("urn:p3", 1, 1)]
>>> table = shift_table(shifts(records))
>>> table[["holderLabel", "beforeValue", "afterValue", "days"]].values.tolist(), table.attrs["undated"]
([['H', 2, -2, 8.0]], 1)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from graph import analysis
from graph import network as networks
from graph.analysis.shapes import DatedPosition, Disagreements, Named, Shift, Shifts, Trajectory
from graph.network.time import WindowedNetworks
from graph.stores.base import Store

# pandas loads at the first table made, as in graph.knowledge.
if TYPE_CHECKING:
    import pandas

QUOTE_SEPARATOR = " … "
"""Between the quotes of one position in a ``quote`` column: an ellipsis, as between excerpts."""

WINDOW_COLUMNS = ["start", "end", "midpoint", "positions", "nodes", "edges", "weight", "network"]
TRAJECTORY_COLUMNS = ["time", "precision", "document", "position", "stance", "value", "hedged", "quote"]
_SIDE = [name[0].upper() + name[1:] for name in TRAJECTORY_COLUMNS]  # a point as one side of a pair
_PAIR = ["holder", "holderLabel", "target", "targetLabel"]
SHIFT_COLUMNS = [*_PAIR, *(f"before{name}" for name in _SIDE), *(f"after{name}" for name in _SIDE)]
SHIFT_COLUMNS += ["change", "signChanged", "days"]
DISAGREEMENT_COLUMNS = [*_PAIR, *(f"first{name}" for name in _SIDE), *(f"second{name}" for name in _SIDE)]
DISAGREEMENT_COLUMNS += ["days"]


class TimeQuestions:
    """The questions about time a :class:`~graph.knowledge.KnowledgeGraph` answers of its ``store``."""

    store: Store

    def windowed_networks(
        self,
        kind: networks.Kind | str = networks.Kind.congruence,
        window: str | None = None,
        *,
        step: str | None = None,
        kernel: networks.Kernel | str | None = None,
        duplicates: networks.Duplicates | str | None = None,
        start: str | datetime.date | None = None,
        end: str | datetime.date | None = None,
        normalization: networks.Normalization | str = networks.Normalization.none,
        level: networks.Level | str = networks.Level.stakeholder,
        neutral: bool = False,
        inferred: bool = False,
    ) -> pandas.DataFrame:
        """The network ``kind`` in each moving ``window`` (``30d``, ``4w``, ``1m``, ``1y``), a row per window.

        ``step``, ``kernel``, ``duplicates``, ``start`` and ``end`` are DNA's options, as
        :func:`graph.network.windowed_networks` takes them; the columns are those of
        :func:`window_table`, the last the window's ``network`` (networkx). ``table.attrs["undated"]``
        counts the positions left out for want of a date: all of the embedded article's.
        ``neutral=True`` counts two neutral positions on a target as agreement and ``inferred=True``
        rolls up through the analyst's inferred links too, as the REST route's ``include_neutral``
        and ``inferred`` do; ``table.attrs`` says which were used.

        >>> from graph.knowledge import KnowledgeGraph
        >>> with KnowledgeGraph.open() as kg:
        ...     windows = kg.windowed_networks("congruence", "1m")
        >>> len(windows), windows.attrs["undated"], windows.attrs["neutral"], windows.attrs["inferred"]
        (0, 25, False, False)
        """
        found = networks.windowed_networks(
            networks.position_records(self.store),
            kind,
            normalization=normalization,
            level=level,
            start=start,
            end=end,
            window=window,
            step=step,
            kernel=kernel,
            duplicates=duplicates,
            neutral=neutral,
            inferred=inferred,
        )
        table = window_table(found)
        table.attrs.update(neutral=neutral, inferred=inferred)
        return table

    def trajectory(self, holder: str, target: str) -> pandas.DataFrame:
        """The stance values of ``holder`` on ``target`` (ids) in time order, a row per dated position.

        Columns as :func:`trajectory_table` gives them; ``table.attrs["undated"]`` counts the
        positions left out for want of a date and ``attrs["undatedPositions"]`` names them.
        NotFoundError for a holder or target the store knows nothing of.

        >>> from graph.knowledge import KnowledgeGraph
        >>> with KnowledgeGraph.open() as kg:
        ...     path = kg.trajectory("canadian-officials", "canada-joins-golden-dome")
        >>> len(path), path.attrs["undated"], path.attrs["undatedPositions"]
        (0, 1, ['canadian-officials-optimistic-about-joining'])
        """
        return trajectory_table(analysis.trajectory(self.store, holder, target))

    def shifts(
        self,
        *,
        threshold: int = analysis.DEFAULT_SHIFT_THRESHOLD,
        window: datetime.timedelta | str = analysis.SAME_WINDOW,
        start: str | datetime.date | None = None,
        end: str | datetime.date | None = None,
    ) -> pandas.DataFrame:
        """The holder-target pairs whose stance changed, a row per change with its quotes before and after.

        A change of sign, or of value by ``threshold``; the positions of a disagreement
        (opposite stances from two sources less than ``window`` apart) make no shift
        (:mod:`graph.analysis.shifts`). Columns as :func:`shift_table` gives them;
        ``table.attrs["undated"]`` counts the positions left out for want of a date.

        >>> from graph.knowledge import KnowledgeGraph
        >>> with KnowledgeGraph.open() as kg:
        ...     found = kg.shifts()
        >>> len(found), found.attrs["undated"]
        (0, 25)
        """
        found = analysis.shifts(self.store, threshold=threshold, window=window, start=start, end=end)
        return shift_table(found)

    def disagreements(
        self,
        *,
        window: datetime.timedelta | str = analysis.SAME_WINDOW,
        start: str | datetime.date | None = None,
        end: str | datetime.date | None = None,
    ) -> pandas.DataFrame:
        """Sources attributing opposite stances to one holder on one target less than ``window`` apart.

        A row per pair, the earlier position ``first``, each with its quote (:func:`disagreement_table`);
        ``table.attrs["undated"]`` counts the positions left out for want of a date.

        >>> from graph.knowledge import KnowledgeGraph
        >>> with KnowledgeGraph.open() as kg:
        ...     found = kg.disagreements(window="2w")
        >>> len(found), found.attrs["undated"], found.attrs["windowDays"]
        (0, 25, 14.0)
        """
        found = analysis.disagreements(self.store, window=window, start=start, end=end)
        return disagreement_table(found)


def quote_text(point: DatedPosition) -> str:
    """The quotes of a point, in the order they were coded, as one text.

    >>> march = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    >>> quote_text(DatedPosition("p1", "doc-a", march, "day", "supports", 2, False,
    ...                          [{"quote": "we back it"}, {"quote": "fully"}]))
    'we back it … fully'
    """
    return QUOTE_SEPARATOR.join(text for quote in point.quotes if (text := quote.get("quote")))


def _point(point: DatedPosition) -> list[Any]:
    # In the order of TRAJECTORY_COLUMNS (and so of _SIDE).
    return [
        point.time,
        point.precision,
        point.document,
        point.position,
        point.stance,
        point.value,
        point.hedged,
        quote_text(point),
    ]


def _change(shift: Shift) -> list[Any]:
    return [shift.change, shift.signChanged, shift.days]


def _pair(holder: Named, target: Named) -> list[Any]:
    return [holder.id, holder.label, target.id, target.label]


def _table(
    rows: Sequence[Sequence[Any]], columns: list[str], times: Iterable[str], attrs: dict[str, Any]
) -> pandas.DataFrame:
    # Time columns as UTC timestamps even when empty: a table with no row keeps their type.
    import pandas

    table = pandas.DataFrame([list(row) for row in rows], columns=columns)
    for name in times:
        table[name] = pandas.to_datetime(table[name], utc=True)
    table.attrs.update(attrs)
    return table


def window_table(found: WindowedNetworks) -> pandas.DataFrame:
    """A row per window: its ``start`` (included), ``end`` (excluded) and ``midpoint``, how many
    ``positions`` weigh in it, its network's ``nodes``, ``edges`` and total edge ``weight`` (an
    edge with no weight counts 1), and the ``network``. ``attrs``: ``undated``, ``kind``,
    ``kernel`` and ``duplicates``.

    >>> from graph.network import PositionRecord, windowed_networks
    >>> on = lambda month: datetime.datetime(2025, month, 1, tzinfo=datetime.UTC)
    >>> records = [PositionRecord("urn:p1", "urn:a", "A", "urn:t", "T", value=1, reported_at=on(1)),
    ...            PositionRecord("urn:p2", "urn:b", "B", "urn:t", "T", value=1, reported_at=on(1)),
    ...            PositionRecord("urn:p3", "urn:c", "C", "urn:t", "T", value=1)]
    >>> table = window_table(windowed_networks(records, "congruence", window="1m"))
    >>> table[["positions", "nodes", "edges", "weight"]].to_dict("records"), table.attrs["undated"]
    ([{'positions': 2, 'nodes': 2, 'edges': 1, 'weight': 1.0}], 1)
    """
    rows = [
        [
            window.start,
            window.end,
            window.midpoint,
            window.positions,
            window.network.number_of_nodes(),
            window.network.number_of_edges(),
            float(window.network.size(weight="weight")),
            window.network,
        ]
        for window in found.windows
    ]
    attrs = {
        "undated": found.undated,
        "kind": found.kind.value,
        "kernel": found.kernel.value,
        "duplicates": found.duplicates.value,
    }
    return _table(rows, WINDOW_COLUMNS, ["start", "end", "midpoint"], attrs)


def trajectory_table(found: Trajectory) -> pandas.DataFrame:
    """A row per dated position, in time order: ``time``, ``precision``, ``document``, ``position``,
    ``stance``, ``value``, ``hedged`` and ``quote``. ``attrs``: ``undated``, ``undatedPositions``
    (their ids), ``holder``, ``holderLabel``, ``target`` and ``targetLabel``.

    >>> holder, target = Named("h", "urn:h", "H", "Person"), Named("t", "urn:t", "T", "Program")
    >>> march = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    >>> point = DatedPosition("p1", "doc-a", march, "day", "supports", 2, False, [])
    >>> table = trajectory_table(Trajectory(holder, target, [point], 1, ["p2"]))
    >>> table[["time", "value"]].values.tolist(), table.attrs["undatedPositions"]
    ([[Timestamp('2025-03-01 00:00:00+0000', tz='UTC'), 2]], ['p2'])
    """
    attrs = {
        "undated": found.undated,
        "undatedPositions": list(found.undatedPositions),
        "holder": found.holder.id,
        "holderLabel": found.holder.label,
        "target": found.target.id,
        "targetLabel": found.target.label,
    }
    return _table([_point(point) for point in found.points], TRAJECTORY_COLUMNS, ["time"], attrs)


def shift_table(found: Shifts) -> pandas.DataFrame:
    """A row per shift: ``holder``, ``target`` (ids and labels), the position before and the one
    after (``beforeTime``, ``beforeValue``, ``beforeQuote``, ..., ``afterQuote``: the columns of
    :func:`trajectory_table`), the ``change`` of value, ``signChanged`` and the ``days`` between.
    ``attrs``: ``undated``, ``contested`` (dated positions of a disagreement, left out),
    ``threshold`` and ``windowDays``.

    >>> shift_table(Shifts([], 2, 1.0, 0, 0)).attrs
    {'undated': 0, 'contested': 0, 'threshold': 2, 'windowDays': 1.0}
    """
    rows = [
        [*_pair(one.holder, one.target), *_point(one.before), *_point(one.after), *_change(one)]
        for one in found.shifts
    ]
    attrs = {
        "undated": found.undated,
        "contested": found.contested,
        "threshold": found.threshold,
        "windowDays": found.windowDays,
    }
    return _table(rows, SHIFT_COLUMNS, ["beforeTime", "afterTime"], attrs)


def disagreement_table(found: Disagreements) -> pandas.DataFrame:
    """A row per disagreement: ``holder``, ``target`` (ids and labels), the earlier position
    (``firstTime``, ..., ``firstQuote``) and the other (``secondTime``, ..., ``secondQuote``),
    and the ``days`` between. ``attrs``: ``undated`` and ``windowDays``.

    >>> list(disagreement_table(Disagreements([], 1.0, 3)).columns[4:7])
    ['firstTime', 'firstPrecision', 'firstDocument']
    """
    rows = [
        [*_pair(one.holder, one.target), *_point(one.first), *_point(one.second), one.days]
        for one in found.disagreements
    ]
    return _table(
        rows,
        DISAGREEMENT_COLUMNS,
        ["firstTime", "secondTime"],
        {"undated": found.undated, "windowDays": found.windowDays},
    )
