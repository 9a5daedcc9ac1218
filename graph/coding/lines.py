"""YAML read with the line of every node, so that a problem can name the line it is on.

>>> data = read_yaml_text("document:\\n  slug: x\\npositions:\\n  - id: a\\n  - id: b\\n", "f.yaml")
>>> data.lines["document"], data["positions"].lines
(2, [4, 5])
>>> line_at(data, ("positions", 1, "id")), line_at(data, ("positions", 7))
(5, 4)
>>> read_yaml_text("date: 2025-02-30", "f.yaml")
{'date': '2025-02-30'}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from graph.errors import CodingError


class LinedMap(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each value (1-based)."""

    line: int
    lines: dict[str, int]


class LinedList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    line: int
    lines: list[int]


class Problems:
    """The problems found in one coding file, raised together as one CodingError.

    >>> problems = Problems("f.yaml")
    >>> problems.add(9, "second"); problems.add(3, "first")
    >>> problems.raise_if_any()
    Traceback (most recent call last):
    graph.errors.CodingError: f.yaml:3: first
    f.yaml:9: second
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[tuple[int, str]] = []

    def add(self, line: int, problem: str) -> None:
        self.found.append((line, problem))

    def error(self) -> CodingError | None:
        """The problems as one CodingError, in the order of their lines; None if there are none."""
        if not self.found:
            return None
        # A stable sort: problems on one line keep the order they were found in.
        (line, problem), *rest = sorted(self.found, key=lambda found: found[0])
        more = "".join(f"\n{self.file}:{other_line}: {other}" for other_line, other in rest)
        return CodingError(self.file, line, problem + more)

    def raise_if_any(self) -> None:
        error = self.error()
        if error is not None:
            raise error


def combined(errors: Iterable[CodingError | None]) -> CodingError | None:
    """The errors of several files as one, file after file: the first one's file and line lead.

    >>> print(combined([CodingError("a.yaml", 3, "first"), None, CodingError("b.yaml", 1, "second")]))
    a.yaml:3: first
    b.yaml:1: second
    """
    found = [error for error in errors if error is not None]
    if not found:
        return None
    first, *rest = found
    return CodingError(first.file, first.line, first.problem + "".join(f"\n{error}" for error in rest))


def read_yaml(path: Path) -> Any:
    """The YAML file at ``path`` as Python values, mappings and lists carrying their lines.

    Raises :class:`~graph.errors.CodingError` for text that is not UTF-8, a syntax error
    or a key given twice in one mapping.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = bytes(error.object[: error.start]).count(b"\n") + 1  # the line of the first bad byte
        raise CodingError(str(path), line, f"not UTF-8 text: {error}") from error
    return read_yaml_text(text, str(path))


def read_yaml_text(text: str, file: str) -> Any:
    """``text`` as Python values, mappings and lists carrying their lines; ``file`` names it in errors.

    >>> read_yaml_text("a: 1\\na: 2\\n", "f.yaml")
    Traceback (most recent call last):
    graph.errors.CodingError: f.yaml:2: duplicate key 'a'
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = f"YAML syntax error: {error.problem or error.context}"
        if error.problem and error.context and error.context_mark:  # where the unfinished construct began
            problem += f" ({error.context} at line {error.context_mark.line + 1})"
        raise CodingError(file, line, problem) from error
    problems = Problems(file)
    scalars = yaml.constructor.SafeConstructor()  # turns scalar nodes into ints, bools, dates and text

    def plain(node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            mapping = LinedMap()
            mapping.line, mapping.lines = node.start_mark.line + 1, {}
            for key_node, value_node in node.value:
                key = str(scalars.construct_object(key_node))
                if key in mapping:
                    problems.add(key_node.start_mark.line + 1, f"duplicate key '{key}'")
                mapping[key] = plain(value_node)
                mapping.lines[key] = value_node.start_mark.line + 1
            return mapping
        if isinstance(node, yaml.SequenceNode):
            sequence = LinedList(plain(item) for item in node.value)
            sequence.line = node.start_mark.line + 1
            sequence.lines = [item.start_mark.line + 1 for item in node.value]
            return sequence
        try:
            return scalars.construct_object(node)
        except ValueError:  # a timestamp YAML cannot make (2025-02-30): its text, for the schema to refuse
            return node.value

    value = plain(node) if node is not None else None
    problems.raise_if_any()
    return value


def line_at(root: LinedMap, path: Sequence[str | int]) -> int:
    """The line of the node at ``path`` under ``root``, or of the deepest node on the way that exists.

    >>> line_at(read_yaml_text("a:\\n  - x\\n  - y\\n", "f.yaml"), ("a", 1, "z"))
    3
    """
    node: Any = root
    line = root.line
    for step in path:
        in_map = isinstance(node, LinedMap) and isinstance(step, str) and step in node
        in_list = isinstance(node, LinedList) and isinstance(step, int) and 0 <= step < len(node)
        if not (in_map or in_list):
            break
        line, node = node.lines[step], node[step]
    return line
