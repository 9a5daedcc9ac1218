"""The schema's refusals as a coder reads them: each names its line, the entry and the key.

pydantic says where a value failed as a path (``("positions", 3, "stance")``); the lined YAML
gives that path its line, and the entry it is in gives the sentence its subject.

An entry is read in steps: first its keys (one missing is reported alone: the entry cannot
be read without it), then its id (the entry is named by it), then its values. The entries
not read past the first two steps are ``unread``: the checks across the file leave them out.

>>> from graph.coding.lines import read_yaml_text
>>> top = read_yaml_text('''document: {slug: f, title: T, source: f.txt}
... positions:
...   - id: p
...     holder: a
...     target: b
...     stance: adores
...     attribution: direct
...     evidence: [quoted]
... ''', "f.yaml")
>>> [(line, problem)] = schema_problems(top).problems
>>> line, problem
(6, "position 'p': invalid stance 'adores' (valid: supports, recommends, proposes, ...)")
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from graph.coding.fields import Hint
from graph.coding.lines import LinedMap, line_at
from graph.coding.schema import (
    SECTIONS,
    CodingFile,
    Document,
    EntityRegistry,
    InferredLink,
    Link,
    Model,
    Position,
    Quote,
    link_kinds,
)

Path = tuple[str | int, ...]
KEY_ERRORS = frozenset({"missing", "extra_forbidden"})
# Reported by pydantic for a default computed from another key when that key failed: said already.
SAID_ELSEWHERE = frozenset({"default_factory_not_called"})
ENTRIES = frozenset({*SECTIONS, "positions"})  # the lists whose entries have an id


@dataclass(frozen=True)
class SchemaReport:
    """What the schema made of a file: the file, or its problems and the entries left unread."""

    file: CodingFile | EntityRegistry | None
    problems: list[tuple[int, str]]
    unread: frozenset[Path]


def schema_problems(top: LinedMap, root: type[CodingFile | EntityRegistry] = CodingFile) -> SchemaReport:
    """Validate ``top`` (a coding file's YAML, or the registry's) against ``root``; the problems
    with their lines.

    >>> from graph.coding.lines import read_yaml_text
    >>> report = schema_problems(read_yaml_text("document: {slug: f}", "f.yaml"))
    >>> report.problems[0], sorted(report.unread)
    ((1, "document: missing required key 'title'"), [('document',)])
    >>> schema_problems(read_yaml_text("positions: []", "entities.yaml"), EntityRegistry).problems[0][1]
    "unknown top-level key 'positions' (expected one of stakeholders, programs, ...)"
    """
    try:
        return SchemaReport(root.model_validate(top), [], frozenset())
    except ValidationError as error:
        details = [detail for detail in error.errors() if detail["type"] not in SAID_ELSEWHERE]
    # Where a key is missing, and which entries have a bad id (the root's missing key stops nothing).
    misread = {tuple(d["loc"][:-1]) for d in details if d["type"] == "missing" and len(d["loc"]) > 1}
    misnamed = {
        tuple(d["loc"][:-1])
        for d in details
        if len(d["loc"]) == 3 and d["loc"][-1] == "id" and d["loc"][0] in ENTRIES
    } - misread
    shown = [detail for detail in details if _shown(tuple(detail["loc"]), detail, misread, misnamed)]
    problems = [_problem(detail, top, root) for detail in shown]
    return SchemaReport(None, problems, frozenset(misread | misnamed))


def _under(path: Path, prefix: Path) -> bool:
    return path[: len(prefix)] == prefix


def _shown(loc: Path, detail: ErrorDetails, misread: set[Path], misnamed: set[Path]) -> bool:
    for prefix in misread:
        if _under(loc, prefix) and not (detail["type"] in KEY_ERRORS and loc[:-1] == prefix):
            return False
    return not any(_under(loc, prefix) and loc != (*prefix, "id") for prefix in misnamed)


def _problem(detail: ErrorDetails, top: LinedMap, root: type[Model]) -> tuple[int, str]:
    loc = tuple(detail["loc"])
    key = next((step for step in reversed(loc) if isinstance(step, str)), "")
    if detail["type"] in KEY_ERRORS:  # about the mapping the key is missing from or unknown in
        _, kind = describe(loc[:-1], top)
        model = _model_at(loc[:-1], root)
        if detail["type"] == "missing":
            where = f"{kind}: missing" if kind else "missing"
            return line_at(top, loc[:-1]), f"{where} required key '{key}'{_hint(model, key)}"
        where = f"{kind}: unknown key" if kind else "unknown top-level key"
        return line_at(top, loc), f"{where} '{key}' (expected one of {', '.join(keys_of(model))})"
    # Every other refusal is a template of graph.coding.fields (a test keeps pydantic's words out).
    what, kind = describe(loc, top)
    return line_at(top, loc), detail["msg"].format(what=what, kind=kind, key=key, value=repr(detail["input"]))


def describe(loc: Path, top: LinedMap) -> tuple[str, str]:
    """Who a problem at ``loc`` is about: the entry by its id (``position 'p'``), and its kind.

    >>> describe(("stakeholders", 0, "label"), LinedMap(stakeholders=[{"id": "canada"}]))
    ("stakeholder 'canada'", 'stakeholder')
    """
    if not loc:
        return "", ""
    if loc[0] == "document":
        return "document", "document"
    if loc[0] == "inferred":
        return "inferred link", "inferred link"
    model = SECTIONS.get(str(loc[0])) or (Position if loc[0] == "positions" else None)
    if model is None or len(loc) < 2:
        return "", ""
    entries = top.get(str(loc[0]))
    entry = entries[loc[1]] if isinstance(entries, list) and isinstance(loc[1], int) else None
    entry_id = entry.get("id") if isinstance(entry, dict) else None
    if model is Position and loc[2:3] == ("evidence",) and len(loc) > 3:
        return f"position '{entry_id}' evidence", f"position '{entry_id}' evidence"
    return f"{model.kind} '{entry_id}'", model.kind


def _model_at(path: Path, root: type[Model]) -> type[Model]:
    """The model of the mapping at ``path`` (one where a key was missing or unknown)."""
    if not path:
        return root
    if path[0] == "document":
        return Document
    if path[0] == "inferred":
        return InferredLink
    if path[0] == "positions":
        return Quote if len(path) > 2 else Position
    model = SECTIONS[str(path[0])]
    if len(path) > 2 and path[2] in link_kinds(model):  # a link given with its evidence, or one of its quotes
        return Quote if len(path) > 4 else Link
    return model


def keys_of(model: type[Model]) -> list[str]:
    """The keys of ``model``, the required ones first.

    >>> keys_of(Quote)
    ['quote', 'occurrence', 'garbled', 'note']
    """
    fields = model.model_fields
    return sorted(fields, key=lambda key: not fields[key].is_required())


def _hint(model: type[Model], key: str) -> str:
    field = model.model_fields.get(key)
    hints = [mark.text for mark in field.metadata if isinstance(mark, Hint)] if field else []
    return "".join(f" ({text})" for text in hints)
