"""rdflib and pyoxigraph terms, and the one conversion each way between them.

The stores answer with engine terms and the Python API speaks rdflib: a literal
its datatype does not allow keeps its text (:func:`stored_literal`), one term
converts by :func:`from_oxigraph`, whole triples by :func:`rdflib_triples` and
:func:`oxigraph_triples`.

>>> a, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
>>> [triple] = oxigraph_triples(rdflib_triples([ox.Triple(a, p, ox.Literal("x", language="en"))]))
>>> str(triple)
'<http://e/a> <http://e/p> "x"@en'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# rdflib logs a traceback whenever it meets a literal its datatype does not allow. The readers meet
# such literals by design (they show them as stored) and validation reports them: a service would
# log the same traceback on every read of them.
logging.getLogger("rdflib.term").addFilter(
    lambda record: not record.getMessage().startswith("Failed to convert Literal lexical form to value")
)

EngineTerm = ox.NamedNode | ox.BlankNode | ox.Literal
"""A pyoxigraph term a store's triples hold (no RDF-star triple terms)."""


class IllTypedLiteral(Literal):
    """A literal its datatype does not allow, holding its text as stored and no value.

    rdflib gives some of them a value all the same (``"x"^^xsd:boolean`` is ``False``), which its
    Turtle writer then prints bare, as ``x``: no value, and every writer quotes the text.

    >>> IllTypedLiteral("x", datatype=URIRef("http://www.w3.org/2001/XMLSchema#boolean")).value is None
    True
    """

    __slots__ = ()

    @property
    def value(self) -> None:
        return None


def stored_literal(lexical: str, lang: str | None = None, datatype: str | None = None) -> Literal:
    """The rdflib literal of a stored one; a literal its datatype does not allow keeps its text.

    rdflib rewrites a lexical form to its value's canonical one ("01" to "1"), even for a literal
    its datatype does not allow ("x"^^xsd:boolean to "false"), which would show another value
    than the one stored.

    >>> str(stored_literal("x", datatype="http://www.w3.org/2001/XMLSchema#boolean"))
    'x'
    """
    typed = URIRef(datatype) if datatype else None
    literal = Literal(lexical, lang=lang, datatype=typed)
    if literal.ill_typed:
        return IllTypedLiteral(lexical, lang=lang, datatype=typed, normalize=False)
    return literal


def from_oxigraph(term: EngineTerm) -> Node:
    """The rdflib term of a pyoxigraph one, as rdflib's parsers make it (a plain string has no
    datatype), a literal its datatype does not allow keeping its text.

    >>> from_oxigraph(ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    rdflib.term.Literal('2', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    >>> from_oxigraph(ox.Literal("x")), from_oxigraph(ox.BlankNode("b1"))
    (rdflib.term.Literal('x'), rdflib.term.BNode('b1'))
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    datatype = None if term.language or term.datatype.value == _XSD_STRING else term.datatype.value
    return stored_literal(term.value, term.language, datatype)


def rdflib_triples(triples: Iterable[ox.Triple]) -> Iterator[tuple[Node, Node, Node]]:
    """Engine triples as rdflib ones, by :func:`from_oxigraph`, each blank node a fresh rdflib one.

    >>> a, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
    >>> [(_, _, first), (_, _, second)] = rdflib_triples([ox.Triple(a, p, ox.BlankNode("b"))] * 2)
    >>> first == second, first == BNode("b")
    (True, False)
    """
    # Each distinct term converted once: a neighbourhood names the same few thousand nodes again
    # and again, and rdflib's terms cost more than the queries. Fresh blank nodes, as rdflib's
    # parsers make them, so that the blank nodes of two conversions never meet.
    converted: dict[EngineTerm, Node] = {}

    def term(node: EngineTerm | ox.Triple) -> Node:
        assert not isinstance(node, ox.Triple)  # the stores hold no RDF-star triple terms
        found = converted.get(node)
        if found is None:
            found = converted[node] = BNode() if isinstance(node, ox.BlankNode) else from_oxigraph(node)
        return found

    for triple in triples:
        yield term(triple.subject), term(triple.predicate), term(triple.object)


_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")  # the blank node labels any writer accepts as they are


def oxigraph_triples(
    triples: Iterable[tuple[Node, Node, Node]], *, keep_labels: bool = False
) -> Iterator[ox.Triple]:
    """rdflib triples as engine ones, each blank node a fresh engine one; ``keep_labels``: one of the
    same label where that is a valid N-Triples label (a writer's, given canonical labels: the bytes
    then never vary), never for what goes into a store, where one label would join two loads' nodes.

    >>> [t] = oxigraph_triples([(BNode("c1"), URIRef("http://e/p"), Literal(1))], keep_labels=True)
    >>> t.subject
    <BlankNode value=c1>

    >>> [triple] = oxigraph_triples([(BNode("not an N-Triples label!"), URIRef("http://e/p"), Literal(2))])
    >>> triple.object
    <Literal value=2 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    # Each distinct term converted once, as in rdflib_triples. Fresh engine labels for blank nodes:
    # rdflib's need not be valid N-Triples labels.
    converted: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = converted.get(node)
        if found is None:
            if isinstance(node, URIRef):
                found = ox.NamedNode(node)
            elif isinstance(node, BNode):
                found = ox.BlankNode(str(node)) if keep_labels and _LABEL.fullmatch(node) else ox.BlankNode()
            elif isinstance(node, Literal) and node.language:
                found = ox.Literal(node, language=node.language)
            elif isinstance(node, Literal) and node.datatype:
                found = ox.Literal(node, datatype=ox.NamedNode(node.datatype))
            else:
                found = ox.Literal(str(node))
            converted[node] = found
        return found

    for subject, predicate, value in triples:
        yield ox.Triple(term(subject), term(predicate), term(value))  # type: ignore[arg-type]
