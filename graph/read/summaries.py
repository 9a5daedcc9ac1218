"""Entities in brief: id, IRI, label, most specific class and aliases, of many entities in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import URIRef

from graph.read.names import PROLOGUE, identifier, local_name
from graph.read.shapes import Summary
from graph.results import select_solutions
from graph.stores.base import Store
from graph.terms import Binding, Solution, is_blank, is_literal, language, text_of, values_clause

SUMMARIES = (
    PROLOGUE
    + """
SELECT ?entity ?label ?alias ?type WHERE {
  %(entities)s
  OPTIONAL { ?entity rdfs:label ?label }
  OPTIONAL { ?entity skos:altLabel ?alias }
  OPTIONAL {
    ?entity a ?type
    FILTER(STRSTARTS(STR(?type), STR(sg:)))
    # The most specific class: none of the entity's other classes lies below it.
    FILTER NOT EXISTS { ?entity a ?narrower . ?narrower rdfs:subClassOf+ ?type }
  }
}"""
)
"""Labels, aliases and classes of the entities ``entities`` binds, a row at least for each."""

_LANGUAGE_RANK = {"en": 0, None: 1}


def _preferred(labels: list[Binding]) -> str | None:
    # English first, then untagged, then any, then an IRI (shown as its text): sorted, so the choice
    # never varies between runs. A blank node names nothing a reader could see.
    ranked = sorted(
        (label for label in labels if not is_blank(label)),
        key=lambda label: (not is_literal(label), _LANGUAGE_RANK.get(language(label), 2), text_of(label)),
    )
    return text_of(ranked[0]) if ranked else None


def summaries(store: Store, iris: Iterable[str]) -> dict[str, Summary]:
    """The summaries of ``iris``, by IRI, fetched with one query.

    An entity with no label is labelled by its id; one with no ``sg:`` class has type ``None``.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
    ...   INSERT DATA { <https://w3id.org/stancegraph/id/canada> a sg:Nation ;
    ...                 <http://www.w3.org/2000/01/rdf-schema#label> "Canada"@en }''')
    >>> summary = summaries(store, ["https://w3id.org/stancegraph/id/canada"])
    >>> summary["https://w3id.org/stancegraph/id/canada"]
    {'id': 'canada', 'iri': 'https://w3id.org/stancegraph/id/canada', 'label': 'Canada', 'type': 'Nation',
     'aliases': []}
    """
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    rows = select_solutions(store, SUMMARIES % {"entities": values_clause("entity", map(URIRef, wanted))})
    return summaries_from(rows, wanted)


def summaries_from(rows: Iterable[Solution], wanted: Iterable[str]) -> dict[str, Summary]:
    """The summaries of ``wanted`` from rows of :data:`SUMMARIES`, by IRI."""
    labels: dict[str, list[Binding]] = defaultdict(list)
    aliases: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        iri = text_of(row["entity"])
        if "label" in row:
            labels[iri].append(row["label"])
        if "alias" in row and not is_blank(row["alias"]):
            aliases[iri].add(text_of(row["alias"]))
        if "type" in row:
            types[iri].add(text_of(row["type"]))
    return {
        iri: Summary(
            id=identifier(iri),
            iri=iri,
            label=_preferred(labels[iri]) or identifier(iri),
            type=local_name(min(types[iri])) if types[iri] else None,
            aliases=sorted(aliases[iri]),
        )
        for iri in wanted
    }
