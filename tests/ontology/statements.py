"""Two readings of one RDF document compared statement by statement, literals by their exact text (test-only).

:func:`rdflib_triples` takes rdflib's parse of a document, :func:`engine_triples`
pyoxigraph's parse of what the OWL API wrote; both give triples of plain
strings, N-Triples-like: ``<iri>``, ``_:label``, and a literal as its exact
lexical form (JSON-quoted) with ``@lang`` or ``^^<datatype>`` (a plain literal is
xsd:string, as in RDF 1.1). rdflib is kept from rewriting lexical forms
("01"^^xsd:integer to "1") while it parses, so a literal compares as written.

:func:`statements` then writes each triple with its blank nodes spelt out in
full (``[ p o ; ... ]``, lists as ``( ... )``), so that relabelled blank nodes
match, and undoes the OWL API's harmless rewrites: the operands of OWL's
set-valued lists (a union's classes) compare in any order, the two ends of a
symmetric axiom (owl:disjointWith, ...) either way round, and owl:distinctMembers
as owl:members.

>>> left = statements([("<http://e/a>", f"<{OWL}disjointWith>", "<http://e/b>")])
>>> right = statements([("<http://e/b>", f"<{OWL}disjointWith>", "<http://e/a>")])
>>> left == right
True
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pyoxigraph as ox
import rdflib
from rdflib import BNode, URIRef
from rdflib.term import Node

Triple = tuple[str, str, str]

OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FIRST, REST, NIL = f"<{RDF}first>", f"<{RDF}rest>", f"<{RDF}nil>"
SYMMETRIC = frozenset(
    f"<{OWL}{name}>"
    for name in (
        "disjointWith",
        "equivalentClass",
        "equivalentProperty",
        "sameAs",
        "differentFrom",
        "propertyDisjointWith",
    )
)
# The only list of OWL whose order means something; every other one is a set.
ORDERED_LISTS = frozenset({f"<{OWL}propertyChainAxiom>"})
RENAMED = {f"<{OWL}distinctMembers>": f"<{OWL}members>"}


@contextmanager
def exact_literals() -> Iterator[None]:
    """rdflib keeps each literal's lexical form as written while the block runs."""
    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before


def rdflib_triples(graph: rdflib.Graph) -> list[Triple]:
    """The triples of an rdflib graph as strings (parse it inside :func:`exact_literals`).

    >>> document = '<http://e/a> <http://e/p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    >>> with exact_literals():
    ...     g = rdflib.Graph().parse(data=document, format="turtle")
    >>> [value for _, _, value in rdflib_triples(g)]
    ['"01"^^<http://www.w3.org/2001/XMLSchema#integer>']
    """
    return [(_rdflib_key(s), _rdflib_key(p), _rdflib_key(o)) for s, p, o in graph]


def engine_triples(quads: Iterable[ox.Quad | ox.Triple]) -> list[Triple]:
    """pyoxigraph's triples as strings, as :func:`rdflib_triples` writes them.

    >>> english = ox.Literal("x", language="en")
    >>> engine_triples([ox.Triple(ox.BlankNode("b"), ox.NamedNode("http://e/p"), english)])
    [('_:b', '<http://e/p>', '"x"@en')]
    """
    return [(_engine_key(q.subject), _engine_key(q.predicate), _engine_key(q.object)) for q in quads]


def statements(triples: Iterable[Triple]) -> set[str]:
    """The document's statements, each a triple with its blank nodes written out in full.

    A blank node that is the value of another triple is no statement of its own: it is
    spelt out where it is used; one that is not is one statement, spelt out whole.

    >>> sorted(statements([("<http://e/a>", "<http://e/p>", "_:x"), ("_:x", "<http://e/q>", '"1"')]))
    ['<http://e/a> <http://e/p> [ <http://e/q> "1" ]']
    """
    described = _Described(list(triples))
    found = set()
    for subject, predicate, value in described.triples:
        if subject.startswith("_:"):
            if subject not in described.used:
                found.add(described(subject))  # an axiom annotation, say: one statement, whole
            continue
        ends = [described(subject), described(value)]
        if predicate in SYMMETRIC:
            ends.sort()
        found.add(f"{ends[0]} {RENAMED.get(predicate, predicate)} {ends[1]}")
    return found


class _Described:
    """Terms written out, blank nodes with everything they hold (each worked out once)."""

    def __init__(self, triples: list[Triple]) -> None:
        self.triples = triples
        self.out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.used: dict[str, set[str]] = defaultdict(set)  # a blank node: the predicates naming it
        for subject, predicate, value in triples:
            self.out[subject].append((predicate, value))
            if value.startswith("_:"):
                self.used[value].add(predicate)
        self.done: dict[str, str] = {}

    def __call__(self, term: str, seen: frozenset[str] = frozenset()) -> str:
        if not term.startswith("_:"):
            return term
        if term in seen:
            return "[ ... ]"  # a cycle through blank nodes: OWL's mapping has none
        if term not in self.done:
            members = self._members(term)
            if members is not None:
                shown = [self(member, seen | {term}) for member in members]
                ordered = not self.used[term].isdisjoint(ORDERED_LISTS)
                self.done[term] = f"( {' '.join(shown if ordered else sorted(shown))} )"
            else:
                parts = sorted(f"{p} {self(v, seen | {term})}" for p, v in self.out[term])
                self.done[term] = f"[ {' ; '.join(parts)} ]"
        return self.done[term]

    def _members(self, term: str) -> list[str] | None:
        """The members of a well-formed list starting at ``term``; None if it is no such list."""
        members, node, visited = [], term, set()
        while node != NIL:
            links = dict(self.out.get(node, ()))
            if node in visited or len(self.out.get(node, ())) != 2 or FIRST not in links or REST not in links:
                return None
            visited.add(node)
            members.append(links[FIRST])
            node = links[REST]
        return members


def _literal(lexical: str, language: str | None, datatype: str | None) -> str:
    quoted = json.dumps(lexical, ensure_ascii=False)
    return f"{quoted}@{language.lower()}" if language else f"{quoted}^^<{datatype or XSD_STRING}>"


def _rdflib_key(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, rdflib.Literal)
    return _literal(str(term), term.language, str(term.datatype) if term.datatype else None)


def _engine_key(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    assert isinstance(term, ox.Literal)
    return _literal(term.value, term.language, term.datatype.value)
