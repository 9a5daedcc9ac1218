"""What a good coding compiles to: anchored quotes, positions, entities and links, the inferred graph."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Dataset, Literal, URIRef

from graph.coding import STANCES, compile_coding, load_coding
from graph.coding.compile import PREDICATES
from graph.coding.schema import SECTIONS, link_kinds
from graph.namespaces import OA, SG, document_graph, entity, inferred_graph

TEST_DATA = Path(__file__).resolve().parents[2] / "data"
GOOD = TEST_DATA / "good" / "mini-article.yaml"
SOURCE = "../sources/mini-article.txt"


@pytest.fixture(scope="module")
def mini() -> Dataset:
    return compile_coding(load_coding(GOOD))


def _evidence_spans(dataset: Dataset, position: str) -> list[tuple[str, int, int, str, str]]:
    graph = dataset.graph(document_graph("mini-article"))
    spans = []
    for evidence in graph.objects(entity(position), SG.evidence):
        target = graph.value(evidence, OA.hasTarget)
        selectors = list(graph.objects(target, OA.hasSelector))
        [quote] = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph]
        [span] = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph]
        spans.append(
            (
                str(graph.value(quote, OA.exact)),
                int(graph.value(span, OA.start)),
                int(graph.value(span, OA.end)),
                str(graph.value(quote, OA.prefix) or ""),
                str(graph.value(quote, OA.suffix) or ""),
            )
        )
    return spans


def test_quote_is_anchored_with_offsets_prefix_and_suffix(mini: Dataset) -> None:
    text = (TEST_DATA / "sources" / "mini-article.txt").read_text(encoding="utf-8")
    [(exact, start, end, prefix, suffix)] = _evidence_spans(mini, "ruritania-weighs-joining")
    assert exact == "Ruritania is reportedly weighing whether to join the “Shield” programme"
    assert text[start:end] == exact
    assert prefix == " Joining the “Shield” Programme\n"  # 32 characters
    assert text[start - 32 : start] == prefix
    assert suffix == ", which the Defence Council laun"


def test_quote_at_start_of_text_has_no_prefix(data_dir_with: Callable[..., Path]) -> None:
    coding_text = GOOD.read_text(encoding="utf-8").replace(
        '"Ruritania is reportedly weighing whether to join the “Shield” programme"',
        '"Ruritania Weighs Joining"\n      - "reportedly"',
    )
    data_dir = data_dir_with()
    (data_dir / "mini-article.yaml").write_text(coding_text, encoding="utf-8")
    dataset = compile_coding(load_coding(data_dir / "mini-article.yaml"))
    spans = sorted(_evidence_spans(dataset, "ruritania-weighs-joining"), key=lambda span: span[1])
    assert spans[0][:4] == ("Ruritania Weighs Joining", 0, 24, "")


def test_occurrence_picks_the_nth_match(mini: Dataset) -> None:
    [(exact, start, _, _, suffix)] = _evidence_spans(mini, "critics-worry-about-sovereignty")
    assert (exact, start) == ("Critics worry about cost", 250)
    assert suffix.startswith(" and sovereignty")


def test_position_carries_stance_value_attribution_and_hedges(mini: Dataset) -> None:
    graph = mini.graph(document_graph("mini-article"))
    officials = entity("officials-support-joining")
    assert graph.value(officials, SG.stance) == SG.supports
    assert graph.value(officials, SG.stanceValue).toPython() == 1  # the coding overrides the default 2
    assert graph.value(officials, SG.attribution) == SG.direct
    assert graph.value(officials, SG.hedged).toPython() is True
    assert {str(cue) for cue in graph.objects(officials, SG.hedgeCue)} == {"could"}
    critics = entity("critics-worry-about-sovereignty")
    assert graph.value(critics, SG.stanceValue).toPython() == STANCES["concerned"]
    assert graph.value(critics, SG.hedged).toPython() is False
    assert graph.value(critics, SG.regarding) == entity("ruritania-joins-shield")


def test_entities_links_aliases_and_concern_scheme(mini: Dataset) -> None:
    graph = mini.graph(document_graph("mini-article"))
    assert (entity("critics"), RDF.type, SG.InterestGroup) in graph
    assert (entity("critics"), RDF.type, SG.Stakeholder) in graph
    assert (entity("critics"), SKOS.altLabel, Literal("the critics", lang="en")) in graph
    inferred = mini.graph(inferred_graph("mini-article"))  # the links the fictional text does not state
    assert (entity("ruritanian-officials"), SG.memberOf, entity("defence-council")) in inferred
    assert (entity("defence-council"), SG.partOf, entity("ruritania")) in inferred
    assert (entity("shield"), SG.aimsAt, entity("drones")) in graph
    [stated] = graph.subjects(OWL.annotatedTarget, entity("drones"))
    [evidence] = graph.objects(stated, SG.linkEvidence)
    [target] = graph.objects(evidence, OA.hasTarget)
    quotes = {str(graph.value(selector, OA.exact)) for selector in graph.objects(target, OA.hasSelector)}
    assert "the programme could protect the capital from drones" in quotes
    assert (entity("joint-exercises"), SG.measureStatus, SG.recommended) in graph
    assert (entity("cost"), SKOS.broader, entity("public-finances")) in graph
    assert (entity("cost"), SKOS.inScheme, entity("concerns")) in graph
    assert (entity("concerns"), RDF.type, SKOS.ConceptScheme) in graph
    assert (entity("shield"), SG.mentionedIn, entity("mini-article")) in graph


def test_garbled_evidence_is_flagged_with_a_note(mini: Dataset) -> None:
    graph = mini.graph(document_graph("mini-article"))
    [evidence] = graph.objects(entity("newspaper-recommends-second-measure"), SG.evidence)
    assert graph.value(evidence, SG.garbled).toPython() is True
    assert "lost" in str(graph.value(evidence, SKOS.editorialNote))


def test_document_records_only_what_is_known(mini: Dataset) -> None:
    graph = mini.graph(document_graph("mini-article"))
    document = entity("mini-article")
    assert str(graph.value(document, SG.sourceText)) == SOURCE
    text = (TEST_DATA / "sources" / "mini-article.txt").read_bytes()
    assert str(graph.value(document, SG.sha256)) == hashlib.sha256(text).hexdigest()
    assert graph.value(document, SG.text) == Literal(text.decode("utf-8"))  # the text itself, as stored
    dcterms = {str(p) for p in graph.predicates(document) if str(p).startswith("http://purl.org/dc/terms/")}
    assert dcterms == {"http://purl.org/dc/terms/title"}
    assert (document, SG.timePrecision, None) not in graph  # undated: no time, no precision


@pytest.mark.parametrize(
    ("written", "issued", "precision"),
    [
        ("2024", "2024-01-01T00:00:00Z", "year"),
        ('"2024-05"', "2024-05-01T00:00:00Z", "month"),
        ("2024-05-17", "2024-05-17T00:00:00Z", "day"),
        ("2024-05-17T09:30:00+02:00", "2024-05-17T07:30:00Z", "instant"),
        ('"2024-05-17T09:30:00.5Z"', "2024-05-17T09:30:00.5Z", "instant"),
    ],
)
def test_document_records_what_the_source_gives(
    written: str, issued: str, precision: str, data_dir_with: Callable[..., Path]
) -> None:
    path = data_dir_with() / "mini-article.yaml"
    given = (
        f"  publisher: The Ruritanian Herald\n  author: A. Writer\n  date: {written}\n"
        "  url: https://example.org/herald/shield\n"
    )
    text = GOOD.read_text(encoding="utf-8").replace("\nstakeholders:", given + "\nstakeholders:", 1)
    path.write_text(text, encoding="utf-8")
    graph = compile_coding(load_coding(path)).graph(document_graph("mini-article"))
    document = entity("mini-article")
    assert graph.value(document, DCTERMS.publisher) == Literal("The Ruritanian Herald")
    assert graph.value(document, DCTERMS.creator) == Literal("A. Writer")
    [stored] = graph.objects(document, DCTERMS.issued)
    assert (str(stored), stored.datatype) == (issued, XSD.dateTime)  # never xsd:date, always UTC
    assert graph.value(document, SG.timePrecision) == Literal(precision)
    assert graph.value(document, DCTERMS.source) == URIRef("https://example.org/herald/shield")


def test_a_position_is_derived_from_its_document_and_may_be_dated(
    data_dir_with: Callable[..., Path],
) -> None:
    path = data_dir_with() / "mini-article.yaml"
    text = GOOD.read_text(encoding="utf-8").replace(
        "    hedges: [could]\n", "    hedges: [could]\n    valid_at: 2024-05\n"
    )
    path.write_text(text, encoding="utf-8")
    graph = compile_coding(load_coding(path)).graph(document_graph("mini-article"))
    positions = set(graph.subjects(RDF.type, SG.Position))
    assert {(p, graph.value(p, PROV.wasDerivedFrom)) for p in positions} == {
        (p, entity("mini-article")) for p in positions
    }
    dated = entity("officials-support-joining")
    assert [str(t) for t in graph.objects(dated, SG.validAt)] == ["2024-05-01T00:00:00Z"]
    assert graph.value(dated, SG.timePrecision) == Literal("month")
    assert {p for p in positions if (p, SG.validAt, None) in graph} == {dated}


def test_inferred_link_lives_only_in_the_inferred_graph_with_its_note(mini: Dataset) -> None:
    link = (entity("joint-exercises"), SG.addresses, entity("sovereignty"))
    inferred = mini.graph(inferred_graph("mini-article"))
    assert link in inferred
    assert link not in mini.graph(document_graph("mini-article"))
    [axiom] = (
        axiom
        for axiom in inferred.subjects(OWL.annotatedSource, entity("joint-exercises"))
        if inferred.value(axiom, OWL.annotatedProperty) == SG.addresses
    )
    assert inferred.value(axiom, OWL.annotatedTarget) == entity("sovereignty")
    assert "does not say" in str(inferred.value(axiom, SKOS.editorialNote))


def test_every_entity_has_an_english_label(mini: Dataset) -> None:
    graph = mini.graph(document_graph("mini-article"))
    evidence_parts = {OA.SpecificResource, OA.TextQuoteSelector, OA.TextPositionSelector, OWL.Axiom}
    for subject in set(graph.subjects(RDF.type, None)):
        if set(graph.objects(subject, RDF.type)) & evidence_parts:
            continue
        assert graph.value(subject, RDFS.label).language == "en", subject


def test_every_link_key_of_the_format_becomes_a_property() -> None:
    assert set(PREDICATES) == {key for model in SECTIONS.values() for key in link_kinds(model)}
