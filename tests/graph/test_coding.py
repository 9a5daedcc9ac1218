"""The coding format: what a good file compiles to, and the precise error of each broken file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Dataset, Graph, Literal

from graph.coding import STANCES, build, compile_coding, load_coding, serialize
from graph.errors import CodingError
from graph.namespaces import OA, SG, document_graph, entity, inferred_graph
from graph.paths import ONTOLOGY_FILE

TEST_DATA = Path(__file__).resolve().parent.parent / "data"
BROKEN = TEST_DATA / "broken"
SOURCE = "../sources/mini-article.txt"
EXPECTED_KINDS = "a program, a participation proposal, a concern, a measure or a threat"

# fixture -> (line, problem): each broken file and the exact error it gives.
BROKEN_FILES = {
    "unknown-id": (17, "position 'critics-worry': holder: unknown id 'atlantis' (expected a stakeholder)"),
    "wrong-kind": (
        17,
        f"position 'critics-worry': target: 'ruritania' is a stakeholder (expected {EXPECTED_KINDS})",
    ),
    "missing-quote": (
        22,
        f"position 'ruritania-worries' evidence: quote not found in {SOURCE}: "
        "'Ruritania worries about cost.'",
    ),
    "straight-quotes": (
        22,
        f"position 'ruritania-worries' evidence: quote not found in {SOURCE}: "
        "'whether to join the \"Shield\" programme' "
        "(the source has different quote marks or dashes: 'whether to join the “Shield” programme')",
    ),
    "invalid-stance": (
        19,
        "position 'ruritania-worries': invalid stance 'adores' (valid: supports, recommends, proposes, "
        "optimistic, concerned, considers, assesses, monitors, opposes)",
    ),
    "duplicate-id": (16, "duplicate id 'ruritania' (first defined at line 7)"),
    "yaml-syntax": (
        14,
        "YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence at line 13)",
    ),
    "ambiguous-quote": (
        22,
        f"position 'ruritania-worries' evidence: quote occurs 2 times in {SOURCE} (at offsets 224 and 250); "
        "say which with 'occurrence': 'Critics worry about cost'",
    ),
    "value-out-of-range": (20, "position 'ruritania-worries': value 5 is not an integer from -2 to 2"),
    "missing-key": (
        12,
        "threat: missing required key 'label'\n"
        "{file}:13: threat: unknown key 'lable' (expected one of id, label, aliases, note)",
    ),
    "several-problems": (
        18,
        f"position 'ruritania-worries': target: unknown id 'costs' (expected {EXPECTED_KINDS})\n"
        "{file}:20: position 'ruritania-worries': invalid attribution 'hearsay' "
        "(valid: direct, reported, unattributed, authorial)",
    ),
}


def test_every_broken_file_is_covered() -> None:
    assert {path.stem for path in BROKEN.glob("*.yaml")} == set(BROKEN_FILES)


def _data_dir_with(tmp_path: Path, *codings: Path) -> Path:
    """A data directory holding the given coding files, with the sources they point to beside it."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copytree(TEST_DATA / "sources", tmp_path / "sources")
    for coding in codings:
        shutil.copy(coding, data_dir / coding.name)
    return data_dir


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_broken_file_names_file_line_and_problem(name: str) -> None:
    path = BROKEN / f"{name}.yaml"
    line, problem = BROKEN_FILES[name]
    with pytest.raises(CodingError) as caught:
        load_coding(path)
    problem = problem.format(file=path)
    assert (caught.value.file, caught.value.line, caught.value.problem) == (str(path), line, problem)
    assert str(caught.value) == f"{path}:{line}: {problem}"


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_build_of_broken_file_writes_nothing(name: str, tmp_path: Path) -> None:
    data_dir = _data_dir_with(tmp_path, TEST_DATA / "good" / "mini-article.yaml", BROKEN / f"{name}.yaml")
    output = tmp_path / "out" / "stancegraph.nq"
    with pytest.raises(CodingError) as caught:
        build(data_dir, output)
    assert caught.value.file == str(data_dir / f"{name}.yaml")
    assert caught.value.line == BROKEN_FILES[name][0]
    assert not output.parent.exists() or list(output.parent.iterdir()) == []


def test_build_error_leaves_previous_output_untouched(tmp_path: Path) -> None:
    data_dir = _data_dir_with(tmp_path, BROKEN / "unknown-id.yaml")
    output = tmp_path / "stancegraph.nq"
    output.write_bytes(b"previous build\n")
    with pytest.raises(CodingError):
        build(data_dir, output)
    assert output.read_bytes() == b"previous build\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "sources", "stancegraph.nq"]


# --- a good coding -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mini() -> Dataset:
    return compile_coding(load_coding(TEST_DATA / "good" / "mini-article.yaml"))


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


def test_quote_at_start_of_text_has_no_prefix(tmp_path: Path) -> None:
    coding_text = (TEST_DATA / "good" / "mini-article.yaml").read_text(encoding="utf-8")
    coding_text = coding_text.replace(
        '"Ruritania is reportedly weighing whether to join the “Shield” programme"',
        '"Ruritania Weighs Joining"\n      - "reportedly"',
    )
    data_dir = _data_dir_with(tmp_path)
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
    assert (entity("ruritanian-officials"), SG.memberOf, entity("defence-council")) in graph
    assert (entity("defence-council"), SG.partOf, entity("ruritania")) in graph
    assert (entity("shield"), SG.aimsAt, entity("drones")) in graph
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
    assert len(str(graph.value(document, SG.sha256))) == 64
    dcterms = {str(p) for p in graph.predicates(document) if str(p).startswith("http://purl.org/dc/terms/")}
    assert dcterms == {"http://purl.org/dc/terms/title"}


def test_inferred_link_lives_only_in_the_inferred_graph_with_its_note(mini: Dataset) -> None:
    link = (entity("joint-exercises"), SG.addresses, entity("sovereignty"))
    inferred = mini.graph(inferred_graph("mini-article"))
    assert link in inferred
    assert link not in mini.graph(document_graph("mini-article"))
    [axiom] = inferred.subjects(OWL.annotatedSource, entity("joint-exercises"))
    assert inferred.value(axiom, OWL.annotatedProperty) == SG.addresses
    assert inferred.value(axiom, OWL.annotatedTarget) == entity("sovereignty")
    assert "does not say" in str(inferred.value(axiom, SKOS.editorialNote))


def test_every_entity_has_an_english_label(mini: Dataset) -> None:
    graph = mini.graph(document_graph("mini-article"))
    evidence_parts = {OA.SpecificResource, OA.TextQuoteSelector, OA.TextPositionSelector}
    for subject in set(graph.subjects(RDF.type, None)):
        if set(graph.objects(subject, RDF.type)) & evidence_parts:
            continue
        assert graph.value(subject, RDFS.label).language == "en", subject


def test_build_writes_sorted_nquads_or_trig(tmp_path: Path) -> None:
    data_dir = _data_dir_with(tmp_path, TEST_DATA / "good" / "mini-article.yaml")
    first, second, trig = tmp_path / "a.nq", tmp_path / "b.nq", tmp_path / "c.trig"
    count = build(data_dir, first)
    build(data_dir, second)
    build(data_dir, trig)
    assert first.read_bytes() == second.read_bytes()  # rebuilding the same data gives the same bytes
    lines = first.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == count
    assert len(Dataset().parse(trig, format="trig")) == len(Dataset().parse(first, format="nquads"))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.nq", "b.nq", "c.trig", "data", "sources"]


def test_serialize_refuses_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format 'turtle'"):
        serialize(Dataset(), "turtle")


def test_stance_defaults_match_the_ontology() -> None:
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    defaults = {
        str(stance).rsplit("#", 1)[1]: value.toPython()
        for stance, value in ontology.subject_objects(SG.defaultValue)
    }
    assert defaults == STANCES


# Further checks, each shown by one edit of the good coding: (old text, new text) -> (line, problem).
EDITS = {
    "hedge cue not in evidence": (
        ("hedges: [could]", "hedges: [perhaps]"),
        (76, "position 'officials-support-joining': hedge cue 'perhaps' does not occur in its evidence"),
    ),
    "garbled without note": (
        ('        note: A word is lost after "second,".\n', ""),
        (
            94,
            "position 'newspaper-recommends-second-measure' evidence: "
            "a garbled quote needs a 'note' saying what is garbled",
        ),
    ),
    "inferred link without note": (
        ("    note: The text does not say what the exercises are for.\n", ""),
        (99, "inferred link: missing required key 'note' (say why the link is inferred)"),
    ),
    "misspelt key": (
        ("  - id: critics\n    label:", "  - id: critics\n    lable:"),
        (19, "stakeholder: missing required key 'label'"),
    ),
    "slug differs from file name": (
        ("slug: mini-article", "slug: another-article"),
        (3, "document slug 'another-article' must be the file's name 'mini-article'"),
    ),
    "source not found": (
        ("source: ../sources/mini-article.txt", "source: ../sources/missing.txt"),
        (5, "source text not found: ../sources/missing.txt"),
    ),
    "reserved id": (
        ("  - id: sovereignty\n", "  - id: concerns\n"),
        (45, "id 'concerns' is reserved: it names the concern scheme"),
    ),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_edited_coding_gives_its_precise_error(name: str, tmp_path: Path) -> None:
    (old, new), (line, problem) = EDITS[name]
    text = (TEST_DATA / "good" / "mini-article.yaml").read_text(encoding="utf-8")
    assert old in text
    data_dir = _data_dir_with(tmp_path)
    path = data_dir / "mini-article.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CodingError) as caught:
        load_coding(path)
    assert (caught.value.line, caught.value.problem.splitlines()[0]) == (line, problem)
