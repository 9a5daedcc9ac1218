"""The one registry of formats: every serialization the service reads or writes, and how clients name it.

pyoxigraph's :class:`~pyoxigraph.RdfFormat` and :class:`~pyoxigraph.QueryResultsFormat`
already know each RDF and SPARQL results format's media type, W3C IRI and file extension;
a :class:`MediaFormat` takes them from there and adds what clients send: the ``format=``
short name and its aliases, the media types commonly sent for the canonical one, and the
further file extensions data files come with. The formats pyoxigraph lacks (GraphML, CSV
tables, HTML, plain JSON) are written out here. Content negotiation, the CLI, the exports
and the stores all ask this module, so a request's format is decided once (by
:func:`find_format` or negotiation over one of the lists below) and then handed on as the
format itself, which a store takes without looking it up again.

Only the standard library and pyoxigraph: the engine process imports this too.

>>> find_format("csv", RESULTS_FORMATS).media_type
'text/csv'
>>> find_format("text/turtle; charset=utf-8", GRAPH_FORMATS) is TURTLE
True
>>> results_format("application/sparql-results+json") is SPARQL_JSON
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

FORMATS_NS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class MediaFormat:
    """One serialization: its ``format=`` name, media type, W3C format IRI, and other names.

    ``aliases`` are further ``format=`` names (``xml`` and ``json`` name RDF/XML and
    JSON-LD among graph formats, as clients such as SPARQLWrapper expect);
    ``media_type_aliases`` the media types clients send for ``media_type``.
    ``extensions`` are the format's file extensions, the one files are written with
    first; ``data_extensions`` further ones a data file in the format may have, too
    loose to name it anywhere else (``.xml``, ``.json``). ``rdf`` and ``results`` are
    pyoxigraph's writer and parser of the format, when it has one; ``rdflib`` the name
    rdflib's parsers and serializers know it by.
    """

    name: str
    media_type: str
    iri: str = ""
    aliases: tuple[str, ...] = ()
    media_type_aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    data_extensions: tuple[str, ...] = ()
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None
    rdflib: str | None = None

    @property
    def extension(self) -> str:
        """The file extension written for the format, with its dot (``""`` when it has none).

        >>> RDF_XML.extension, EXPORT_FORMATS[1].extension
        ('.rdf', '.owl')
        """
        return f".{self.extensions[0]}" if self.extensions else ""


def _bare(media_type: str) -> str:
    """A media type without its parameters: pyoxigraph adds ``charset`` to CSV and TSV."""
    return media_type.split(";", 1)[0].strip()


def _results(engine: ox.QueryResultsFormat, name: str, *media_type_aliases: str) -> MediaFormat:
    return MediaFormat(
        name,
        _bare(engine.media_type),
        engine.iri,
        media_type_aliases=media_type_aliases,
        extensions=(engine.file_extension,),
        results=engine,
    )


def _rdf(
    engine: ox.RdfFormat,
    name: str,
    rdflib: str,
    *,
    aliases: tuple[str, ...] = (),
    media_type_aliases: tuple[str, ...] = (),
    extensions: tuple[str, ...] = (),
    data_extensions: tuple[str, ...] = (),
) -> MediaFormat:
    return MediaFormat(
        name,
        _bare(engine.media_type),
        engine.iri,
        aliases,
        media_type_aliases,
        (engine.file_extension, *extensions),
        data_extensions,
        rdf=engine,
        rdflib=rdflib,
    )


SPARQL_JSON = _results(ox.QueryResultsFormat.JSON, "json", "application/json")
# ``sparql``: Jena's name for SPARQL XML results (``output=sparql``).
SPARQL_XML = replace(
    _results(ox.QueryResultsFormat.XML, "xml", "application/xml", "text/xml"), aliases=("sparql",)
)
SPARQL_CSV = _results(ox.QueryResultsFormat.CSV, "csv")
SPARQL_TSV = _results(ox.QueryResultsFormat.TSV, "tsv")

TURTLE = _rdf(
    ox.RdfFormat.TURTLE,
    "turtle",
    "turtle",
    # SPARQLWrapper's N3 (every Turtle document is N3) and Jena's ``text``.
    aliases=("ttl", "n3", "text"),
    media_type_aliases=("application/x-turtle", "text/n3"),
)
N_TRIPLES = _rdf(ox.RdfFormat.N_TRIPLES, "ntriples", "nt", aliases=("nt", "n-triples"))
# pyoxigraph names JSON-LD by https://www.w3.org/ns/formats/data/JSON-LD; service descriptions
# have always said the IRI the W3C's list of formats gives.
JSON_LD = replace(
    _rdf(ox.RdfFormat.JSON_LD, "jsonld", "json-ld", aliases=("json", "json-ld"), data_extensions=("json",)),
    iri=FORMATS_NS + "JSON-LD",
)
RDF_XML = _rdf(
    ox.RdfFormat.RDF_XML,
    "rdfxml",
    "xml",
    aliases=("xml", "rdf", "rdf+xml"),
    extensions=("owl",),
    data_extensions=("xml",),
)
N_QUADS = _rdf(ox.RdfFormat.N_QUADS, "nquads", "nquads", aliases=("nq", "n-quads"))
TRIG = _rdf(ox.RdfFormat.TRIG, "trig", "trig", media_type_aliases=("application/x-trig",))

GRAPHML = MediaFormat("graphml", "application/graphml+xml", extensions=("graphml",))
"""GraphML, for Gephi and Cytoscape: networks and subgraph exports."""
CSV_TABLE = MediaFormat("csv", "text/csv", extensions=("csv",))
"""A CSV table that is no SPARQL result: a subgraph's edge list."""
HTML = MediaFormat("html", "text/html", extensions=("html",))
JSON = MediaFormat("json", "application/json", extensions=("json",))
"""Plain JSON: REST resources and networks."""
TABLE = MediaFormat("table", "application/json")
"""A named query's rows as plain JSON objects, asked for as ``format=table``."""

RESULTS_FORMATS: tuple[MediaFormat, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
"""Serializations of SELECT and ASK results, the preferred one first."""

RDF_FORMATS: tuple[MediaFormat, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, N_QUADS, TRIG)
"""RDF serializations the engine reads and writes, the preferred one first."""

GRAPH_FORMATS: tuple[MediaFormat, ...] = RDF_FORMATS
"""Serializations of CONSTRUCT and DESCRIBE results (quad formats: the triples in the default graph)."""

TRIPLE_FORMATS: tuple[MediaFormat, ...] = RDF_FORMATS[:4]
"""Serializations of one graph, without graph names (Graph Store GET, uploads to one graph)."""

DOCUMENT_FORMATS: tuple[MediaFormat, ...] = tuple(
    replace(f, aliases=()) if f.aliases else f for f in (TURTLE, HTML, JSON_LD, RDF_XML, N_TRIPLES)
)
"""The ontology's and an entity's descriptions (Turtle first: what a client that accepts anything
gets; browsers list text/html first). Named by their names alone: no ``format=`` aliases."""

# What the service writes in RDF/XML is an OWL document, and Protégé opens .owl files.
_OWL = replace(RDF_XML, extensions=("owl", "rdf"))
EXPORT_FORMATS: tuple[MediaFormat, ...] = tuple(
    replace(f, aliases=(f.extensions[0],)) for f in (TURTLE, _OWL, JSON_LD, N_TRIPLES, GRAPHML, CSV_TABLE)
)
"""Subgraph exports, each also named by the extension it is written with (an RDF/XML export is an
OWL document: ``.owl``)."""

DATA_FILE_FORMATS: tuple[MediaFormat, ...] = (TURTLE, N_TRIPLES, N_QUADS, TRIG, RDF_XML, JSON_LD)
"""The RDF formats data files are read in, by their extension."""

MEDIA_TYPE_ALIASES: dict[str, str] = {
    alias: f.media_type for f in (*RESULTS_FORMATS, *RDF_FORMATS) for alias in f.media_type_aliases
}
"""Media types clients commonly send, each with the canonical one it stands for."""

_RESULTS = {f.media_type: f for f in RESULTS_FORMATS}
_RDF = {f.media_type: f for f in RDF_FORMATS}


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


def format_for_file(path: Path, formats: Iterable[MediaFormat], *, data: bool = False) -> MediaFormat | None:
    """The format among ``formats`` that a file's extension names, if any (``data``: a data file's
    looser extensions too).

    >>> format_for_file(Path("canada.owl"), EXPORT_FORMATS).name
    'rdfxml'
    >>> format_for_file(Path("extra.json"), EXPORT_FORMATS) is None
    True
    """
    suffix = path.suffix.lower().removeprefix(".")
    return next((f for f in formats if suffix in (*f.extensions, *(f.data_extensions if data else ()))), None)


def media_type_for_file(path: Path) -> str:
    """The RDF media type of a data file, from its extension.

    >>> media_type_for_file(Path("data/extra.trig"))
    'application/trig'
    >>> media_type_for_file(Path("notes.txt"))
    Traceback (most recent call last):
    ...
    ValueError: notes.txt: unknown RDF file extension '.txt' (known: .ttl, .nt, .nq, .trig, ...)
    """
    found = format_for_file(path, DATA_FILE_FORMATS, data=True)
    if found is None:
        known = ", ".join(f".{e}" for f in DATA_FILE_FORMATS for e in (*f.extensions, *f.data_extensions))
        raise ValueError(f"{path}: unknown RDF file extension {path.suffix!r} (known: {known})")
    return found.media_type


def results_format(given: MediaFormat | str) -> MediaFormat:
    """The SPARQL results format ``given`` names: a format is taken as decided, a media type (the
    canonical one) looked up; ValueError when it is none.

    >>> results_format("text/csv").name
    'csv'
    >>> results_format(TURTLE)
    Traceback (most recent call last):
    ...
    ValueError: no SPARQL results serialization for 'text/turtle'
    """
    found = given if isinstance(given, MediaFormat) else _RESULTS.get(given)
    if found is None or found.results is None:
        raise ValueError(f"no SPARQL results serialization for {_media_type(given)!r}")
    return found


def rdf_format(given: MediaFormat | str) -> MediaFormat:
    """The RDF format ``given`` names, as :func:`results_format` does; ValueError when it is none.

    >>> rdf_format("application/trig") is TRIG
    True
    """
    found = given if isinstance(given, MediaFormat) else _RDF.get(given)
    if found is None or found.rdf is None:
        raise ValueError(f"no RDF serialization for {_media_type(given)!r}")
    return found


def results_serializer(given: MediaFormat | str) -> ox.QueryResultsFormat:
    """pyoxigraph's writer (and parser) of the SPARQL results format ``given`` names.

    >>> results_serializer("text/csv")
    <QueryResultsFormat SPARQL Results in CSV>
    """
    engine = results_format(given).results
    assert engine is not None  # results_format returns only formats the engine writes
    return engine


def rdf_serializer(given: MediaFormat | str) -> ox.RdfFormat:
    """pyoxigraph's writer (and parser) of the RDF format ``given`` names.

    >>> rdf_serializer("application/trig")
    <RdfFormat TriG>
    """
    engine = rdf_format(given).rdf
    assert engine is not None  # rdf_format returns only formats the engine writes
    return engine


def _media_type(given: MediaFormat | str) -> str:
    return given.media_type if isinstance(given, MediaFormat) else given
