"""Quote verification for suggestions: verbatim at its offsets, a flagged paraphrase, or rejected.

A model may misquote. A claimed quote is looked up in the text: found verbatim, it is kept at
the offsets where it occurs (the claimed ones when they are right, else the occurrence nearest
them); not found, the text's closest passage is sought by ``rapidfuzz.fuzz.partial_ratio``
(widened to whole words). When the quote and that passage score :data:`PARAPHRASE_THRESHOLD` or
above by ``rapidfuzz.fuzz.ratio``, the suggestion is kept with the passage as its quote and the
flag ``paraphrase``; below it the quote is rejected, with the reason.

>>> text = "The council said the plan could raise rents."
>>> verify_quote(text, "the plan could raise rents").span
(17, 43)
>>> verify_quote(text, "the plan might raise rents").verdict
'paraphrase'
>>> verify_quote(text, "The mayor loves trams.").verdict
'rejected'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from graph.coding.quotes import occurrences

PARAPHRASE_THRESHOLD = 80.0
"""The least ``rapidfuzz.fuzz.ratio`` (0-100) of a claimed quote against the text's closest
passage for it to count as a paraphrase of that passage (kept, flagged) rather than an invention
(rejected)."""

Verdict = Literal["verbatim", "paraphrase", "rejected"]


@dataclass(frozen=True)
class Checked:
    """What a claimed quote turned out to be, and the span of the text it stands for (None: rejected)."""

    verdict: Verdict
    span: tuple[int, int] | None
    reason: str = ""


def verify_quote(text: str, quote: str, start: int | None = None) -> Checked:
    """Check ``quote`` (claimed to start at ``start``) against ``text``.

    >>> verify_quote("a b a b", "a b", start=3).span
    (4, 7)
    >>> verify_quote("abc", "").verdict
    'rejected'
    """
    if not quote.strip():
        return Checked("rejected", None, "the quote is empty")
    if start is not None and text[start : start + len(quote)] == quote:
        return Checked("verbatim", (start, start + len(quote)))
    found = occurrences(text, quote)
    if found:
        nearest = min(found, key=lambda at: abs(at - (start or 0)))
        return Checked("verbatim", (nearest, nearest + len(quote)))
    aligned = fuzz.partial_ratio_alignment(quote, text)
    assert aligned is not None  # None only under a score_cutoff, and none is given
    span = _whole_words(text, aligned.dest_start, aligned.dest_end)
    if not quote[-1].isalnum() and text[span[1] : span[1] + 1] == quote[-1]:  # the full stop it ends with
        span = (span[0], span[1] + 1)
    # partial_ratio also aligns a text shorter than the quote inside it: score the passage whole.
    alike = fuzz.ratio(quote, text[span[0] : span[1]])
    if alike < PARAPHRASE_THRESHOLD:
        return Checked("rejected", None, f"the quote does not occur in the text: {quote!r}")
    return Checked(
        "paraphrase", span, f"not verbatim; nearest passage ({alike:.0f}% alike): {text[span[0] : span[1]]!r}"
    )


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to the words it cuts, white space at its ends left out.

    >>> text = "said the plan could"
    >>> start, end = _whole_words(text, 6, 12)
    >>> text[start:end]
    'the plan'
    """
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
