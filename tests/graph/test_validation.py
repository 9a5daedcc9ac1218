"""Validation finds broken anchors and shape violations, and reports them rather than raising."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import XSD, Dataset, Literal

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
