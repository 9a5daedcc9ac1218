"""The SHACL shapes: valid SHACL, met by a well-formed coding, and each rule caught with its message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from graph.namespaces import OA, SG, SGD

PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ARTICLE = SGD.article
POSITION = SGD["canada-considers-golden-dome"]
EVIDENCE = SGD["canada-considers-golden-dome-ev1"]
QUOTE = SGD["canada-considers-golden-dome-ev1-quote"]
OFFSETS = SGD["canada-considers-golden-dome-ev1-pos"]

NON_NEGATIVE_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")

Validate = Callable[[Graph], list[str]]


def shacl_shacl() -> Graph:
    """The W3C SHACL shapes for SHACL shapes graphs, as pySHACL ships them."""
    return Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl", format="turtle")


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    conforms, _, report = pyshacl.validate(shapes, shacl_graph=shacl_shacl(), inference="none")
    assert conforms, report


def test_a_broken_shapes_graph_fails_the_shacl_check() -> None:
    broken = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://example.org/S> a sh:NodeShape ;
            sh:property [ sh:path <http://example.org/p> ; sh:minCount "one" ] .""",
        format="turtle",
    )
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=shacl_shacl(), inference="none")
    assert not conforms


def test_the_ontologys_own_concepts_conform(shacl_messages: Validate) -> None:
    assert shacl_messages(Graph()) == []


def test_a_well_formed_position_conforms(tiny_coding: Graph, shacl_messages: Validate) -> None:
    # The holder is a sg:Nation: the ontology's subclass links make it a sg:Stakeholder.
    assert shacl_messages(tiny_coding) == []


def test_rdfs_inference_would_hide_a_wrong_holder(
    tiny_coding: Graph, shapes: Graph, ontology: Graph, shacl_messages: Validate
) -> None:
    # Why validation runs without inference: sg:holder's range would make a program a stakeholder.
    tiny_coding.set((POSITION, SG.holder, SGD["golden-dome"]))
    assert shacl_messages(tiny_coding) == ["A position has exactly one holder, a sg:Stakeholder."]
    conforms, _, _ = pyshacl.validate(tiny_coding, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    assert conforms


def add_triples(coding: Graph, *triples: tuple[URIRef, URIRef, URIRef | Literal]) -> Graph:
    for triple in triples:
        coding.add(triple)
    return coding


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda g: add_triples(
                g,
                (POSITION, SG.holder, SGD["us-administration"]),
                (SGD["us-administration"], RDF.type, SG.Nation),
            ),
            "A position has exactly one holder, a sg:Stakeholder.",
        ),
        (
            lambda g: g.remove((POSITION, SG.evidence, None)),
            "A position has at least one evidence, each a sg:Evidence.",
        ),
        (
            lambda g: g.set((POSITION, SG.stanceValue, Literal(3))),
            "A position has exactly one sg:stanceValue, an xsd:integer from -2 to 2.",
        ),
        (
            lambda g: g.set((POSITION, SG.stanceValue, Literal("2"))),
            "A position has exactly one sg:stanceValue, an xsd:integer from -2 to 2.",
        ),
        (
            lambda g: g.remove((POSITION, SG.hedged, None)),
            "A position has exactly one sg:hedged, an xsd:boolean.",
        ),
        (
            lambda g: g.set((POSITION, SG.stance, SG.direct)),
            "A position has exactly one stance, a sg:Stance.",
        ),
        (
            lambda g: g.remove((POSITION, SG.attribution, None)),
            "A position has exactly one attribution, a sg:AttributionMode.",
        ),
        (
            lambda g: g.set((POSITION, SG.target, SGD.canada)),
            "A position has exactly one target, a sg:PositionTarget.",
        ),
        (
            lambda g: g.remove((EVIDENCE, PROV.wasDerivedFrom, None)),
            "Evidence is derived from exactly one sg:Document (prov:wasDerivedFrom).",
        ),
        (
            lambda g: g.remove((None, OA.hasSelector, QUOTE)),
            "Evidence has exactly one oa:hasTarget, an oa:SpecificResource with its source and selectors.",
        ),
        (
            lambda g: g.remove((QUOTE, OA.exact, None)),
            "A quote selector has exactly one oa:exact, a non-empty xsd:string.",
        ),
        (
            lambda g: g.set((OFFSETS, OA.start, Literal(29, datatype=NON_NEGATIVE_INTEGER))),
            "A position selector has exactly one oa:start, an xsd:nonNegativeInteger less than its oa:end.",
        ),
        (
            lambda g: g.set((OFFSETS, OA.end, Literal(29))),
            "A position selector has exactly one oa:end, an xsd:nonNegativeInteger.",
        ),
        (
            lambda g: g.add((EVIDENCE, SG.garbled, Literal(True))),
            "Garbled evidence has a skos:editorialNote explaining what is garbled.",
        ),
        (
            lambda g: g.set((SGD.article, SG.sha256, Literal("not a digest"))),
            "A document has exactly one sg:sha256 of 64 lower-case hexadecimal digits.",
        ),
        (
            lambda g: g.set((SGD.canada, RDFS.label, Literal("Canada"))),
            "A named entity has one rdfs:label in English (@en).",
        ),
        (
            lambda g: g.remove((ARTICLE, SG.text, None)),
            "A document has exactly one sg:text, its full text as an xsd:string.",
        ),
        (
            lambda g: g.set((ARTICLE, DCTERMS.issued, Literal("2025-03-14", datatype=XSD.date))),
            "A document has at most one dcterms:issued, an xsd:dateTime in UTC.",
        ),
        (
            lambda g: g.set(
                (ARTICLE, DCTERMS.issued, Literal("2025-03-14T00:00:00+01:00", datatype=XSD.dateTime))
            ),
            "A document has at most one dcterms:issued, an xsd:dateTime in UTC.",
        ),
        (
            lambda g: g.remove((ARTICLE, SG.timePrecision, None)),
            "A document has dcterms:issued and sg:timePrecision together, or neither.",
        ),
        (
            lambda g: g.set((ARTICLE, SG.timePrecision, Literal("week"))),
            'sg:timePrecision is one of "year", "month", "day", "instant".',
        ),
        (
            lambda g: g.set((ARTICLE, DCTERMS.source, Literal("https://example.org/article"))),
            "A document has at most one dcterms:source, the IRI of where it was published.",
        ),
        (
            lambda g: g.set((POSITION, SG.validAt, Literal("2025-03-01", datatype=XSD.date))),
            "A position has at most one sg:validAt, an xsd:dateTime in UTC.",
        ),
        (
            lambda g: g.remove((POSITION, SG.timePrecision, None)),
            "A position has sg:validAt and sg:timePrecision together, or neither.",
        ),
        (
            lambda g: g.remove((POSITION, PROV.wasDerivedFrom, None)),
            "A position is derived from exactly one sg:Document (prov:wasDerivedFrom).",
        ),
    ],
    ids=[
        "two holders",
        "no evidence",
        "stance value 3",
        "stance value a string",
        "no hedged",
        "attribution mode as stance",
        "no attribution",
        "stakeholder as target",
        "evidence without document",
        "no quote selector",
        "no exact",
        "start not before end",
        "end not typed",
        "garbled without note",
        "bad digest",
        "label without language",
        "document without text",
        "issued an xsd:date",
        "issued not in UTC",
        "issued without precision",
        "unknown precision",
        "url a literal",
        "validAt an xsd:date",
        "validAt without precision",
        "position without document",
    ],
)
def test_each_rule_is_caught_with_its_message(
    tiny_coding: Graph, shacl_messages: Validate, change: Callable[[Graph], object], message: str
) -> None:
    change(tiny_coding)
    assert message in shacl_messages(tiny_coding)


def test_garbled_evidence_with_a_note_conforms(tiny_coding: Graph, shacl_messages: Validate) -> None:
    tiny_coding.add((EVIDENCE, SG.garbled, Literal(True)))
    tiny_coding.add((EVIDENCE, SKOS.editorialNote, Literal("A word is missing after 'second,'.", lang="en")))
    assert shacl_messages(tiny_coding) == []


def test_an_undated_document_and_position_conform(tiny_coding: Graph, shacl_messages: Validate) -> None:
    for subject, predicate in ((ARTICLE, DCTERMS.issued), (POSITION, SG.validAt)):
        tiny_coding.remove((subject, predicate, None))
        tiny_coding.remove((subject, SG.timePrecision, None))
    assert shacl_messages(tiny_coding) == []
