"""JSON-LD compacted with the project's prefixes as its ``@context``: the one writer of it.

rdflib builds the compacted document; the standard library writes it. rdflib's own writer hands
the document to orjson whenever that is installed (another package may bring it), and orjson
refuses an integer past 64 bits: a stored ``"99999999999999999999"^^xsd:integer`` would make
the answer fail. Python's json writes any integer.

>>> from rdflib import Graph, Literal, URIRef
>>> graph = Graph()
>>> _ = graph.add((URIRef("https://w3id.org/stancegraph/id/x"), URIRef("http://e/p"), Literal(10**20)))
>>> b'100000000000000000000' in compact_jsonld(graph)
True
"""

from __future__ import annotations

import json

from rdflib import Graph
from rdflib.plugins.serializers.jsonld import from_rdf

from graph.namespaces import PREFIXES


def compact_jsonld(graph: Graph) -> bytes:
    """``graph`` as compacted JSON-LD, its ``@context`` the prefixes of :data:`graph.namespaces.PREFIXES`,
    keys sorted so that the bytes never vary."""
    # Native numbers and booleans, as rdflib's own writer gives them (its option is always on).
    document = from_rdf(graph, dict(PREFIXES), auto_compact=True, use_native_types=True)  # type: ignore[no-untyped-call]
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")
