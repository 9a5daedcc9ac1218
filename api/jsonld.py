"""The JSON-LD @context of the REST documents: the same JSON, read as RDF.

A REST document becomes JSON-LD by gaining an ``@context``: ``id`` is ``@id``
(a slug, resolved against the entity namespace as ``@base``), ``type`` is
``@type`` (a class local name, resolved against the ontology as ``@vocab``),
and every other key maps to the ontology or reused vocabulary term it stands
for. Keys that are about the response rather than the graph (``iri``, which
repeats ``id``; ``total``; ``text``; ...) map to ``null`` and are dropped by
JSON-LD processors, so that no key ever turns into an invented ``sg:`` term.

A list page's ``items`` is ``@graph``: once the paging keys are dropped, a
JSON-LD processor reads the page as the entities on it.

The context is built from the vocabulary's namespaces alone, never from the request: a
forged Host header cannot change what a document's ids resolve to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from graph.namespaces import PREFIXES, SG, SGD

PositionsVia = Literal["holder", "target"]

_ID = {"@type": "@id"}
_CONCEPT = {"@type": "@vocab"}  # a local name such as "supports", resolved against sg:

_BASE_CONTEXT: dict[str, Any] = {
    "@base": str(SGD),
    "@vocab": str(SG),
    **{prefix: PREFIXES[prefix] for prefix in ("sg", "sgd", "rdfs", "skos", "oa", "prov", "dcterms", "xsd")},
    "id": "@id",
    "type": "@type",
    "items": "@graph",
    # Summaries
    "label": {"@id": "rdfs:label", "@language": "en"},
    "aliases": {"@id": "skos:altLabel", "@language": "en"},
    # Positions
    "holder": {"@id": "sg:holder", **_ID},
    "target": {"@id": "sg:target", **_ID},
    "stance": {"@id": "sg:stance", **_CONCEPT},
    "value": {"@id": "sg:stanceValue", "@type": "xsd:integer"},
    "attribution": {"@id": "sg:attribution", **_CONCEPT},
    "hedged": {"@id": "sg:hedged"},
    "hedgeCues": {"@id": "sg:hedgeCue"},
    "regarding": {"@id": "sg:regarding", **_ID},
    "evidence": {"@id": "sg:evidence", **_ID},
    # Evidence: the quote and its place, flattened from the annotation's selectors
    "quote": {"@id": "oa:exact"},
    "prefix": {"@id": "oa:prefix"},
    "suffix": {"@id": "oa:suffix"},
    "start": {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"},
    "end": {"@id": "oa:end", "@type": "xsd:nonNegativeInteger"},
    "document": {"@id": "prov:wasDerivedFrom", **_ID},
    "garbled": {"@id": "sg:garbled"},
    "note": {"@id": "skos:editorialNote"},
    "notes": {"@id": "skos:editorialNote"},  # the coder's notes on an entity or a position
    "position": {"@reverse": "sg:evidence", **_ID},
    # Relations
    "memberOf": {"@id": "sg:memberOf", **_ID},
    "partOf": {"@id": "sg:partOf", **_ID},
    "initiatedBy": {"@id": "sg:initiatedBy", **_ID},
    "promotedBy": {"@id": "sg:promotedBy", **_ID},
    "aimsAt": {"@id": "sg:aimsAt", **_ID},
    "aimedAtBy": {"@reverse": "sg:aimsAt", **_ID},
    "broader": {"@id": "skos:broader", **_ID},
    "narrower": {"@id": "skos:narrower", **_ID},
    "addresses": {"@id": "sg:addresses", **_ID},
    "addressedBy": {"@reverse": "sg:addresses", **_ID},
    "status": {"@id": "sg:measureStatus", **_CONCEPT},
    # Documents
    "title": {"@id": "dcterms:title"},
    "sha256": {"@id": "sg:sha256"},
    "source": {"@id": "sg:sourceText"},
    "publisher": {"@id": "dcterms:publisher"},
    "author": {"@id": "dcterms:creator"},
    "issued": {"@id": "dcterms:issued", "@type": "xsd:dateTime"},
    "timePrecision": {"@id": "sg:timePrecision"},
    "url": {"@id": "dcterms:source", **_ID},
    # About the response, not the graph
    **dict.fromkeys(
        (
            "iri",
            "total",
            "limit",
            "offset",
            "positionCount",
            "matched",
            "inferred",
            "reason",  # a note on the OWL axiom annotating the link, not on the linked entity
            "text",
            "sources",
        ),
        None,
    ),
}

_POSITIONS = {
    "holder": {"@reverse": "sg:holder", **_ID},
    "target": {"@reverse": "sg:target", **_ID},
}


# A text hit's own keys (graph.read.fulltext): about the answer, not terms of the graph.
_TEXT_HITS = dict.fromkeys(("kind", "spans", "score", "positions"), None)


def context(
    positions_via: PositionsVia = "holder", *, document: bool = False, search: bool = False
) -> dict[str, Any]:
    """The @context of a REST document.

    ``positions`` lists the positions an entity holds (``holder``) or that are
    taken on it (``target``); in a document's detail, ``evidence`` lists the
    spans derived from the document; ``search`` leaves the keys of text hits unmapped.

    >>> context()["positions"]
    {'@reverse': 'sg:holder', '@type': '@id'}
    >>> context(document=True)["evidence"]
    {'@reverse': 'prov:wasDerivedFrom', '@type': '@id'}
    """
    chosen = {**_BASE_CONTEXT, "positions": _POSITIONS[positions_via]}
    if document:
        chosen["evidence"] = {"@reverse": "prov:wasDerivedFrom", **_ID}
    if search:
        chosen |= _TEXT_HITS
    return chosen


def with_context(body: Mapping[str, Any], context_value: Mapping[str, Any]) -> dict[str, Any]:
    """``body`` as a JSON-LD document: the same keys, with ``@context`` first.

    >>> list(with_context({"id": "canada"}, {"id": "@id"}))
    ['@context', 'id']
    """
    return {"@context": dict(context_value), **body}
