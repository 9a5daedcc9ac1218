"""Content negotiation: an Accept header (with q-values) or a ``format`` parameter, to one format.

Accept headers are parsed by Werkzeug's ``MIMEAccept`` (quality values,
wildcards, specificity); the formats, their names and aliases, live in the one
registry, :mod:`graph.formats`. The format chosen here is the request's: it is
handed on as it is (to the store, to an export), never looked up again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, parse_options_header

from graph.formats import JSON_LD, MEDIA_TYPE_ALIASES, SPARQL_JSON, MediaFormat, find_format


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
    return _best_for(tuple(formats), accept)


# Clients send the same few Accept headers over and over; parsing and matching one takes far
# longer than the rest of negotiation, so the answers are kept (a bounded number of them).
@lru_cache(maxsize=256)
def _best_for(formats: tuple[MediaFormat, ...], accept: str) -> MediaFormat | None:
    offers = [f.media_type for f in formats]
    offers += [alias for alias, canonical in MEDIA_TYPE_ALIASES.items() if canonical in offers]
    best = parse_accept_header(accept, MIMEAccept).best_match(offers)
    return find_format(best, formats) if best else None


FORMAT_PARAMETERS = ("format", "output")
"""The names SPARQL clients give the result format by: ``format`` (Virtuoso, Fuseki, SPARQLWrapper)
and ``output`` (Fuseki, SPARQLWrapper). SPARQLWrapper also sends ``results``, the same value again."""

FormatChoice = tuple[str, str]
"""One format a request names: the parameter and its value (``("output", "json-ld")``)."""


def format_choices(*sources: Mapping[str, Sequence[str]]) -> list[FormatChoice]:
    """The formats the request's parameters name, in order: ``format`` before ``output``, each source
    (the URL, then a form) in turn, repeated values as given; empty values name nothing.

    >>> format_choices({"output": ["n3"], "format": ["n3", ""]}, {"format": ["text/turtle"]})
    [('format', 'n3'), ('format', 'text/turtle'), ('output', 'n3')]
    """
    return [
        (name, value)
        for name in FORMAT_PARAMETERS
        for source in sources
        for value in source.get(name, ())
        if value.strip()
    ]


def unknown_choice(choices: Iterable[FormatChoice], served: Sequence[MediaFormat]) -> FormatChoice | None:
    """The first choice that names none of the ``served`` formats (by name, alias or media type)."""
    return next((choice for choice in choices if _named(choice[1], served) is None), None)


def _named(value: str, formats: Sequence[MediaFormat]) -> MediaFormat | None:
    """The format among ``formats`` a choice names: one name or media type, or a comma-separated
    list of media types, the first one known deciding (SPARQLWrapper sends its Accept header
    as the value for TSV, JSON-LD and RDF/XML).

    >>> from graph.formats import GRAPH_FORMATS
    >>> _named("application/ld+json,application/x-json+ld", GRAPH_FORMATS).name
    'jsonld'
    """
    return next(filter(None, (find_format(item, formats) for item in value.split(",") if item.strip())), None)


def negotiate_choices(
    formats: Sequence[MediaFormat], accept: str | None, choices: Sequence[FormatChoice]
) -> MediaFormat | None:
    """The format among ``formats`` the first fitting choice names, else the one Accept negotiates.

    A name means the format of its kind (``json``: SPARQL JSON results among results formats,
    JSON-LD among graph formats, as in Fuseki); a choice naming a format of another kind only
    (``turtle`` for SELECT results) is passed over, so Accept decides, as it does for a server
    that ignores the parameter.

    >>> from graph.formats import GRAPH_FORMATS, RESULTS_FORMATS
    >>> negotiate_choices(GRAPH_FORMATS, None, [("format", "json")]).name
    'jsonld'
    >>> negotiate_choices(RESULTS_FORMATS, "text/csv", [("format", "turtle")]).name
    'csv'
    """
    for _, value in choices:
        found = _named(value, formats)
        if found is not None:
            return found
    return negotiate(formats, accept)


def describe(formats: Sequence[MediaFormat]) -> str:
    """The media types of ``formats``, for messages that say what can be served."""
    return ", ".join(f.media_type for f in formats)


@lru_cache(maxsize=64)
def content_type_of(header: str | None) -> str:
    """The media type of a Content-Type header, lower-cased and without parameters."""
    media_type, _ = parse_options_header(header or "")
    return media_type.lower()


SPARQL_RESULTS_JSON_SCHEMA: dict[str, object] = {
    "type": "object",
    "description": "SPARQL 1.1 Query Results JSON: `head` and `results` (SELECT) or `boolean` (ASK).",
    "required": ["head"],
    "properties": {
        "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
        "results": {
            "type": "object",
            "properties": {"bindings": {"type": "array", "items": {"type": "object"}}},
        },
        "boolean": {"type": "boolean"},
    },
}
_SCHEMAS: dict[str, dict[str, object]] = {
    SPARQL_JSON.media_type: SPARQL_RESULTS_JSON_SCHEMA,
    JSON_LD.media_type: {"type": ["object", "array"], "description": "A JSON-LD document."},
}
_TEXT_SCHEMA: dict[str, object] = {"type": "string"}


def response_content(formats: Sequence[MediaFormat]) -> dict[str, dict[str, object]]:
    """The OpenAPI ``content`` of a response served in ``formats``: JSON ones as JSON, the rest as text.

    >>> from graph.formats import SPARQL_CSV
    >>> response_content([SPARQL_CSV])
    {'text/csv': {'schema': {'type': 'string'}}}
    """
    return {f.media_type: {"schema": _SCHEMAS.get(f.media_type, _TEXT_SCHEMA)} for f in formats}
