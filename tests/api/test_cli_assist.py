"""``stancegraph suggest`` and ``stancegraph agreement``: what they print, and their errors naming
file and line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from graph.paths import DATA_DIR

runner = CliRunner()
ASSIST = Path(__file__).parents[1] / "data" / "assist"
CODER_A = ASSIST / "coder-a" / "harbour-levy.yaml"
CODER_B = ASSIST / "coder-b" / "harbour-levy.yaml"


def test_suggest_scores_the_seed_with_every_quote_verbatim() -> None:
    result = runner.invoke(app, ["suggest", "--score", "--json", str(DATA_DIR / "golden-dome-canada.yaml")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["verbatim"] == len(report["suggestions"]) > 0
    assert set(report["score"]) >= {"precision", "recall", "f1"}


def test_suggest_prints_suggestions_of_a_source_text() -> None:
    text = ASSIST / "sources" / "harbour-levy.txt"
    result = runner.invoke(app, ["suggest", str(text), "--entities", str(CODER_A)])
    assert result.exit_code == 0, result.output
    assert "traders-guild -> levy: opposes (reported) hedges: reportedly" in result.stdout
    assert "quotes verbatim at their offsets: 6 of 6" in result.stdout


def test_suggest_with_an_extra_lexicon_and_a_broken_one() -> None:
    extra = runner.invoke(app, ["suggest", str(CODER_A), "--lexicon", str(ASSIST / "extra-cues.yaml")])
    assert extra.exit_code == 0, extra.output
    broken = runner.invoke(app, ["suggest", str(CODER_A), "--lexicon", str(ASSIST / "broken-cues.yaml")])
    assert broken.exit_code == 1
    assert f"error: {ASSIST / 'broken-cues.yaml'}:3: stance: unknown stance 'adores'" in broken.stderr


def test_suggest_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    text = ASSIST / "sources" / "harbour-levy.txt"
    score = runner.invoke(app, ["suggest", "--score", str(text)])
    assert score.exit_code == 2 and "--score needs a coding file" in score.stderr
    model = runner.invoke(app, ["suggest", "--model", str(CODER_A)])
    assert model.exit_code == 1 and "no language model is configured" in model.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("document:\n  slug: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["suggest", str(broken)])
    assert result.exit_code == 1 and f"{broken}:3: YAML syntax error" in result.stderr


def test_agreement_of_two_coding_files() -> None:
    result = runner.invoke(app, ["agreement", str(CODER_A), str(CODER_B), "--coder", "ana", "--coder", "rui"])
    assert result.exit_code == 0, result.output
    assert "stance       nominal   0.6154" in result.stdout
    assert "value        interval  0.8276" in result.stdout
    assert "ana: a-brant-supports-levy" in result.stdout and "rui: b-brant-considers-levy" in result.stdout
    as_json = json.loads(runner.invoke(app, ["agreement", str(CODER_A), str(CODER_B), "--json"]).stdout)
    assert as_json["units"]["shared"] == 3


def test_agreement_refusals() -> None:
    one = runner.invoke(app, ["agreement", str(CODER_A)])
    assert one.exit_code == 1 and "at least two codings" in one.stderr
    other = runner.invoke(app, ["agreement", str(CODER_A), str(DATA_DIR / "golden-dome-canada.yaml")])
    assert other.exit_code == 1 and "codes another text" in other.stderr
    neither = runner.invoke(app, ["agreement"])
    assert neither.exit_code == 2 and "one of the two" in neither.stderr
