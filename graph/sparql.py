"""What the SPARQL service may serve and what it refuses: media-type tables and the query policy.

Two things live here, both free of any web framework:

* the media-type tables: which serializations answer SELECT/ASK
  (:data:`RESULTS_FORMATS`), which answer CONSTRUCT/DESCRIBE
  (:data:`GRAPH_FORMATS`), which RDF documents can be read
  (:data:`RDF_FORMATS`), with the short names of the ``format=`` parameter and
  the W3C format IRIs used in service descriptions;
* :class:`QueryPolicy` (defined in :mod:`graph.policy`): the refusal of SERVICE,
  LOAD and FROM/FROM NAMED/USING with an IRI that is not local, since an embedded
  or remote engine would otherwise make outbound requests (or read files) on a
  client's behalf, and of queries nested deeper than the engine's parser can take;
* :func:`check_rdf_upload` and :func:`upload_triples`: the refusal of uploaded RDF
  that would make a parser expand entities or recurse without bound.

>>> find_format("csv", RESULTS_FORMATS).media_type
'text/csv'
>>> QueryPolicy().check_query("SELECT * WHERE { SERVICE <http://evil.example/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
graph.errors.ForbiddenOperationError: SERVICE <http://evil.example/> is refused: ...
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph.errors import QuerySyntaxError
from graph.policy import MAX_NESTING as MAX_NESTING  # re-exported: the policy's home was here
from graph.policy import QueryPolicy as QueryPolicy
from graph.stores._formats import check_rdf_payload, error_position, upload_as_ntriples

FORMATS_NS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class MediaFormat:
    """One serialization: its ``format=`` short name, media type, W3C format IRI and other names.

    ``aliases`` are further ``format=`` names; ``xml`` and ``json`` name RDF/XML
    and JSON-LD among graph formats, as clients such as SPARQLWrapper expect.
    """

    name: str
    media_type: str
    iri: str
    aliases: tuple[str, ...] = ()


RESULTS_FORMATS: tuple[MediaFormat, ...] = (
    MediaFormat("json", "application/sparql-results+json", FORMATS_NS + "SPARQL_Results_JSON"),
    MediaFormat("xml", "application/sparql-results+xml", FORMATS_NS + "SPARQL_Results_XML"),
    MediaFormat("csv", "text/csv", FORMATS_NS + "SPARQL_Results_CSV"),
    MediaFormat("tsv", "text/tab-separated-values", FORMATS_NS + "SPARQL_Results_TSV"),
)
"""Serializations of SELECT and ASK results, the preferred one first."""

RDF_FORMATS: tuple[MediaFormat, ...] = (
    MediaFormat("turtle", "text/turtle", FORMATS_NS + "Turtle", ("ttl",)),
    MediaFormat("ntriples", "application/n-triples", FORMATS_NS + "N-Triples", ("nt",)),
    MediaFormat("jsonld", "application/ld+json", FORMATS_NS + "JSON-LD", ("json",)),
    MediaFormat("rdfxml", "application/rdf+xml", FORMATS_NS + "RDF_XML", ("xml", "rdf")),
    MediaFormat("nquads", "application/n-quads", FORMATS_NS + "N-Quads"),
    MediaFormat("trig", "application/trig", FORMATS_NS + "TriG"),
)
"""RDF serializations the engine reads and writes, the preferred one first."""

GRAPH_FORMATS: tuple[MediaFormat, ...] = RDF_FORMATS
"""Serializations of CONSTRUCT and DESCRIBE results (quad formats: the triples in the default graph)."""

TRIPLE_FORMATS: tuple[MediaFormat, ...] = RDF_FORMATS[:4]
"""Serializations of one graph, without graph names (Graph Store GET, uploads to one graph)."""

MEDIA_TYPE_ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "application/x-trig": "application/trig",
}
"""Media types clients commonly send for the canonical ones above."""

_FILE_EXTENSIONS: dict[str, str] = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
}


def find_format(name_or_media_type: str, formats: Iterable[MediaFormat]) -> MediaFormat | None:
    """The format among ``formats`` with this short name, media type or alias, if any.

    Media types compare without parameters and case.

    >>> find_format("text/turtle; charset=utf-8", GRAPH_FORMATS).name
    'turtle'
    >>> find_format("application/json", RESULTS_FORMATS).name
    'json'
    >>> find_format("turtle", RESULTS_FORMATS) is None
    True
    >>> find_format("xml", GRAPH_FORMATS).media_type
    'application/rdf+xml'
    """
    key = name_or_media_type.split(";", 1)[0].strip().lower()
    formats = tuple(formats)
    # The name as given wins over its alias: a list offering plain JSON serves application/json.
    for candidate in dict.fromkeys((key, MEDIA_TYPE_ALIASES.get(key, key))):
        found = next((f for f in formats if candidate in (f.name, f.media_type, *f.aliases)), None)
        if found is not None:
            return found
    return None


def media_type_for_file(path: Path) -> str:
    """The RDF media type of a data file, from its extension.

    >>> media_type_for_file(Path("data/extra.trig"))
    'application/trig'
    >>> media_type_for_file(Path("notes.txt"))
    Traceback (most recent call last):
    ...
    ValueError: notes.txt: unknown RDF file extension '.txt' (known: .ttl, .nt, .nq, .trig, ...)
    """
    try:
        return _FILE_EXTENSIONS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(_FILE_EXTENSIONS)
        raise ValueError(f"{path}: unknown RDF file extension {path.suffix!r} (known: {known})") from None


def check_rdf_upload(data: bytes, media_type: str) -> None:
    """Raise QuerySyntaxError for RDF no parser may be given: RDF/XML entities that could
    blow up, JSON-LD nested too deep (see :func:`graph.stores._formats.check_rdf_payload`).

    >>> check_rdf_upload(b"<http://e/a> <http://e/p> 1 .", "text/turtle")
    >>> check_rdf_upload(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "application/rdf+xml")
    Traceback (most recent call last):
    ...
    graph.errors.QuerySyntaxError: RDF/XML entity declarations are accepted only as plain ... entities ...
    """
    try:
        check_rdf_payload(data, media_type)
    except SyntaxError as error:
        raise QuerySyntaxError(str(error)) from error


def upload_triples(data: bytes, media_type: str, graph: str | None) -> bytes:
    """A graph upload checked (:func:`check_rdf_upload`), parsed and written as N-Triples.

    Relative IRIs resolve against the graph's IRI; QuerySyntaxError, with the line and
    column when the parser gives them, for what does not parse.

    >>> upload_triples(b"<a> <p> 1 .", "text/turtle", "http://e/g/")
    b'<http://e/g/a> <http://e/g/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\\n'
    >>> upload_triples(b"<a> <p> .", "text/turtle", "http://e/g/")
    Traceback (most recent call last):
    ...
    graph.errors.QuerySyntaxError: the data does not parse: ...
    """
    try:
        return upload_as_ntriples(data, media_type, graph)
    except SyntaxError as error:
        line, column = error_position(str(error))
        raise QuerySyntaxError(f"the data does not parse: {error}", line=line, column=column) from error
