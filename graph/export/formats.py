"""What exports add to the registry of formats (:data:`graph.formats.EXPORT_FORMATS`): the
ones that are self-contained OWL documents, and the error for a format no export has.

>>> [f.name for f in EXPORT_FORMATS if f.name in SELF_CONTAINED]
['turtle', 'rdfxml']
"""

from __future__ import annotations

from graph.errors import ValidationFailedError
from graph.formats import EXPORT_FORMATS, MediaFormat, find_format

SELF_CONTAINED = frozenset({"turtle", "rdfxml"})
"""The formats exported as OWL documents of their own, the ones Protégé opens."""


def export_format(name_or_media_type: str) -> MediaFormat:
    """The export format with this short name, media type or alias (parameters ignored).

    >>> export_format("text/turtle; charset=utf-8").name, export_format("owl").extension
    ('turtle', '.owl')
    >>> export_format("pdf")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: unknown export format 'pdf' (valid: turtle, rdfxml, jsonld, ...)
    """
    found = find_format(name_or_media_type, EXPORT_FORMATS)
    if found is None:
        valid = ", ".join(candidate.name for candidate in EXPORT_FORMATS[:3])
        raise ValidationFailedError(f"unknown export format {name_or_media_type!r} (valid: {valid}, ...)")
    return found
