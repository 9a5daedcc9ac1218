"""The checks that need more than one value: ids unique and used for what they name, quotes in the source.

They read the YAML itself, entry by entry, so that they also run on entries the schema
refused a value of (one run names every problem); a value the schema refused is left to
its message. In a corpus, a :class:`~graph.coding.scope.Scope` says what the other files
define: an id is unique across the corpus, a document may name the registry's entities,
and another document's entities are scoped to it.

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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import TypeAdapter

from graph.coding.fields import UNKNOWN_SUBJECT, Text
from graph.coding.lines import LinedList, LinedMap, Problems
from graph.coding.quotes import anchor_link_quotes, anchor_quotes, read_source, sha256, valid
from graph.coding.schema import CONCERN_SCHEME, ENTITY_KINDS, SECTIONS, Entry, Links, Position, link_kinds
from graph.coding.scope import Place, Scope, article, declared_entries, duplicate, scoped

LINKS = TypeAdapter(Links)
# The link keys that need no quote: a concern's place in the scheme is the analyst's ordering of
# the concepts, not a claim the text makes.
UNQUOTED_KEYS = frozenset({"broader"})
TEXT: TypeAdapter[str] = TypeAdapter(Text)
MODELS: dict[str, type[Entry] | type[Position]] = {
    **{model.kind: model for model in SECTIONS.values()},
    Position.kind: Position,
}
RESERVED_SLUGS = {"ontology": "the ontology's graph"}  # document slugs that would name another graph
Unread = frozenset[tuple[str | int, ...]]


@dataclass(frozen=True)
class Anchored:
    """The source text of a checked file, its SHA-256, and where each position's quotes start in it."""

    source: str  # the path the coding gives
    text: str
    sha256: str
    offsets: dict[str, tuple[int, ...]]  # position id -> offset of each evidence quote, in order


def check_file(
    top: LinedMap, unread: Unread, path: Path, problems: Problems, scope: Scope | None = None
) -> Anchored | None:
    """Check ``top`` (the YAML of the coding file at ``path``) across entries, noting each problem.

    ``unread``: the entries whose keys or id the schema refused, left out here; ``scope``: what
    the corpus's other files define (none: the file is checked on its own). Returns the
    source text and the quotes' offsets, or None when the source could not be read.
    """
    checker = _Checker(top, unread, str(path), problems, scope or Scope())
    source = checker.source(path)
    declared = checker.declare()
    checker.links(declared)
    positions = [entry for entry, model in declared if model is Position]
    offsets = anchor_quotes(positions, source.source, source.text, problems) if source else {}
    if source:
        checker.stated(declared, source)
    checker.inferred()
    return replace(source, offsets=offsets) if source else None


def check_registry(top: LinedMap, unread: Unread, path: Path, problems: Problems, scope: Scope) -> None:
    """Check the entity registry ``top`` (the file at ``path``): ids, links, and nothing scoped.

    An unidentified holder belongs to the document that leaves it unidentified, never to the
    registry.
    """
    checker = _Checker(top, unread, str(path), problems, scope)
    declared = checker.declare()
    checker.links(declared)
    for entry, model in declared:
        for key in link_kinds(model):
            if any(link.evidence for link in valid(LINKS, entry.get(key, ())) or ()):
                problems.add(
                    entry.lines[key],
                    f"{model.kind} '{entry['id']}': {key}: the registry has no text to quote: a link "
                    "with its evidence belongs to the coding of the document that states it",
                )
        if model.kind == "stakeholder" and entry.get("type") == "UnidentifiedHolder":
            problems.add(
                entry.lines["type"],
                f"stakeholder '{entry['id']}': an unidentified holder is scoped to the document that "
                "leaves it unidentified: define it there, not in the registry",
            )


class _Checker:
    def __init__(self, top: LinedMap, unread: Unread, file: str, problems: Problems, scope: Scope) -> None:
        self.top, self.unread, self.file, self.problems, self.scope = top, unread, file, problems, scope
        self.kinds: dict[str, str] = {}  # id -> kind, of this file's entities and positions
        self.places: dict[str, Place] = {}  # every id this file defines

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
        slug = valid(TEXT, document.get("slug"))
        if slug is not None and slug != path.stem:
            self.problems.add(
                document.lines["slug"], f"document slug '{slug}' must be the file's name '{path.stem}'"
            )
        elif slug in RESERVED_SLUGS:
            self.problems.add(
                document.lines["slug"], f"document slug '{slug}' is reserved: it names {RESERVED_SLUGS[slug]}"
            )
        source = valid(TEXT, document.get("source"))
        if source is None:
            return None
        try:
            text = read_source(path.parent / source)
        except FileNotFoundError:
            self.problems.add(document.lines["source"], f"source text not found: {source}")
        except (OSError, UnicodeDecodeError) as error:
            self.problems.add(document.lines["source"], f"source text {source} cannot be read: {error}")
        else:
            return Anchored(source, text, sha256(text), {})
        return None

    def declare(self) -> list[tuple[LinedMap, type[Entry] | type[Position]]]:
        """Every entry with an id unique in the corpus, section by section, so links may name
        entries further down; each id defined twice is noted where it is defined again."""
        declared: list[tuple[LinedMap, type[Entry] | type[Position]]] = []
        repeated: set[int] = set()  # the positions defined again: their evidence ids repeat too
        told: set[tuple[int, str]] = set()  # one problem for an evidence item, not one per part
        for entry_id, place, node in declared_entries(self.top, self.file, self.unread):
            if place.kind == "evidence" and (id(node) in repeated or (id(node), place.what) in told):
                continue
            if entry_id == CONCERN_SCHEME and place.kind in MODELS:
                self.problems.add(place.line, f"id '{entry_id}' is reserved: it names the concern scheme")
                continue
            first = self.places.get(entry_id) or self.scope.elsewhere(entry_id, self.file)
            if first is not None:
                self.problems.add(place.line, duplicate(entry_id, place, first, self.scope.registry_file))
                repeated.add(id(node))
                told.add((id(node), place.what))
            if entry_id in self.places:
                continue
            self.places[entry_id] = place
            if place.kind in MODELS:
                self.kinds[entry_id] = place.kind
                declared.append((node, MODELS[place.kind]))
        return declared

    def links(self, declared: Iterable[tuple[LinedMap, type[Entry] | type[Position]]]) -> None:
        """Every link of the declared entries: to an id that exists, of a kind the key may name."""
        for entry, model in declared:
            for key, kinds in link_kinds(model).items():
                self.refs(entry, key, f"{model.kind} '{entry['id']}'", kinds)

    def stated(
        self, declared: Iterable[tuple[LinedMap, type[Entry] | type[Position]]], source: Anchored
    ) -> None:
        """Every link of the declared entities stated with its quotes, each found in the source text."""
        for entry, model in declared:
            what = f"{model.kind} '{entry['id']}'"
            for key in link_kinds(model).keys() - UNQUOTED_KEYS if model is not Position else ():
                if key not in entry or valid(LINKS, entry[key]) is None:  # absent, or the schema said why
                    continue
                for ref in anchor_link_quotes(entry, key, what, source.source, source.text, self.problems):
                    self.problems.add(
                        entry.lines[key],
                        f"{what}: {key} '{ref}' has no quote: a link the text states is given with its "
                        f"evidence ({{id: {ref}, evidence: [...]}}); one it does not state goes under "
                        "'inferred', with the reason",
                    )

    def kind_of(self, ref: str, line: int, what: str) -> str | None:
        """The kind of what ``ref`` names here (this file's or the registry's); ``""``, the problem
        noted, for an id scoped to another document; None, nothing noted, for an unknown id."""
        if ref in self.kinds:
            return self.kinds[ref]
        if ref in self.scope.shared:
            return self.scope.shared[ref].kind
        elsewhere = self.scope.elsewhere(ref, self.file)
        if elsewhere is not None:
            self.problems.add(line, f"{what}{scoped(ref, elsewhere, self.scope.registry_file)}")
            return ""
        return None

    def refs(self, entry: LinedMap, key: str, what: str, kinds: frozenset[str]) -> tuple[str, ...] | None:
        """The ids ``key`` names, each checked to exist and to be of one of ``kinds``."""
        ids = _ids(entry[key]) if key in entry else ()
        for ref in ids or ():
            kind = self.kind_of(ref, entry.lines[key], f"{what}: {key}: ")
            if kind is None:
                self.problems.add(
                    entry.lines[key], f"{what}: {key}: unknown id '{ref}' (expected {_expected(kinds)})"
                )
            elif kind and kind not in kinds:
                self.problems.add(
                    entry.lines[key],
                    f"{what}: {key}: '{ref}' is {article(kind)} (expected {_expected(kinds)})",
                )
        return ids

    def inferred(self) -> None:
        """Each inferred link: a declared entity as subject, and one link key valid for its kind."""
        what = "inferred link"
        for entry in self.entries("inferred"):
            subject = entry["subject"]
            if not isinstance(subject, str):  # the schema has said so
                continue
            kind = self.kind_of(subject, entry.lines["subject"], f"{what}: subject ")
            if kind == "":
                continue
            if kind is None or kind not in ENTITY_KINDS:
                unknown = UNKNOWN_SUBJECT.format(what=what, value=repr(subject))
                self.problems.add(entry.lines["subject"], unknown)
                continue
            links = link_kinds(next(model for model in SECTIONS.values() if model.kind == kind))
            keys = [key for key in entry if key not in ("subject", "note")]
            if len(keys) != 1 or keys[0] not in links:
                valid_keys = ", ".join(links) or "none"
                self.problems.add(
                    entry.line, f"{what}: give exactly one link key for {article(kind)} (valid: {valid_keys})"
                )
                continue
            ids = self.refs(entry, keys[0], what, links[keys[0]])
            if ids is not None and len(ids) != 1:
                self.problems.add(entry.lines[keys[0]], f"{what}: '{keys[0]}' must name exactly one id")


def _ids(value: object) -> tuple[str, ...] | None:
    """The ids a link key names (a list of ids, or of links with their evidence); None if unreadable."""
    links = valid(LINKS, value)
    return tuple(link.id for link in links) if links is not None else None


def _expected(kinds: Iterable[str]) -> str:
    names = [article(kind) for kind in ENTITY_KINDS if kind in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
