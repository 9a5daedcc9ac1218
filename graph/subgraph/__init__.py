"""Subgraphs of a store: the ego neighbourhood of an entity, its Concise Bounded Description, any CONSTRUCT.

:mod:`~graph.subgraph.ego` selects neighbourhoods, :mod:`~graph.subgraph.cbd`
descriptions, :mod:`~graph.subgraph.construct` runs CONSTRUCT queries and makes
rdflib graphs of their triples; :mod:`~graph.subgraph.focus` resolves and checks
a focus and :mod:`~graph.subgraph.labels` names nodes for a reader.
:mod:`graph.export` serializes the subgraphs.

Everything is asked of the store in SPARQL, a few queries per subgraph (one per
hop, not one per node), so the same code serves the embedded and the remote
stores.

``depth`` counts hops over the RDF graph, following links in both directions
(a position points at its holder): the focus is at distance 0, and the nodes
named by the triples of a node at distance *d* are at *d* + 1. Nodes closer than
``depth`` are expanded (all their triples come); the others the subgraph names
bring their type and labels only. One addition: a position, an evidence
annotation or any annotation reached comes whole (:data:`WHOLE_TYPES`), with
its own triples and its parts' (its evidence, the evidence's target and
selectors, so the quote), however far they lie; what they name is reached
only as the RDF graph reaches it (a position's target is one hop further out
than the position). So, from a stakeholder:

* depth 1: the stakeholder, its positions whole with their evidence, and the
  labels of its other neighbours and of what its positions name (targets,
  stances);
* depth 2: also expands its direct neighbours (its positions and, say, the
  body it belongs to, whose own positions then come whole), but not the
  targets: another holder's position on the same target is three hops away;
* depth 3: also expands the targets, and so brings every position on them.

Two rules keep a neighbourhood meaningful:

* The ontology graph's own triples (class and property axioms, the stance
  concepts' definitions) are never part of a neighbourhood: they describe the
  vocabulary, not the entity.
* *Hubs* are reached but never expanded: documents (every entity is mentioned
  in the document, so expanding it returns the whole graph), concept schemes,
  the stance, attribution and status concepts, and every term the ontology
  graph defines. Expanding ``sg:supports`` would likewise pull in every
  supporting position of every holder.

>>> from graph.namespaces import slug_of
>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
...   PREFIX sgd: <https://w3id.org/stancegraph/id/>
...   PREFIX oa: <http://www.w3.org/ns/oa#>
...   INSERT DATA { GRAPH <urn:example> {
...     sgd:p1 a sg:Position ; sg:holder sgd:canada ; sg:target sgd:golden-dome ; sg:evidence sgd:p1-ev .
...     sgd:p1-ev a sg:Evidence ; oa:hasTarget sgd:p1-quote . sgd:p1-quote oa:exact "in talks" .
...     sgd:p2 a sg:Position ; sg:holder sgd:usa ; sg:target sgd:golden-dome .
...     sgd:canada sg:memberOf sgd:norad ; sg:mentionedIn sgd:doc . sgd:usa sg:memberOf sgd:norad .
...     sgd:golden-dome sg:mentionedIn sgd:doc . sgd:doc a sg:Document } }''')
>>> for depth in (1, 2, 3):
...     print(depth, sorted({slug_of(s) for s in ego_subgraph(store, "canada", depth).subjects()}))
1 ['canada', 'doc', 'p1', 'p1-ev', 'p1-quote']
2 ['canada', 'doc', 'p1', 'p1-ev', 'p1-quote', 'usa']
3 ['canada', 'doc', 'golden-dome', 'p1', 'p1-ev', 'p1-quote', 'p2', 'usa']
"""

from __future__ import annotations

from graph.subgraph.cbd import MAX_BLANK_DEPTH, cbd
from graph.subgraph.choices import Mode
from graph.subgraph.construct import construct
from graph.subgraph.ego import (
    HUB_TYPES,
    LABEL_PREDICATES,
    MAX_DEPTH,
    WHOLE_TYPES,
    adjacent_triples,
    ego_subgraph,
    hubs,
    linked_nodes,
    types_and_labels,
)
from graph.subgraph.focus import exists, require, resolve
from graph.subgraph.labels import node_label

__all__ = [
    "HUB_TYPES",
    "LABEL_PREDICATES",
    "MAX_BLANK_DEPTH",
    "MAX_DEPTH",
    "WHOLE_TYPES",
    "Mode",
    "adjacent_triples",
    "cbd",
    "construct",
    "ego_subgraph",
    "exists",
    "hubs",
    "linked_nodes",
    "node_label",
    "require",
    "resolve",
    "types_and_labels",
]
