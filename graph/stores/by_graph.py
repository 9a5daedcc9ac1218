"""A dataset split into its graphs, each as N-Triples: what an engine that loads one graph per
request (through its Graph Store endpoint, see :mod:`graph.stores.engines`) is sent.

>>> dataset_graphs(b'<http://e/a> <http://e/p> _:x <http://e/g> .', "application/n-quads")
[('http://e/g', b'<http://e/a> <http://e/p> _:... .\\n')]
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.formats import N_TRIPLES, rdf_serializer
from graph.sparql.uploads import check_rdf_payload


def dataset_graphs(data: bytes, media_type: str) -> list[tuple[str | None, bytes]]:
    """The graphs of a dataset (None for its default graph, listed first when it has triples),
    parsed here completely first: SyntaxError when it does not parse.

    Blank node labels are kept, so a blank node shared by two graphs stays one node only where
    the engine keeps labels across requests (none does): split data should not share them.
    """
    check_rdf_payload(data, media_type)  # the parse below runs in this process
    scratch = ox.Store()
    scratch.load(data, format=rdf_serializer(media_type))
    ntriples = rdf_serializer(N_TRIPLES)
    graphs: list[tuple[str | None, bytes]] = []
    default = scratch.dump(format=ntriples, from_graph=ox.DefaultGraph()) or b""
    if default:
        graphs.append((None, default))
    for graph in sorted(scratch.named_graphs(), key=str):
        if isinstance(graph, ox.NamedNode):
            graphs.append((graph.value, scratch.dump(format=ntriples, from_graph=graph) or b""))
    return graphs
