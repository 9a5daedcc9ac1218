"""What differs between the SPARQL engines a remote store talks to, decided here and nowhere else.

An :class:`EngineProfile` says how the union default graph is asked for, how triples are
loaded, how graphs are listed and whether answers must be re-read before they are handed on.
``oxigraph`` and ``generic`` take the SPARQL 1.1 protocols at their word; ``virtuoso``
(Virtuoso Open Source 7.2) works around what that engine does its own way:

- its default dataset is every graph, its own system graphs included (``virtrdf#`` and two
  more: some 2,500 triples of its own vocabulary). A query that names no graphs leaves them out
  with ``input:default-graph-exclude`` (and, when it has ``GRAPH ?var`` patterns,
  ``input:named-graph-exclude``): the union default graph the embedded stores give. Those
  pragmas break ``GRAPH <g>`` patterns (they match nothing) and paths with ``*``, ``+``, ``?``
  or ``{n,m}`` (they answer wrongly, each in its own way), and would override a query's own
  ``FROM`` or ``DEFINE``; so a query with one of those is sent as written, on Virtuoso's own
  dataset, where its system graphs show: a pattern there that matches any resource (``?s ?p
  ?o``, ``?s a ?type`` with the type left open) finds Virtuoso's own too. Nothing else holds
  up: naming the store's graphs as the dataset (an earlier version did) costs some 0.1 ms per
  graph on every query, and past one or two thousand graphs Virtuoso refuses it (``SP030 Too
  many arguments``) or breaks the connection; hiding the system graphs with its graph-level
  security makes every ``GRAPH ?var`` query run past any time limit. A query that names only
  ``named-graph-uri`` graphs gets an empty default graph by naming a graph that holds nothing
  (Virtuoso would otherwise keep every graph as the default);
- ``INSERT DATA`` refuses blank nodes (``SP031``) and large templates, and its Graph Store
  endpoint refuses quad formats: triples go through the Graph Store endpoint as N-Triples,
  one graph per request; it has no separate default graph to write to;
- ``GRAPH ?g {}`` finds no graph: graphs are listed and tested with a triple pattern (and
  tested with SELECT: its ASK over ``GRAPH <g>`` answers true, given a dataset, even when
  ``g`` holds nothing);
- its DESCRIBE answers nothing unless told to give the Concise Bounded Description;
- its results need re-reading: ASK answers as a one-row table (``__ASK_RETVAL``), TSV quotes
  IRIs and drops language tags, JSON writes booleans as ``"1"``; so SELECT and ASK are asked
  for as SPARQL JSON and graphs as N-Triples, then written as the client asked by pyoxigraph.

>>> engine_profile("virtuoso").prologue()
'DEFINE sql:describe-mode "CBD" '
>>> engine_profile("oxigraph").prologue()
''
>>> engine_profile("virtuoso").union_pragmas("SELECT * WHERE { ?s <http://e/graph> ?o }")[:38]
'DEFINE input:default-graph-exclude <ht'
>>> engine_profile("virtuoso").union_pragmas("SELECT * WHERE { GRAPH <http://e/g> { ?s ?p ?o } }") is None
True
>>> engine_profile("virtuoso").union_pragmas("SELECT * WHERE { ?s ?p '#' GRAPH <g> {} }") is None
True
>>> engine_profile("virtuoso").union_pragmas("SELECT * WHERE { ?s a/<http://e/sub>* ?c }") is None
True
>>> engine_profile("virtuoso").union_pragmas("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").count("named-graph")
3
>>> engine_profile("virtuoso").union_pragmas("SELECT * WHERE { ?s ?p '\\\\u0027 GRAPH ?g {} #' }") is None
True
>>> detect_engine("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu").name
'virtuoso'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

EngineName = Literal["oxigraph", "virtuoso", "generic"]
ENGINE_NAMES: tuple[EngineName, ...] = ("oxigraph", "virtuoso", "generic")

_VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
# A graph no one writes: named as the only default graph, it makes the default graph empty.
EMPTY_GRAPH = "urn:x-stancegraph:no-graph"
# What may make a query read named graphs, or a dataset of its own, on Virtuoso: searched in
# any case and with no word boundary (a false find only lets the system graphs show), once IRIs, strings,
# comments, variables and the local parts of prefixed names are marked or taken out (the lexer
# reads each whole, so no keyword starts in one); an escape could spell any of them, or end a
# string, so a text with one is taken to hold them.
_TOKENS = re.compile(
    r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'|#[^\n\r]*'
    r"|(?P<local>:[A-Za-z0-9_]++(?![-.:%\\\x80-\U0010ffff]))|(?P<variable>[?$][A-Za-z0-9_]++(?![\x80-\U0010ffff]))",
    re.DOTALL,
)
_MARKS = {"iri": " <i> ", "local": " :l ", "variable": " ?v "}
_GRAPH_VARIABLE = re.compile(r"graph\s*\?v ")
# A path's * + ? or {n,m}: under the pragmas Virtuoso's paths answer wrongly (a count of 0
# for 446), so such a query goes without them.
# A * or + after these is arithmetic or SELECT *, never a path's.
_NOT_A_PATH = re.compile(r"(?:\?v|\(|\bselect|\bdistinct|\breduced)\s*[*+]")
_QUANTIFIER = re.compile(r"\{\s*(?:[0-9]+\s*,?|,)\s*[0-9]*\s*\}")


@dataclass(frozen=True)
class EngineProfile:
    """How one engine is spoken to (see the module notes)."""

    name: EngineName
    # The engine's own graphs, hidden from the union default graph and from graph listings.
    system_graphs: tuple[str, ...] = ()
    # Whether ``GRAPH ?g {}`` matches the graphs that exist.
    empty_graph_pattern_lists_graphs: bool = True
    # Whether a query reading no named graph leaves the system graphs out by pragma.
    excludes_system_graphs: bool = False
    # Whether the default graph stays empty when only named graphs are given (SPARQL Protocol).
    honours_named_graphs_only: bool = True
    # Whether SELECT/ASK answers and graphs are read here and written again (the engine's are off).
    rewrites_results: bool = False
    # Whether uploads go through the Graph Store endpoint, one graph per request (no INSERT DATA).
    uploads_by_graph_store: bool = False
    # Whether the engine keeps a default graph apart from the named graphs.
    separate_default_graph: bool = True
    # Engine pragmas every query starts with (Virtuoso's DEFINE).
    pragmas: tuple[str, ...] = ()
    # An error code the engine gives a read that met a lock, worth sending again once.
    transient_error: str | None = None

    def prologue(self) -> str:
        """What a query starts with: the engine's pragmas (one line, no newline, so the line
        numbers of the engine's syntax errors stay those of the query)."""
        return " ".join(self.pragmas) + " " if self.pragmas else ""

    def union_pragmas(self, sparql: str) -> str | None:
        """The pragmas that make the dataset the union of the user's graphs, for a query that
        names no graphs (one line, as :meth:`prologue`); None when they would break the query,
        which then goes as written (see the module notes)."""
        if not self.excludes_system_graphs or "\\u" in sparql.lower():
            return None
        text = _TOKENS.sub(lambda match: _MARKS.get(match.lastgroup or "", " "), sparql).lower()
        rest = _NOT_A_PATH.sub(" ", text).replace(" ?v ", " ")
        if "from" in text or "define" in text or any(mark in rest for mark in "*+?"):
            return None
        if _QUANTIFIER.search(text) or "graph" in _GRAPH_VARIABLE.sub(" ", text):
            return None  # GRAPH <g> matches nothing under the pragmas
        pragmas = [f"DEFINE input:default-graph-exclude <{graph}> " for graph in self.system_graphs]
        if "graph" in text:
            pragmas += [f"DEFINE input:named-graph-exclude <{graph}> " for graph in self.system_graphs]
        return "".join(pragmas)

    def user_graphs(self, graphs: list[str]) -> list[str]:
        """The graphs that are not the engine's own."""
        return [graph for graph in graphs if graph not in self.system_graphs]

    def graph_pattern(self) -> str:
        """The pattern inside ``GRAPH ?g { }`` that matches every graph that exists."""
        return "" if self.empty_graph_pattern_lists_graphs else "?s ?p ?o"

    def default_graphs(self, default: list[str], named: list[str]) -> list[str]:
        """The ``default-graph-uri`` values to send for a query's given graphs."""
        if named and not default and not self.honours_named_graphs_only:
            return [EMPTY_GRAPH]
        return default


OXIGRAPH = EngineProfile("oxigraph")
GENERIC = EngineProfile("generic")
VIRTUOSO = EngineProfile(
    "virtuoso",
    system_graphs=_VIRTUOSO_SYSTEM_GRAPHS,
    excludes_system_graphs=True,
    empty_graph_pattern_lists_graphs=False,
    honours_named_graphs_only=False,
    rewrites_results=True,
    uploads_by_graph_store=True,
    separate_default_graph=False,
    # Its own DESCRIBE finds nothing unless the graph is named; CBD is what Oxigraph answers.
    pragmas=('DEFINE sql:describe-mode "CBD"',),
    # "Transaction timed out": a read that waited on the lock of a write just committed.
    transient_error="SR171",
)
_PROFILES = {profile.name: profile for profile in (OXIGRAPH, VIRTUOSO, GENERIC)}


def engine_profile(name: str) -> EngineProfile:
    """The profile of the engine ``name`` (oxigraph, virtuoso or generic).

    >>> engine_profile("fuseki")
    Traceback (most recent call last):
    ...
    ValueError: unknown SPARQL engine 'fuseki': oxigraph, virtuoso, generic or auto
    """
    try:
        return _PROFILES[name]  # type: ignore[index]
    except KeyError:
        raise ValueError(f"unknown SPARQL engine {name!r}: {', '.join(ENGINE_NAMES)} or auto") from None


def detect_engine(server_header: str) -> EngineProfile:
    """The profile for an engine that sends this ``Server`` header; generic when it is not known.

    >>> detect_engine("").name
    'generic'
    """
    server = server_header.lower()
    if server.startswith("virtuoso"):
        return VIRTUOSO
    if server.startswith("oxigraph"):
        return OXIGRAPH
    return GENERIC
