"""Ids and names both ways: a request's ids and concept names checked into IRIs, IRIs into what is shown.

Values reach a query only as RDF terms written by rdflib (``n3()``) after they
were checked (ids against ``[a-z0-9-]+``, concept names against a local-name
pattern, numbers as ``int``): the terms sit in the query's own ``VALUES`` and
``FILTER`` clauses, where the engine uses them up front, on every store.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from graph.errors import ValidationFailedError
from graph.namespaces import SG, entity, is_slug, slug_of

_LOCAL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

PROLOGUE = """PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX sgd: <https://w3id.org/stancegraph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
"""The prefixes the lookups' queries use."""


def entity_iri(parameter: str, value: str) -> URIRef:
    """The ``sgd:`` IRI of an id given as ``parameter``; ValidationFailedError naming it otherwise.

    >>> entity_iri("holder", "canada")
    rdflib.term.URIRef('https://w3id.org/stancegraph/id/canada')
    >>> entity_iri("holder", "canada> } #")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: holder: must be an id ([a-z0-9-]+), got 'canada> } #'
    """
    if not is_slug(value):
        raise ValidationFailedError(f"{parameter}: must be an id ([a-z0-9-]+), got {value!r}")
    return entity(value)


def concept_iri(parameter: str, value: str) -> URIRef:
    """The ``sg:`` IRI of a concept (stance, attribution mode) named by its local name.

    >>> concept_iri("stance", "supports")
    rdflib.term.URIRef('https://w3id.org/stancegraph/ontology#supports')
    >>> concept_iri("stance", "supports)")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: stance: must be a concept name such as supports, got 'supports)'
    """
    if not _LOCAL_NAME.fullmatch(value):
        raise ValidationFailedError(f"{parameter}: must be a concept name such as supports, got {value!r}")
    return SG[value]


def identifier(iri: str) -> str:
    """The REST id of an IRI: its slug in ``sgd:``, else the IRI itself.

    >>> identifier("https://w3id.org/stancegraph/id/canada"), identifier("http://example.org/x")
    ('canada', 'http://example.org/x')
    """
    return slug_of(iri) or iri


def local_name(iri: str | None) -> str | None:
    """The local name of an ontology IRI (``sg:supports`` -> ``supports``).

    >>> local_name(str(SG.supports)), local_name(None)
    ('supports', None)
    """
    if iri is None:
        return None
    return re.split(r"[#/]", iri)[-1]
