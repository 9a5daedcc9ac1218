"""What the coder wrote beside the graph: notes, the reasons of inferred links, and measures' statuses.

A note (``skos:editorialNote``) is what the coder wrote beside an entity or a
position: why a holder is left unidentified, that the text calls a program
contentious without saying who contests it. Shown as a ``notes`` list (sorted, so
an answer never varies), empty when the coder wrote none. Literals only: an IRI or
blank node where a note belongs has no text to show. The reason of a link the text
does not state is the note of the OWL axiom annotating that link (see
:mod:`graph.coding.compile`), shown as the link's ``reason``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from rdflib import URIRef

from graph.read.kinds import Relation
from graph.read.names import PROLOGUE, local_name
from graph.read.shapes import Summary
from graph.read.summaries import SUMMARIES, summaries_from
from graph.results import select_all_solutions
from graph.stores.base import Store
from graph.terms import Solution, is_iri, is_literal, text_of, values_clause

NOTES = PROLOGUE + "SELECT ?entity ?note WHERE {\n  %(entities)s\n  ?entity skos:editorialNote ?note\n}"
"""The notes of the entities ``entities`` binds (a ``VALUES`` clause), a row per note."""

_SINGLE = PROLOGUE + "SELECT ?entity ?relation ?value WHERE {\n  %(entities)s\n  %(branches)s\n}"

_REASONS = (
    "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
    + PROLOGUE
    + "SELECT ?relation ?other ?reason WHERE {\n  %(branches)s\n  FILTER(isLiteral(?reason))\n}"
)


def notes_query(iris: Iterable[str]) -> str:
    """The query of the notes of ``iris``.

    >>> print(notes_query(["https://w3id.org/stancegraph/id/golden-dome"]).splitlines()[-3])
      VALUES ?entity { <https://w3id.org/stancegraph/id/golden-dome> }
    """
    return NOTES % {"entities": values_clause("entity", map(URIRef, sorted(set(iris))))}


def notes_from(rows: Iterable[Solution]) -> dict[str, list[str]]:
    """The notes of each entity in rows of :data:`NOTES`, by IRI, sorted; an entity with none is absent.

    >>> note = {"type": "literal", "value": "The text names no author.", "xml:lang": "en"}
    >>> notes_from([{"entity": {"type": "uri", "value": "urn:a"}, "note": note}])
    {'urn:a': ['The text names no author.']}
    """
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if "note" in row and is_literal(row["note"]):
            found[text_of(row["entity"])].add(text_of(row["note"]))
    return {iri: sorted(notes) for iri, notes in found.items()}


def single_values_query(iris: Iterable[str], relations: Iterable[Relation]) -> str | None:
    """The query of the single-valued ``relations`` (a measure's status) of ``iris``; None if there are none.

    >>> from graph.read.kinds import kind_of
    >>> "sg:measureStatus" in single_values_query(["urn:m"], kind_of("measure").relations)
    True
    >>> single_values_query(["urn:s"], kind_of("stakeholder").relations) is None
    True
    """
    single = [relation for relation in relations if relation.single]
    if not single:
        return None
    branches = " UNION ".join(
        f'{{ ?entity {relation.path} ?value BIND("{relation.key}" AS ?relation) }}' for relation in single
    )
    entities = values_clause("entity", map(URIRef, sorted(set(iris))))
    return _SINGLE % {"entities": entities, "branches": branches}


def single_values_from(rows: Iterable[Solution]) -> dict[tuple[str, str], str]:
    """``{(entity IRI, relation key): concept}`` from rows of :func:`single_values_query`.

    The concept by its local name, as an entity's detail shows it; of two stated, the first by IRI,
    so the one shown never varies.

    >>> row = {"entity": {"type": "uri", "value": "urn:m"},
    ...        "relation": {"type": "literal", "value": "status"},
    ...        "value": {"type": "uri", "value": "https://w3id.org/stancegraph/ontology#underReview"}}
    >>> single_values_from([row])
    {('urn:m', 'status'): 'underReview'}
    """
    chosen: dict[tuple[str, str], str] = {}
    for row in sorted(rows, key=lambda row: text_of(row["value"])):
        if is_iri(row["value"]):
            key = (text_of(row["entity"]), text_of(row["relation"]))
            chosen.setdefault(key, local_name(text_of(row["value"])) or text_of(row["value"]))
    return chosen


def in_brief(
    store: Store, relations: Sequence[Relation], iris: list[str]
) -> tuple[dict[str, Summary], dict[str, list[str]], dict[tuple[str, str], str]]:
    """The summaries, notes and single-valued ``relations`` of a page of entities, asked at once.

    >>> from graph.dataset import load_embedded
    >>> from graph.read.kinds import kind_of
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> drills = "https://w3id.org/stancegraph/id/collaborative-military-drills"
    >>> named, notes, single = in_brief(store, kind_of("measure").relations, [drills])
    >>> named[drills]["label"], notes.get(drills, []), single[drills, "status"]
    ('Collaborative military drills', [], 'underReview')
    """
    if not iris:
        return {}, {}, {}
    queries = [SUMMARIES % {"entities": values_clause("entity", map(URIRef, sorted(set(iris))))}]
    queries.append(notes_query(iris))
    single = single_values_query(iris, relations)
    answers = select_all_solutions(store, [*queries, *([single] if single else [])])
    single_values = single_values_from(answers[2]) if single else {}
    return summaries_from(answers[0], iris), notes_from(answers[1]), single_values


def _steps(path: str) -> list[tuple[bool, str]]:
    # The properties of a path of alternatives ("skos:broader|^skos:narrower"), each with whether it
    # is read backwards: what the kinds' relations are written as.
    return [(step.strip().startswith("^"), step.strip().lstrip("^")) for step in path.split("|")]


def reasons_query(iri: URIRef, relations: Iterable[Relation]) -> str:
    """The query of the reasons stored with the links ``relations`` make from ``iri``.

    >>> from graph.read.kinds import kind_of
    >>> query = reasons_query(URIRef("urn:m"), kind_of("threat").relations)
    >>> "owl:annotatedSource ?other ; owl:annotatedProperty sg:aimsAt ; owl:annotatedTarget <urn:m>" in query
    True
    """
    branches = []
    for relation in relations:
        if relation.single:
            continue
        for backwards, prop in _steps(relation.path):
            source, target = ("?other", iri.n3()) if backwards else (iri.n3(), "?other")
            branches.append(
                f"{{ ?axiom owl:annotatedSource {source} ; owl:annotatedProperty {prop} ; "
                f"owl:annotatedTarget {target} ; skos:editorialNote ?reason "
                f'BIND("{relation.key}" AS ?relation) }}'
            )
    return _REASONS % {"branches": "\n  UNION ".join(branches) or "FILTER(false)"}


def reasons_from(rows: Iterable[Solution]) -> dict[tuple[str, str], str]:
    """``{(relation key, other IRI): reason}`` from rows of :func:`reasons_query`; several joined with " | ".

    >>> row = {"relation": {"type": "literal", "value": "initiatedBy"},
    ...        "other": {"type": "uri", "value": "urn:trump"},
    ...        "reason": {"type": "literal", "value": "A reading."}}
    >>> reasons_from([row])
    {('initiatedBy', 'urn:trump'): 'A reading.'}
    """
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        if is_iri(row["other"]):
            found[text_of(row["relation"]), text_of(row["other"])].add(text_of(row["reason"]))
    return {key: " | ".join(sorted(reasons)) for key, reasons in found.items()}
