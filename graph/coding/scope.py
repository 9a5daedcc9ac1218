"""Where every id of a corpus is defined, so that files can be checked against each other.

One id names one thing across the corpus: an entity of the registry (``entities.yaml``), an
entity of one document (scoped to it), a position, a piece of evidence or a document. Each
file's declarations are read from its YAML before any file is checked; the checks of
:mod:`graph.coding.checks` then tell a duplicate from a reference to another file's entity.

>>> from graph.coding.lines import read_yaml_text
>>> top = read_yaml_text('''document: {slug: d, title: T, source: d.txt}
... stakeholders: [{id: ruritania, label: Ruritania, type: Nation}]
... positions:
...   - {id: p, holder: ruritania, target: x, stance: supports, attribution: direct, evidence: [a, b]}
... ''', "d.yaml")
>>> [(entry_id, place.line, place.kind) for entry_id, place in declarations(top, "d.yaml")][:4]
[('d', 1, 'document'), ('ruritania', 2, 'stakeholder'), ('p', 4, 'position'), ('p-ev1', 4, 'evidence')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graph.coding.lines import LinedList, LinedMap
from graph.coding.schema import ENTITY_KINDS, SECTIONS

REGISTRY_FILE = "entities.yaml"
"""The name of the entity registry among the coding files of a folder."""
EVIDENCE_PARTS = ("", "-target", "-quote", "-pos")  # the ids the compiler gives evidence n of position p


@dataclass(frozen=True)
class Place:
    """Where an id is defined: file and line, the kind of thing, and (for entities) label and type."""

    file: str
    line: int
    kind: str  # an entity kind ("stakeholder", ...), "position", "evidence" or "document"
    label: str | None = None
    type: str | None = None  # a stakeholder's type
    what: str = ""  # for evidence and documents: "evidence 1 of position 'p'", "document 'd'"

    def at(self, file: str) -> str:
        """This place as seen from ``file``: ``line 7`` in the same file, else ``path:7``."""
        return f"line {self.line}" if file == self.file else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Scope:
    """The ids of a corpus: those of the registry, and where each id of the corpus is first defined.

    Files come in their order (the registry first); an id defined again later is a duplicate
    there. An empty scope checks one file on its own.
    """

    registry_file: str = REGISTRY_FILE
    shared: Mapping[str, Place] = field(default_factory=dict)  # the registry's ids
    first: Mapping[str, Place] = field(default_factory=dict)

    @classmethod
    def of(cls, registry: Path, files: Iterable[tuple[str, LinedMap]]) -> Scope:
        """The scope of ``files`` (name and YAML, in order); the registry is the one at ``registry``."""
        shared: dict[str, Place] = {}
        first: dict[str, Place] = {}
        for name, top in files:
            for entry_id, place in declarations(top, name):
                first.setdefault(entry_id, place)
                if name == str(registry):
                    shared.setdefault(entry_id, place)
        return cls(str(registry), shared, first)

    def elsewhere(self, entry_id: str, file: str) -> Place | None:
        """Where ``entry_id`` is first defined, if that is another file than ``file``."""
        place = self.first.get(entry_id)
        return place if place is not None and place.file != file else None


def declarations(top: LinedMap, file: str) -> Iterator[tuple[str, Place]]:
    """Every id the coding file (or registry) ``top`` defines, in order: its document, its entities
    section by section, its positions each followed by the ids of its evidence."""
    for entry_id, place, _ in declared_entries(top, file):
        yield entry_id, place


def declared_entries(
    top: LinedMap, file: str, skipped: frozenset[tuple[str | int, ...]] = frozenset()
) -> Iterator[tuple[str, Place, LinedMap]]:
    """:func:`declarations`, each with the mapping that defines it (for evidence, its position's);
    ``skipped``: the entries to leave out, as paths (``("positions", 3)``, ``("document",)``)."""
    document = top.get("document")
    if (
        isinstance(document, LinedMap)
        and isinstance(document.get("slug"), str)
        and ("document",) not in skipped
    ):
        slug = document["slug"]
        yield slug, Place(file, document.lines["slug"], "document", what=f"document '{slug}'"), document
    for section, model in SECTIONS.items():
        for entry in _entries(top, section, skipped):
            label, kind = entry.get("label"), entry.get("type")
            yield (
                entry["id"],
                Place(
                    file,
                    entry.lines["id"],
                    model.kind,
                    label if isinstance(label, str) else None,
                    kind if isinstance(kind, str) else None,
                ),
                entry,
            )
    for entry in _entries(top, "positions", skipped):
        yield entry["id"], Place(file, entry.lines["id"], "position"), entry
        for evidence_id, place in evidence_ids(entry, file):
            yield evidence_id, place, entry


def evidence_ids(position: LinedMap, file: str) -> Iterator[tuple[str, Place]]:
    """The ids the compiler gives the evidence of ``position`` and its parts, with their places."""
    items = position.get("evidence")
    if not isinstance(items, LinedList):
        return
    for number, line in enumerate(items.lines, start=1):
        what = f"evidence {number} of position '{position['id']}'"
        for part in EVIDENCE_PARTS:
            yield f"{position['id']}-ev{number}{part}", Place(file, line, "evidence", what=what)


def _entries(top: LinedMap, section: str, skipped: frozenset[tuple[str | int, ...]]) -> Iterator[LinedMap]:
    items = top.get(section)
    if isinstance(items, LinedList):
        for index, entry in enumerate(items):
            named = isinstance(entry, LinedMap) and isinstance(entry.get("id"), str)
            if named and (section, index) not in skipped:
                yield entry


def duplicate(entry_id: str, here: Place, first: Place, registry_file: str) -> str:
    """The problem of ``entry_id`` defined ``here`` once more (first at ``first``), naming both places.

    >>> first = Place("entities.yaml", 3, "stakeholder", "United States", "Nation")
    >>> duplicate("us", Place("a.yaml", 9, "stakeholder", "United States of America"), first, "entities.yaml")
    "duplicate id 'us' (first defined at entities.yaml:3); one id has one label: 'United States' \
there, 'United States of America' here; a document names a registry entity by its id, without \
defining it again"
    """
    problem = f"duplicate id '{entry_id}'"
    if here.what:
        problem = f"{here.what}: {problem}"
    problem += f" (first defined at {first.at(here.file)}{', as ' + first.what if first.what else ''})"
    if first.kind != here.kind and {first.kind, here.kind} <= CODED:
        problem += f"; one id has one kind: {article(first.kind)} there, {article(here.kind)} here"
    elif first.label is not None and here.label is not None and first.label != here.label:
        problem += f"; one id has one label: {first.label!r} there, {here.label!r} here"
    if first.file == registry_file and here.file != registry_file and here.kind in ENTITY_KINDS:
        problem += "; a document names a registry entity by its id, without defining it again"
    return problem


def scoped(ref: str, place: Place, registry_file: str) -> str:
    """Why a file may not name ``ref``, an entity of another document defined at ``place``.

    >>> scoped("critics", Place("a.yaml", 7, "stakeholder", "Critics", "InterestGroup"), "entities.yaml")
    "'critics' is defined in another document (a.yaml:7) and scoped to it: move it to the registry \
(entities.yaml) to share it"
    """
    if place.kind not in ENTITY_KINDS:
        return f"'{ref}' is {article(place.kind)} of another file ({place.file}:{place.line})"
    if place.type == "UnidentifiedHolder":
        return (
            f"'{ref}' is an unidentified holder of another document ({place.file}:{place.line}), "
            "scoped to it: code this document's own"
        )
    return (
        f"'{ref}' is defined in another document ({place.file}:{place.line}) and scoped to it: "
        f"move it to the registry ({registry_file}) to share it"
    )


CODED = frozenset({*ENTITY_KINDS, "position"})  # the kinds an id clash is told by


def article(kind: str) -> str:
    """``kind`` with its indefinite article.

    >>> article("evidence"), article("stakeholder")
    ('an evidence', 'a stakeholder')
    """
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
