"""Exports of a subgraph: RDF for Protégé and triple stores, GraphML for Gephi, CSV edge lists.

The RDF exports are self-contained OWL 2 DL documents (:func:`self_contained_owl`):
an ontology header of their own, no owl:imports, and the declaration of every
class and property they use, taken from the stancegraph ontology, so Protégé
opens them offline with no missing import and no property mistaken for an
annotation.

:mod:`~graph.export.serialize` writes every format (:func:`export`), Turtle as
the OWL API reads it (:mod:`~graph.export.turtle`);
:mod:`~graph.export.structure` leaves out OWL structure a CONSTRUCT holds in part;
:mod:`~graph.export.owl` makes the OWL documents, :mod:`~graph.export.graphml`
and :mod:`~graph.export.edges` the GraphML and CSV; the formats are the registry's
(:data:`graph.formats.EXPORT_FORMATS`), :mod:`~graph.export.formats` says which are
self-contained and :mod:`~graph.export.names` names the files.

>>> from rdflib import RDFS, Graph, Literal
>>> from graph.namespaces import SG, SGD
>>> g = Graph()
>>> g.add((SGD.p, SG.holder, SGD.canada)).add((SGD.canada, RDFS.label, Literal("Canada")))
<Graph identifier=...>
>>> print(export(g, "csv").decode().strip())
source,predicate,target,source_label,target_label
https://w3id.org/stancegraph/id/p,https://w3id.org/stancegraph/ontology#holder,https://w3id.org/stancegraph/id/canada,p,Canada
"""

from __future__ import annotations

from graph.export.edges import edge_list_csv
from graph.export.formats import SELF_CONTAINED, export_format
from graph.export.graphml import rdf_to_networkx, subgraph_graphml
from graph.export.names import EXPORT_BASE, export_iri, export_name, filename_for
from graph.export.owl import ontology_graph, owl_additions, self_contained_owl
from graph.export.serialize import export
from graph.export.structure import describe_omitted, without_broken_structure

__all__ = [
    "EXPORT_BASE",
    "SELF_CONTAINED",
    "describe_omitted",
    "edge_list_csv",
    "export",
    "export_format",
    "export_iri",
    "export_name",
    "filename_for",
    "ontology_graph",
    "owl_additions",
    "rdf_to_networkx",
    "self_contained_owl",
    "subgraph_graphml",
    "without_broken_structure",
]
