"""The checks that need the whole file: ids unique and used for what they name, quotes in the source.

They read the YAML itself, entry by entry, so that they also run on entries the schema
refused a value of (one run names every problem); a value the schema refused is left to
its message. The source text is read as stored (``newline=""``), so offsets index the file's
own characters, curly quotes and dashes included.

>>> from graph.coding.lines import Problems, read_yaml
>>> from graph.coding.problems import schema_problems
>>> from graph.paths import DATA_DIR
>>> path = DATA_DIR / "golden-dome-canada.yaml"
>>> top, problems = read_yaml(path), Problems(str(path))
>>> anchored = check_file(top, schema_problems(top).unread, path, problems)
>>> problems.found, anchored.offsets["canada-in-talks-to-join-golden-dome"]
([], (151, 0))
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from graph.coding.fields import UNKNOWN_SUBJECT, Refs, Text, Texts
from graph.coding.lines import LinedList, LinedMap, Problems
from graph.coding.schema import (
    CONCERN_SCHEME,
    ENTITY_KINDS,
    SECTIONS,
    Entry,
    Evidence,
    Position,
    Quote,
    link_kinds,
)

T = TypeVar("T")
REFS: TypeAdapter[tuple[str, ...]] = TypeAdapter(Refs)
TEXT: TypeAdapter[str] = TypeAdapter(Text)
TEXTS: TypeAdapter[tuple[str, ...]] = TypeAdapter(Texts)
EVIDENCE = TypeAdapter(Evidence)

# Typographic characters and the plain ones an analyst may type instead; one for one, so offsets survive.
_PLAIN_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


@dataclass(frozen=True)
class Anchored:
    """The source text of a checked file, its SHA-256, and where each position's quotes start in it."""

    source: str  # the path the coding gives
    text: str
    sha256: str
    offsets: dict[str, tuple[int, ...]]  # position id -> offset of each evidence quote, in order


def check_file(
    top: LinedMap, unread: frozenset[tuple[str | int, ...]], path: Path, problems: Problems
) -> Anchored | None:
    """Check ``top`` (the YAML of the coding file at ``path``) across entries, noting each problem.

    ``unread``: the entries whose keys or id the schema refused, left out here. Returns the
    source text and the quotes' offsets, or None when the source could not be read.
    """
    checker = _Checker(top, unread, problems)
    source = checker.source(path)
    declared = checker.declare()
    for entry, model in declared:
        for key, kinds in link_kinds(model).items():
            checker.refs(entry, key, f"{model.kind} '{entry['id']}'", kinds)
    positions = [entry for entry, model in declared if model is Position]
    offsets = checker.quotes(positions, source) if source else {}
    checker.inferred()
    return replace(source, offsets=offsets) if source else None


class _Checker:
    def __init__(self, top: LinedMap, unread: frozenset[tuple[str | int, ...]], problems: Problems) -> None:
        self.top, self.unread, self.problems = top, unread, problems
        self.kinds: dict[str, str] = {}  # id -> kind
        self.first_line: dict[str, int] = {}

    def entries(self, section: str) -> Iterator[LinedMap]:
        """The entries of ``section`` that the schema read past their keys and id."""
        items = self.top.get(section)
        if isinstance(items, LinedList):
            for index, entry in enumerate(items):
                if isinstance(entry, LinedMap) and (section, index) not in self.unread:
                    yield entry

    def source(self, path: Path) -> Anchored | None:
        """The document's source text (no offsets yet), once its slug is checked against the file's name."""
        document = self.top.get("document")
        if not isinstance(document, LinedMap) or ("document",) in self.unread:
            return None
        slug = _valid(TEXT, document.get("slug"))
        if slug is not None and slug != path.stem:
            self.problems.add(
                document.lines["slug"], f"document slug '{slug}' must be the file's name '{path.stem}'"
            )
        source = _valid(TEXT, document.get("source"))
        if source is None:
            return None
        try:
            return Anchored(source, read_source(path.parent / source), _sha256(path.parent / source), {})
        except FileNotFoundError:
            self.problems.add(document.lines["source"], f"source text not found: {source}")
        except (OSError, UnicodeDecodeError) as error:
            self.problems.add(document.lines["source"], f"source text {source} cannot be read: {error}")
        return None

    def declare(self) -> list[tuple[LinedMap, type[Entry] | type[Position]]]:
        """Every entry with a unique id, section by section, so links may name entries further down."""
        declared: list[tuple[LinedMap, type[Entry] | type[Position]]] = []
        sections: list[tuple[str, type[Entry] | type[Position]]] = [
            *SECTIONS.items(),
            ("positions", Position),
        ]
        for section, model in sections:
            for entry in self.entries(section):
                entry_id, line = entry["id"], entry.lines["id"]
                if entry_id == CONCERN_SCHEME:
                    self.problems.add(line, f"id '{entry_id}' is reserved: it names the concern scheme")
                elif entry_id in self.kinds:
                    first = self.first_line[entry_id]
                    self.problems.add(line, f"duplicate id '{entry_id}' (first defined at line {first})")
                else:
                    self.kinds[entry_id], self.first_line[entry_id] = model.kind, line
                    declared.append((entry, model))
        return declared

    def refs(self, entry: LinedMap, key: str, what: str, kinds: frozenset[str]) -> tuple[str, ...] | None:
        """The ids ``key`` names, each checked to exist and to be of one of ``kinds``."""
        ids = _valid(REFS, entry[key]) if key in entry else ()
        for ref in ids or ():
            kind = self.kinds.get(ref)
            if kind is None:
                self.problems.add(
                    entry.lines[key], f"{what}: {key}: unknown id '{ref}' (expected {_expected(kinds)})"
                )
            elif kind not in kinds:
                self.problems.add(
                    entry.lines[key],
                    f"{what}: {key}: '{ref}' is {_article(kind)} (expected {_expected(kinds)})",
                )
        return ids

    def quotes(self, positions: Iterable[LinedMap], source: Anchored) -> dict[str, tuple[int, ...]]:
        """Where each position's quotes start in the source; its hedge cues checked against them."""
        offsets = {}
        for entry in positions:
            what, items = f"position '{entry['id']}'", entry["evidence"]
            if not isinstance(items, LinedList):
                continue
            anchored = [
                self.anchor(item, line, f"{what} evidence", source)
                for item, line in zip(items, items.lines, strict=True)
            ]
            found = [quote for quote in anchored if quote is not None]
            if not found or len(found) < len(anchored):
                continue
            offsets[entry["id"]] = tuple(start for _, start in found)
            for cue in _valid(TEXTS, entry.get("hedges", ())) or ():
                if not any(cue.lower() in quote.quote.lower() for quote, _ in found):
                    self.problems.add(
                        entry.lines["hedges"], f"{what}: hedge cue {cue!r} does not occur in its evidence"
                    )
        return offsets

    def anchor(self, item: Any, line: int, what: str, source: Anchored) -> tuple[Quote, int] | None:
        """The evidence ``item`` and where it starts: its only occurrence, or the one it names."""
        quote = _valid(EVIDENCE, item)
        if quote is None:
            return None
        exact, occurrence, text = quote.quote, quote.occurrence, source.text
        starts = occurrences(text, exact)
        if not starts:
            hint = _typography_hint(text, exact)
            self.problems.add(line, f"{what}: quote not found in {source.source}: {exact!r}{hint}")
            return None
        if occurrence is None and len(starts) > 1:
            offsets = ", ".join(str(start) for start in starts[:-1]) + f" and {starts[-1]}"
            self.problems.add(
                line,
                f"{what}: quote occurs {len(starts)} times in {source.source} (at offsets {offsets}); "
                f"say which with 'occurrence': {exact!r}",
            )
            return None
        if occurrence is not None and occurrence > len(starts):
            self.problems.add(
                line, f"{what}: occurrence {occurrence} but the quote occurs {len(starts)} time(s)"
            )
            return None
        return quote, starts[(occurrence or 1) - 1]

    def inferred(self) -> None:
        """Each inferred link: a declared entity as subject, and one link key valid for its kind."""
        what = "inferred link"
        for entry in self.entries("inferred"):
            subject = entry["subject"]
            if not isinstance(subject, str):  # the schema has said so
                continue
            kind = self.kinds.get(subject)
            if kind is None or kind == Position.kind:
                unknown = UNKNOWN_SUBJECT.format(what=what, value=repr(subject))
                self.problems.add(entry.lines["subject"], unknown)
                continue
            links = link_kinds(next(model for model in SECTIONS.values() if model.kind == kind))
            keys = [key for key in entry if key not in ("subject", "note")]
            if len(keys) != 1 or keys[0] not in links:
                valid = ", ".join(links) or "none"
                self.problems.add(
                    entry.line, f"{what}: give exactly one link key for {_article(kind)} (valid: {valid})"
                )
                continue
            ids = self.refs(entry, keys[0], what, links[keys[0]])
            if ids is not None and len(ids) != 1:
                self.problems.add(entry.lines[keys[0]], f"{what}: '{keys[0]}' must name exactly one id")


def _valid(adapter: TypeAdapter[T], value: Any) -> T | None:
    """``value`` as the schema reads it, or None when the schema refuses it (and says so itself)."""
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


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


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _expected(kinds: Iterable[str]) -> str:
    names = [_article(kind) for kind in ENTITY_KINDS if kind in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
