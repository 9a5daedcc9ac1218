"""What a documentation page shows of an RDF term: named terms, literals, blank nodes, class expressions.

Pages are data here; the markup lives in ``api/templates``. A value is one of
three kinds, which a template tells apart to render it: a :class:`Ref` (a named
term, shown by a label or a CURIE and linked), a :class:`LiteralValue` (its text
with its language or datatype) or a :class:`Blank`. A class expression is an
:data:`Expression`, a sequence of values and the plain words and brackets of
Manchester syntax between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import OWL, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Identifier, Node

from graph.namespaces import PREFIXES
from graph.subgraph import node_label

# Facets of a restricted datatype, as written in Manchester syntax.
FACETS: dict[URIRef, str] = {
    XSD.minInclusive: ">=",
    XSD.maxInclusive: "<=",
    XSD.minExclusive: ">",
    XSD.maxExclusive: "<",
    XSD.pattern: "pattern",
    XSD.length: "length",
    XSD.minLength: "minLength",
    XSD.maxLength: "maxLength",
}

RESTRICTION_KEYWORDS: dict[URIRef, str] = {
    OWL.someValuesFrom: "some",
    OWL.allValuesFrom: "only",
    OWL.hasValue: "value",
    OWL.minCardinality: "min",
    OWL.maxCardinality: "max",
    OWL.cardinality: "exactly",
    OWL.minQualifiedCardinality: "min",
    OWL.maxQualifiedCardinality: "max",
    OWL.qualifiedCardinality: "exactly",
}


@dataclass(frozen=True, slots=True)
class Ref:
    """A named term: its IRI and the text a page shows for it (a label or a CURIE)."""

    iri: str
    text: str


@dataclass(frozen=True, slots=True)
class LiteralValue:
    """A literal's text and its tag: the language, or the datatype's CURIE; none for a plain string."""

    text: str
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class Blank:
    """A blank node, shown by its id."""

    id: str


Value = Ref | LiteralValue | Blank
"""An RDF term as a page shows it."""

Expression = tuple[Value | str, ...]
"""A class or datatype expression: values, and the words and brackets of Manchester syntax as text."""


def curie(iri: URIRef) -> str:
    """The short form ``prefix:local`` of an IRI in a known namespace, else the IRI itself.

    >>> from graph.namespaces import SG
    >>> curie(SG.Position), curie(URIRef("http://example.org/x"))
    ('sg:Position', 'http://example.org/x')
    """
    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        local = text[len(namespace) :]
        if text.startswith(namespace) and local and all(c.isalnum() or c in "-_." for c in local):
            return f"{prefix}:{local}"
    return text


def literal_value(literal: Literal) -> LiteralValue:
    """A literal with its language, else its datatype unless that is ``xsd:string``.

    >>> literal_value(Literal("Canada", lang="en")), literal_value(Literal(2)).tag
    (LiteralValue(text='Canada', tag='en'), 'xsd:integer')
    """
    if literal.language:
        return LiteralValue(str(literal), literal.language)
    if literal.datatype and literal.datatype != XSD.string:
        return LiteralValue(str(literal), curie(literal.datatype))
    return LiteralValue(str(literal))


def value(graph: Graph, node: Node) -> Value:
    """A node of ``graph`` as a page shows it: a named term by its label (see :func:`node_label`).

    >>> from graph.namespaces import SGD
    >>> value(Graph(), SGD.canada), value(Graph(), BNode("b1"))
    (Ref(iri='https://w3id.org/stancegraph/id/canada', text='canada'), Blank(id='b1'))
    """
    if isinstance(node, URIRef):
        return Ref(str(node), node_label(graph, node))
    if isinstance(node, Literal):
        return literal_value(node)
    return Blank(str(node))


def ordered(nodes: Iterable[Node]) -> list[Identifier]:
    """Terms in rdflib's order (literals by value within a datatype), which never varies between runs.

    >>> [str(term) for term in ordered([Literal(10), Literal(9), URIRef("http://e/a")])]
    ['http://e/a', '9', '10']
    """
    return sorted(node for node in nodes if isinstance(node, Identifier))  # every term of a parsed graph


def _list(graph: Graph, head: Node | None) -> list[Node]:
    return list(Collection(graph, head)) if isinstance(head, BNode | URIRef) else []


def _joined(parts: list[Expression], separator: str) -> Expression:
    joined: list[Value | str] = []
    for index, part in enumerate(parts):
        joined.extend((separator, *part) if index else part)
    return tuple(joined)


def class_expression(graph: Graph, node: Node) -> Expression:
    """A class or datatype expression in Manchester syntax: ``P only sg:Document``.

    Named terms are :class:`Ref` by their CURIE, literals :class:`LiteralValue`.

    >>> from graph.namespaces import SG
    >>> from rdflib import RDFS
    >>> g = Graph().parse(data='''@prefix owl: <http://www.w3.org/2002/07/owl#> .
    ...   @prefix sg: <https://w3id.org/stancegraph/ontology#> .
    ...   @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   sg:partOf rdfs:range [ owl:unionOf ( sg:Stakeholder [ owl:complementOf sg:Program ] ) ] .''',
    ...   format="turtle")
    >>> [getattr(part, "text", part) for part in class_expression(g, g.value(SG.partOf, RDFS.range))]
    ['sg:Stakeholder', ' or ', '(', 'not ', 'sg:Program', ')']
    """
    if isinstance(node, URIRef):
        return (Ref(str(node), curie(node)),)
    if isinstance(node, Literal):
        return (literal_value(node),)

    def part(member: Node) -> Expression:
        expression = class_expression(graph, member)
        return ("(", *expression, ")") if isinstance(member, BNode) else expression

    for connective, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
        members = graph.value(node, connective)
        if members is not None:
            return _joined([part(member) for member in _list(graph, members)], word)
    complement = graph.value(node, OWL.complementOf)
    if complement is not None:
        return ("not ", *part(complement))
    one_of = graph.value(node, OWL.oneOf)
    if one_of is not None:
        return ("{", *_joined([part(member) for member in _list(graph, one_of)], ", "), "}")
    on_datatype = graph.value(node, OWL.onDatatype)
    if on_datatype is not None:
        facets = [
            f"{FACETS.get(facet, curie(facet))} {facet_value}"
            for restriction in _list(graph, graph.value(node, OWL.withRestrictions))
            for facet, facet_value in graph.predicate_objects(restriction)
            if isinstance(facet, URIRef)  # always, in a parsed graph: predicates are IRIs
        ]
        return (*part(on_datatype), "[" + ", ".join(facets) + "]")
    on_property = graph.value(node, OWL.onProperty)
    if on_property is not None:
        for predicate, keyword in RESTRICTION_KEYWORDS.items():
            filler = graph.value(node, predicate)
            if filler is None:
                continue
            qualifier = graph.value(node, OWL.onClass) or graph.value(node, OWL.onDataRange)
            qualified = (" ", *part(qualifier)) if qualifier is not None else ()
            return (*part(on_property), f" {keyword} ", *part(filler), *qualified)
    return (str(node),)
