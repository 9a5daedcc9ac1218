"""A subgraph's bytes in an export format: the RDF ones written here, GraphML and CSV by their modules.

>>> from graph.namespaces import SG, SGD
>>> g = Graph().add((SGD.p, SG.holder, SGD.canada))
>>> export(g, "turtle").decode().splitlines()[-1]
'sgd:p sg:holder sgd:canada .'
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

import pyoxigraph as ox
from rdflib import Graph

from graph.export.edges import edge_list_csv
from graph.export.formats import export_format
from graph.export.graphml import stable_blank_nodes, subgraph_graphml
from graph.export.owl import Triple, other_headers, owl_parts, sort_key
from graph.export.turtle import protege_turtle
from graph.formats import CSV_TABLE, GRAPHML, JSON_LD, TURTLE
from graph.jsonld import compact_jsonld
from graph.namespaces import PREFIXES
from graph.terms import oxigraph_triples


def export(
    graph: Graph,
    format: str,
    *,
    ontology: Graph | None = None,
    name: str = "subgraph",
    comment: str | None = None,
) -> bytes:
    """``graph`` serialized as ``turtle``, ``rdfxml``, ``jsonld``, ``ntriples``, ``graphml`` or ``csv``.

    Given the ``ontology``, the RDF formats carry the self-contained OWL
    document of :func:`graph.export.owl.self_contained_owl` (named ``name``; with its own header
    only: :func:`graph.export.owl.other_headers` are left out); GraphML and CSV
    hold the subgraph alone: object-valued triples as edges, rdf:type and
    literals as node attributes (GraphML) or left out (CSV).

    >>> from graph.namespaces import SG, SGD
    >>> g = Graph().add((SGD.p, SG.holder, SGD.canada))
    >>> len(Graph().parse(data=export(g, "ntriples"), format="nt"))
    1
    """
    chosen = export_format(format)
    if chosen.name == GRAPHML.name:
        return subgraph_graphml(graph)
    if chosen.name == CSV_TABLE.name:
        return edge_list_csv(graph)
    graph = stable_blank_nodes(graph)  # a stated link's axiom annotation, say
    vocabulary, about_data = (
        owl_parts(graph, ontology, name=name, comment=comment) if ontology is not None else ([], set())
    )
    left_out = other_headers(graph) if ontology is not None else set()
    data: Iterable[Triple] = [triple for triple in graph if triple not in left_out] if left_out else graph
    if chosen.name == JSON_LD.name:
        # pyoxigraph writes expanded JSON-LD only; rdflib compacts it with the prefixes as @context.
        document = Graph()
        for prefix, namespace in PREFIXES.items():
            document.bind(prefix, namespace)
        document.addN((*triple, document) for triple in chain(vocabulary, about_data, data))
        return compact_jsonld(document)
    # The engine's writer, not rdflib's: about 50 µs a triple less, on neighbourhoods of thousands.
    # Sorted, so that each subject's triples stand together and the bytes never vary. Each triple
    # once: the data often types its nodes owl:NamedIndividual already, and a CONSTRUCT of the
    # ontology graph holds declarations the vocabulary repeats; the writer would repeat them too.
    assert chosen.rdf is not None  # every export format but GraphML and CSV is RDF
    declared = set(vocabulary)
    rest = sorted({triple for triple in chain(data, about_data) if triple not in declared}, key=sort_key)
    triples = chain(dict.fromkeys(vocabulary), rest)
    prefixes = {} if chosen.rdf == ox.RdfFormat.N_TRIPLES else PREFIXES
    body = ox.serialize(oxigraph_triples(triples, keep_labels=True), format=chosen.rdf, prefixes=prefixes)
    assert body is not None  # given no output, pyoxigraph returns the bytes
    # Turtle as the OWL API reads it: the engine's string escapes fool Protégé (graph.export.turtle).
    return protege_turtle(body) if chosen.name == TURTLE.name else body
