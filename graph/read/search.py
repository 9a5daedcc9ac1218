"""Search: entities whose label or alias contains the text asked for, ignoring case and accents."""

from __future__ import annotations

import unicodedata

from graph.errors import ValidationFailedError
from graph.read.kinds import SEARCHED_CLASSES
from graph.read.names import PROLOGUE
from graph.read.paging import DEFAULT_LIMIT, check_page
from graph.read.shapes import Found, Page
from graph.read.summaries import summaries
from graph.results import select_solutions
from graph.stores.base import Store
from graph.terms import boolean_of, is_blank, text_of, values_clause

_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


def fold(text: str) -> str:
    """``text`` for comparison: accents and case dropped (NFKD), typographic quotes and dashes made plain.

    >>> fold("Québec’s CANADÁ")
    "quebec's canada"
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_NAMES = (
    PROLOGUE
    + """
SELECT DISTINCT ?entity ?name ?isLabel WHERE {
  %(roots)s
  ?entity a/rdfs:subClassOf* ?root .
  FILTER(STRSTARTS(STR(?entity), STR(sgd:)))
  { ?entity rdfs:label ?name BIND(true AS ?isLabel) }
  UNION { ?entity skos:altLabel ?name BIND(false AS ?isLabel) }
}"""
)


def search(store: Store, q: str, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[Found]:
    """Entities whose label or alias contains ``q``, ignoring case and accents; best matches first.

    A name equal to ``q`` ranks above one starting with it, which ranks above one
    merely containing it; labels rank above aliases, shorter names above longer.
    The folding (:func:`fold`) runs in Python on both sides, since SPARQL has no
    accent-insensitive comparison.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> hit = search(store, "TRUMP")["items"][0]
    >>> hit["label"], hit["matched"]
    ('Donald Trump', 'Trump')
    """
    check_page(limit, offset)
    wanted = fold(q.strip())
    if not wanted:
        raise ValidationFailedError("q: must not be empty")
    best: dict[str, tuple[int, bool, int, str, str]] = {}
    for row in select_solutions(store, _NAMES % {"roots": values_clause("root", SEARCHED_CLASSES)}):
        if is_blank(row["name"]):  # a blank node names nothing a reader could look for
            continue
        name = text_of(row["name"])
        folded = fold(name)
        if wanted not in folded:
            continue
        rank = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2
        iri = text_of(row["entity"])
        is_label = boolean_of(row["isLabel"]) if "isLabel" in row else False
        candidate = (rank, is_label is not True, len(name), folded, name)
        if iri not in best or candidate < best[iri]:
            best[iri] = candidate
    ordered = sorted(best, key=lambda iri: (best[iri], iri))
    page = ordered[offset : offset + limit]
    named = summaries(store, page)
    items = [Found(**named[iri], matched=best[iri][4]) for iri in page]
    return Page(total=len(ordered), limit=limit, offset=offset, items=items)
