"""Subgraphs of a store: the ego neighbourhood of an entity, its Concise Bounded Description, any CONSTRUCT.

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

from collections import defaultdict
from collections.abc import Collection, Iterable
from itertools import pairwise

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import NotFoundError, ValidationFailedError
from graph.namespaces import OA, ONTOLOGY_GRAPH, PREFIXES, SG, entity, slug_of
from graph.results import ask, select_rows, stored_literal
from graph.stores.base import Store

MAX_DEPTH = 4
"""The deepest ego neighbourhood served: beyond four hops it is most of the graph."""

HUB_TYPES: tuple[URIRef, ...] = (
    SG.Document,
    SKOS.ConceptScheme,
    SG.Stance,
    SG.AttributionMode,
    SG.MeasureStatus,
)
"""Classes whose members are reached but never expanded (see the module docstring)."""

LABEL_PREDICATES: tuple[URIRef, ...] = (RDF.type, RDFS.label, SKOS.prefLabel)
"""What every reached node brings along, however far out it lies."""

WHOLE_TYPES: tuple[URIRef, ...] = (SG.Position, SG.Evidence, OA.Annotation)
"""Classes whose members come whole: a position with its evidence, an annotation with its selectors."""

MAX_BLANK_DEPTH = 8
"""How deep :func:`cbd` follows chains of blank nodes (one query holds every level)."""

Triple = tuple[Node, Node, Node]


def resolve(focus: str) -> URIRef:
    """The IRI of a focus given as a REST id (slug) or as an absolute IRI.

    >>> resolve("canada")
    rdflib.term.URIRef('https://w3id.org/stancegraph/id/canada')
    >>> resolve("http://example.org/x")
    rdflib.term.URIRef('http://example.org/x')
    >>> resolve("not an iri")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: focus 'not an iri' is neither an id nor an absolute IRI
    >>> resolve("http://e/" + chr(1))
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: focus 'http://e/\\x01' is neither an id nor an absolute IRI
    """
    iri = focus if ":" in focus else str(entity(focus))
    try:
        ox.NamedNode(iri)  # the engine's own IRI check: what passes it is safe to paste into a query
    except ValueError:
        raise ValidationFailedError(f"focus {focus!r} is neither an id nor an absolute IRI") from None
    return URIRef(iri)


def _values(nodes: Iterable[URIRef | ox.NamedNode]) -> str:
    # Safe to paste: every IRI went through resolve() (n3() refuses the characters that could end
    # the IRI early) or came from the store itself as an engine term, written as the engine writes it.
    return " ".join(sorted(node.n3() if isinstance(node, URIRef) else str(node) for node in nodes))


def _terms(constants: Iterable[URIRef]) -> str:
    # For FILTER(?x IN (...)): Oxigraph joins a second VALUES block with the first as a cross
    # product before filtering (seconds on a large store); a filter on the bound variable is cheap.
    return ", ".join(term.n3() for term in constants)


def construct(store: Store, query: str) -> Graph:
    """The graph a CONSTRUCT (or DESCRIBE) query builds.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('INSERT DATA { <http://e/a> <http://e/p> <http://e/b> }')
    >>> len(construct(store, "CONSTRUCT WHERE { ?s ?p ?o }"))
    1
    >>> construct(store, "SELECT * WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: a subgraph needs a CONSTRUCT or DESCRIBE query, not SELECT
    """
    return _graph(_constructed(store, query))


def _constructed(store: Store, query: str) -> set[ox.Triple]:
    # A neighbourhood is gathered as engine triples and made an rdflib Graph once at the end, from
    # the distinct triples only: rdflib's terms and graph inserts cost more than the queries.
    result = store.query(query, graph_media_type="application/n-triples")
    body = result.read()
    if result.form not in ("CONSTRUCT", "DESCRIBE"):
        raise ValidationFailedError(f"a subgraph needs a CONSTRUCT or DESCRIBE query, not {result.form}")
    # Each query names its blank nodes afresh: they get labels of their own here, so that two
    # queries' labels never meet (_merge_repeated_blanks joins true copies).
    blanks: dict[ox.BlankNode, ox.BlankNode] = defaultdict(ox.BlankNode)
    found = set()
    for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        subject, value = quad.subject, quad.object
        if isinstance(subject, ox.BlankNode):
            subject = blanks[subject]
        if isinstance(value, ox.BlankNode):
            value = blanks[value]
        found.add(ox.Triple(subject, quad.predicate, value))
    return found


def _graph(triples: Iterable[ox.Triple]) -> Graph:
    # A store that keeps no record of named graphs (a subgraph has none): inserts cost half as much.
    graph = Graph(store="SimpleMemory")
    term = _Terms()
    graph.addN((term(t.subject), term(t.predicate), term(t.object), graph) for t in triples)
    return graph


class _Terms:
    """pyoxigraph terms as rdflib terms, as rdflib's N-Triples parser makes them; each converted once."""

    def __init__(self) -> None:
        self.iris: dict[str, URIRef] = {}
        self.blanks: dict[str, BNode] = {}

    def __call__(self, term: object) -> Node:
        if isinstance(term, ox.NamedNode):
            iri = self.iris.get(term.value)
            if iri is None:
                iri = self.iris[term.value] = URIRef(term.value)
            return iri
        if isinstance(term, ox.BlankNode):
            blank = self.blanks.get(term.value)
            if blank is None:
                blank = self.blanks[term.value] = BNode()
            return blank
        assert isinstance(term, ox.Literal)
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return stored_literal(term.value, datatype=None if datatype == _XSD_STRING else datatype)


_XSD_STRING = str(XSD.string)


def exists(store: Store, iri: URIRef) -> bool:
    """Whether any triple names ``iri`` as subject or object.

    >>> from graph.stores.memory import MemoryStore
    >>> exists(MemoryStore(), entity("atlantis"))
    False
    """
    return ask(store, "ASK { { ?iri ?p ?o } UNION { ?s ?p ?iri } }", {"iri": iri})


def require(store: Store, focus: str) -> URIRef:
    """The IRI of ``focus``, or NotFoundError naming it when the store does not know it.

    >>> from graph.stores.memory import MemoryStore
    >>> require(MemoryStore(), "atlantis")
    Traceback (most recent call last):
    ...
    graph.errors.NotFoundError: no entity 'atlantis' in the store
    """
    iri = resolve(focus)
    if not exists(store, iri):
        raise NotFoundError(f"no entity {focus!r} in the store")
    return iri


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
    return _graph(_adjacent(store, nodes))


def _adjacent(store: Store, nodes: Collection[URIRef | ox.NamedNode]) -> set[ox.Triple]:
    if not nodes:
        return set()
    ontology = ONTOLOGY_GRAPH.n3()
    # A blank neighbour (an OWL axiom annotation, say) cannot be named in a later query, so its
    # own triples come in this one. Each branch is one flat pattern: nested in a group of its own,
    # Oxigraph evaluated ``?blank ?bp ?bo`` over the whole store before joining ?node (seconds).
    return _constructed(
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
    return _constructed(
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
    return _graph(_types_and_labels(store, nodes))


def _types_and_labels(store: Store, nodes: Collection[URIRef | ox.NamedNode]) -> set[ox.Triple]:
    if not nodes:
        return set()
    return _constructed(
        store,
        f"""CONSTRUCT {{ ?node ?p ?o }} WHERE {{
          VALUES ?node {{ {_values(nodes)} }}
          ?node ?p ?o FILTER(?p IN ({_terms(LABEL_PREDICATES)}))
        }}""",
    )


def ego_subgraph(store: Store, focus: str, depth: int = 2) -> Graph:
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
    (see the module docstring). A blank node next to an expanded node brings
    its own triples (one level: an OWL axiom annotation on a link comes whole);
    :func:`cbd` follows deeper chains.

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
    if not triples:
        require(store, focus)  # nothing names it outside the ontology graph: maybe nothing at all
    triples |= _types_and_labels(store, _linked(triples) - described | {focus_node})
    subgraph = _graph(triples)
    _merge_repeated_blanks(subgraph)
    _bind_prefixes(subgraph)
    return subgraph


def _hubs(store: Store, nodes: Collection[ox.NamedNode]) -> set[ox.NamedNode]:
    return {ox.NamedNode(hub) for hub in hubs(store, nodes)}  # type: ignore[arg-type]


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


def _blank_chains(levels: int, *, incoming: bool) -> str:
    # Level k of a CBD passes k blank nodes on its way from ?focus to the triple it adds; each
    # level is one UNION branch, since a SPARQL path cannot insist that every node it passes is blank.
    end = "?o" if incoming else "?s"
    branches = ["{ ?s ?p ?focus BIND(?focus AS ?o) }" if incoming else "{ ?focus ?p ?o BIND(?focus AS ?s) }"]
    for level in range(1, levels + 1):
        chain = ["?focus", *(f"?b{step}" for step in range(level - 1)), end]
        links = [
            f"{later} ?l{step} {earlier} ." if incoming else f"{earlier} ?l{step} {later} ."
            for step, (earlier, later) in enumerate(pairwise(chain))
        ]
        blank = " && ".join(f"isBlank({node})" for node in chain[1:])
        triple = "?s ?p ?o ."
        branches.append("{ " + " ".join([*links, triple, f"FILTER({blank})"]) + " }")
    return "\n UNION ".join(branches)


def cbd(store: Store, focus: str, *, symmetric: bool = False) -> Graph:
    """The Concise Bounded Description of ``focus``: its triples, and recursively those of its blank nodes.

    With ``symmetric``, the triples pointing at it (and their blank subjects'
    own incoming triples) come too. Blank-node chains are followed up to
    :data:`MAX_BLANK_DEPTH` deep.

    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> store.update('''INSERT DATA { <http://e/a> <http://e/p> [ <http://e/q> [ <http://e/r> 1 ] ] .
    ...   <http://e/z> <http://e/p> <http://e/a> }''')
    >>> len(cbd(store, "http://e/a")), len(cbd(store, "http://e/a", symmetric=True))
    (3, 4)
    """
    iri = require(store, focus)
    branches = _blank_chains(MAX_BLANK_DEPTH, incoming=False)
    if symmetric:
        branches += "\n UNION " + _blank_chains(MAX_BLANK_DEPTH, incoming=True)
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?focus {{ {iri.n3()} }} {branches} }}"
    description = construct(store, query)
    _bind_prefixes(description)
    return description


def _bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)


def node_label(graph: Graph, node: Node) -> str:
    """A node's English (or any) rdfs:label or skos:prefLabel in ``graph``; else its id or IRI.

    >>> from rdflib import Literal
    >>> g = Graph().add((URIRef("http://e/a"), RDFS.label, Literal("A", lang="en")))
    >>> node_label(g, URIRef("http://e/a")), node_label(g, entity("canada")), node_label(g, BNode("b1"))
    ('A', 'canada', 'b1')
    """
    labels = [
        label
        for predicate in (RDFS.label, SKOS.prefLabel)
        for label in graph.objects(node, predicate)
        if not isinstance(label, BNode)  # names nothing a reader could see
    ]
    english = [label for label in labels if getattr(label, "language", None) in ("en", None)]
    if english or labels:
        # Literals before IRIs (shown as their text), each kind in text order: never varies.
        return str(min(english or labels, key=lambda t: (not isinstance(t, Literal), str(t), t.n3())))
    return slug_of(str(node)) or str(node)
