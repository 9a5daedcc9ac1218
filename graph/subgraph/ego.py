"""The ego neighbourhood of an entity, one query per hop (the rules are the package's docstring).

Each hop asks the store for the triples of the nodes it expands
(:func:`adjacent_triples`), for the parts of the positions and evidence it
reaches whole, and, at the end, for the type and labels of every other node
named (:func:`types_and_labels`); hubs (:func:`hubs`) are reached but never
expanded. The helpers answer as rdflib graphs too, for the path search of
:mod:`graph.network`.

>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> store.update('''INSERT DATA { <http://e/a> <http://e/p> <http://e/b> .
...                              <http://e/b> <http://e/p> <http://e/c> }''')
>>> len(ego_subgraph(store, "http://e/a", depth=1)), len(ego_subgraph(store, "http://e/a", depth=2))
(1, 2)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, BNode, Graph, URIRef
from rdflib.term import Node

from graph.errors import ValidationFailedError
from graph.namespaces import OA, ONTOLOGY_GRAPH, SG
from graph.progress import Progress, counting
from graph.results import select_rows
from graph.stores.base import Store
from graph.subgraph.construct import bind_prefixes, constructed, rdflib_graph
from graph.subgraph.focus import require, resolve

MAX_DEPTH = 4
"""The deepest ego neighbourhood served: beyond four hops it is most of the graph."""

HUB_TYPES: tuple[URIRef, ...] = (
    SG.Document,
    SKOS.ConceptScheme,
    SG.Stance,
    SG.AttributionMode,
    SG.MeasureStatus,
)
"""Classes whose members are reached but never expanded (see :mod:`graph.subgraph`)."""

LABEL_PREDICATES: tuple[URIRef, ...] = (RDF.type, RDFS.label, SKOS.prefLabel)
"""What every reached node brings along, however far out it lies."""

WHOLE_TYPES: tuple[URIRef, ...] = (SG.Position, SG.Evidence, OA.Annotation)
"""Classes whose members come whole: a position with its evidence, an annotation with its selectors."""

Triple = tuple[Node, Node, Node]


def _values(nodes: Iterable[URIRef | ox.NamedNode]) -> str:
    # Safe to paste: every IRI went through resolve() (n3() refuses the characters that could end
    # the IRI early) or came from the store itself as an engine term, written as the engine writes it.
    return " ".join(sorted(node.n3() if isinstance(node, URIRef) else str(node) for node in nodes))


def _terms(constants: Iterable[URIRef]) -> str:
    # For FILTER(?x IN (...)): Oxigraph joins a second VALUES block with the first as a cross
    # product before filtering (seconds on a large store); a filter on the bound variable is cheap.
    return ", ".join(term.n3() for term in constants)


def hubs(store: Store, nodes: Collection[URIRef | ox.NamedNode]) -> set[URIRef]:
    """Which of ``nodes`` are hubs: reached but never expanded (documents, schemes, ontology terms).

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://e/d> a <https://w3id.org/stancegraph/ontology#Document> }')
    >>> hubs(store, [URIRef("http://e/d"), URIRef("http://e/x")])
    {rdflib.term.URIRef('http://e/d')}
    """
    if not nodes:
        return set()
    query = f"""SELECT DISTINCT ?node WHERE {{
      VALUES ?node {{ {_values(nodes)} }}
      {{ ?node a ?hub FILTER(?hub IN ({_terms(HUB_TYPES)})) }}
      UNION {{ GRAPH {ONTOLOGY_GRAPH.n3()} {{ ?node ?p ?o }} }}
    }}"""
    return {row["node"] for row in select_rows(store, query)}  # type: ignore[misc]


def adjacent_triples(store: Store, nodes: Collection[URIRef]) -> Graph:
    """Every triple with one of ``nodes`` as subject or object, the ontology graph's own left out.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''INSERT DATA { <http://e/a> <http://e/p> <http://e/b> .
    ...   <http://e/c> <http://e/p> <http://e/a> . <http://e/b> <http://e/p> <http://e/c> }''')
    >>> len(adjacent_triples(store, [URIRef("http://e/a")]))
    2
    """
    return rdflib_graph(_adjacent(store, nodes))


def _adjacent(store: Store, nodes: Collection[URIRef | ox.NamedNode]) -> set[ox.Triple]:
    if not nodes:
        return set()
    ontology = ONTOLOGY_GRAPH.n3()
    # A blank neighbour (an OWL axiom annotation, say) cannot be named in a later query, so its
    # own triples come in this one. Each branch is one flat pattern: nested in a group of its own,
    # Oxigraph evaluated ``?blank ?bp ?bo`` over the whole store before joining ?node (seconds).
    return constructed(
        store,
        f"""CONSTRUCT {{ ?node ?p ?o . ?s ?q ?node . ?blank ?bp ?bo }} WHERE {{
          VALUES ?node {{ {_values(nodes)} }}
          {{ ?node ?p ?o FILTER NOT EXISTS {{ GRAPH {ontology} {{ ?node ?p ?o }} }} }}
          UNION
          {{ ?s ?q ?node FILTER NOT EXISTS {{ GRAPH {ontology} {{ ?s ?q ?node }} }} }}
          UNION {{ ?node ?link ?blank FILTER(isBlank(?blank)) ?blank ?bp ?bo }}
          UNION {{ ?blank ?link ?node FILTER(isBlank(?blank)) ?blank ?bp ?bo }}
        }}""",
    )


def linked_nodes(graph: Iterable[Triple]) -> set[URIRef]:
    """The IRIs a graph (or any triples) links: subjects and objects, but not the classes named by rdf:type.

    >>> g = Graph().parse(data="<http://e/a> a <http://e/C> ; <http://e/p> <http://e/b>, 'x' .", format="ttl")
    >>> sorted(linked_nodes(g))
    [rdflib.term.URIRef('http://e/a'), rdflib.term.URIRef('http://e/b')]
    """
    found: set[URIRef] = set()
    for subject, predicate, value in graph:
        for node in (subject, value if predicate != RDF.type else None):
            if isinstance(node, URIRef):
                found.add(node)
    return found


def _whole(store: Store, nodes: Collection[ox.NamedNode], *, itself: bool) -> set[ox.Triple]:
    # A position is an n-ary relation and an evidence annotation one quotation: to a reader each is
    # one thing, so a reached position brings its own triples and its evidence's, quote included,
    # and a reached annotation its target and selectors, however many triples away they lie.
    # Without ``itself``, the nodes' own triples are left to their expansion at the next hop.
    if not nodes:
        return set()
    selected = f"{OA.hasTarget.n3()}/{OA.hasSelector.n3()}?"
    parts = f"({SG.evidence.n3()}/({selected})?|{selected}){'?' if itself else ''}"
    return constructed(
        store,
        f"""CONSTRUCT {{ ?part ?p ?o }} WHERE {{
          VALUES ?node {{ {_values(nodes)} }}
          ?node a ?whole FILTER(?whole IN ({_terms(WHOLE_TYPES)}))
          ?node {parts} ?part . ?part ?p ?o
        }}""",
    )


def types_and_labels(store: Store, nodes: Collection[URIRef]) -> Graph:
    """The rdf:type, rdfs:label and skos:prefLabel triples of ``nodes``, from any graph.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://e/a> a <http://e/C> ; <http://e/p> <http://e/b> }')
    >>> len(types_and_labels(store, [URIRef("http://e/a")]))
    1
    """
    return rdflib_graph(_types_and_labels(store, nodes))


def _types_and_labels(store: Store, nodes: Collection[URIRef | ox.NamedNode]) -> set[ox.Triple]:
    if not nodes:
        return set()
    return constructed(
        store,
        f"""CONSTRUCT {{ ?node ?p ?o }} WHERE {{
          VALUES ?node {{ {_values(nodes)} }}
          ?node ?p ?o FILTER(?p IN ({_terms(LABEL_PREDICATES)}))
        }}""",
    )


def ego_subgraph(store: Store, focus: str, depth: int = 2, progress: Progress | None = None) -> Graph:
    """The ego neighbourhood of ``focus`` (an id or IRI) within ``depth`` hops (1 to 4).

    Hops follow object links in both directions, since positions point at
    their holder. Nodes closer than ``depth`` are expanded: all their triples
    come along, and the nodes they name make the next hop. Every other node the
    subgraph names brings its type and labels only, as does every hub (the
    focus itself is always expanded). Positions and evidence come whole
    (:data:`WHOLE_TYPES`) wherever they are reached, the quote of their evidence
    included, but what they name lies one hop further out: depth 1 of a
    stakeholder holds its positions whole and their targets' labels; depth 2
    expands its other direct neighbours too; only depth 3 expands the targets
    (see :mod:`graph.subgraph`). A blank node next to an expanded node brings
    its own triples (one level: an OWL axiom annotation on a link comes whole);
    :func:`cbd` follows deeper chains. ``progress`` hears of each hop, and of the labels fetched
    last as one more (:mod:`graph.progress`).

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''INSERT DATA { <http://e/a> <http://e/p> <http://e/b> .
    ...   <http://e/b> <http://e/p> <http://e/c> . <http://e/c> <http://e/p> <http://e/d> }''')
    >>> len(ego_subgraph(store, "http://e/b", depth=1))
    2
    >>> ego_subgraph(store, "http://e/b", depth=5)
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: depth must be between 1 and 4, not 5
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise ValidationFailedError(f"depth must be between 1 and {MAX_DEPTH}, not {depth}")
    focus_node = ox.NamedNode(resolve(focus))
    triples: set[ox.Triple] = set()
    reached = {focus_node}
    frontier = {focus_node}
    described: set[ox.NamedNode] = set()  # nodes whose every triple is in hand: none to fetch again
    advance = counting(progress, "selecting", depth + 1)
    for hop in range(depth):
        expandable = frontier if hop == 0 else frontier - _hubs(store, frontier)
        adjacent = _adjacent(store, expandable)
        described |= expandable - {focus_node}  # the focus may be an ontology term, its axioms left out
        # Only what the expanded nodes name makes the next hop: a whole node's parts come with it,
        # but what they name (a position's target) is one hop further out.
        frontier = _linked(adjacent) - reached
        reached |= frontier
        whole = _whole(store, frontier - described, itself=hop == depth - 1)
        triples |= adjacent | whole
        described |= {triple.subject for triple in whole if isinstance(triple.subject, ox.NamedNode)}
        advance(1)
    if not triples:
        require(store, focus)  # nothing names it outside the ontology graph: maybe nothing at all
    triples |= _types_and_labels(store, _linked(triples) - described | {focus_node})
    advance(1)
    subgraph = rdflib_graph(triples)
    _merge_repeated_blanks(subgraph)
    bind_prefixes(subgraph)
    return subgraph


def _hubs(store: Store, nodes: Collection[ox.NamedNode]) -> set[ox.NamedNode]:
    return {ox.NamedNode(hub) for hub in hubs(store, nodes)}


_RDF_TYPE = ox.NamedNode(str(RDF.type))


def _linked(triples: Iterable[ox.Triple]) -> set[ox.NamedNode]:
    # linked_nodes for engine triples.
    found: set[ox.NamedNode] = set()
    for subject, predicate, value in triples:
        if isinstance(subject, ox.NamedNode):
            found.add(subject)
        if predicate != _RDF_TYPE and isinstance(value, ox.NamedNode):
            found.add(value)
    return found


def _merge_repeated_blanks(graph: Graph) -> None:
    # A blank node met from two expanded nodes arrives twice, under two labels (each query
    # names its blank nodes afresh); copies with the same triples are one node.
    seen: set[frozenset[tuple[Node, Node]]] = set()
    for blank in sorted({s for s in graph.subjects() if isinstance(s, BNode)}):
        if (None, None, blank) in graph:
            continue
        description = frozenset(graph.predicate_objects(blank))
        if description in seen:
            graph.remove((blank, None, None))
        seen.add(description)
