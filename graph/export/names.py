"""What an export is called: its name, its ontology IRI, the file name of its download.

>>> filename_for("canada", 2, "turtle"), export_iri("canada-depth2")
('canada-depth2.ttl', rdflib.term.URIRef('https://w3id.org/stancegraph/export/canada-depth2'))
"""

from __future__ import annotations

from rdflib import URIRef

from graph.export.formats import export_format
from graph.namespaces import slug_of

EXPORT_BASE = "https://w3id.org/stancegraph/export/"


def export_name(focus: str | None, depth: int | None = None) -> str:
    """The name of an export: ``<focus>-depth<k>`` for an ego subgraph, ``<focus>-cbd``, or ``construct``.

    >>> export_name("canada", 2), export_name("canada"), export_name(None)
    ('canada-depth2', 'canada-cbd', 'construct')
    >>> export_name("http://example.org/things#Big Thing", 1)
    'big-thing-depth1'
    """
    if focus is None:
        return "construct"
    slug = slug_of(focus) or focus.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
    slug = "".join(c if c.isalnum() else "-" for c in slug.lower()).strip("-") or "subgraph"
    return f"{slug}-depth{depth}" if depth is not None else f"{slug}-cbd"


def export_iri(name: str) -> URIRef:
    """The ontology IRI of an export document.

    >>> export_iri("canada-depth2")
    rdflib.term.URIRef('https://w3id.org/stancegraph/export/canada-depth2')
    """
    return URIRef(EXPORT_BASE + name)


def filename_for(focus: str | None, depth: int | None, format: str) -> str:
    """The file name a download should get (for Content-Disposition).

    >>> filename_for("canada", 2, "turtle"), filename_for("canada", None, "graphml")
    ('canada-depth2.ttl', 'canada-cbd.graphml')
    """
    return export_name(focus, depth) + export_format(format).extension
