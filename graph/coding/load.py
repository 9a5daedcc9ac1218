"""Reading one coding file: its YAML, the schema, the checks across the file, and its source text.

>>> from graph.paths import DATA_DIR
>>> coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
>>> coding.document.slug, coding.document.source
('golden-dome-canada', 'sources/golden-dome-canada.txt')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.coding.checks import check_file
from graph.coding.lines import LinedMap, Problems, read_yaml
from graph.coding.problems import schema_problems
from graph.coding.schema import CodingFile, Document, Entry
from graph.errors import CodingError


@dataclass(frozen=True)
class Coding:
    """A checked coding file together with its source text and where its quotes are in it."""

    path: Path
    file: CodingFile
    source_text: str
    sha256: str
    offsets: Mapping[str, tuple[int, ...]]  # position id -> offset of each evidence quote, in order

    @property
    def document(self) -> Document:
        return self.file.document

    def entity(self, entity_id: str) -> Entry:
        """The entity ``entity_id`` names (one of the file's, as the checks made sure)."""
        return next(entry for entry in self.file.entries() if entry.id == entity_id)


def load_coding(path: Path) -> Coding:
    """Read and check one coding file and its source text.

    Raises :class:`~graph.errors.CodingError` naming file, line and problem
    (every problem of the file, first one's line as ``.line``).

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
    top = read_yaml(path)
    if not isinstance(top, LinedMap):
        keys = ", ".join(CodingFile.model_fields)
        raise CodingError(str(path), 1, f"a coding file is a mapping with keys {keys}")
    problems = Problems(str(path))
    report = schema_problems(top)
    for line, problem in report.problems:
        problems.add(line, problem)
    anchored = check_file(top, report.unread, path, problems)
    problems.raise_if_any()
    assert report.file is not None and anchored is not None  # no problem noted, so both were read
    return Coding(path, report.file, anchored.text, anchored.sha256, anchored.offsets)
