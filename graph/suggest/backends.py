"""Suggesters behind one protocol: the rules, or a language model the user configures.

A :class:`Suggester` has an :class:`Agent` (name, version, and the fingerprint of what drives it:
the lexicons' SHA-256, or the prompt's) for the provenance of what it proposes, and answers an
:class:`Outcome`: the suggestions whose quotes passed verification, and the claims rejected with
their reasons. :class:`ChatModelSuggester` (:mod:`graph.suggest.chat`) is one for any
OpenAI-compatible chat-completions endpoint; its claims pass :func:`verified`, the same check.

>>> from graph.suggest.lexicon import load_lexicons
>>> rules = RuleSuggester(load_lexicons())
>>> rules.agent.name, len(rules.agent.fingerprint)
('stancegraph-rules', 64)
>>> text = "Critics oppose the toll."
>>> outcome = verified(text, [{"quote": "Critics oppose the toll.", "stance": "opposes"},
...                           {"quote": "The mayor hails trams.", "stance": "supports"}], "model:m")
>>> [s.quote for s in outcome.suggestions], [r["reason"][:24] for r in outcome.rejected]
(['Critics oppose the toll.'], ['the quote does not occur'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Protocol

from graph.coding.schema import ATTRIBUTIONS, STANCES
from graph.suggest.lexicon import Lexicon
from graph.suggest.names import Known
from graph.suggest.rules import suggest
from graph.suggest.suggestion import Suggestion
from graph.suggest.verify import verify_quote


def stancegraph_version() -> str:
    """The installed stancegraph's version (the agent's, in provenance)."""
    try:
        return version("stancegraph")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


@dataclass(frozen=True)
class Agent:
    """The software that proposed suggestions: a prov:SoftwareAgent."""

    name: str
    version: str
    fingerprint: str
    """SHA-256 of the rules' lexicon files, or of the model and its prompt."""


@dataclass(frozen=True)
class Outcome:
    """What a suggester proposed: verified suggestions, the claims it rejected, with why, and those
    kept as flagged paraphrases, with the passage they were matched to."""

    suggestions: list[Suggestion]
    rejected: list[dict[str, Any]] = field(default_factory=list)
    paraphrases: list[dict[str, Any]] = field(default_factory=list)


class Suggester(Protocol):
    """Proposes positions in a text, naming the registry's entities."""

    @property
    def agent(self) -> Agent: ...

    def propose(self, text: str, registry: Sequence[Known]) -> Outcome: ...


class RuleSuggester:
    """The rule-based suggester (:mod:`graph.suggest.rules`) over ``lexicon``."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._agent = Agent("stancegraph-rules", stancegraph_version(), lexicon.digest)

    @property
    def agent(self) -> Agent:
        return self._agent

    def propose(self, text: str, registry: Sequence[Known]) -> Outcome:
        return Outcome(suggest(text, registry, self.lexicon))


def verified(
    text: str, claims: Sequence[Mapping[str, Any]], rule: str, registry: Sequence[Known] = ()
) -> Outcome:
    """The ``claims`` (mappings of quote, start, holder, target, stance, attribution, hedges) whose
    quotes occur in ``text``: verbatim, or flagged ``paraphrase`` at the nearest passage; the rest
    rejected with the reason. Ids the registry (when given) does not know are dropped, and said so."""
    known = {entity.id for entity in registry}
    kept: list[Suggestion] = []
    rejected: list[dict[str, Any]] = []
    paraphrases: list[dict[str, Any]] = []
    for claim in claims:
        quote = claim.get("quote")
        if not isinstance(quote, str):
            rejected.append({"claim": dict(claim), "reason": "no quote"})
            continue
        start = claim.get("start")
        checked = verify_quote(text, quote, start if isinstance(start, int) else None)
        if checked.span is None:
            rejected.append({"claim": dict(claim), "reason": checked.reason})
            continue
        stance = claim.get("stance")
        if stance not in STANCES:
            rejected.append({"claim": dict(claim), "reason": f"unknown stance {stance!r}"})
            continue
        attribution = claim.get("attribution")
        ids = {key: claim.get(key) for key in ("holder", "target")}
        notes = [
            f"unknown {key} {value!r}"
            for key, value in ids.items()
            if isinstance(value, str) and known and value not in known
        ]
        begin, end = checked.span
        hedges = claim.get("hedges")
        kept.append(
            Suggestion(
                text[begin:end],
                begin,
                end,
                str(stance),
                attribution if attribution in ATTRIBUTIONS else "direct",
                rule,
                holder=_known_id(ids["holder"], known),
                target=_known_id(ids["target"], known),
                hedges=tuple(h for h in hedges if isinstance(h, str)) if isinstance(hedges, list) else (),
                flags=(("paraphrase",) if checked.verdict == "paraphrase" else ()) + tuple(notes),
                value=STANCES[str(stance)],
            )
        )
        if checked.verdict == "paraphrase":
            paraphrases.append({"claim": dict(claim), "reason": checked.reason})
    return Outcome(kept, rejected, paraphrases)


def _known_id(value: Any, known: set[str]) -> str | None:
    if not isinstance(value, str):
        return None
    return value if not known or value in known else None
