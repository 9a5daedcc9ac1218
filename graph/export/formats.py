"""The export formats: short name, media type, file extension and the writer of each.

The one table of them (and of which ones are self-contained OWL documents), for
the web service's negotiation, the command line and :func:`graph.export.export`.

>>> [f.name for f in EXPORT_FORMATS]
['turtle', 'rdfxml', 'jsonld', 'ntriples', 'graphml', 'csv']
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from graph.errors import ValidationFailedError


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its short name, media type and file extension.

    ``oxigraph_format`` names pyoxigraph's writer for the format; ``rdflib_format``
    rdflib's, used only where the engine lacks one (compacted JSON-LD).
    """

    name: str
    media_type: str
    extension: str
    rdflib_format: str | None = None  # None: not an RDF serialization
    oxigraph_format: ox.RdfFormat | None = None


EXPORT_FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("turtle", "text/turtle", ".ttl", "turtle", ox.RdfFormat.TURTLE),
    ExportFormat("rdfxml", "application/rdf+xml", ".owl", "pretty-xml", ox.RdfFormat.RDF_XML),
    # pyoxigraph writes expanded JSON-LD only; rdflib compacts it with the prefixes as @context.
    ExportFormat("jsonld", "application/ld+json", ".jsonld", "json-ld"),
    ExportFormat("ntriples", "application/n-triples", ".nt", "nt", ox.RdfFormat.N_TRIPLES),
    ExportFormat("graphml", "application/graphml+xml", ".graphml"),
    ExportFormat("csv", "text/csv", ".csv"),
)

SELF_CONTAINED = frozenset({"turtle", "rdfxml"})
"""The formats exported as OWL documents of their own, the ones Protégé opens."""


def export_format(name_or_media_type: str) -> ExportFormat:
    """The export format with this short name or media type (parameters ignored).

    >>> export_format("text/turtle; charset=utf-8").name
    'turtle'
    >>> export_format("pdf")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: unknown export format 'pdf' (valid: turtle, rdfxml, jsonld, ...)
    """
    key = name_or_media_type.split(";", 1)[0].strip().lower()
    for candidate in EXPORT_FORMATS:
        if key in (candidate.name, candidate.media_type):
            return candidate
    valid = ", ".join(candidate.name for candidate in EXPORT_FORMATS[:3])
    raise ValidationFailedError(f"unknown export format {name_or_media_type!r} (valid: {valid}, ...)")
