"""Graphs written with the project's prefixes: Turtle and TriG that people read.

The engine writes CONSTRUCT and DESCRIBE results and graph dumps with full IRIs;
this rewrites such a document with the prefixes of :data:`graph.namespaces.PREFIXES`
that its IRIs use (and no others), keeping every triple as it was, its strings as the OWL API
reads them (:func:`graph.export.turtle.protege_turtle`).

>>> body = b"<https://w3id.org/stancegraph/id/canada> a <https://w3id.org/stancegraph/ontology#Actor> ."
>>> print(with_prefixes(body, TURTLE).decode().strip())
@prefix sg: <https://w3id.org/stancegraph/ontology#> .
@prefix sgd: <https://w3id.org/stancegraph/id/> .
sgd:canada a sg:Actor .
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.export.turtle import protege_turtle
from graph.formats import TRIG, TURTLE, MediaFormat, rdf_serializer
from graph.namespaces import PREFIXES

PREFIXED_FORMATS: tuple[MediaFormat, ...] = (TURTLE, TRIG)
"""The formats written with prefixes: the ones with prefixed names that people read."""


def with_prefixes(document: bytes, media_format: MediaFormat) -> bytes:
    """``document`` (in ``media_format``) written again with the project's prefixes it uses.

    Formats without prefixed names, and empty documents, come back as they are.

    >>> with_prefixes(b"", TURTLE)
    b''
    """
    if media_format not in PREFIXED_FORMATS or not document.strip():
        return document
    engine = rdf_serializer(media_format)
    quads = list(ox.parse(document, format=engine))
    used = _used_prefixes(quads)
    written = ox.serialize(quads, format=engine, prefixes=used) or b""  # bytes, given no output file
    return protege_turtle(written)  # what people read, Protégé included, reads its strings exactly


def _used_prefixes(quads: list[ox.Quad]) -> dict[str, str]:
    namespaces: set[str] = set()
    for quad in quads:
        # rdf:type as a predicate is written ``a``: it needs no prefix.
        terms = (quad.subject, quad.object, quad.graph_name)
        for term in terms if quad.predicate == _RDF_TYPE else (*terms, quad.predicate):
            if isinstance(term, ox.Literal) and term.datatype.value not in _WRITTEN_BARE:
                iri = term.datatype.value
            elif isinstance(term, ox.NamedNode):
                iri = term.value
            else:
                continue
            namespaces.add(iri[: max(iri.rfind("#"), iri.rfind("/")) + 1])
    return {prefix: namespace for prefix, namespace in PREFIXES.items() if namespace in namespaces}


_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
# Literals the writer puts without their datatype: "x", "x"@en, 3, 1.5, 1.0E0, true.
_WRITTEN_BARE = {PREFIXES["rdf"] + "langString", PREFIXES["rdf"] + "dirLangString"} | {
    PREFIXES["xsd"] + name for name in ("string", "integer", "decimal", "double", "boolean")
}
