"""Content negotiation: an Accept header (with q-values) or a ``format`` parameter, to one format.

Accept headers are parsed by Werkzeug's ``MIMEAccept`` (quality values,
wildcards, specificity); the tables of what can be served live in
:mod:`graph.sparql`.
"""

from __future__ import annotations

from collections.abc import Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, parse_options_header

from graph.sparql import MEDIA_TYPE_ALIASES, MediaFormat, find_format


def negotiate(
    formats: Sequence[MediaFormat], accept: str | None, format_param: str | None = None
) -> MediaFormat | None:
    """The format to answer with, or ``None`` when none of ``formats`` is acceptable.

    A ``format`` parameter (short name or media type) wins over Accept; no
    Accept header, or ``*/*``, gets the first (preferred) format. Among equally
    acceptable formats the order of ``formats`` decides.
    """
    if format_param:
        return find_format(format_param, formats)
    if not accept or not accept.strip():
        return formats[0]
    offers = [f.media_type for f in formats]
    offers += [alias for alias, canonical in MEDIA_TYPE_ALIASES.items() if canonical in offers]
    best = parse_accept_header(accept, MIMEAccept).best_match(offers)
    return find_format(best, formats) if best else None


def describe(formats: Sequence[MediaFormat]) -> str:
    """The media types of ``formats``, for messages that say what can be served."""
    return ", ".join(f.media_type for f in formats)


def content_type_of(header: str | None) -> str:
    """The media type of a Content-Type header, lower-cased and without parameters."""
    media_type, _ = parse_options_header(header or "")
    return media_type.lower()
