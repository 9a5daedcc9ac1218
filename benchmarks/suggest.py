"""The rule-based suggester measured: its score against hand codings, and its time on 5,000 words.

``python -m benchmarks.suggest`` prints a Markdown table for benchmarks/RESULTS.md:

- precision, recall and F1 (:mod:`graph.suggest.score`) on the seed ``data/golden-dome-canada.yaml``
  and on the fictional test corpus ``tests/data/corpus`` (written before the lexicons, so not
  seen while writing them), with the share of suggested quotes verbatim at their offsets;
- the time of ``suggest`` on a text of at least 5,000 words (the seed's text repeated, with the
  seed's registry), every run after a warm-up (pysbd's and the lexicons' set-up paid once).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from graph.paths import DATA_DIR
from graph.suggest import load_lexicons, suggest
from graph.suggest.files import coding_and_entities
from graph.suggest.score import Score, coded_positions, score

CORPUS = Path(__file__).parents[1] / "tests" / "data" / "corpus"
WORDS = 5_000
RUNS = 7


def _scored(paths: list[Path]) -> tuple[Score, int, int]:
    """The pooled score of the suggester over the coding files ``paths``; verbatim and all quotes."""
    lexicon = load_lexicons()
    found_all, coded_all, verbatim, total, offset = [], [], 0, 0, 0
    for path in paths:
        coding, known = coding_and_entities(path)
        found = suggest(coding.source_text, known, lexicon)
        verbatim += sum(coding.source_text[s.start : s.end] == s.quote for s in found)
        total += len(found)
        # Each document's offsets moved apart, so that spans of two documents never overlap.
        found_all += [type(s)(**{**vars(s), "start": s.start + offset, "end": s.end + offset}) for s in found]
        coded_all += [
            type(p)(p.id, p.holder, p.target, tuple((a + offset, b + offset) for a, b in p.spans))
            for p in coded_positions(coding)
        ]
        offset += len(coding.source_text) + 1
    return score(found_all, coded_all), verbatim, total


def _timing() -> tuple[int, int, list[float]]:
    coding, known = coding_and_entities(DATA_DIR / "golden-dome-canada.yaml")
    text = coding.source_text
    while len(text.split()) < WORDS:
        text += "\n" + coding.source_text
    lexicon = load_lexicons()
    suggest(coding.source_text, known, lexicon)  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        found = suggest(text, known, lexicon)
        times.append(time.perf_counter() - started)
    return len(text.split()), len(found), times


def main() -> None:
    rows = {
        "seed (data/golden-dome-canada.yaml)": [DATA_DIR / "golden-dome-canada.yaml"],
        "fictional corpus (tests/data/corpus, 8 documents)": sorted(
            p for p in CORPUS.glob("*.yaml") if p.name != "entities.yaml"
        ),
    }
    print("| coding | suggestions | coded positions | precision | recall | F1 | quotes verbatim |")
    print("|---|---|---|---|---|---|---|")
    for name, paths in rows.items():
        result, verbatim, total = _scored(paths)
        print(
            f"| {name} | {result.suggestions} ({result.matched_suggestions} match) | {result.positions} "
            f"({result.matched_positions} found) | {result.precision:.2f} | {result.recall:.2f} | "
            f"{result.f1:.2f} | {verbatim}/{total} |"
        )
    words, found, times = _timing()
    print(
        f"\n`suggest` on {words} words ({found} suggestions), {RUNS} runs: median "
        f"{statistics.median(times):.3f} s, min {min(times):.3f} s, max {max(times):.3f} s"
    )


if __name__ == "__main__":
    main()
