"""Media types, parser error positions, the query form and the row cap, shared by every store.

Only the standard library and pyoxigraph: the engine process imports this too.

>>> query_form("PREFIX ex: <http://e/#> # a comment\\nask { ?s ?p ?o }")
'ASK'
>>> error_position("error at 3:17: expected one of ABS, AVG")
(3, 17)
"""

from __future__ import annotations

import re
from typing import Literal
from xml.parsers import expat

import pyoxigraph as ox

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

SPARQL_JSON = "application/sparql-results+json"
TSV = "text/tab-separated-values"
N_TRIPLES = "application/n-triples"

RESULT_MEDIA_TYPES: dict[str, ox.QueryResultsFormat] = {
    SPARQL_JSON: ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    TSV: ox.QueryResultsFormat.TSV,
}
RDF_MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


def results_format(media_type: str) -> ox.QueryResultsFormat:
    """The engine's format for a SPARQL results media type; ValueError when it has none.

    >>> results_format("text/csv")
    <QueryResultsFormat SPARQL Results in CSV>
    """
    try:
        return RESULT_MEDIA_TYPES[media_type]
    except KeyError:
        raise ValueError(f"no SPARQL results serialization for {media_type!r}") from None


def rdf_format(media_type: str) -> ox.RdfFormat:
    """The engine's format for an RDF media type; ValueError when it has none.

    >>> rdf_format("application/trig")
    <RdfFormat TriG>
    """
    try:
        return RDF_MEDIA_TYPES[media_type]
    except KeyError:
        raise ValueError(f"no RDF serialization for {media_type!r}") from None


# Oxigraph's SPARQL parser says "error at 3:17: ...", its RDF parsers "at line 3 column 9"
# or "at line 3 between columns 9 and 24", Jena "at line 3, column 9".
_POSITION = re.compile(r"\bat (\d+):(\d+)|\bline (\d+),? (?:between )?columns? (\d+)", re.IGNORECASE)


def error_position(message: str) -> tuple[int | None, int | None]:
    """The 1-based line and column a parser error message names, or (None, None).

    >>> error_position("Parser error at line 1 between columns 9 and 24: Unexpected end of file")
    (1, 9)
    >>> error_position("XML namespaces are required in RDF/XML")
    (None, None)
    """
    match = _POSITION.search(message)
    if match is None:
        return None, None
    line, column = (group for group in match.groups() if group is not None)
    return int(line), int(column)


# The prologue holds only BASE and PREFIX declarations (and comments), so the query form is the
# first keyword after it: no full parse needed.
_PROLOGUE_ITEM = re.compile(r"\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>", re.IGNORECASE)
_FORM_KEYWORD = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(sparql: str) -> QueryForm | None:
    """The form of a SPARQL query read from its first keyword, None when it is not a query.

    >>> query_form("BASE <http://e/> PREFIX : <x#> DESCRIBE <a>")
    'DESCRIBE'
    >>> query_form("INSERT DATA {}") is None
    True
    """
    position = 0
    while (item := _PROLOGUE_ITEM.match(sparql, position)) and item.end() > position:
        position = item.end()
    keyword = _FORM_KEYWORD.match(sparql, position)
    return keyword.group(1).upper() if keyword else None  # type: ignore[return-value]


class RowCapReached(Exception):
    """Raised by :class:`RowCap` to stop the serializer (and so the evaluation) at the cap."""


class RowCap:
    """A writable that keeps a one-row-per-line serialization up to a number of rows.

    TSV results and N-Triples put exactly one row (or triple) on each line, newlines inside
    values being escaped, so counting lines counts rows without looking at them. Handed to
    the engine's serializer as its output, it raises :class:`RowCapReached` as soon as a row
    beyond the cap arrives, which stops the evaluation itself.

    >>> cap = RowCap(rows=2, header_lines=1)
    >>> try:
    ...     for chunk in (b"?x\\n1\\n", b"2\\n3\\n"):
    ...         cap.write(chunk)
    ... except RowCapReached:
    ...     pass
    5
    >>> cap.truncated, cap.getvalue()
    (True, b'?x\\n1\\n2\\n')
    """

    def __init__(self, rows: int, header_lines: int) -> None:
        self._lines_wanted = rows + header_lines
        self._lines_seen = 0
        self._cut: int | None = None  # offset just past the last wanted line, once seen
        self._buffer = bytearray()
        self.truncated = False

    def write(self, chunk: bytes) -> int:
        if self._cut is None:
            newlines = chunk.count(b"\n")
            if self._lines_seen + newlines >= self._lines_wanted:
                position = -1  # only this one chunk is scanned line by line
                for _ in range(self._lines_wanted - self._lines_seen):
                    position = chunk.index(b"\n", position + 1)
                self._cut = len(self._buffer) + position + 1
            self._lines_seen += newlines
        self._buffer += chunk
        if self._cut is not None and len(self._buffer) > self._cut:
            del self._buffer[self._cut :]
            self.truncated = True
            raise RowCapReached
        return len(chunk)

    def flush(self) -> None:
        """Nothing to flush: the serializer's output stays in memory."""

    def getvalue(self) -> bytes:
        """The rows kept, header included."""
        return bytes(self._buffer)


def solutions_as(tsv: bytes, media_type: str) -> bytes:
    """TSV solutions re-serialized by the engine in another results format.

    >>> solutions_as(b'?x\\n"a"\\n', "text/csv")
    b'x\\r\\na\\r\\n'
    """
    if media_type == TSV:
        return tsv
    solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return solutions.serialize(format=results_format(media_type))


def triples_as(ntriples: bytes, media_type: str) -> bytes:
    """N-Triples re-serialized by the engine in another RDF format.

    >>> triples_as(b'<http://e/a> <http://e/p> "x" .\\n', "text/turtle")
    b'<http://e/a> <http://e/p> "x" .\\n'
    """
    if media_type == N_TRIPLES:
        return ntriples
    triples = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=rdf_format(media_type))


# pyoxigraph's RDF/XML parser expands internal entities without bound (1 kB of nested
# <!ENTITY> declarations asks for gigabytes: "billion laughs"), and its JSON-LD parser recurses
# once per level of nesting (a few thousand levels overflow the stack). Either kills whichever
# process parses, so :func:`check_rdf_payload` runs before any parser sees data from outside.
# quick-xml takes ``<!doctype`` in any case, so the match ignores case.
_DTD_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_EXTERNAL_DOCTYPE = re.compile(rb"<!\s*DOCTYPE\s+[^\s\[>]+\s+(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)
_ENTITY_KEYWORD = re.compile(rb"<!\s*ENTITY\b", re.IGNORECASE)
# The one entity form the OWL API and Protégé write: a general internal entity, ``<!ENTITY owl "...">``.
_INTERNAL_ENTITY = re.compile(rb"""<!\s*ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"&%<]*)"|'([^'&%<]*)')\s*>""")
MAX_ENTITY_EXPANSION = 1 << 23  # bytes all entity references may expand to, together
MAX_JSON_LD_DEPTH = 1000
_JSON_STRING_OR_BRACKET = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)

MAX_RDF_XML_DEPTH = 1000
"""How deep RDF/XML elements may nest in an upload (Protégé's exports nest a few dozen)."""


def _json_depth_exceeds(data: bytes, limit: int) -> bool:
    """Whether arrays and objects nest deeper than ``limit`` (brackets inside strings do not count)."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False  # too few brackets to nest that deep: no scan needed
    depth = 0
    for token in _JSON_STRING_OR_BRACKET.finditer(data):
        bracket = token[0]
        if bracket in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif bracket in (b"]", b"}"):
            depth -= 1
    return False


class _TooDeep(Exception):
    pass


def _xml_depth_exceeds(data: bytes, limit: int) -> bool:
    """Whether elements nest deeper than ``limit``: Oxigraph's RDF/XML parser takes time
    quadratic in the depth (44,000 levels: over 10 s), where real RDF/XML nests a few dozen."""
    if data.count(b"<") <= limit:
        return False  # too few tags to nest that deep: no scan needed
    depth = 0

    def start(*_: object) -> None:
        nonlocal depth
        depth += 1
        if depth > limit:
            raise _TooDeep

    def end(*_: object) -> None:
        nonlocal depth
        depth -= 1

    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except _TooDeep:
        return True
    except expat.ExpatError:
        return False  # not well-formed: the RDF/XML parser says where
    return False


def _check_xml_entities(data: bytes) -> None:
    """Allow only what cannot blow up: internal entities whose values hold no references.

    Nested references (billion laughs), parameter and external entities and an external
    DTD are refused; the plain namespace entities Protégé writes pass, as long as all
    their references together expand to at most :data:`MAX_ENTITY_EXPANSION` bytes.
    """
    if not _DTD_DECLARATION.search(data):
        return
    if _EXTERNAL_DOCTYPE.search(data):
        raise SyntaxError("RDF/XML with an external DTD is not accepted")
    declared = _INTERNAL_ENTITY.findall(data)
    if len(declared) != len(_ENTITY_KEYWORD.findall(data)):
        raise SyntaxError(
            "RDF/XML entity declarations are accepted only as plain internal entities such as "
            '<!ENTITY owl "http://www.w3.org/2002/07/owl#">: no external, parameter or nested entities'
        )
    expansion = sum(
        data.count(b"&" + name + b";") * len(double or single) for name, double, single in declared
    )
    if expansion > MAX_ENTITY_EXPANSION:
        raise SyntaxError(f"RDF/XML entities would expand to more than {MAX_ENTITY_EXPANSION} bytes")


def check_rdf_payload(data: bytes, media_type: str) -> None:
    """Raise SyntaxError for RDF no parser may be given: RDF/XML entities that could blow up, deep JSON-LD.

    RDF/XML may declare only plain internal entities (the namespace entities Protégé and
    the OWL API write), within a bound on their total expansion, and may nest at most
    :data:`MAX_RDF_XML_DEPTH` elements deep; JSON-LD nested deeper than
    :data:`MAX_JSON_LD_DEPTH` levels is refused. Other formats pass: their parsers
    keep no recursion and no entities.

    >>> laughs = b'<!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;">]><r>&b;</r>'
    >>> check_rdf_payload(laughs, "application/rdf+xml")
    Traceback (most recent call last):
    ...
    SyntaxError: RDF/XML entity declarations are accepted only as plain internal entities ...
    >>> check_rdf_payload(b'<!DOCTYPE rdf:RDF [<!ENTITY owl "http://www.w3.org/2002/07/owl#">]>',
    ...                   "application/rdf+xml")
    >>> check_rdf_payload(b'{"@id": "http://e/a", "http://e/p": "[[[["}', "application/ld+json")
    """
    if media_type == "application/rdf+xml":
        _check_xml_entities(data)  # first: the depth scan below must not expand entities
        if _xml_depth_exceeds(data, MAX_RDF_XML_DEPTH):
            raise SyntaxError(f"RDF/XML nested deeper than {MAX_RDF_XML_DEPTH} elements is not accepted")
    if media_type == "application/ld+json" and _json_depth_exceeds(data, MAX_JSON_LD_DEPTH):
        raise SyntaxError(f"JSON-LD nested deeper than {MAX_JSON_LD_DEPTH} levels is not accepted")


def upload_as_ntriples(data: bytes, media_type: str, graph: str | None) -> bytes:
    """Parse a graph upload completely and return it as N-Triples; SyntaxError when it does not parse.

    Relative IRIs resolve against the graph's IRI. Named graphs are refused: a graph
    upload holds triples. What :func:`check_rdf_payload` refuses never reaches the parser.

    >>> upload_as_ntriples(b"<a> <b> <c> .", "text/turtle", "http://e/g/")
    b'<http://e/g/a> <http://e/g/b> <http://e/g/c> .\\n'
    """
    check_rdf_payload(data, media_type)
    quads = ox.parse(data, format=rdf_format(media_type), base_iri=graph, without_named_graphs=True)
    return ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES)


def graph_update(graph: str | None, ntriples: bytes, *, replace: bool) -> str:
    """A SPARQL Update that adds (or with ``replace`` puts) triples into a graph in one transaction.

    The triples are the engine's own N-Triples and the graph IRI is checked by the engine,
    so nothing raw is pasted into the update.

    >>> print(graph_update("http://e/g", b'<http://e/a> <http://e/p> "x" .\\n', replace=True))
    DROP SILENT GRAPH <http://e/g> ; CREATE SILENT GRAPH <http://e/g> ; INSERT DATA { GRAPH <http://e/g> {
    <http://e/a> <http://e/p> "x" .
    } }
    """
    triples = ntriples.decode()
    if graph is None:
        drop = "DROP SILENT DEFAULT ; " if replace else ""
        return f"{drop}INSERT DATA {{\n{triples}}}"
    name = str(ox.NamedNode(graph))
    drop = f"DROP SILENT GRAPH {name} ; " if replace else ""
    return f"{drop}CREATE SILENT GRAPH {name} ; INSERT DATA {{ GRAPH {name} {{\n{triples}}} }}"
