"""Where a SPARQL request names SERVICE, LOAD, FROM or USING, read as Oxigraph's parser reads it.

:func:`engine_may_read_keyword` is a cheap superset (regular expressions);
:func:`outbound_clauses` is the parse (rdflib's, on the text made to read as the engine
reads it), cached for texts that come again. :class:`graph.sparql.policy.QueryPolicy` judges what
they find.

How Oxigraph (spargebra) and rdflib read a text differently, and what is done about it:

* keywords: the engine matches them in any ASCII case with nothing required around them
  (``1SERVICE``, ``SERVICESILENT``, ``service:x`` is SERVICE and the name ``:x``); rdflib wants
  a non-word character on both sides, so it fails on those spellings: refused as unparsable;
* comments end at ``\\r`` or ``\\n`` for the engine, at ``\\n`` for rdflib: every raw ``\\r``
  becomes ``\\n`` (a raw ``\\r`` can only be whitespace, a comment's end or in a long string);
* ``\\u``/``\\U`` escapes: the engine reads them in IRIs and strings only, rdflib replaces them
  everywhere before it parses (a ``\\u0022`` ends its string, a ``\\u000A`` its comment): the
  escapes are expanded here as the engine does, the characters that would change rdflib's
  reading written as escapes rdflib reads as the same character;
* prefixed names: the engine's local part takes at most one run of dots inside it and is a
  name only if prefix and local part make a valid IRI (otherwise it reads the prefix alone and
  what follows as more tokens); rdflib takes more: any name the engine would read otherwise
  is refused. IRIs resolve against BASE with Oxigraph's own resolver.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import expandUnicodeEscapes_re, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from graph.errors import QuerySyntaxError

# --- the prefilter -----------------------------------------------------------------------------

# A prefix IRI that ends in a port or an IP literal (``<http://h:80>``, or such a BASE with a
# fragment that ``<>`` resolves to) makes every ``p:letters`` an invalid IRI: the engine then reads
# ``p:`` alone and the letters as keywords.
_AUTHORITY_END = re.compile(r"[:\]][0-9]*[#>]")
# The local part after a ':' when nothing that could lengthen it follows: the engine reads the
# whole run as part of one name (or it is inside an IRI, string or comment), never as a keyword.
_LOCAL_PART = re.compile(r":[A-Za-z0-9_]++(?![-.:%\\\x80-\U0010ffff])")
_KEYWORDS = ("service", "load", "from", "using")


def engine_may_read_keyword(sparql: str) -> bool:
    """Whether Oxigraph's parser may read SERVICE, LOAD, FROM or USING somewhere in the text.

    False is a proof that it cannot: the words are searched in any case and with no word
    boundary, anywhere (strings, IRIs and comments too), once the local parts of prefixed names
    are taken out. The engine consumes a local part whole, greedily, so no keyword can start
    in it; that holds when the name's IRI parses, which fails for ``[A-Za-z0-9_]`` appended only
    to a prefix ending in a port or an IP literal, and such a text goes to the full check, as
    does any text with an escape (one could spell a prefix IRI or a ':').

    >>> engine_may_read_keyword("SELECT ?d WHERE { ?d prov:wasDerivedFrom sg:doc }")
    False
    >>> engine_may_read_keyword("SELECT * WHERE { service:x {} }")
    True
    >>> engine_may_read_keyword("PREFIX p: <http://h:80> SELECT * WHERE { ?s ?p p:SERVICE :x {} }")
    True
    >>> engine_may_read_keyword("SELECT * WHERE { ?s ?p ex:a.SERVICE:x {} }")
    True
    """
    if "\\u" in sparql or "\\U" in sparql or _AUTHORITY_END.search(sparql):
        return True
    # Lower case folds every ASCII letter, as the engine's comparison does (and a few others more).
    words = _LOCAL_PART.sub(" ", sparql).lower()
    return any(keyword in words for keyword in _KEYWORDS)


# --- the full check ----------------------------------------------------------------------------

_CLAUSES = {
    "ServiceGraphPattern": (("term", "SERVICE"),),
    "Load": (("iri", "LOAD"),),
    "DatasetClause": (("default", "FROM"), ("named", "FROM NAMED")),
    "UsingClause": (("default", "USING"), ("named", "USING NAMED")),
}
_CACHED_LENGTH = 20_000  # longer texts are rare and would make the cache's memory unbounded
_ENGINE_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|.)", re.DOTALL)
# Characters an expanded escape may not become for rdflib, who would read them as syntax:
# each is written as the escape that means the same character in a string.
_AS_STRING_ESCAPE = {'"': '\\"', "'": "\\'", "\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_PLX = re.compile(r"\\.|%[0-9A-Fa-f]{2}")
_DOTS = re.compile(r"\.+")


@dataclass(frozen=True)
class Outbound:
    """One SERVICE, LOAD, FROM (NAMED) or USING (NAMED) clause: its absolute IRI, or its variable."""

    clause: str
    iri: str | None
    variable: str | None = None


@dataclass(frozen=True)
class _Refused:
    message: str
    line: int | None = None
    column: int | None = None


@dataclass
class _Scope:
    """The BASE and prefixes in force, IRIs resolved as the engine resolves them."""

    what: str
    base: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)

    def declare(self, declarations: Iterable[CompValue]) -> None:
        for declaration in declarations:
            iri = self.absolute(str(declaration.iri), "BASE" if declaration.name == "Base" else "PREFIX")
            if declaration.name == "Base":
                self.base = iri
            else:
                self.prefixes[declaration.get("prefix") or ""] = iri

    def absolute(self, reference: str, clause: str) -> str:
        try:
            if self.base is None:
                return ox.NamedNode(reference).value
            document = f"<{reference}> <urn:x> <urn:x> .".encode()
            triples = ox.parse(document, format=ox.RdfFormat.TURTLE, base_iri=self.base)
            return str(next(iter(triples)).subject.value)
        except (ValueError, SyntaxError) as error:
            if self.base is None and "No scheme found" in str(error):
                raise QuerySyntaxError(
                    f"{clause} <{reference}> is a relative IRI and the {self.what} has no BASE to "
                    "resolve it against: write the absolute IRI"
                ) from None
            raise QuerySyntaxError(f"{clause} <{reference}> is not a valid IRI: {error}") from None

    def name(self, node: CompValue) -> str:
        """The IRI of a prefixed name, refused where the engine would not read it as this one name."""
        prefix, local = node.get("prefix") or "", node.get("localname") or ""
        if prefix not in self.prefixes:
            raise QuerySyntaxError(f"undefined prefix {prefix!r}:")
        try:
            if len(_DOTS.findall(_PLX.sub("x", local))) > 1:
                raise ValueError("its local part has more than one run of dots")
            return ox.NamedNode(self.prefixes[prefix] + local.replace("\\", "")).value
        except ValueError as error:
            raise QuerySyntaxError(
                f"could not check the {self.what} for SERVICE, LOAD, FROM or USING: the engine does not "
                f"read {prefix}:{local} as one name ({error})"
            ) from None


def outbound_clauses(sparql: str, *, update: bool) -> tuple[Outbound, ...]:
    """Every SERVICE, LOAD, FROM (NAMED) and USING (NAMED) of a query or update, as the engine reads it.

    Raises :class:`QuerySyntaxError` for what cannot be read as the engine reads it.

    >>> [(f.clause, f.iri or f.variable) for f in outbound_clauses(
    ...     "PREFIX e: <http://e/> SELECT * FROM e:g { SERVICE ?s {} }", update=False)]
    [('FROM', 'http://e/g'), ('SERVICE', 's')]
    >>> hidden = 'ASK { ?s ?p "\\\\u0022" . SERVICE <http://e/> {} ?s ?p "\\\\u0022\\\\u0022" }'
    >>> [f.iri for f in outbound_clauses(hidden, update=False)]
    ['http://e/']
    """
    found = _read_cached(sparql, update) if len(sparql) <= _CACHED_LENGTH else _read(sparql, update)
    if isinstance(found, _Refused):
        raise QuerySyntaxError(found.message, line=found.line, column=found.column)
    return found


_PARSING = threading.Lock()


@lru_cache(maxsize=256)
def _read_cached(sparql: str, update: bool) -> tuple[Outbound, ...] | _Refused:
    return _read(sparql, update)


def _read(sparql: str, update: bool) -> tuple[Outbound, ...] | _Refused:
    what = "update" if update else "query"
    try:
        text = _as_the_engine_reads(sparql, what)
        with _PARSING:  # pyparsing keeps parse state in its grammar objects: one parse at a time
            tree = parseUpdate(text) if update else parseQuery(text)
        if isinstance(tree, CompValue):  # an update: a prologue for each operation, in force after it
            scope = _Scope(what)
            found: list[Outbound] = []
            for declarations, operation in zip(tree.prologue or [], tree.request or [], strict=False):
                scope.declare(declarations)
                found.extend(_walk(operation, scope))
            return tuple(found)
        declarations, query = tree
        scope = _Scope(what)
        scope.declare(declarations)
        return tuple(_walk(query, scope))
    except ParseBaseException as error:
        return _Refused(
            f"could not check the {what} for SERVICE, LOAD, FROM or USING: {error.msg} "
            f"(line {error.lineno}, column {error.col})",
            error.lineno,
            error.col,
        )
    except QuerySyntaxError as error:
        return _Refused(str(error), error.line, error.column)
    except (ValueError, RecursionError) as error:
        return _Refused(f"could not check the {what} for SERVICE, LOAD, FROM or USING: {error}")


def _as_the_engine_reads(sparql: str, what: str) -> str:
    """The text rdflib must be given to read the structure the engine reads.

    >>> _as_the_engine_reads("ASK { # c\\r?s ?p '\\\\u0027' }", "query")
    "ASK { # c\\n?s ?p '\\\\'' }"
    """
    text = sparql.replace("\r", "\n")
    if "\\" not in text:
        return text

    def expand(escape: re.Match[str]) -> str:
        digits = escape.group(1) or escape.group(2)
        if digits is None:  # a string or name escape: kept with its character, as the engine pairs them
            return escape.group(0)
        code = int(digits, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QuerySyntaxError(f"the {what} has an escape naming no character: {escape.group(0)}")
        return _AS_STRING_ESCAPE.get(chr(code), chr(code))

    text = _ENGINE_ESCAPE.sub(expand, text)
    leftover = expandUnicodeEscapes_re.search(text)
    if leftover is not None:  # rdflib would expand it where the engine reads text
        raise QuerySyntaxError(
            f"could not check the {what} for SERVICE, LOAD, FROM or USING: a backslash before "
            f"{leftover.group(0)[1:]!r} that is no escape"
        )
    return text


def _walk(tree: object, scope: _Scope) -> Iterator[Outbound]:
    # Iterative, so that a deeply nested request cannot exhaust the Python stack here; children
    # go on the stack last first, so that clauses come in the order of the text.
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "pname":
                scope.name(node)  # every name, so that none hides a keyword from this walk
            for key, clause in _CLAUSES.get(node.name, ()):
                if key in node:
                    yield _outbound(clause, node[key], scope)
            stack.extend(reversed(node.values()))
        elif isinstance(node, dict):
            stack.extend(reversed(node.values()))
        elif isinstance(node, Iterable) and not isinstance(node, str | bytes):
            stack.extend(reversed(list(node)))


def _outbound(clause: str, term: object, scope: _Scope) -> Outbound:
    if isinstance(term, Variable):
        return Outbound(clause, None, str(term))
    if isinstance(term, CompValue) and term.name == "pname":
        return Outbound(clause, scope.name(term))
    return Outbound(clause, scope.absolute(str(term), clause))
