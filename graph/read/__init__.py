"""Entities, positions, evidence and documents as plain JSON-shaped dicts, for REST and notebooks.

Each lookup asks the store a few SPARQL queries, never one per row, and reads
the engine's answers straight into Python values (:mod:`graph.terms`), with no
rdflib term in between. One job per module:

- :mod:`~graph.read.shapes`: what the lookups answer (typed dicts, the REST models)
- :mod:`~graph.read.kinds`: the kinds of resource and their relations
- :mod:`~graph.read.names` and :mod:`~graph.read.paging`: ids, names and pages, checked
- :mod:`~graph.read.summaries`: entities in brief
- :mod:`~graph.read.evidence` and :mod:`~graph.read.positions`: quoted spans; positions filtered and paged
- :mod:`~graph.read.notes`: the coder's notes, the reasons of inferred links, a measure's status
- :mod:`~graph.read.entities`: lists of a kind, and one entity described
- :mod:`~graph.read.documents`, :mod:`~graph.read.search`, :mod:`~graph.read.tables`

>>> from graph.dataset import load_embedded
>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> load_embedded(store)
>>> canada = describe(store, "stakeholder", "canada")
>>> canada["label"], canada["type"], len(canada["positions"])
('Canada', 'Nation', 2)
>>> [item["label"] for item in search(store, "canadá", limit=2)["items"]]
['Canada', 'Canada joins Golden Dome']
"""

from __future__ import annotations

from graph.read.documents import source_text
from graph.read.entities import describe, list_entities
from graph.read.fulltext.folding import fold
from graph.read.kinds import KINDS, SEARCHED_CLASSES, EntityKind, KindName, Relation, kind_of
from graph.read.names import concept_iri, entity_iri, identifier, local_name
from graph.read.paging import DEFAULT_LIMIT, MAX_LIMIT, check_page
from graph.read.positions import PositionFilter, positions
from graph.read.search import search
from graph.read.shapes import (
    ConcernDetail,
    DocumentDetail,
    Evidence,
    Found,
    Link,
    Listed,
    MeasureDetail,
    Page,
    Position,
    ProgramDetail,
    QueryTable,
    StakeholderDetail,
    Summary,
    ThreatDetail,
)
from graph.read.summaries import summaries
from graph.read.tables import graph_counts, query_table

__all__ = [
    "DEFAULT_LIMIT",
    "KINDS",
    "MAX_LIMIT",
    "SEARCHED_CLASSES",
    "ConcernDetail",
    "DocumentDetail",
    "EntityKind",
    "Evidence",
    "Found",
    "KindName",
    "Link",
    "Listed",
    "MeasureDetail",
    "Page",
    "Position",
    "PositionFilter",
    "ProgramDetail",
    "QueryTable",
    "Relation",
    "StakeholderDetail",
    "Summary",
    "ThreatDetail",
    "check_page",
    "concept_iri",
    "describe",
    "entity_iri",
    "fold",
    "graph_counts",
    "identifier",
    "kind_of",
    "list_entities",
    "local_name",
    "positions",
    "query_table",
    "search",
    "source_text",
    "summaries",
]
