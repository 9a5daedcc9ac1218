"""Search: entities by label or alias (here), evidence quotes and texts (:mod:`graph.read.fulltext`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

from rdflib import RDFS

from graph.errors import ValidationFailedError
from graph.read.fulltext.folding import fold
from graph.read.fulltext.index import SCOPES, Scope, TextHit, search_texts
from graph.read.kinds import SEARCHED_CLASSES
from graph.read.names import PROLOGUE
from graph.read.paging import DEFAULT_LIMIT, check_page
from graph.read.shapes import Found, Page
from graph.read.summaries import summaries
from graph.results import select_solutions
from graph.revisions import per_revision
from graph.stores.base import Store
from graph.terms import is_blank, text_of, values_clause

_NAMES = (
    PROLOGUE
    + """
SELECT DISTINCT ?entity ?name ?naming WHERE {
  %(roots)s
  ?entity a/rdfs:subClassOf* ?root .
  FILTER(STRSTARTS(STR(?entity), STR(sgd:)))
  VALUES ?naming { rdfs:label skos:altLabel }
  ?entity ?naming ?name .
}"""
)
"""Every searchable entity's label and aliases. Which property names it, not a BIND in a UNION:
Virtuoso answers a UNION of BINDs after a path as nothing at all."""
_LABEL = str(RDFS.label)


SearchScope = Literal["labels", "quotes", "texts"]
SEARCH_SCOPES: tuple[SearchScope, ...] = ("labels", "quotes", "texts")


def search(
    store: Store,
    q: str,
    *,
    scopes: Sequence[str] = ("labels",),
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Page[Found | TextHit]:
    """What matches ``q`` in the ``scopes`` asked: entities' labels and aliases, evidence quotes,
    documents' texts; in that order, best first within each, paged over all of them.

    Labels match when they contain ``q``, ignoring case and accents: a name equal to ``q``
    ranks above one starting with it, which ranks above one merely containing it; labels
    rank above aliases, shorter names above longer (a label hit's ``matched`` is the name
    that matched). Quotes and texts are searched word by word
    (:mod:`graph.read.fulltext`): every word must occur, ``"a phrase"`` in order, ``word*`` as a
    prefix; their hits carry ``kind`` and the spans where they are.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> hit = search(store, "TRUMP")["items"][0]
    >>> hit["label"], hit["matched"]
    ('Donald Trump', 'Trump')
    >>> [hit["kind"] for hit in search(store, "prioritized", scopes=["labels", "quotes"])["items"]]
    ['quote']
    """
    check_page(limit, offset)
    for scope in scopes:
        if scope not in SEARCH_SCOPES:
            raise ValidationFailedError(f"in: unknown scope {scope!r} (valid: labels, quotes, texts)")
    if not scopes:
        raise ValidationFailedError("in: name at least one of labels, quotes, texts")
    if not fold(q.strip()):
        raise ValidationFailedError("q: must not be empty")
    items: list[Found | TextHit] = []
    total = 0
    if "labels" in scopes:
        found = _label_hits(store, q)
        items += _found(store, found[offset : offset + limit])
        total = len(found)
    text_scopes: list[Scope] = [scope for scope in SCOPES if scope in scopes]
    if text_scopes:
        # The text hits follow the label hits: the page takes from them what the labels left.
        hits = search_texts(store, q, text_scopes, limit=limit - len(items), offset=max(0, offset - total))
        items += hits["items"]
        total += hits["total"]
    return Page(total=total, limit=limit, offset=offset, items=items)


class _Name(NamedTuple):
    entity: str
    name: str
    folded: str
    is_label: bool


def _read_names(store: Store) -> list[_Name]:
    # Every searchable entity's label and aliases, folded once per revision of the store.
    names = []
    for row in select_solutions(store, _NAMES % {"roots": values_clause("root", SEARCHED_CLASSES)}):
        if is_blank(row["name"]):  # a blank node names nothing a reader could look for
            continue
        name = text_of(row["name"])
        names.append(_Name(text_of(row["entity"]), name, fold(name), text_of(row["naming"]) == _LABEL))
    return names


_names_of = per_revision(_read_names)


def _label_hits(store: Store, q: str) -> list[tuple[str, str]]:
    # The entities whose label or alias contains q, best first, each with the name that matched.
    wanted = fold(q.strip())
    best: dict[str, tuple[int, bool, int, str, str]] = {}
    for entity, name, folded, is_label in _names_of(store):
        if wanted not in folded:
            continue
        rank = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2
        candidate = (rank, not is_label, len(name), folded, name)
        if entity not in best or candidate < best[entity]:
            best[entity] = candidate
    ordered = sorted(best, key=lambda iri: (best[iri], iri))
    return [(iri, best[iri][4]) for iri in ordered]


def _found(store: Store, hits: list[tuple[str, str]]) -> list[Found]:
    named = summaries(store, [iri for iri, _ in hits])
    return [Found(**named[iri], matched=matched) for iri, matched in hits]
