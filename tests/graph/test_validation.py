"""Validation finds broken anchors and shape violations, and reports them rather than raising."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import XSD, Dataset, Literal, URIRef

from graph.coding import build_dataset
from graph.errors import CodingError
from graph.namespaces import OA, SG, document_graph, entity
from graph.validation import ValidationReport, check_quotes, validate, validate_data

TEST_DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory with the small good coding and its source beside it."""
    shutil.copytree(TEST_DATA / "sources", tmp_path / "sources")
    (tmp_path / "data").mkdir()
    shutil.copy(TEST_DATA / "good" / "mini-article.yaml", tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture
def dataset(data_dir: Path) -> Dataset:
    return build_dataset(data_dir)


def test_good_data_conforms(dataset: Dataset, data_dir: Path) -> None:
    report = validate(dataset, data_dir)
    assert report == ValidationReport(conforms=True, problems=[])
    assert str(report) == "conforms"


def test_a_shifted_offset_is_reported(dataset: Dataset, data_dir: Path) -> None:
    graph = dataset.graph(document_graph("mini-article"))
    span = entity("ruritania-weighs-joining-ev1-pos")
    graph.set((span, OA.start, Literal(49, datatype=XSD.nonNegativeInteger)))
    [problem] = check_quotes(dataset, data_dir)
    assert problem.startswith("sgd:ruritania-weighs-joining-ev1-target: oa:exact 'Ruritania is reportedly")
    assert "is not ../sources/mini-article.txt[49:119]: 'uritania is reportedly" in problem
    report = validate(dataset, data_dir)
    assert not report.conforms and report.problems == [problem]


def test_a_changed_prefix_is_reported(dataset: Dataset, data_dir: Path) -> None:
    graph = dataset.graph(document_graph("mini-article"))
    graph.set((entity("ruritania-weighs-joining-ev1-quote"), OA.prefix, Literal("elsewhere")))
    target = "sgd:ruritania-weighs-joining-ev1-target"
    assert check_quotes(dataset, data_dir) == [
        f"{target}: oa:prefix or oa:suffix differs from the text around the quote"
    ]


def test_an_edited_source_text_is_reported(dataset: Dataset, data_dir: Path) -> None:
    source = data_dir.parent / "sources" / "mini-article.txt"
    source.write_text(source.read_text(encoding="utf-8") + "An added line.\n", encoding="utf-8")
    problems = check_quotes(dataset, data_dir)
    assert problems[0] == "sgd:mini-article: sg:sha256 is not the SHA-256 of ../sources/mini-article.txt"


def test_a_missing_source_text_is_reported(dataset: Dataset, tmp_path: Path) -> None:
    elsewhere = tmp_path / "no" / "data"
    elsewhere.mkdir(parents=True)
    assert check_quotes(dataset, elsewhere) == [
        "sgd:mini-article: source text ../sources/mini-article.txt not found"
    ]


def test_a_shape_violation_is_reported_not_raised(dataset: Dataset, data_dir: Path) -> None:
    graph = dataset.graph(document_graph("mini-article"))
    graph.remove((entity("critics-worry-about-sovereignty"), SG.holder, None))
    report = validate(dataset, data_dir)
    assert not report.conforms
    assert report.problems == [
        "sgd:critics-worry-about-sovereignty sg:holder: A position has exactly one holder, a sg:Stakeholder."
    ]
    assert str(report) == report.problems[0]


def test_validate_data_raises_the_coding_error_of_a_broken_file(data_dir: Path) -> None:
    shutil.copy(TEST_DATA / "broken" / "invalid-stance.yaml", data_dir)
    with pytest.raises(CodingError) as caught:
        validate_data(data_dir)
    assert (caught.value.file, caught.value.line) == (str(data_dir / "invalid-stance.yaml"), 19)


# Each bad value of the fictional tests/data/tolerant/ill-typed.ttl, as a problem line begins:
# the focus node (a blank one by the IRI it hangs from), the path, and the value when there is one.
ILL_TYPED_PROBLEMS = (
    'sgd:tolerant-word-value sg:stanceValue "abc"^^xsd:integer: ',
    'sgd:tolerant-fraction-value sg:stanceValue "1.5"^^xsd:integer: ',
    "sgd:tolerant-fraction-value sg:hedged ",  # rdflib's parser makes "x" false: the value shows so
    'sgd:tolerant-fraction-value sg:hedgeCue "7"^^xsd:integer: ',
    'sgd:tolerant-huge-value sg:stanceValue "123456789012345678901234567890"^^xsd:integer: ',
    'sgd:tolerant-huge-value sg:attribution "direct": ',
    "sgd:tolerant-iri-value sg:stanceValue <http://example.org/two>: ",
    "sgd:tolerant-iri-value sg:hedged <http://example.org/yes>: ",
    'sgd:tolerant-iri-value sg:regarding "national security": ',
    'sgd:tolerant-iri-value sg:evidence "not an evidence node": ',
    'sgd:tolerant-not-a-number sg:stanceValue "NaN"^^xsd:double: ',
    "sgd:tolerant-two-values sg:stanceValue: A position has exactly one sg:stanceValue",
    "sgd:tolerant-two-values sg:stance: ",
    "sgd:tolerant-no-holder sg:holder: ",
    "sgd:tolerant-no-holder sg:target: ",
    "sgd:tolerant-blank-holder sg:holder [sgd:tolerant-blank-holder sg:holder]: ",
    'sgd:tolerant-literal-ends sg:holder "Canada": ',
    'sgd:tolerant-literal-ends sg:target "Golden Dome": ',
    'sgd:tolerant-literal-ends sg:stance "supports": ',
    'sgd:tolerant-numbered rdfs:label "5"^^xsd:integer: ',
    "sgd:tolerant-numbered skos:altLabel [sgd:tolerant-numbered skos:altLabel]: ",
    "sgd:tolerant-iri-labelled rdfs:label <http://example.org/label>: ",
    "sgd:tolerant-unlabelled rdfs:label: ",
    'sgd:tolerant-twice-labelled rdfs:label "Groupe tolérant"@fr: ',
    'sgd:missile-threats rdfs:label "42"^^xsd:integer: ',
    'sgd:collaborative-military-drills sg:measureStatus "proposed": ',
    "sgd:tolerant-word-value-ev1 sg:garbled ",
    '[sgd:tolerant-word-value-ev1 oa:hasTarget/oa:hasSelector] oa:start "-5"^^xsd:nonNegativeInteger: ',
    '[sgd:tolerant-word-value-ev1 oa:hasTarget/oa:hasSelector] oa:end "abc"^^xsd:nonNegativeInteger: ',
    '[sgd:tolerant-reversed-ev1 oa:hasTarget/oa:hasSelector] oa:start "50"^^xsd:integer: ',
    '[sgd:tolerant-reversed-ev1 oa:hasTarget/oa:hasSelector] oa:exact "12"^^xsd:integer: ',
    'sgd:tolerant-past-end-ev1 prov:wasDerivedFrom "a literal document": ',
    'sgd:tolerant-document dcterms:title "1999"^^xsd:integer: ',
    'sgd:tolerant-document sg:sha256 "42"^^xsd:integer: ',
    "sgd:tolerant-document sg:sourceText <http://example.org/text>: ",
    # The quote check, on the offsets SHACL cannot judge against the text.
    "[sgd:tolerant-word-value-ev1 oa:hasTarget]: oa:start '-5' is not a non-negative integer",
    "[sgd:tolerant-reversed-ev1 oa:hasTarget]: oa:start 50 is after oa:end 10",
    "[sgd:tolerant-past-end-ev1 oa:hasTarget]: oa:end 1000000015 is past the end",
    "sgd:tolerant-document: source text http://example.org/text not found",
)


def test_each_ill_typed_value_is_reported_with_its_focus_and_path() -> None:
    dataset = build_dataset()
    bad = dataset.graph(URIRef("https://w3id.org/stancegraph/graph/tolerant-test"))
    bad.parse(TEST_DATA / "tolerant" / "ill-typed.ttl", format="turtle")
    report = validate(dataset)
    assert not report.conforms
    missing = [line for line in ILL_TYPED_PROBLEMS if not any(p.startswith(line) for p in report.problems)]
    assert missing == []
    # A blank node where a position belongs: the node itself is the problem, with no path.
    assert any(p.endswith(": A position is named by an IRI, not a blank node.") for p in report.problems)
    assert len(report.problems) == len(set(report.problems))  # one line per value and constraint message
