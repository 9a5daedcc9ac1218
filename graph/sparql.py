"""What the SPARQL service may serve and what it refuses: media-type tables and the query policy.

Two things live here, both free of any web framework:

* the media-type tables: which serializations answer SELECT/ASK
  (:data:`RESULTS_FORMATS`), which answer CONSTRUCT/DESCRIBE
  (:data:`GRAPH_FORMATS`), which RDF documents can be read
  (:data:`RDF_FORMATS`), with the short names of the ``format=`` parameter and
  the W3C format IRIs used in service descriptions;
* :class:`QueryPolicy`: the refusal of SERVICE, LOAD and FROM/FROM NAMED/USING
  with an IRI that is not local, since an embedded or remote engine would
  otherwise make outbound requests (or read files) on a client's behalf, and of
  queries nested deeper than the engine's parser can take;
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

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pygments.token import Punctuation
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Prologue
from rdflib.term import URIRef, Variable

from graph.errors import ForbiddenOperationError, QuerySyntaxError
from graph.lexer import SparqlLexer
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


# Any of these words, in any case, sends the request through rdflib's parser; everything else
# skips the parse, which keeps the hot path fast. Whole words only: a keyword cannot touch a name
# character (``prov:wasDerivedFrom`` is no FROM), so the scan stays sound.
_OUTBOUND_KEYWORDS = re.compile(r"\b(?:service|load|from|using)\b", re.IGNORECASE)

_CLAUSES = {
    "ServiceGraphPattern": (("term", "SERVICE"),),
    "Load": (("iri", "LOAD"),),
    "DatasetClause": (("default", "FROM"), ("named", "FROM NAMED")),
    "UsingClause": (("default", "USING"), ("named", "USING NAMED")),
}


def _nothing_is_local(iri: str) -> bool:
    return False


MAX_NESTING = 200
"""How deep ``{ ( [`` may nest in a query or update: Oxigraph's parser recurses once per level
and a few thousand levels overflow its stack, killing the process that parses."""

_OPENING, _CLOSING = frozenset("{(["), frozenset("})]")


_LEXER = SparqlLexer()


def _brackets(sparql: str) -> int:
    return sum(sparql.count(bracket) for bracket in _OPENING)


def _mentions_outbound(sparql: str) -> bool:
    # The spec expands \\u escapes before parsing; scanning after it means
    # an escaped keyword cannot slip past the scan.
    return _OUTBOUND_KEYWORDS.search(expandUnicodeEscapes(sparql)) is not None


def _nesting_exceeds(sparql: str, limit: int) -> bool:
    """Whether ``{ ( [`` nest deeper than ``limit`` outside strings, IRIs and comments.

    >>> _nesting_exceeds("ASK { { ?s ?p '{{{' } } # {{{", 2)
    False
    >>> _nesting_exceeds("ASK { ?s ?p '''{''' { FILTER((1)) } }", 3)
    True
    """
    if _brackets(sparql) <= limit:
        return False  # too few brackets to nest that deep: no need to lex
    depth = 0
    for _, kind, text in _LEXER.get_tokens_unprocessed(sparql):
        if kind in Punctuation:
            if text in _OPENING:
                depth += 1
                if depth > limit:
                    return True
            elif text in _CLOSING:
                depth -= 1
    return False


@dataclass(frozen=True)
class QueryPolicy:
    """Refuses requests that would make the engine reach outside the store.

    * SERVICE and LOAD always dereference their IRI: refused unless the IRI's
      host is in ``allowed_hosts`` (a ``file:`` IRI has no host: never allowed).
    * FROM, FROM NAMED, USING and USING NAMED choose the dataset: allowed when
      the IRI names a graph of the store (``is_local_graph``) or its host is
      allowed, refused otherwise, so that no engine is ever asked to fetch one.
    * WITH, GRAPH and the graph names of INSERT/DELETE name graphs to read or
      write in the store itself: never refused.

    >>> policy = QueryPolicy(allowed_hosts=frozenset({"dbpedia.org"}))
    >>> policy.check_query("SELECT * { SERVICE <https://dbpedia.org/sparql> { ?s ?p ?o } }")
    >>> policy.check_update("LOAD <file:///etc/passwd>")
    Traceback (most recent call last):
    ...
    graph.errors.ForbiddenOperationError: LOAD <file:///etc/passwd> is refused: ...
    >>> policy.check_query("SELECT * FROM <http://e/g> { ?s ?p ?o }", is_local_graph={"http://e/g"}.__contains__)
    >>> policy.check_query("SELECT * FROM NAMED <http://e/elsewhere> { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    graph.errors.ForbiddenOperationError: FROM NAMED <http://e/elsewhere> is refused: ...
    """

    allowed_hosts: frozenset[str] = frozenset()
    max_nesting: int = MAX_NESTING

    def check_query(self, sparql: str, is_local_graph: Callable[[str], bool] = _nothing_is_local) -> None:
        """Raise :class:`ForbiddenOperationError` if the query would reach outside the store.

        A query that mentions one of the keywords but that rdflib cannot parse is
        refused with :class:`QuerySyntaxError`: what cannot be checked is not run.

        >>> QueryPolicy().check_query("SELECT * WHERE { ?s ?p 'from here' }")
        >>> QueryPolicy().check_query("SELECT * FROM WHERE")
        Traceback (most recent call last):
        ...
        graph.errors.QuerySyntaxError: could not check the query for SERVICE, LOAD, FROM or USING: ...
        """
        self._check(sparql, "query", parseQuery, is_local_graph)

    def needs_full_check(self, sparql: str) -> bool:
        """Whether :meth:`check_query` or :meth:`check_update` has more to do than a quick scan.

        False means the request passes them: it names no SERVICE, LOAD, FROM or USING and has
        too few brackets to nest too deep. The scan is regular expressions, no parse: a server
        may run it inline and leave only the full check to a thread.

        >>> QueryPolicy().needs_full_check("SELECT * WHERE { ?s ?p ?o }")
        False
        >>> QueryPolicy().needs_full_check("SELECT * WHERE { ?s ?p 'from here' }")
        True
        >>> QueryPolicy(max_nesting=1).needs_full_check("SELECT * WHERE { { ?s ?p ?o } }")
        True
        """
        if _brackets(sparql) > self.max_nesting:
            return True
        try:
            return _mentions_outbound(sparql)
        except ValueError:  # an escape naming no character: the full check reports it
            return True

    def check_update(self, sparql: str, is_local_graph: Callable[[str], bool] = _nothing_is_local) -> None:
        """Raise :class:`ForbiddenOperationError` if the update would reach outside the store.

        >>> QueryPolicy().check_update("CLEAR SILENT GRAPH <http://e/g>")
        >>> QueryPolicy().check_update("PREFIX e: <http://e/> DELETE { ?s ?p ?o } USING e:g WHERE {}")
        Traceback (most recent call last):
        ...
        graph.errors.ForbiddenOperationError: USING <http://e/g> is refused: ...
        """
        self._check(sparql, "update", parseUpdate, is_local_graph)

    def _check(
        self, sparql: str, what: str, parse: Callable[[str], object], is_local_graph: Callable[[str], bool]
    ) -> None:
        if _nesting_exceeds(sparql, self.max_nesting):
            raise QuerySyntaxError(
                f"the {what} nests groups, brackets or parentheses more than {self.max_nesting} deep, "
                "the limit of this service"
            )
        try:
            if not _mentions_outbound(sparql):
                return
            tree = parse(sparql)
        except ParseBaseException as error:
            raise QuerySyntaxError(
                f"could not check the query for SERVICE, LOAD, FROM or USING: {error.msg} "
                f"(line {error.lineno}, column {error.col})",
                line=error.lineno,
                column=error.col,
            ) from error
        except (ValueError, RecursionError) as error:
            raise QuerySyntaxError(
                f"could not check the query for SERVICE, LOAD, FROM or USING: {error}"
            ) from error
        for clause, term, prologue in _outbound_clauses(tree):
            self._judge(clause, term, prologue, is_local_graph)

    def _judge(
        self, clause: str, term: object, prologue: Prologue, is_local_graph: Callable[[str], bool]
    ) -> None:
        if isinstance(term, Variable):
            raise ForbiddenOperationError(
                f"{clause} ?{term} is refused: an endpoint chosen at evaluation time cannot be checked"
            )
        iri = _resolve(term, prologue)
        host = urlsplit(iri).hostname
        if host is not None and host.lower() in self.allowed_hosts:
            return
        if clause.startswith(("FROM", "USING")):
            if is_local_graph(iri):
                return
            reason = "it names no graph in this store and its host is not in the allow-list"
        else:
            reason = (
                "this service makes no outbound requests and reads no files unless the host is allow-listed"
            )
        raise ForbiddenOperationError(f"{clause} <{iri}> is refused: {reason}")


def _outbound_clauses(tree: object) -> Iterator[tuple[str, object, Prologue]]:
    """Each (clause, IRI term, prologue in force) of a parsed query or update."""
    if isinstance(tree, CompValue) and tree.name == "Update":
        prologue: Prologue | None = None
        for declarations, operation in zip(tree.prologue or [], tree.request or [], strict=False):
            prologue = translatePrologue(declarations, None, prologue=prologue)
            yield from ((clause, term, prologue) for clause, term in _walk(operation))
    else:
        declarations, query = tree  # type: ignore[misc]
        prologue = translatePrologue(declarations, None)
        yield from ((clause, term, prologue) for clause, term in _walk(query))


def _walk(tree: object) -> Iterator[tuple[str, object]]:
    # Iterative, so that a deeply nested query cannot exhaust the Python stack here.
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            for key, clause in _CLAUSES.get(node.name, ()):
                if key in node:
                    yield clause, node[key]
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, Iterable) and not isinstance(node, str | bytes):
            stack.extend(node)


def _resolve(term: object, prologue: Prologue) -> str:
    """The absolute IRI of an IRI reference or prefixed name, resolved as the engine would."""
    if isinstance(term, CompValue) and term.name == "pname":
        if prologue.namespace_manager.store.namespace(term.prefix or "") is None:
            raise QuerySyntaxError(f"undefined prefix {term.prefix or ''!r}:")
        return str(prologue.resolvePName(term.prefix, term.localname))
    return str(prologue.absolutize(URIRef(str(term))))
