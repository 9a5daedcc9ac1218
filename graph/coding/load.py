"""Reading one coding file: its YAML, the schema, the checks across the file, and its source text.

A file is read alone by :func:`load_coding`; in a corpus (:mod:`graph.coding.corpus`) it is
checked against what the other files define, and may name the registry's entities.

>>> from graph.paths import DATA_DIR
>>> coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
>>> coding.document.slug, coding.document.source
('golden-dome-canada', 'sources/golden-dome-canada.txt')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graph.coding.checks import check_file, check_registry
from graph.coding.lines import LinedMap, Problems, read_yaml
from graph.coding.problems import schema_problems
from graph.coding.schema import CodingFile, Document, EntityRegistry, Entry
from graph.coding.scope import Scope
from graph.errors import CodingError


@dataclass(frozen=True)
class Registry:
    """The checked entity registry: the entities the documents of a corpus share."""

    path: Path
    file: EntityRegistry

    @property
    def entities(self) -> dict[str, Entry]:
        """Its entities by id."""
        return {entry.id: entry for entry in self.file.entries()}


@dataclass(frozen=True)
class Coding:
    """A checked coding file together with its source text and where its quotes are in it.

    ``shared``: the registry's entities by id, which the file may name without defining them.
    """

    path: Path
    file: CodingFile
    source_text: str
    sha256: str
    offsets: Mapping[str, tuple[int, ...]]  # position id -> offset of each evidence quote, in order
    shared: Mapping[str, Entry] = field(default_factory=dict)

    @property
    def document(self) -> Document:
        return self.file.document

    def entity(self, entity_id: str) -> Entry:
        """The entity ``entity_id`` names: one of the file's, or of the registry (as the checks made sure)."""
        own = next((entry for entry in self.file.entries() if entry.id == entity_id), None)
        return own if own is not None else self.shared[entity_id]

    def shared_ids(self) -> list[str]:
        """The registry's entities this file names (as holder, target, link or inferred link), sorted.

        >>> from graph.paths import DATA_DIR
        >>> load_coding(DATA_DIR / "golden-dome-canada.yaml").shared_ids()
        []
        """
        own = {entry.id for entry in self.file.entries()}
        named: set[str] = set()
        for position in self.file.positions:
            named.update((position.holder, position.target, *position.regarding))
        for entry in self.file.entries():
            named.update(ref for refs in entry.links().values() for ref in refs)
        for link in self.file.inferred:
            named.update((link.subject, link.link()[1]))
        return sorted(ref for ref in named - own if ref in self.shared)


def read_top(path: Path, root: type[CodingFile | EntityRegistry] = CodingFile) -> LinedMap:
    """The YAML of the coding file (or, ``root`` EntityRegistry, the registry) at ``path``: a mapping.

    Raises :class:`~graph.errors.CodingError` for a file that is not UTF-8, not YAML or no mapping.
    """
    top = read_yaml(path)
    if not isinstance(top, LinedMap):
        what = "a coding file" if root is CodingFile else "the entity registry"
        raise CodingError(str(path), 1, f"{what} is a mapping with keys {', '.join(root.model_fields)}")
    return top


def load_coding(path: Path, scope: Scope | None = None, shared: Mapping[str, Entry] | None = None) -> Coding:
    """Read and check one coding file and its source text.

    ``scope``: what the other files of the corpus define (none: the file stands alone);
    ``shared``: the registry's entities. Raises :class:`~graph.errors.CodingError` naming
    file, line and problem (every problem of the file, first one's line as ``.line``).

    >>> from graph.paths import DATA_DIR
    >>> coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
    >>> coding.entity("canadian-officials").label
    'Canadian officials'
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     broken = Path(folder) / "broken.yaml"
    ...     _ = broken.write_text("document: [unclosed\\n", encoding="utf-8")
    ...     load_coding(broken)
    Traceback (most recent call last):
    graph.errors.CodingError: .../broken.yaml:2: YAML syntax error: expected ',' or ']', but got ...
    """
    path = Path(path)
    return checked_coding(path, read_top(path), scope or Scope(), shared or {})


def checked_coding(path: Path, top: LinedMap, scope: Scope, shared: Mapping[str, Entry]) -> Coding:
    """The coding file at ``path``, read as ``top``, checked against ``scope``; or its CodingError."""
    problems = Problems(str(path))
    report = schema_problems(top)
    for line, problem in report.problems:
        problems.add(line, problem)
    anchored = check_file(top, report.unread, path, problems, scope)
    problems.raise_if_any()
    assert isinstance(report.file, CodingFile) and anchored is not None  # no problem noted: both read
    return Coding(path, report.file, anchored.text, anchored.sha256, anchored.offsets, shared)


def checked_registry(path: Path, top: LinedMap, scope: Scope) -> Registry:
    """The entity registry at ``path``, read as ``top``, checked against ``scope``; or its CodingError."""
    problems = Problems(str(path))
    report = schema_problems(top, EntityRegistry)
    for line, problem in report.problems:
        problems.add(line, problem)
    check_registry(top, report.unread, path, problems, scope)
    problems.raise_if_any()
    assert isinstance(report.file, EntityRegistry)
    return Registry(path, report.file)
