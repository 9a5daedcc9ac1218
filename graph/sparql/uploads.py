"""RDF from outside, checked before any parser sees it, and graph uploads parsed to N-Triples.

pyoxigraph's RDF/XML parser expands internal entities without bound (1 kB of nested
``<!ENTITY>`` declarations asks for gigabytes: "billion laughs"), and its JSON-LD parser
recurses once per level of nesting (a few thousand levels overflow the stack). Either kills
whichever process parses, so :func:`check_rdf_payload` runs before any parser sees data from
outside: in the service (:func:`check_rdf_upload`), in the remote store, and in the engine.

Only the standard library and pyoxigraph: the engine process imports this too.

>>> check_rdf_upload(b"<http://e/a> <http://e/p> 1 .", "text/turtle")
>>> upload_triples(b"<a> <p> .", "text/turtle", "http://e/g/")
Traceback (most recent call last):
...
graph.errors.QuerySyntaxError: the data does not parse: ...
"""

from __future__ import annotations

import re
from xml.parsers import expat

import pyoxigraph as ox

from graph.errors import QuerySyntaxError
from graph.formats import JSON_LD, N_TRIPLES, RDF_XML, rdf_serializer
from graph.sparql.positions import error_position

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
    """Whether arrays and objects nest deeper than ``limit`` (brackets inside strings do not count).

    >>> _json_depth_exceeds(b'[[["]]]]]]"]]]', 2), _json_depth_exceeds(b'{"a": [{}]}', 3)
    (True, False)
    """
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
    quadratic in the depth (44,000 levels: over 10 s), where real RDF/XML nests a few dozen.

    >>> _xml_depth_exceeds(b"<a><b><c/></b></a>", 2), _xml_depth_exceeds(b"<a><b/><c/></a>", 2)
    (True, False)
    """
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

    >>> _check_xml_entities(b'<!DOCTYPE r SYSTEM "http://e/r.dtd"><r/>')
    Traceback (most recent call last):
    ...
    SyntaxError: RDF/XML with an external DTD is not accepted
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
    if media_type == RDF_XML.media_type:
        _check_xml_entities(data)  # first: the depth scan below must not expand entities
        if _xml_depth_exceeds(data, MAX_RDF_XML_DEPTH):
            raise SyntaxError(f"RDF/XML nested deeper than {MAX_RDF_XML_DEPTH} elements is not accepted")
    if media_type == JSON_LD.media_type and _json_depth_exceeds(data, MAX_JSON_LD_DEPTH):
        raise SyntaxError(f"JSON-LD nested deeper than {MAX_JSON_LD_DEPTH} levels is not accepted")


def upload_as_ntriples(data: bytes, media_type: str, graph: str | None) -> bytes:
    """Parse a graph upload completely and return it as N-Triples; SyntaxError when it does not parse.

    Relative IRIs resolve against the graph's IRI. Named graphs are refused: a graph
    upload holds triples. What :func:`check_rdf_payload` refuses never reaches the parser.

    >>> upload_as_ntriples(b"<a> <b> <c> .", "text/turtle", "http://e/g/")
    b'<http://e/g/a> <http://e/g/b> <http://e/g/c> .\\n'
    """
    check_rdf_payload(data, media_type)
    quads = ox.parse(data, format=rdf_serializer(media_type), base_iri=graph, without_named_graphs=True)
    return ox.serialize(quads, format=rdf_serializer(N_TRIPLES)) or b""  # bytes, given no output file


def check_rdf_upload(data: bytes, media_type: str) -> None:
    """Raise QuerySyntaxError for RDF no parser may be given (see :func:`check_rdf_payload`).

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
    """
    try:
        return upload_as_ntriples(data, media_type, graph)
    except SyntaxError as error:
        line, column = error_position(str(error))
        raise QuerySyntaxError(f"the data does not parse: {error}", line=line, column=column) from error
