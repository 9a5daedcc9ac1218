"""A folder of coding files read as one corpus: the entity registry and every document, checked together.

The folder holds one coding file per document (``<slug>.yaml``) and, optionally, the entity
registry ``entities.yaml``: the stakeholders, programs, concerns, measures and threats the
documents share, with the same sections as a coding file and no document. Across the corpus
an id names one thing (defined twice anywhere, it is an error naming both places); an entity
a document defines is that document's own, and another document naming it is told to move it
to the registry. Every problem of every file is raised at once, each with its file and line.

>>> from graph.paths import DATA_DIR
>>> corpus = load_corpus(DATA_DIR)
>>> corpus.registry is None, [coding.document.slug for coding in corpus.codings]
(True, ['golden-dome-canada'])
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.coding.lines import LinedMap, combined
from graph.coding.load import Coding, Registry, checked_coding, checked_registry, read_top
from graph.coding.schema import CodingFile, EntityRegistry
from graph.coding.scope import REGISTRY_FILE, Scope
from graph.errors import CodingError


@dataclass(frozen=True)
class Corpus:
    """The checked files of a folder: its registry (if it has one) and its documents, by file name."""

    registry: Registry | None
    codings: tuple[Coding, ...]


def corpus_files(data_dir: Path) -> list[Path]:
    """The coding files of ``data_dir`` in the order they are read: the registry first, then by name.

    >>> from graph.paths import DATA_DIR
    >>> [path.name for path in corpus_files(DATA_DIR)]
    ['golden-dome-canada.yaml']
    """
    paths = sorted(Path(data_dir).glob("*.yaml"))
    return sorted(paths, key=lambda path: path.name != REGISTRY_FILE)


def load_corpus(data_dir: Path) -> Corpus:
    """Read and check every coding file of ``data_dir`` (and its registry) against each other.

    Raises one :class:`~graph.errors.CodingError` listing every problem of every file, the
    first one's file and line as ``.file`` and ``.line``: first the files that cannot be read
    as YAML mappings at all, else every problem of the schema and of the checks.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "entities.yaml").write_text("threats:\\n  - {id: a, label: A}\\n")
    ...     _ = (Path(folder) / "other.yaml").write_text("threats:\\n  - {id: a, label: B}\\n")
    ...     load_corpus(Path(folder))
    Traceback (most recent call last):
    graph.errors.CodingError: .../other.yaml:1: missing required key 'document'
    .../other.yaml:2: duplicate id 'a' (first defined at .../entities.yaml:2); one id has one label: \
'A' there, 'B' here; a document names a registry entity by its id, without defining it again
    """
    registry_path = Path(data_dir) / REGISTRY_FILE
    tops: list[tuple[Path, LinedMap]] = []
    errors: list[CodingError | None] = []
    for path in corpus_files(data_dir):
        try:
            tops.append((path, read_top(path, EntityRegistry if path == registry_path else CodingFile)))
        except CodingError as error:
            errors.append(error)
    _raise(errors)
    scope = Scope.of(registry_path, [(str(path), top) for path, top in tops])
    registry: Registry | None = None
    codings: list[Coding] = []
    for path, top in tops:
        try:
            if path == registry_path:
                registry = checked_registry(path, top, scope)
            else:
                codings.append(checked_coding(path, top, scope, registry.entities if registry else {}))
        except CodingError as error:
            errors.append(error)
    _raise(errors)
    return Corpus(registry, tuple(codings))


def _raise(errors: list[CodingError | None]) -> None:
    error = combined(errors)
    if error is not None:
        raise error
