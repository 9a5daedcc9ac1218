"""The rule-based suggester: sentences with a stance or reporting cue become suggested positions.

For each sentence (:mod:`~graph.suggest.sentences`) that holds a cue of the lexicon
(:mod:`~graph.suggest.lexicon`):

- the **trigger** is the first stance cue or reporting verb. A stance cue gives its stance; a
  reporting verb ("contend", "suggest") gives *supports* or *opposes* by the polarity words of the
  claim after it, else the first stance cue after it, else *considers*;
- the **holder** is the nearest known stakeholder named before the trigger. A normative cue
  ("should", "must") with no reporting verb before it is the writer's recommendation: the holder
  is the registry's AuthorialVoice and the stance *recommends*. No holder named: none guessed;
- the **targets** are the known programs, proposals, measures, concerns and threats the sentence
  names (after the trigger when there are any there); a participation cue ("joining",
  "involvement") with a proposal's participant or program named makes the proposal the target.
  One suggestion per target; none named: one suggestion without a target;
- the **attribution** is *reported* with a second-hand cue ("reportedly"), *authorial* for the
  writer's voice, *unattributed* without a holder, else *direct*; the **hedges** are the hedge
  cues of the sentence.

The quote is the sentence, verbatim at its offsets.

>>> from graph.suggest.lexicon import load_lexicons
>>> from graph.suggest.names import Known
>>> known = [Known("critics", "stakeholder", ("Critics",)), Known("tax", "proposal", ("the new tax",))]
>>> text = "Critics reportedly oppose the new tax. Nothing else."
>>> [(s.holder, s.target, s.stance, s.attribution, s.hedges) for s in suggest(text, known, load_lexicons())]
[('critics', 'tax', 'opposes', 'reported', ('reportedly',))]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.coding.schema import STANCES
from graph.suggest.lexicon import Lexicon
from graph.suggest.names import Known, Mention, mentions
from graph.suggest.sentences import sentence_spans
from graph.suggest.suggestion import Suggestion

AUTHORIAL_VOICE = "AuthorialVoice"


@dataclass(frozen=True)
class _Trigger:
    stance: str
    rule: str
    cue: str
    start: int
    end: int


def suggest(text: str, registry: Sequence[Known], lexicon: Lexicon) -> list[Suggestion]:
    """The suggested positions of ``text``, in text order, each quote ``== text[start:end]``."""
    found: list[Suggestion] = []
    for start, end in sentence_spans(text):
        found.extend(_in_sentence(text[start:end], start, registry, lexicon))
    return found


def _outside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= first or start >= last for first, last in spans)


def _trigger(sentence: str, names: list[tuple[int, int]], lexicon: Lexicon) -> _Trigger | None:
    """The cue that opens the sentence's position, with the stance it gives; a cue inside a name
    (the "States" of "United States") is none."""
    stances = [hit for hit in lexicon.stance_of(sentence) if _outside(names, hit[2], hit[3])]
    reporting = [hit for hit in lexicon.find("reporting", sentence) if _outside(names, hit[1], hit[2])]
    normative = {(start, end) for _, start, end in lexicon.find("authorial", sentence)}
    first_stance = stances[0] if stances else None
    first_report = reporting[0] if reporting else None
    if first_report is not None and (first_stance is None or first_report[1] < first_stance[2]):
        cue, start, end = first_report
        claim = sentence[end:]
        positive, negative = lexicon.find("positive", claim), lexicon.find("negative", claim)
        if positive and not negative:
            stance = "supports"
        elif negative and not positive:
            stance = "opposes"
        else:
            later = [hit for hit in stances if hit[2] >= end]
            stance = later[0][0] if later else "considers"
        return _Trigger(stance, f"reporting-cue:{cue}", cue, start, end)
    if first_stance is None:
        return None
    stance, cue, start, end = first_stance
    kind = "authorial-cue" if (start, end) in normative else "stance-cue"
    return _Trigger(stance, f"{kind}:{cue}", cue, start, end)


def _in_sentence(sentence: str, offset: int, registry: Sequence[Known], lexicon: Lexicon) -> list[Suggestion]:
    named = mentions(sentence, registry, offset=offset)
    trigger = _trigger(sentence, [(m.start - offset, m.end - offset) for m in named], lexicon)
    if trigger is None:
        return []
    start, end = offset + trigger.start, offset + trigger.end
    holders = [m for m in named if m.entity.kind == "stakeholder" and m.end <= start]
    authorial = trigger.rule.startswith("authorial-cue:")
    voice = next((k for k in registry if k.type == AUTHORIAL_VOICE), None)
    holder: str | None
    if authorial and voice is not None:
        holder, stance = voice.id, "recommends"
    else:
        holder, stance = (holders[-1].entity.id if holders else None), trigger.stance
    reported = bool(lexicon.find("reported", sentence))
    if holder is not None and holder == (voice.id if voice else None):
        attribution = "authorial"
    elif holder is None:
        attribution = "unattributed"
    else:
        attribution = "reported" if reported else "direct"
    hedges = tuple(dict.fromkeys(cue.casefold() for cue, _, _ in lexicon.find("hedges", sentence)))
    targets = _targets(sentence, named, end, registry, lexicon)
    quote = sentence
    return [
        Suggestion(
            quote,
            offset,
            offset + len(quote),
            stance,
            attribution,
            trigger.rule,
            holder=holder,
            target=target,
            hedges=hedges,
            cue=trigger.cue,
            value=STANCES[stance],
        )
        for target in _or_none(targets)
    ]


def _or_none(targets: list[str]) -> list[str | None]:
    return [*targets] if targets else [None]


def _targets(
    sentence: str, named: list[Mention], after: int, registry: Sequence[Known], lexicon: Lexicon
) -> list[str]:
    """The ids of the sentence's targets: after the trigger when any are, else all; proposals for
    a participation cue with their participant or program named."""
    targets = [m for m in named if m.entity.kind != "stakeholder"]
    later = [m for m in targets if m.start >= after]
    ids = list(dict.fromkeys(m.entity.id for m in (later or targets)))
    if lexicon.find("participation", sentence):
        named_ids = {m.entity.id for m in named}
        for proposal in registry:
            if proposal.parts and named_ids & set(proposal.parts) and proposal.id not in ids:
                program_ids = set(proposal.parts)
                ids = [target for target in ids if target not in program_ids]
                ids.append(proposal.id)
    return ids
