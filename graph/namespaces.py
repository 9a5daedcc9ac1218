"""IRIs of the ontology, the entities and the named graphs.

>>> str(SG.Position)
'https://w3id.org/stancegraph/ontology#Position'
>>> entity("canada")
rdflib.term.URIRef('https://w3id.org/stancegraph/id/canada')
>>> slug_of(entity("canada"))
'canada'
>>> document_graph("golden-dome-canada")
rdflib.term.URIRef('https://w3id.org/stancegraph/graph/golden-dome-canada')
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef

ONTOLOGY_IRI = URIRef("https://w3id.org/stancegraph/ontology")
SG = Namespace("https://w3id.org/stancegraph/ontology#")
SGD = Namespace("https://w3id.org/stancegraph/id/")
GRAPH_BASE = "https://w3id.org/stancegraph/graph/"
ONTOLOGY_GRAPH = URIRef(GRAPH_BASE + "ontology")

SLUG_PATTERN = r"^[a-z0-9-]+$"
"""Every id the service names things by (entities, documents, named queries): the one pattern,
used by the coding schema, the REST paths and the readers alike."""
SLUG = re.compile(SLUG_PATTERN)

OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")

PREFIXES: dict[str, str] = {
    "sg": str(SG),
    "sgd": str(SGD),
    "oa": str(OA),
    "org": str(ORG),
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def entity(slug: str) -> URIRef:
    """The IRI of the entity whose REST id is ``slug``."""
    return SGD[slug]


def is_slug(text: str) -> bool:
    """Whether ``text`` is an id of the service's form.

    >>> is_slug("golden-dome"), is_slug("Golden Dome"), is_slug("")
    (True, False, False)
    """
    return SLUG.fullmatch(text) is not None


def slug_of(iri: str) -> str | None:
    """The REST id of an entity IRI, or ``None`` for an IRI outside ``sgd:``.

    >>> slug_of("http://example.org/x") is None
    True
    """
    return iri[len(SGD) :] if iri.startswith(str(SGD)) else None


def document_graph(document_slug: str) -> URIRef:
    """The named graph holding what one document's coding asserts."""
    return URIRef(GRAPH_BASE + document_slug)


def inferred_graph(document_slug: str) -> URIRef:
    """The named graph of analyst inferences for one document: links the text does not state."""
    return URIRef(GRAPH_BASE + document_slug + "/inferred")
