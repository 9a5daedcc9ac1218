"""Corroboration: how many independent sources support a position's holder, target and sign of value.

The positions stating one holder-target-sign (same holder, same target, same sign
of value: -1, 0 or +1) are grouped by source, and the sources that are one text
count once:

* copies: documents with the same ``sg:sha256`` (the same text, byte for byte);
* near-copies: documents stating the group's stance in quotes whose text with its
  context (``oa:prefix`` + ``oa:exact`` + ``oa:suffix``) is at least
  :data:`NEAR_COPY_THRESHOLD` similar (rapidfuzz's ``fuzz.ratio``, after
  ``utils.default_process``: case, punctuation and curly quotes do not count).
  Near-copies chain: when A is a near-copy of B and B of C, the three are one source.

A document is one source whatever number of positions it states; a position with
no document is a source of its own. :func:`corroborated` keeps what enough sources
support, for REST, named queries and networks alike.

>>> from graph.network.records import PositionRecord
>>> def stated(position, document, value):
...     return PositionRecord(position, "urn:h", "H", "urn:t", "T", value=value, document=document)
>>> records = [stated("urn:p1", "urn:a", 2), stated("urn:p2", "urn:b", 1), stated("urn:p3", "urn:c", 1)]
>>> found = corroboration(records, hashes={"urn:a": "11", "urn:b": "11", "urn:c": "22"})
>>> found["urn:p1"].sources, found["urn:p1"].documents
(2, [['urn:a', 'urn:b'], ['urn:c']])
>>> [record.position for record in corroborated(records, source_counts(found), 2)]
['urn:p1', 'urn:p2', 'urn:p3']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from rapidfuzz import fuzz, process, utils

from graph._lazy import lazy_module
from graph.analysis.dating import has_value, one_per_position, sign
from graph.analysis.reading import document_hashes, position_quotes
from graph.analysis.shapes import Corroboration
from graph.errors import ValidationFailedError
from graph.network.records import PositionRecord, position_records
from graph.read.names import identifier
from graph.read.paging import DEFAULT_LIMIT
from graph.read.positions import PositionFilter, positions
from graph.read.shapes import Evidence, Page, Position
from graph.revisions import per_revision
from graph.stores.base import Store

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = lazy_module("networkx")

NEAR_COPY_THRESHOLD = 90.0
"""How similar (0..100, rapidfuzz ``fuzz.ratio``) two quotes with their context must be for their
documents to count as one source. Copies edited in passing (a word, punctuation, curly quotes) score
above 95; two outlets quoting one sentence in texts of their own share the quote but not the 32
characters of context either side, and score near 60-80 for quotes of 30-100 characters."""

T = TypeVar("T")
Quotes = Mapping[str, list[Evidence]]
Key = tuple[str, str]


def _source_key(record: PositionRecord, hashes: Mapping[str, str]) -> Key:
    # Documents with one text share a key; a position with no document is a source of its own.
    if record.document is None:
        return "position", record.position
    digest = hashes.get(record.document)
    return ("sha256", digest.lower()) if digest else ("document", record.document)


def _contexts(quotes: Iterable[Evidence]) -> list[str]:
    # Each quote with the text either side of it, as the fuzzy match compares them.
    return [
        utils.default_process(f"{quote['prefix'] or ''}{quote['quote']}{quote['suffix'] or ''}")
        for quote in quotes
        if quote["quote"]
    ]


def _independent(
    members: list[PositionRecord], quotes: Quotes, hashes: Mapping[str, str], threshold: float
) -> list[list[str]]:
    # The group's sources, each as the sorted ids of its documents: the connected components of
    # the source keys, joined where their quotes are near-copies.
    keys = [_source_key(record, hashes) for record in members]
    joined: nx.Graph[Key] = nx.Graph()
    joined.add_nodes_from(keys)
    owners: dict[str, set[Key]] = defaultdict(set)  # an identical context compared once
    for key, record in zip(keys, members, strict=True):
        for context in _contexts(quotes.get(record.position, [])):
            owners[context].add(key)
    texts = sorted(owners)
    for same in owners.values():
        nx.add_path(joined, sorted(same))  # a path joins them as well as every pair would
    if len(texts) > 1:
        # Every context against every other: a group of n quotes costs n² comparisons, each cut
        # short by rapidfuzz once it cannot reach the threshold.
        scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=threshold)
        for row, column in zip(*scores.nonzero(), strict=True):
            if row < column:
                joined.add_edge(min(owners[texts[row]]), min(owners[texts[column]]))
    documents: dict[Key, set[str]] = defaultdict(set)
    for key, record in zip(keys, members, strict=True):
        if record.document is not None:
            documents[key].add(identifier(record.document))
    sources = [
        sorted(set().union(*(documents[key] for key in component)))
        for component in nx.connected_components(joined)
    ]
    return sorted(sources)


def corroboration(
    source: Store | Iterable[PositionRecord],
    *,
    quotes: Store | Quotes | None = None,
    hashes: Mapping[str, str] | None = None,
    threshold: float = NEAR_COPY_THRESHOLD,
) -> dict[str, Corroboration]:
    """Each position's corroboration, by position IRI: how many independent sources state its
    holder-target-sign, and which documents they are.

    ``source`` is a store (its :func:`~graph.network.records.position_records`) or
    records. ``quotes`` (a store to read them from, or a mapping by position IRI) and
    ``hashes`` (``sg:sha256`` by document IRI) are read from ``source`` when it is a
    store and they are not given; with neither, only documents count apart. A
    position whose value is not an integer has no sign and no entry.

    >>> corroboration([], threshold=101)
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: threshold: must be between 0 and 100, got 101
    """
    if not 0 <= threshold <= 100:
        raise ValidationFailedError(
            f"threshold: must be between 0 and 100, got {threshold}", parameter="threshold"
        )
    store = source if isinstance(source, Store) else quotes if isinstance(quotes, Store) else None
    records = [record for record in one_per_position(_records(source)) if has_value(record)]
    if quotes is None or isinstance(quotes, Store):
        # Every position's quotes at once from a store read whole; only the records' otherwise.
        wanted = None if isinstance(source, Store) else [record.position for record in records]
        quotes = position_quotes(store, wanted) if store is not None else {}
    if hashes is None:
        hashes = document_hashes(store) if store is not None else {}
    groups: dict[tuple[str, str, int], list[PositionRecord]] = defaultdict(list)
    for record in records:
        assert isinstance(record.value, int)
        groups[record.holder, record.target, sign(record.value)].append(record)
    found = {}
    for (holder, target, side), members in groups.items():
        sources = _independent(members, quotes, hashes, threshold)
        for record in members:
            found[record.position] = Corroboration(
                position=identifier(record.position),
                holder=identifier(holder),
                target=identifier(target),
                sign=side,
                sources=len(sources),
                documents=sources,
            )
    return dict(sorted(found.items()))


def _records(source: Store | Iterable[PositionRecord]) -> list[PositionRecord]:
    return position_records(source) if isinstance(source, Store) else list(source)


def source_counts(corroborations: Mapping[str, Corroboration]) -> dict[str, int]:
    """The number of independent sources of each position, by position IRI.

    >>> source_counts({"urn:p": Corroboration("urn:p", "urn:h", "urn:t", 1, 2, [["a"], ["b"]])})
    {'urn:p': 2}
    """
    return {position: found.sources for position, found in corroborations.items()}


def corroborated(
    items: Iterable[T], counts: Mapping[str, int], min_sources: int, *, key: Callable[[T], str] | None = None
) -> list[T]:
    """The items whose position has at least ``min_sources`` independent sources, in their order.

    ``items`` are position records, or anything ``key`` takes a position IRI from
    (a query's rows, REST positions: ``key=lambda row: row["iri"]``); ``counts`` as
    :func:`source_counts` gives them. A position ``counts`` does not know is its
    own one source.

    >>> corroborated([{"iri": "urn:p"}, {"iri": "urn:q"}], {"urn:p": 2}, 2, key=lambda row: row["iri"])
    [{'iri': 'urn:p'}]
    >>> corroborated([], {}, 0)
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: min_sources: must be at least 1, got 0
    """
    if min_sources < 1:
        raise ValidationFailedError(
            f"min_sources: must be at least 1, got {min_sources}", parameter="min_sources"
        )
    position_of: Callable[[Any], str] = key or (lambda item: str(item.position))
    return [item for item in items if counts.get(position_of(item), 1) >= min_sources]


def _counts_of(store: Store) -> dict[str, int]:
    return source_counts(corroboration(store))


sources_by_position = per_revision(_counts_of)
"""The number of independent sources of each of the store's positions, by position IRI, kept until
the store is written to (:func:`graph.revisions.per_revision`): one corroboration of the whole
store serves every request that filters or shows by sources. A position with no sign (a value
that is not an integer) has no entry."""


def corroborated_records(store: Store, min_sources: int | None = None) -> list[PositionRecord]:
    """The store's position records; with ``min_sources``, those that many independent sources support.

    What networks and windows take when asked for ``min_sources``
    (:func:`graph.network.build_network` and :func:`graph.network.windowed_networks` take records).

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> len(corroborated_records(store)) > 0, corroborated_records(store, 2)
    (True, [])
    """
    records = position_records(store)
    return records if min_sources is None else corroborated(records, sources_by_position(store), min_sources)


def positions_with_sources(
    store: Store, where: PositionFilter | None = None, *, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page[Position]:
    """:func:`graph.read.positions`, each position with its number of independent ``sources``, and
    ``where.min_sources`` applied.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> page = positions_with_sources(store, PositionFilter(min_sources=2))
    >>> page["total"], positions_with_sources(store, limit=1)["items"][0]["sources"]
    (0, 1)
    """
    return positions(store, where, limit=limit, offset=offset, sources=sources_by_position(store))
