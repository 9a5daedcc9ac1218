"""The examples of a Markdown file: its fenced code blocks, shell blocks split into commands.

A shell block is split as the shell reads it: a command goes on while a quote
is open or a line ends with a backslash; comments and blank lines are no
command. Each example keeps the heading it is under and its line.

>>> [text for _, text in _commands(["curl -d 'a", "b' http://x  # a comment", "", "make test"], 1)]
["curl -d 'a\\nb' http://x  # a comment", 'make test']
>>> words(Example("Set-up", "sh", "curl 'http://x/?a=b'  # a comment", 3))
'curl http://x/?a=b'
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SHELL = ("sh", "bash", "shell")


@dataclass(frozen=True)
class Example:
    section: str
    language: str  # sh (one command), python or yaml (the whole block)
    text: str
    line: int  # where it starts in README.md

    def __str__(self) -> str:
        return f"README.md:{self.line}: {self.text.splitlines()[0]}"


def _commands(block: list[str], first_line: int) -> Iterator[tuple[int, str]]:
    pending: list[str] = []
    for number, line in enumerate(block, first_line):
        pending.append(line)
        text = "\n".join(pending)
        try:
            words = shlex.split(text, comments=True)
        except ValueError:  # a quote still open: the command goes on
            continue
        if line.endswith("\\"):
            continue
        if words:
            yield number - len(pending) + 1, text
        pending = []
    assert not pending, f"README.md:{first_line}: a command does not end"


def readme_examples(readme: Path) -> list[Example]:
    """Every example of ``readme``, in order; a block in a language not run here is an error."""
    examples: list[Example] = []
    section, language, start = "", None, 0
    block: list[str] = []
    for number, line in enumerate(readme.read_text(encoding="utf-8").splitlines(), 1):
        if language is None and (heading := re.match(r"#{2,3} (.+)", line)):
            section = heading.group(1)
        elif language is None and line.startswith("```"):
            language, block, start = line[3:].strip(), [], number + 1
        elif language is not None and line.startswith("```"):
            if language in SHELL:
                examples += [Example(section, "sh", text, at) for at, text in _commands(block, start)]
            elif language in ("python", "yaml"):
                examples.append(Example(section, language, "\n".join(block), start))
            else:
                assert language == "", f"README.md:{start}: examples in {language!r} are not run"
            language = None
        elif language is not None:
            block.append(line)
    return examples


def words(example: Example) -> str:
    """The command's words as the shell splits them, comments left out."""
    return " ".join(shlex.split(example.text, comments=True))
