"""A document's coding read back from a store and written as the YAML that ``stancegraph build`` reads.

:mod:`graph.coding.reverse` makes the data from the document's graphs; this reads those graphs
from any :class:`~graph.stores.base.Store` and writes the data as YAML in the committed files'
style: one blank line between entries, short lists of ids or words in flow style, the
stance's default value left out. Comments and quoting are not kept (RDF holds neither); the
order of entries and lists is the one of an earlier file of the coding when one is given
(:mod:`graph.coding.ordering`), else the export's own (:mod:`graph.coding.reverse`). Every
value is kept.

>>> from graph.stores.memory import MemoryStore
>>> from graph.dataset import load_embedded
>>> with MemoryStore() as store:
...     load_embedded(store)
...     text = export_coding(store, "golden-dome-canada")
>>> print(text.splitlines()[4])
  slug: golden-dome-canada
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph

from graph.coding.compile import ENTITIES_GRAPH
from graph.coding.history import StoredRevision, read_revisions, revisions_query
from graph.coding.load import Coding
from graph.coding.ordering import ordered_like
from graph.coding.quotes import occurrences, sha256
from graph.coding.reverse import Data, coding_data, entities_data, stored_text
from graph.coding.schema import CodingFile, EntityRegistry, Entry
from graph.errors import NotFoundError
from graph.formats import N_TRIPLES
from graph.namespaces import document_graph, inferred_graph, is_slug
from graph.results import select_all_solutions
from graph.stores.base import Store

HEADER = (
    "# Exported by `stancegraph export-coding` from the store: every value is kept, not the comments\n"
    "# (nor, unless exported over the file it was built from, the order of entries and lists).\n"
)
FLOW_WIDTH = 80  # a list of words or ids written inline when it fits in about this many characters
NOTE_WIDTH = 100  # where a long note is folded


def _graph(store: Store, name: str) -> Graph | None:
    if not store.has_graph(name):
        return None
    graph = Graph(identifier=name)
    graph.parse(data=store.get_graph(name, N_TRIPLES.media_type), format="nt")
    return graph


def stored_graphs(store: Store, slug: str) -> tuple[Graph, Graph | None]:
    """The document graph of ``slug`` and its /inferred graph (None when it has none).

    Raises :class:`~graph.errors.NotFoundError` naming ``slug`` when the store has no such document.
    """
    asserted = _graph(store, str(document_graph(slug))) if is_slug(slug) else None
    if asserted is None or len(asserted) == 0:
        raise NotFoundError(f"no document {slug!r} in the store (no graph {document_graph(slug)})")
    return asserted, _graph(store, str(inferred_graph(slug)))


def stored_registry(store: Store) -> Data:
    """The store's entity registry (the graph :data:`~graph.coding.compile.ENTITIES_GRAPH`) as data."""
    graph = _graph(store, str(ENTITIES_GRAPH))
    return entities_data(graph, None) if graph is not None else {}


def registry_entities(store: Store) -> dict[str, Entry]:
    """The store's registry entities by id, as models."""
    return {entry.id: entry for entry in EntityRegistry.model_validate(stored_registry(store)).entries()}


def stored_revisions(store: Store, position_ids: list[str]) -> dict[str, list[StoredRevision]]:
    """The stored revisions of each position, oldest first (none for a position never saved)."""
    answers = select_all_solutions(store, [revisions_query(position_id) for position_id in position_ids])
    return {
        position_id: read_revisions(rows) for position_id, rows in zip(position_ids, answers, strict=True)
    }


def _with_revisions(store: Store, data: Data) -> Data:
    """``data`` with ``replaces`` on each position the store has revisions of: the latest one's number."""
    positions = data.get("positions", [])
    revisions = stored_revisions(store, [position["id"] for position in positions])
    for position in positions:
        if revisions[position["id"]]:
            position["replaces"] = revisions[position["id"]][-1].number
    return data


def stored_coding(store: Store, slug: str, shared: dict[str, Entry] | None = None) -> Coding:
    """The coding of ``slug`` as the store holds it, checked by the models and ready to compile.

    ``shared``: the registry entities by id (default: the store's).
    """
    asserted, inferred = stored_graphs(store, slug)
    data = coding_data(asserted, inferred)
    file = CodingFile.model_validate(data)
    text = stored_text(asserted)
    offsets = {  # as the checks find them: the quote's one occurrence, or the one it names
        position.id: tuple(occurrences(text, q.quote)[(q.occurrence or 1) - 1] for q in position.evidence)
        for position in file.positions
    }
    registry = registry_entities(store) if shared is None else shared
    return Coding(Path(f"{slug}.yaml"), file, text, sha256(text), offsets, registry)


class _Flow(list[Any]):
    """A list written inline: ``[a, b]``."""


class _Quoted(str):
    """A text written in double quotes on one line: an evidence quote, as the committed files have them."""


class _Folded(str):
    """A long text folded over lines (``>-``): a note."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # lists indented under their key, as the committed files are

    def write_folded(self, text: str) -> None:
        # Only folded notes are wrapped; quotes and labels stay on their line, whatever their length.
        saved, self.best_width = self.best_width, NOTE_WIDTH
        try:
            super().write_folded(text)
        finally:
            self.best_width = saved


def _represent(style: str) -> Any:
    def represent(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
        return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)

    return represent


_Dumper.add_representer(
    _Flow, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)
_Dumper.add_representer(_Quoted, _represent('"'))
_Dumper.add_representer(_Folded, _represent(">"))
_PLAIN_ITEM = re.compile(r"[^\[\]{},:#'\"&*!|>%@`]+")


def _styled(value: Any, key: str = "") -> Any:
    """``value`` marked for its style: short lists of words inline, quotes quoted, long notes folded."""
    if isinstance(value, dict):
        return {name: _styled(item, name) for name, item in value.items()}
    if isinstance(value, list):
        texts = all(isinstance(item, str) and _PLAIN_ITEM.fullmatch(item) for item in value)
        if key != "evidence" and value and texts and len(", ".join(value)) + len(key) < FLOW_WIDTH:
            return _Flow(value)
        return [_styled(item, "quote" if key == "evidence" else key) for item in value]
    if isinstance(value, str) and key == "quote":
        return _Quoted(value)
    if isinstance(value, str) and key == "note" and len(value) > NOTE_WIDTH - 10:
        return _Folded(value)
    return value


def dump_yaml(data: Data, header: str = HEADER) -> str:
    """``data`` as a coding file's YAML: the sections apart, each entry apart, short lists inline.

    >>> print(dump_yaml({"threats": [{"id": "a", "label": "A", "aliases": ["x", "y"]},
    ...                              {"id": "b", "label": "B"}]}, header=""), end="")
    threats:
      - id: a
        label: A
        aliases: [x, y]
    <BLANKLINE>
      - id: b
        label: B
    """
    lines: list[str] = []
    for section, value in data.items():
        text = yaml.dump(
            {section: _styled(value)}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 16
        )
        for line in text.splitlines():
            if line.startswith("  - ") and lines and not lines[-1].endswith(":"):
                lines.append("")  # entries of a section apart, as in the committed files
            lines.append(line)
        lines.append("")
    text = header + ("\n" if header else "") + "\n".join(lines).rstrip("\n") + "\n"
    if yaml.safe_load(text) != data:  # never write what reads back as other values
        raise AssertionError("the YAML written does not read back as the coding")  # pragma: no cover
    return text


def earlier(path: Path | None) -> Any:
    """What the file at ``path`` says, as YAML reads it, to order an export like it; None when there
    is no such file or it is no YAML (then the export keeps its own order).

    >>> earlier(None) is None
    True
    """
    if path is None or not Path(path).is_file():
        return None
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return None


def export_coding(store: Store, slug: str, like: Path | None = None) -> str:
    """The YAML of the coding of document ``slug`` as the store holds it; ``like``: an earlier file of
    it, whose order of entries and lists the export keeps (:mod:`graph.coding.ordering`).

    Raises :class:`~graph.errors.NotFoundError` naming ``slug`` when the store has no such document.
    """
    asserted, inferred = stored_graphs(store, slug)
    return dump_yaml(ordered_like(_with_revisions(store, coding_data(asserted, inferred)), earlier(like)))


def export_registry(store: Store, like: Path | None = None) -> str:
    """The YAML of the store's entity registry (``entities.yaml``, ordered ``like`` an earlier one);
    NotFoundError when it has none."""
    data = stored_registry(store)
    if not data:
        raise NotFoundError(f"the store has no entity registry (no graph {ENTITIES_GRAPH})")
    return dump_yaml(ordered_like(data, earlier(like)))


def source_of(store: Store, slug: str) -> tuple[str, str]:
    """The path the coding of ``slug`` names its source by (relative to the file) and the stored text."""
    asserted, _ = stored_graphs(store, slug)
    info = coding_data(asserted)["document"]
    return str(info["source"]), stored_text(asserted)
