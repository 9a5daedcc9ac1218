"""Evidence quotes found in their source text: where each starts, or why it cannot be found.

The source text is read as stored (``newline=""``), so offsets index the file's own
characters, curly quotes and dashes included.

>>> from graph.coding.lines import Problems, read_yaml_text
>>> top = read_yaml_text("positions:\\n  - id: p\\n    evidence: [worry, cost]\\n", "f.yaml")
>>> problems = Problems("f.yaml")
>>> anchor_quotes(top["positions"], "f.txt", "Critics worry about cost.", problems)
{'p': (8, 20)}
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from graph.coding.fields import Texts
from graph.coding.lines import LinedList, LinedMap, Problems
from graph.coding.schema import Evidence, Quote

T = TypeVar("T")
TEXTS: TypeAdapter[tuple[str, ...]] = TypeAdapter(Texts)
EVIDENCE = TypeAdapter(Evidence)

# Typographic characters and the plain ones an analyst may type instead; one for one, so offsets survive.
_PLAIN_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


def valid(adapter: TypeAdapter[T], value: Any) -> T | None:
    """``value`` as the schema reads it, or None when the schema refuses it (and says so itself)."""
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


def anchor_quotes(
    positions: Iterable[LinedMap], source: str, text: str, problems: Problems
) -> dict[str, tuple[int, ...]]:
    """Where each position's quotes start in ``text`` (the file ``source`` names), its hedge cues
    checked against them; a position with a quote not found is left out, its problem noted."""
    offsets = {}
    for entry in positions:
        what, items = f"position '{entry['id']}'", entry.get("evidence")
        if not isinstance(items, LinedList):
            continue
        anchored = [
            _anchor(item, line, f"{what} evidence", source, text, problems)
            for item, line in zip(items, items.lines, strict=True)
        ]
        found = [quote for quote in anchored if quote is not None]
        if not found or len(found) < len(anchored):
            continue
        offsets[entry["id"]] = tuple(start for _, start in found)
        for cue in valid(TEXTS, entry.get("hedges", ())) or ():
            if not any(cue.lower() in quote.quote.lower() for quote, _ in found):
                problems.add(
                    entry.lines["hedges"], f"{what}: hedge cue {cue!r} does not occur in its evidence"
                )
    return offsets


def anchor_link_quotes(
    entry: LinedMap, key: str, what: str, source: str, text: str, problems: Problems
) -> tuple[str, ...]:
    """The ids ``key`` of ``entry`` (the YAML of an entity) links to with no evidence quote given;
    each quote that is given is looked for in ``text`` (the file ``source`` names) as a position's.

    >>> from graph.coding.lines import read_yaml_text
    >>> top = read_yaml_text("- id: p\\n  aims_at: [{id: drones, evidence: [drones]}, cats]\\n", "f.yaml")
    >>> problems = Problems("f.yaml")
    >>> anchor_link_quotes(top[0], "aims_at", "program 'p'", "f.txt", "It aims at drones.", problems)
    ('cats',)
    >>> problems.found
    []
    """
    links = entry.get(key)
    unquoted = []
    for link in links if isinstance(links, LinedList) else [links]:
        if isinstance(link, str):
            unquoted.append(link)
            continue
        if not isinstance(link, LinedMap):  # the schema has said what is wrong with it
            continue
        quotes = link.get("evidence")
        if not isinstance(quotes, LinedList) or not quotes:
            if isinstance(link.get("id"), str):
                unquoted.append(link["id"])
            continue
        for item, quote_line in zip(quotes, quotes.lines, strict=True):
            _anchor(item, quote_line, f"{what}: {key} '{link.get('id')}' evidence", source, text, problems)
    return tuple(unquoted)


def _anchor(
    item: Any, line: int, what: str, source: str, text: str, problems: Problems
) -> tuple[Quote, int] | None:
    """The evidence ``item`` and where it starts: its only occurrence, or the one it names."""
    quote = valid(EVIDENCE, item)
    if quote is None:
        return None
    exact, occurrence = quote.quote, quote.occurrence
    starts = occurrences(text, exact)
    if not starts:
        hint = _typography_hint(text, exact)
        problems.add(line, f"{what}: quote not found in {source}: {exact!r}{hint}")
        return None
    if occurrence is None and len(starts) > 1:
        offsets = ", ".join(str(start) for start in starts[:-1]) + f" and {starts[-1]}"
        problems.add(
            line,
            f"{what}: quote occurs {len(starts)} times in {source} (at offsets {offsets}); "
            f"say which with 'occurrence': {exact!r}",
        )
        return None
    if occurrence is not None and occurrence > len(starts):
        problems.add(line, f"{what}: occurrence {occurrence} but the quote occurs {len(starts)} time(s)")
        return None
    return quote, starts[(occurrence or 1) - 1]


def read_source(path: Path) -> str:
    """The text at ``path`` exactly as stored: no newline translation, so offsets index the file.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "t.txt").write_bytes(b"one\\r\\ntwo")
    ...     read_source(Path(folder) / "t.txt")
    'one\\r\\ntwo'
    """
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def sha256(text: str) -> str:
    """The hex SHA-256 of ``text`` in UTF-8: of the file it was read from, byte for byte.

    >>> sha256("test")
    '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def occurrences(text: str, quote: str) -> list[int]:
    """Where ``quote`` starts in ``text``, each time (overlapping ones included).

    >>> occurrences("abab ab", "ab")
    [0, 2, 5]
    """
    starts, start = [], text.find(quote)
    while start != -1:
        starts.append(start)
        start = text.find(quote, start + 1)
    return starts


def _typography_hint(text: str, quote: str) -> str:
    """A hint when the quote differs from the source only in quote marks or dashes."""
    start = text.translate(_PLAIN_TYPOGRAPHY).find(quote.translate(_PLAIN_TYPOGRAPHY))
    if start == -1:
        return ""
    return f" (the source has different quote marks or dashes: {text[start : start + len(quote)]!r})"
