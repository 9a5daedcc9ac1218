"""Entities of a kind: listed a page at a time, or one described with its relations and positions.

Queries that do not depend on each other are asked together
(:func:`graph.results.select_all_solutions`): an entity's lookup asks for its
relations, positions, evidence and summaries at once, keyed by the entity and
bounded by the page, and only an entity with more positions than that needs a
second round. Lists are ordered deterministically (entities by label then id,
positions by id) and paged with ``limit`` and ``offset``; ids are the slugs of
``sgd:`` IRIs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import URIRef

from graph.errors import NotFoundError
from graph.namespaces import entity, is_slug
from graph.read.documents import document_detail
from graph.read.evidence import evidence_query
from graph.read.kinds import EntityKind, KindName, Relation, kind_of
from graph.read.names import PROLOGUE, local_name
from graph.read.notes import in_brief, notes_from, notes_query, reasons_from, reasons_query
from graph.read.paging import DEFAULT_LIMIT, check_page, page_clause
from graph.read.positions import (
    POSITION_PATTERN,
    POSITIONS,
    PositionFilter,
    assembled,
    grouped,
    named_in,
    page_of_positions,
    sorted_position_ids,
)
from graph.read.shapes import Link, Listed, Page, Summary
from graph.read.summaries import SUMMARIES, summaries, summaries_from
from graph.results import select_all_solutions, select_solutions
from graph.stores.base import Store
from graph.terms import Solution, count_of, is_iri, text_of
from graph.terms import values_clause as values

_LIST = (
    PROLOGUE
    + """
SELECT ?entity (MIN(LCASE(STR(?name))) AS ?sortKey) (COUNT(DISTINCT ?position) AS ?positionCount) WHERE {
  ?entity a/rdfs:subClassOf* %(cls)s .
  FILTER(STRSTARTS(STR(?entity), STR(sgd:)))
  OPTIONAL { ?entity rdfs:label ?name }
  OPTIONAL { %(positions)s }
}
GROUP BY ?entity
ORDER BY ?sortKey ?entity
%(page)s"""
)

_COUNT = (
    PROLOGUE
    + """
SELECT (COUNT(DISTINCT ?entity) AS ?total) WHERE {
  ?entity a/rdfs:subClassOf* %(cls)s .
  FILTER(STRSTARTS(STR(?entity), STR(sgd:)))
}"""
)


def list_entities(
    store: Store, kind: KindName, *, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page[Listed]:
    """A page of the ``sgd:`` entities of a kind, ordered by label then id, with their position counts,
    the coder's notes and, for a measure, its status.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> page = list_entities(store, "concern", limit=2)
    >>> page["total"], [(item["label"], item["positionCount"]) for item in page["items"]]
    (5, [('Geopolitical impacts', 1), ('Military spending', 1)])
    >>> [(item["label"], item["status"]) for item in list_entities(store, "measure", limit=1)["items"]]
    [('Cohesive technological partnerships', 'recommended')]
    """
    check_page(limit, offset)
    chosen = kind_of(kind)
    parts = {"cls": chosen.cls.n3(), "positions": chosen.position_pattern, "page": page_clause(limit, offset)}
    total = count_of(select_solutions(store, _COUNT % parts)[0]["total"])
    rows = select_solutions(store, _LIST % parts)
    iris = [text_of(row["entity"]) for row in rows]
    named, notes, single = in_brief(store, chosen.relations, iris)
    items = []
    for iri, row in zip(iris, rows, strict=True):
        brief = named[iri]  # spelt out: a ** of a Summary cannot leave the optional status out for mypy
        item = Listed(
            id=brief["id"],
            iri=brief["iri"],
            label=brief["label"],
            type=brief["type"],
            aliases=brief["aliases"],
            positionCount=count_of(row["positionCount"]),
            notes=notes.get(iri, []),
        )
        if any(relation.single for relation in chosen.relations):  # a measure's status
            item["status"] = single.get((iri, "status"))
        items.append(item)
    return Page(total=total, limit=limit, offset=offset, items=items)


_RELATIONS = (
    PROLOGUE
    + """
SELECT ?relation ?other ?graph WHERE {
  VALUES ?entity { %(entity)s }
  # The "is-a" row tells that the entity is of the kind asked for; no such row: no such entity.
  { ?entity a/rdfs:subClassOf* %(cls)s BIND("is-a" AS ?relation) }
  %(branches)s
}"""
)


def _relation_branches(relations: Iterable[Relation]) -> str:
    # Each link once as the default graph sees it and once per named graph holding it: a link is
    # inferred when every named graph holding it is an analyst-inference graph.
    branches = []
    for relation in relations:
        bind = f'BIND("{relation.key}" AS ?relation)'
        branches.append(f"UNION {{ ?entity {relation.path} ?other {bind} }}")
        branches.append(f"UNION {{ GRAPH ?graph {{ ?entity {relation.path} ?other }} {bind} }}")
    return "\n  ".join(branches)


def _is_inference_graph(graph: str) -> bool:
    return graph.endswith("/inferred")


def describe(
    store: Store, kind: KindName, slug: str, *, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> dict[str, Any]:
    """One entity of ``kind`` in detail: its summary, its relations, and its positions with evidence.

    Stakeholders list the positions they hold; programs, concerns, measures and
    threats the positions taken on them, a page of them at a time (``limit`` and
    ``offset``, ordered by id, as ``positions(holder=...)`` or ``positions(target=...)``
    pages them), with ``positionCount`` telling how many there are in all; documents
    their text and every evidence span quoting them. NotFoundError names an id that
    is not of the kind.

    >>> from graph.dataset import load_embedded
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> officials = describe(store, "stakeholder", "canadian-officials")
    >>> [link["label"] for link in officials["memberOf"]], officials["positions"][0]["stance"]
    (['Canadian government'], 'optimistic')
    >>> canada = describe(store, "stakeholder", "canada", limit=1)
    >>> len(canada["positions"]), canada["positionCount"]
    (1, 2)
    >>> [(m["id"], m["inferred"]) for m in describe(store, "concern", "national-security")["addressedBy"]][:2]
    [('collaborative-military-drills', True), ('enhancing-communication-channels', True)]
    >>> describe(store, "stakeholder", "atlantis")
    Traceback (most recent call last):
    ...
    graph.errors.NotFoundError: no stakeholder 'atlantis'
    """
    chosen = kind_of(kind)
    if not is_slug(slug):
        raise NotFoundError(f"no {kind} {slug!r}")
    check_page(limit, offset)
    iri = entity(slug)
    if chosen.name == "document":
        relation_rows, note_rows = select_all_solutions(
            store, [_relations_query(chosen, iri), notes_query([str(iri)])]
        )
        graphs = _relations_from(relation_rows, iri)
        named = summaries(store, {str(iri), *(other for _, other in graphs)})
        if str(iri) not in named or named[str(iri)].get("type") != "Document":
            raise NotFoundError(f"no document {slug!r}")
        detail = _detail(chosen, iri, graphs, named, {})
        detail["notes"] = notes_from(note_rows).get(str(iri), [])
        detail.update(document_detail(store, iri))
        return detail
    # Everything the answer needs, asked at once and keyed by the entity itself rather than by
    # what an earlier answer named, so a lookup waits on one round of parallel queries. Each query
    # is bounded: an entity with more positions than that gets its page in a second round.
    clauses, _ = (
        PositionFilter(holder=slug) if chosen.name == "stakeholder" else PositionFilter(target=slug)
    ).clauses()
    link = chosen.position_pattern.replace("?entity", iri.n3())
    if chosen.name == "concern":  # its positions target or regard it (see KINDS)
        clauses = f"{link} ."
    bound = offset + limit + 16
    pattern = POSITION_PATTERN % {"values": clauses, "filters": ""}
    relation_rows, rows, evidence, described, note_rows, reason_rows = select_all_solutions(
        store,
        [
            _relations_query(chosen, iri),
            POSITIONS % {"pattern": pattern, "limit": f"LIMIT {bound}"},
            evidence_query(f"{link} .", 2 * bound),
            _entity_summaries(chosen, iri, link, bound),
            notes_query([str(iri)]),
            reasons_query(iri, chosen.relations),
        ],
    )
    graphs = _relations_from(relation_rows, iri)
    if not graphs:
        raise NotFoundError(f"no {kind} {slug!r}")
    if len(rows) < bound:  # every position of the entity: paged here
        every = grouped(rows)
        count, page = len(every), every[offset : offset + limit]
        if page and len(evidence) == 2 * bound:  # cut short: the page's own, in full
            page_ids = values("position", (URIRef(text_of(row.row["position"])) for row in page))
            evidence = select_solutions(store, evidence_query(page_ids))
    else:
        ids = sorted_position_ids(store, clauses, "")
        count = len(ids)
        page, evidence = page_of_positions(store, ids[offset : offset + limit])
    covered = {text_of(row["entity"]) for row in described}
    needed = {str(iri), *(other for _, other in graphs), *named_in(page)}
    named = summaries_from(described, covered & needed) | summaries(store, needed - covered)
    detail = _detail(chosen, iri, graphs, named, reasons_from(reason_rows))
    detail["notes"] = notes_from(note_rows).get(str(iri), [])
    detail["positions"] = assembled(page, evidence, named)
    detail["positionCount"] = count
    return detail


def _relations_query(chosen: EntityKind, iri: URIRef) -> str:
    return _RELATIONS % {
        "entity": iri.n3(),
        "cls": chosen.cls.n3(),
        "branches": _relation_branches(chosen.relations),
    }


def _relations_from(rows: Iterable[Solution], iri: URIRef) -> dict[tuple[str, str], set[str]]:
    """The entity's links as ``{(relation, other): named graphs stating it}``; empty if it is not of the kind.

    The ``("is-a", iri)`` key is there whenever the entity is of the kind.
    """
    graphs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        relation = text_of(row["relation"])
        if relation == "is-a":
            graphs.setdefault((relation, str(iri)), set())
        elif "other" in row and is_iri(row["other"]):
            holding = graphs[relation, text_of(row["other"])]
            if "graph" in row:
                holding.add(text_of(row["graph"]))
    return graphs if ("is-a", str(iri)) in graphs else {}


def _detail(
    chosen: EntityKind,
    iri: URIRef,
    graphs: Mapping[tuple[str, str], set[str]],
    named: Mapping[str, Summary],
    reasons: Mapping[tuple[str, str], str],
) -> dict[str, Any]:
    detail: dict[str, Any] = dict(named[str(iri)])
    for relation in chosen.relations:
        linked = sorted((other, held) for (key, other), held in graphs.items() if key == relation.key)
        if relation.single:
            detail[relation.key] = local_name(linked[0][0]) if linked else None
            continue
        detail[relation.key] = [
            Link(
                **named[other],
                inferred=bool(held) and all(map(_is_inference_graph, held)),
                reason=reasons.get((relation.key, other)),
            )
            for other, held in linked
        ]
    return detail


def _entity_summaries(chosen: EntityKind, iri: URIRef, link: str, bound: int) -> str:
    # The summaries of the entity, of what it links to and of what its first ``bound`` positions
    # name; a position past the bound names entities fetched later.
    linked = "".join(
        f"\n      UNION {{ {iri.n3()} {relation.path} ?entity }}"
        for relation in chosen.relations
        if not relation.single
    )
    subjects = f"""{{ SELECT DISTINCT ?entity WHERE {{
      {{ VALUES ?entity {{ {iri.n3()} }} }}{linked}
      UNION {{
        {{ SELECT ?position WHERE {{ {link} }} LIMIT {bound} }}
        ?position sg:holder|sg:target|sg:regarding ?entity
      }}
    }} }}"""
    return SUMMARIES % {"entities": subjects}
