"""The rule-based suggester: verified quotes, its guesses on a fictional text, lexicons, the score."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.coding.load import load_coding
from graph.errors import CodingError
from graph.paths import DATA_DIR
from graph.suggest import Known, known_entities, load_lexicons, suggest
from graph.suggest.files import coding_and_entities
from graph.suggest.names import mentions
from graph.suggest.score import coded_positions, score
from graph.suggest.sentences import sentence_spans

ASSIST = Path(__file__).parents[1] / "data" / "assist"
HARBOUR = ASSIST / "coder-a" / "harbour-levy.yaml"
CORPUS = Path(__file__).parents[1] / "data" / "corpus"


def test_every_suggested_quote_on_the_seed_is_verbatim_at_its_offsets() -> None:
    coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
    found = suggest(coding.source_text, known_entities(coding.file.entries()), load_lexicons())
    assert found
    assert all(coding.source_text[s.start : s.end] == s.quote for s in found)


def test_the_guesses_on_a_fictional_text() -> None:
    coding, known = coding_and_entities(HARBOUR)
    found = {(s.holder, s.target): s for s in suggest(coding.source_text, known, load_lexicons())}
    traders = found[("traders-guild", "levy")]
    assert (traders.stance, traders.attribution, traders.hedges) == ("opposes", "reported", ("reportedly",))
    assert traders.rule == "stance-cue:opposes" and traders.value == -2
    assert found[("residents", "noise")].stance == "concerned"
    assert found[("ferry-union", "levy")].stance == "monitors"


def test_an_authorial_recommendation_and_an_unnamed_holder() -> None:
    known = [
        Known("voice", "stakeholder", ("The article",), "AuthorialVoice"),
        Known("dam", "program", ("the dam",)),
    ]
    text = "Fictional. The region should halt the dam. The dam is under review."
    found = suggest(text, known, load_lexicons())
    assert [(s.holder, s.target, s.stance, s.attribution) for s in found] == [
        ("voice", "dam", "recommends", "authorial"),
        (None, "dam", "considers", "unattributed"),
    ]


def test_a_cue_inside_a_name_is_no_cue() -> None:
    known = [Known("us", "stakeholder", ("United States",))]
    assert suggest("Fictional: the United States fleet sailed.", known, load_lexicons()) == []


def test_sentence_spans_index_the_text_as_stored() -> None:
    text = "Fictional. “Quoted,” she said.\r\n- item one\r\nIt ends"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Fictional.",
        "“Quoted,” she said.",
        "- item one",
        "It ends",
    ]


def test_names_match_fuzzily_above_the_threshold_only() -> None:
    known = [Known("analysts", "stakeholder", ("Analysts",)), Known("dome", "program", ("Golden Dome",))]
    assert [m.entity.id for m in mentions("The analyst and the Golden Dom", known)] == ["analysts", "dome"]
    assert mentions("The anarchists", known) == []


def test_an_extra_lexicon_adds_its_cues(tmp_path: Path) -> None:
    text = "Fictional. The Port Council cheers the harbour levy, conceivably."
    known = [Known("council", "stakeholder", ("Port Council",)), Known("levy", "measure", ("harbour levy",))]
    assert suggest(text, known, load_lexicons()) == []
    [found] = suggest(text, known, load_lexicons([ASSIST / "extra-cues.yaml"]))
    assert (found.stance, found.hedges, found.rule) == ("supports", ("conceivably",), "stance-cue:cheers")


def test_a_broken_lexicon_is_refused_naming_file_and_line() -> None:
    with pytest.raises(CodingError) as caught:
        load_lexicons([ASSIST / "broken-cues.yaml"])
    message = str(caught.value)
    assert "broken-cues.yaml:3: stance: unknown stance 'adores'" in message
    assert "broken-cues.yaml:5: hedges: a phrase is words, not 12" in message


def test_the_score_on_the_fictional_coding() -> None:
    coding, known = coding_and_entities(HARBOUR)
    result = score(suggest(coding.source_text, known, load_lexicons()), coded_positions(coding))
    assert (result.positions, result.matched_positions) == (4, 4)
    assert result.suggestions == 6 and result.matched_suggestions == 4


def test_the_score_on_the_fictional_corpus_has_its_quotes_verbatim() -> None:
    # The corpus was written before the lexicons: its texts were not seen while writing them.
    for path in sorted(CORPUS.glob("*.yaml")):
        if path.name == "entities.yaml":
            continue
        coding, known = coding_and_entities(path)
        found = suggest(coding.source_text, known, load_lexicons())
        assert all(coding.source_text[s.start : s.end] == s.quote for s in found), path.name
        assert score(found, coded_positions(coding)).matched_positions >= 1, path.name
