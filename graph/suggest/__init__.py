"""Suggested positions: rules (and, when configured, a language model) propose, a reviewer decides.

:func:`suggest` proposes positions from a source text with no model to download: sentences by
pysbd, names by rapidfuzz against the registry, cues from lexicon files an analyst can extend
(:mod:`~graph.suggest.lexicon`). Every quote is verified verbatim at its offsets
(:mod:`~graph.suggest.verify`); a model's answers pass the same check
(:mod:`~graph.suggest.model`). Suggestions wait in a review graph of their own
(:mod:`~graph.suggest.queue`), never read as coded positions.

>>> from graph.paths import DATA_DIR
>>> from graph.coding import load_coding
>>> coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
>>> found = suggest(coding.source_text, known_entities(coding.file.entries()), load_lexicons())
>>> all(coding.source_text[s.start : s.end] == s.quote for s in found)
True
"""

from __future__ import annotations

from graph.suggest.lexicon import Lexicon, load_lexicons
from graph.suggest.names import NAME_THRESHOLD, Known, known_entities
from graph.suggest.rules import suggest
from graph.suggest.suggestion import Suggestion

__all__ = ["NAME_THRESHOLD", "Known", "Lexicon", "Suggestion", "known_entities", "load_lexicons", "suggest"]
