"""The focus of a subgraph: an id or IRI made an IRI, and whether the store knows it.

>>> resolve("canada")
rdflib.term.URIRef('https://w3id.org/stancegraph/id/canada')
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import URIRef

from graph.errors import NotFoundError, ValidationFailedError
from graph.namespaces import entity
from graph.results import ask
from graph.stores.base import Store


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
