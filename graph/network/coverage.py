"""What an empty conflict network says: what was coded and what is missing, never that all agree.

An empty conflict network means only that no two *coded* positions take opposite
sides on one target. The Golden Dome article calls the program "contentious" and
names concerns without saying whose they are: a note reading "no opposing
positions in the sources" would suggest a consensus the text does not report.
The note counts what the network was built from (its records, as they come),
so it costs one pass over them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from graph.network.records import PositionRecord

UNIDENTIFIED_HOLDER = "UnidentifiedHolder"
"""The class (local name) of a holder the text leaves unnamed."""

NOT_CONSENSUS = "absence of coded opposition is not consensus"


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def unheld_concerns(records: Iterable[PositionRecord]) -> int:
    """How many concerns positions are taken on, only ever by holders the text leaves unnamed.

    >>> unheld_concerns([
    ...     PositionRecord("urn:1", "urn:someone", "Someone", "urn:cost", "Cost", value=1,
    ...                    holder_type="UnidentifiedHolder", target_type="Concern"),
    ...     PositionRecord("urn:2", "urn:author", "Author", "urn:safety", "Safety", value=1,
    ...                    holder_type="AuthorialVoice", target_type="Concern"),
    ... ])
    1
    """
    holders: dict[str, set[str]] = defaultdict(set)
    for record in records:
        if record.target_type == "Concern":
            holders[record.target].add(record.holder_type)
    return sum(1 for types in holders.values() if types <= {UNIDENTIFIED_HOLDER})


def conflict_note(records: Iterable[PositionRecord]) -> str:
    """The note of a conflict network with no edge, built from ``records``.

    >>> conflict_note([PositionRecord("urn:1", "urn:a", "A", "urn:t", "T", value=2)]).split("; ")
    ['no two coded positions take opposite sides on one target (1 position coded)',
     'absence of coded opposition is not consensus']
    >>> worry = PositionRecord("urn:1", "urn:someone", "Someone", "urn:cost", "Cost", value=1,
    ...                        holder_type="UnidentifiedHolder", target_type="Concern")
    >>> conflict_note([worry]).split(" (")[1].split(")")[0]
    '1 position coded, 1 concern with no identified holder'
    """
    records = list(records)
    found = [f"{_counted(len(records), 'position')} coded"]
    if unheld := unheld_concerns(records):
        found.append(f"{_counted(unheld, 'concern')} with no identified holder")
    return f"no two coded positions take opposite sides on one target ({', '.join(found)}); {NOT_CONSENSUS}"
