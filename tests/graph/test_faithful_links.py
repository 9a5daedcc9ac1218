"""Faithful to the text (issue 16): every stated link quoted, what the article states coded.

The seed (data/golden-dome-canada.yaml) against its source: each link between entities that the
coding states carries the quote that states it, at offsets that index the text; a link the text
does not state lives in the /inferred graph with its reason; the SHACL shapes refuse a stated link
without a span; and what the article says that the graph lacked before is there, quoted exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Dataset, Graph, URIRef

from graph.coding.compile import compile_coding
from graph.coding.load import Coding, load_coding
from graph.coding.published import json_schema
from graph.coding.reverse import coding_data
from graph.errors import CodingError
from graph.knowledge import KnowledgeGraph
from graph.namespaces import OA, SG, document_graph, entity, inferred_graph
from graph.paths import DATA_DIR
from graph.validation import shacl_problems

SLUG = "golden-dome-canada"
VOICE = entity("golden-dome-canada-authorial-voice")


@pytest.fixture(scope="module")
def coding() -> Coding:
    return load_coding(DATA_DIR / f"{SLUG}.yaml")


@pytest.fixture(scope="module")
def dataset(coding: Coding) -> Dataset:
    return compile_coding(coding)


@pytest.fixture(scope="module")
def graph(dataset: Dataset) -> Graph:
    return dataset.graph(document_graph(SLUG))


@pytest.fixture(scope="module")
def kg() -> Iterator[KnowledgeGraph]:
    with KnowledgeGraph.open() as opened:
        yield opened


def _quotes(graph: Graph, evidence: list[URIRef]) -> list[tuple[str, int, int]]:
    """Each evidence's quote with its start and end, in the order given."""
    found = []
    for item in evidence:
        [target] = graph.objects(item, OA.hasTarget)
        selectors = list(graph.objects(target, OA.hasSelector))
        [exact] = [graph.value(s, OA.exact) for s in selectors if graph.value(s, OA.exact) is not None]
        [start] = [graph.value(s, OA.start) for s in selectors if graph.value(s, OA.start) is not None]
        [end] = [graph.value(s, OA.end) for s in selectors if graph.value(s, OA.end) is not None]
        found.append((str(exact), int(str(start)), int(str(end))))
    return found


def _stated(graph: Graph) -> dict[tuple[URIRef, URIRef, URIRef], list[tuple[str, int, int]]]:
    """Every stated link of ``graph`` (its axiom annotations with evidence) and its quotes."""
    links = {}
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        link = tuple(
            graph.value(axiom, p) for p in (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget)
        )
        evidence = sorted(graph.objects(axiom, SG.linkEvidence), key=str)
        links[link] = _quotes(graph, evidence)  # type: ignore[arg-type]
    return links  # type: ignore[return-value]


LINK_PREDICATES = (
    SG.memberOf,
    SG.partOf,
    SG.initiatedBy,
    SG.promotedBy,
    SG.programOf,
    SG.aimsAt,
    SG.addresses,
    SG.participant,
    SG.program,
)


def test_every_link_of_the_document_graph_is_stated_with_its_span(coding: Coding, graph: Graph) -> None:
    stated = _stated(graph)
    asserted = {(s, p, o) for p in LINK_PREDICATES for s, o in graph.subject_objects(p)}
    assert asserted == set(stated)  # no link asserted without its quotes, no quotes without the link
    assert len(stated) == 19
    for link, quotes in stated.items():
        assert quotes, link
        for exact, start, end in quotes:
            assert coding.source_text[start:end] == exact, link


def test_each_stated_link_by_label_and_quote(graph: Graph) -> None:
    stated = _stated(graph)

    def quotes(subject: str, predicate: URIRef, target: str) -> list[str]:
        return [exact for exact, *_ in stated[(entity(subject), predicate, entity(target))]]

    assert quotes("golden-dome", SG.promotedBy, "donald-trump") == [
        "This initiative was originally promoted by former President Trump"
    ]
    assert quotes("golden-dome", SG.aimsAt, "rogue-states") == [
        "aims to enhance North American defensive capabilities against emerging threats from rogue states "
        "and advancements in missile technology"
    ]
    assert quotes("canadian-government", SG.partOf, "canada") == ["The Canadian government"]
    assert quotes("us-military-establishments", SG.partOf, "united-states") == [
        "Canadian and U.S. military establishments"
    ]
    assert quotes("canada-joins-golden-dome", SG.participant, "canada") == [
        "Canada is reportedly in talks to perhaps join the contentious missile defense program known as the "
        "“Golden Dome,”"
    ]
    assert quotes("intelligence-exchange", SG.addresses, "missile-threats") == [
        "Intelligence Exchange: Enhancing information flow regarding missile threats."
    ]
    assert quotes("synchronized-intelligence-sharing", SG.partOf, "canada-joins-golden-dome") == [
        "To maximize benefits from this potential alliance, Canada should consider several strategic "
        "recommendations:"
    ]


def test_whose_program_and_what_the_partnership_aims_at_are_stated(graph: Graph) -> None:
    stated = _stated(graph)
    assert [q for q, *_ in stated[(entity("golden-dome"), SG.programOf, entity("united-states"))]] == [
        "the United States’ missile defense strategy known as “Golden Dome.”"
    ]
    assert [q for q, *_ in stated[(entity("golden-dome"), SG.programOf, entity("donald-trump"))]] == [
        "Trump’s ‘Golden Dome’ Missile Defense Initiative"
    ]
    aims = stated[(entity("canada-joins-golden-dome"), SG.aimsAt, entity("unpredictable-nations"))]
    assert [q for q, *_ in aims] == [
        "This prospective partnership seeks to strengthen continental security against rising global "
        "threats,particularly from unpredictable nations."
    ]


def test_the_unstated_membership_of_the_officials_is_an_inference_with_its_reason(dataset: Dataset) -> None:
    membership = (entity("canadian-officials"), SG.memberOf, entity("canadian-government"))
    assert membership not in dataset.graph(document_graph(SLUG))
    inferred = dataset.graph(inferred_graph(SLUG))
    assert membership in inferred
    [axiom] = inferred.subjects(OWL.annotatedSource, entity("canadian-officials"))
    assert "without saying whose officials they are" in str(inferred.value(axiom, SKOS.editorialNote))
    assert (axiom, SG.linkEvidence, None) not in inferred
    for aspect in ("collaborative-military-drills", "intelligence-exchange", "tactical-innovation"):
        assert (entity(aspect), SG.partOf, entity("canada-joins-golden-dome")) in inferred


def test_the_shapes_refuse_a_stated_link_without_a_span(dataset: Dataset) -> None:
    assert shacl_problems(dataset) == []
    copy = Dataset()
    copy.parse(data=dataset.serialize(format="nquads"), format="nquads")
    document = copy.graph(document_graph(SLUG))
    [axiom] = (
        a
        for a in document.subjects(OWL.annotatedSource, entity("golden-dome"))
        if document.value(a, OWL.annotatedProperty) == SG.promotedBy
    )
    document.remove((axiom, SG.linkEvidence, None))
    [problem] = shacl_problems(copy)
    assert "A link is stated with at least one sg:linkEvidence" in problem
    # Evidence that lost its offsets is refused too, as a position's is.
    span = URIRef(str(entity("golden-dome-aims-at-rogue-states-ev1")) + "-pos")
    document.remove((span, None, None))
    assert any("exactly one oa:TextPositionSelector" in found for found in shacl_problems(copy))


def _positions(graph: Graph, holder: URIRef, stance: URIRef) -> dict[str, list[str]]:
    found = {}
    for position in graph.subjects(SG.stance, stance):
        if graph.value(position, SG.holder) == holder:
            target = str(graph.value(graph.value(position, SG.target), RDFS.label))
            found[target] = [
                q
                for q, *_ in _quotes(
                    graph, sorted((URIRef(str(e)) for e in graph.objects(position, SG.evidence)), key=str)
                )
            ]
    return found


def test_what_the_article_states_is_coded_by_label_and_quote(graph: Graph) -> None:
    assert _positions(graph, VOICE, SG.framesAs) == {
        "Golden Dome": ["the contentious missile defense program known as the “Golden Dome,”"],
        "Canada joins Golden Dome": [
            "this move could signify a crucial change in Canada’s defense approach, aligning it more closely "
            "with U.S. military objectives."
        ],
    }
    assert _positions(graph, entity("donald-trump"), SG.supports) == {
        "Golden Dome": ["This initiative was originally promoted by former President Trump"]
    }
    assert _positions(graph, entity("stakeholders-involved-at-multiple-levels"), SG.mixed) == {
        "Canada joins Golden Dome": ["drawing varied reactions from stakeholders involved at multiple levels"]
    }
    assert _positions(graph, VOICE, SG.considers) == {
        "Political dynamics, domestic and within the U.S.": [
            "various political dynamics both domestically and within the U.S. may affect the ultimate "
            "decision-making process."
        ]
    }
    for position in graph.subjects(SG.stance, SG.mixed):
        assert str(graph.value(position, SG.stanceValue)) == "0"


def test_the_new_stances_are_in_the_ontology_with_their_dna_values(kg: KnowledgeGraph) -> None:
    found = kg.sparql(
        """PREFIX sg: <https://w3id.org/stancegraph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?stance ?label ?value WHERE {
          VALUES ?stance { sg:mixed sg:framesAs } ?stance sg:defaultValue ?value ; skos:prefLabel ?label }"""
    )
    assert dict(zip(found["label"], found["value"], strict=True)) == {"mixed": 0, "frames as": 0}


def test_silent_stakeholders_no_longer_list_trump(kg: KnowledgeGraph) -> None:
    silent = set(kg.run("silent-stakeholders")["stakeholderLabel"])
    assert "Donald Trump" not in silent and "Stakeholders involved at multiple levels" not in silent
    assert "United States" in silent


def test_links_come_back_with_their_quotes(coding: Coding, dataset: Dataset) -> None:
    data = coding_data(dataset.graph(document_graph(SLUG)), dataset.graph(inferred_graph(SLUG)))
    [program] = data["programs"]
    assert program["promoted_by"] == {
        "id": "donald-trump",
        "evidence": ["This initiative was originally promoted by former President Trump"],
    }
    [officials] = [s for s in data["stakeholders"] if s["id"] == "canadian-officials"]
    assert "member_of" not in officials
    link = json_schema()["$defs"]["Link"]
    assert link["required"] == ["id"] and "evidence" in link["properties"]


MINI = Path(__file__).parents[1] / "data" / "good" / "mini-article.yaml"


def test_a_link_without_its_quote_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "mini-article.txt").write_bytes(
        (MINI.parents[1] / "sources" / "mini-article.txt").read_bytes()
    )
    text = MINI.read_text(encoding="utf-8").replace(
        '    initiated_by: {id: defence-council, evidence: ["which the Defence Council launched"]}',
        "    initiated_by: defence-council",
    )
    path = tmp_path / "data" / "mini-article.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodingError) as caught:
        load_coding(path)
    assert str(caught.value) == (
        f"{path}:30: program 'shield': initiated_by 'defence-council' has no quote: a link the text "
        "states is given with its evidence ({id: defence-council, evidence: [...]}); one it does not "
        "state goes under 'inferred', with the reason"
    )
    path.write_text(
        text.replace(
            "initiated_by: defence-council", 'initiated_by: {id: defence-council, evidence: ["launched it"]}'
        ),
        encoding="utf-8",
    )
    with pytest.raises(CodingError, match="initiated_by 'defence-council' evidence: quote not found"):
        load_coding(path)


def test_windowed_networks_take_the_rest_routes_options(kg: KnowledgeGraph) -> None:
    windows = kg.windowed_networks("congruence", "1m", neutral=True, inferred=True)
    assert (windows.attrs["neutral"], windows.attrs["inferred"]) == (True, True)
    plain = kg.windowed_networks("congruence", "1m")
    assert (plain.attrs["neutral"], plain.attrs["inferred"]) == (False, False)
