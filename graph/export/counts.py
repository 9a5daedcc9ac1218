"""What an export's bytes hold, counted from the bytes themselves: what a command may say it wrote.

An RDF export holds more than the subgraph (the ontology header and the declarations of the
terms it uses: :func:`graph.export.owl.owl_parts`), and GraphML and CSV hold nodes and edges,
not triples; so the count is read back from what was written, by the engine's parser.

>>> from rdflib import Graph
>>> from graph.formats import TURTLE
>>> from graph.namespaces import SG, SGD
>>> from graph.export.serialize import export
>>> g = Graph().add((SGD.p, SG.holder, SGD.canada))
>>> print(written_counts(export(g, "turtle"), TURTLE))
1 triple
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

import pyoxigraph as ox

from graph.formats import CSV_TABLE, GRAPHML, MediaFormat

_GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


@dataclass(frozen=True)
class Written:
    """The distinct triples of an RDF export, or the nodes and edges of a GraphML or CSV one."""

    triples: int | None = None
    nodes: int | None = None
    edges: int | None = None

    def __str__(self) -> str:
        """``1193 triples``, ``120 nodes and 294 edges`` or ``294 edges``.

        >>> str(Written(nodes=1, edges=2)), str(Written(edges=0))
        ('1 node and 2 edges', '0 edges')
        """
        if self.triples is not None:
            return _plural(self.triples, "triple")
        edges = _plural(self.edges or 0, "edge")
        return edges if self.nodes is None else f"{_plural(self.nodes, 'node')} and {edges}"


def written_counts(body: bytes, format: MediaFormat) -> Written:
    """Count what ``body``, an export in ``format``, holds (distinct triples, as any RDF reader sees).

    >>> from graph.formats import N_TRIPLES
    >>> line = b'<http://e/a> <http://e/p> "x" .\\n'
    >>> written_counts(line * 2, N_TRIPLES).triples  # a repeated triple is one triple
    1
    >>> written_counts(b"source,predicate,target\\na,b,c\\n", CSV_TABLE)
    Written(triples=None, nodes=None, edges=1)
    """
    if format.name == GRAPHML.name:
        root = ElementTree.fromstring(body)
        return Written(
            nodes=sum(1 for _ in root.iter(f"{_GRAPHML_NS}node")),
            edges=sum(1 for _ in root.iter(f"{_GRAPHML_NS}edge")),
        )
    if format.name == CSV_TABLE.name:
        rows = sum(1 for row in csv.reader(io.StringIO(body.decode("utf-8"))) if row)
        return Written(edges=max(rows - 1, 0))  # the header is no edge
    if format.rdf is None:
        raise ValueError(f"cannot count what a {format.name} export holds")
    return Written(triples=len(set(ox.parse(body, format=format.rdf))))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
