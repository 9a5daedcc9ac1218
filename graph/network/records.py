"""Position records: every coded position in the store as one flat record, as the networks take them.

>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
...   INSERT DATA { <urn:p> sg:holder <urn:experts> ; sg:target <urn:joining> ; sg:stance sg:supports .
...                 sg:supports sg:defaultValue 1 }''')
>>> [(r.holder, r.stance, r.value) for r in position_records(store)]
[('urn:experts', 'supports', 1)]
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from itertools import product
from typing import Any, NamedTuple

import pyoxigraph as ox

from graph.namespaces import SG
from graph.network._gc import cycle_collection_paused
from graph.network.record_queries import Term, local_name, read_positions, stored_time
from graph.revisions import per_revision
from graph.stores.base import Store
from graph.terms import as_boolean, as_integer, from_oxigraph

_SG = str(SG)
_STAKEHOLDER = str(SG.Stakeholder)

# A position's properties, in the order of the slots its values are sorted into.
_POSITION_PROPERTIES = (
    "holder",
    "target",
    "stance",
    "stanceValue",
    "hedged",
    "attribution",
    "wasDerivedFrom",
    "validAt",
    "timePrecision",
)
PRECISIONS = ("instant", "day", "month", "year")
"""The time precisions of the corpus, finest first."""

DocumentTimes = dict[str, tuple[list[datetime.datetime], list[str]]]


class PositionRecord(NamedTuple):
    """One coded position, flat: who holds which stance, with which value, on what.

    ``stance`` and ``attribution`` are concept names (the local part of their
    ``sg:`` IRI, e.g. ``supports``, ``reported``); the other ids are IRIs.
    ``value`` and ``hedged`` are shown as stored: one that is not a well-formed
    integer (boolean) is its text (:func:`graph.terms.as_integer`), and a
    record whose value is not an integer takes no part in the one-mode networks.
    ``nation`` is the nation the holder belongs to through the ``sg:memberOf`` /
    ``sg:partOf`` links the sources state (itself, for a nation), when there is one;
    ``inferred_nation`` the one it belongs to when the analyst's inferred links count too
    (None: the same as ``nation``). A named tuple: a
    store holds tens of thousands of positions, and a tuple is made several
    times quicker than a frozen dataclass. ``document`` is the IRI of the document the
    position was coded from; ``reported_at`` its document's ``dcterms:issued``, ``valid_at``
    the position's own ``sg:validAt`` (both timezone-aware), ``time_precision`` how much of
    :attr:`time` the source gives (``year``, ``month``, ``day`` or ``instant``).
    """

    position: str
    holder: str
    holder_label: str
    target: str
    target_label: str
    stance: str = ""
    value: int | str = 0
    hedged: bool | str = False
    attribution: str = ""
    holder_type: str = ""
    target_type: str = ""
    nation: str | None = None
    nation_label: str | None = None
    document: str | None = None
    reported_at: datetime.datetime | None = None
    valid_at: datetime.datetime | None = None
    time_precision: str | None = None
    inferred_nation: str | None = None
    inferred_nation_label: str | None = None

    @property
    def time(self) -> datetime.datetime | None:
        """When the stance held: ``valid_at`` when the text dates the stance itself, else the
        time its document was issued; None for an undated position (never invented)."""
        return self.valid_at or self.reported_at


def _concept(term: Term) -> str:
    # A concept by its local name; a literal where a concept belongs as stored.
    return local_name(term.value) if isinstance(term, ox.NamedNode) else term.value


_RANK = {precision: place for place, precision in enumerate(PRECISIONS)}


def coarsest(precisions: Iterable[str]) -> str | None:
    """The coarsest of ``precisions``: a time is never claimed more precise than a source gives it.

    A precision outside :data:`PRECISIONS` is shown as stored, and counts as coarser than all of them.

    >>> coarsest(["day", "month"]), coarsest([]), coarsest(["day", "fortnight"])
    ('month', None, 'fortnight')
    """
    return max(precisions, key=lambda found: (_RANK.get(found, len(_RANK)), found), default=None)


def _document_times(
    documents: DocumentTimes,
) -> dict[str | None, tuple[datetime.datetime | None, str | None]]:
    # Each document's time (its earliest issued) and that time's precision.
    found: dict[str | None, tuple[datetime.datetime | None, str | None]] = {None: (None, None)}
    for document, (issued, precisions) in documents.items():
        found[document] = (min(issued), coarsest(precisions)) if issued else (None, None)
    return found


def _records(
    positions: list[tuple[str, set[str]]], meanings: dict[str, tuple[int, Any]], documents: DocumentTimes
) -> list[PositionRecord]:
    # The records of coded positions; a code means a slot (a property) and a value made ready for
    # the record: a holder's or target's fields, a stance's name and default values, or a value.
    records = []
    document_times = _document_times(documents)
    undated = (None, None)
    with cycle_collection_paused():
        for position, codes in sorted(positions):
            slots: tuple[list[Any], ...] = ([], [], [], [], [], [], [], [], [])  # one per property
            for code in codes:
                slot, value = meanings[code]
                slots[slot].append(value)
            for values in slots:
                if len(values) > 1:  # rare, but then their order must not vary
                    values.sort(key=repr)
            holders, targets, stances, stated, hedges, attributions, derived, valid, precisions = slots
            # The position's own time, should the text date it; the earliest and the coarsest
            # precision when there are several: they say when, not what.
            valid_at = min((time for time in valid if time is not None), default=None) if valid else None
            own_precision = coarsest(precisions) if valid_at else None
            # A functional property has one value; should a position have several, each combination
            # is a record, as the join of the triples would give.
            for holder_fields, target_fields, (stance, stance_defaults), document in product(
                holders, targets, stances, derived or [None]
            ):
                holder, holder_label, holder_type, nation, nation_label, inferred, inferred_label = (
                    holder_fields
                )
                target, target_label, target_type = target_fields
                reported_at, precision = document_times.get(document, undated)
                if valid_at:
                    precision = own_precision
                for value, hedged, attribution in product(
                    stated or stance_defaults, hedges or [False], attributions or [""]
                ):
                    records.append(
                        PositionRecord(
                            position,
                            holder,
                            holder_label,
                            target,
                            target_label,
                            stance,
                            value,
                            hedged,
                            attribution,
                            holder_type,
                            target_type,
                            nation,
                            nation_label,
                            document,
                            reported_at,
                            valid_at,
                            precision,
                            inferred,
                            inferred_label,
                        )
                    )
    return records


def position_records(store: Store) -> list[PositionRecord]:
    """Every position in the store as a flat record, ordered by position IRI.

    Read once per store revision (:func:`graph.revisions.per_revision`): the windows, shifts,
    timeline and disagreements of one revision share one reading (two seconds at a million triples).

    A position with no ``sg:stanceValue`` takes its stance's ``sg:defaultValue``;
    one with neither, or lacking a holder, target or stance, is left out; so are
    values that are blank nodes, and holders and targets that are literals.

    Its ``document`` is what it ``prov:wasDerivedFrom``; ``reported_at`` that document's
    ``dcterms:issued``, ``valid_at`` its own ``sg:validAt``, each an ``xsd:dateTime``, and
    ``time_precision`` the ``sg:timePrecision`` beside the one that is its :attr:`~PositionRecord.time`.
    A date its datatype does not allow is no date (:func:`~graph.network.record_queries.stored_time`):
    a position whose ``sg:validAt`` is unreadable is dated by its document, if at all.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
    ...   INSERT DATA { <urn:p> sg:holder <urn:experts> ; sg:target <urn:joining> ;
    ...                 sg:stance sg:supports ; sg:stanceValue 2 ; sg:hedged true }''')
    >>> [(r.holder, r.stance, r.value, r.hedged) for r in position_records(store)]
    [('urn:experts', 'supports', 2, True)]
    >>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
    ...   PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
    ...   INSERT DATA { <urn:p> prov:wasDerivedFrom <urn:report> .
    ...     <urn:report> dcterms:issued "2025-03-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> ;
    ...                  sg:timePrecision "month" }''')
    >>> [(r.document, r.time.isoformat(), r.time_precision) for r in position_records(store)]
    [('urn:report', '2025-03-01T00:00:00+00:00', 'month')]
    """
    return list(_kept_records(store))


def _read_records(store: Store) -> tuple[PositionRecord, ...]:
    stored = read_positions(store)
    labels, classes, defaults = stored.labels, stored.classes, stored.defaults
    nations, nation_labels, inferred_nations = stored.nations, stored.nation_labels, stored.inferred_nations

    def node_type(iri: str, excluded: str = "") -> str:
        # Its stancegraph class: for a holder the narrower one, not sg:Stakeholder itself.
        ours = [cls for cls in classes.get(iri, ()) if cls.startswith(_SG) and cls != excluded]
        return local_name(min(ours)) if ours else ""

    def holder(iri: str) -> tuple[str, str, str, str | None, str | None, str | None, str | None]:
        nation, inferred = nations.get(iri), inferred_nations.get(iri)
        label = labels.get(iri) or iri
        return (
            iri,
            label,
            node_type(iri, _STAKEHOLDER),
            nation,
            nation_labels.get(nation) if nation else None,
            inferred,
            nation_labels.get(inferred) if inferred else None,
        )

    meaning: dict[str, Callable[[Term], Any]] = {
        "holder": lambda term: holder(term.value),
        "target": lambda term: (term.value, labels.get(term.value) or term.value, node_type(term.value)),
        "stance": lambda term: (_concept(term), defaults.get(term.value, [])),
        "stanceValue": lambda term: as_integer(from_oxigraph(term)),
        "hedged": lambda term: as_boolean(from_oxigraph(term)),
        "attribution": _concept,
        "wasDerivedFrom": lambda term: term.value,
        "validAt": stored_time,
        "timePrecision": lambda term: term.value,
    }
    slots = {name: slot for slot, name in enumerate(_POSITION_PROPERTIES)}
    meanings = {
        str(code): (slots[name], meaning[name](value)) for code, (name, value) in enumerate(stored.values)
    }
    return tuple(_records(stored.positions, meanings, stored.documents))


_kept_records = per_revision(_read_records)
