"""The coding file of a new source text, to fill in: what ``stancegraph add-document`` writes.

The document block is filled from what the caller knows of the text (title, date, publisher,
author, URL); every section is empty, with a comment saying what goes in it. The text is
checked to load as it is, so the coder starts from a valid file.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     source = Path(folder) / "sources" / "Herald 2025-03-14.txt"
...     source.parent.mkdir()
...     _ = source.write_text("A fictional text.", encoding="utf-8")
...     text = scaffold_coding(source, Path(folder), title="A “quoted” title", date="2025-03-14")
>>> print(text[text.index("document:") :].split("\\n\\n")[0])
document:
  slug: herald-2025-03-14
  title: "A “quoted” title"
  source: sources/Herald 2025-03-14.txt
  date: "2025-03-14"
  # publisher: as the source gives it
  # author: as the source gives it
  # url: as the source gives it
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from graph.coding.checks import RESERVED_SLUGS
from graph.coding.fields import Url
from graph.coding.lines import read_yaml_text
from graph.coding.load import checked_coding
from graph.coding.problems import keys_of
from graph.coding.schema import (
    ATTRIBUTIONS,
    SECTIONS,
    STAKEHOLDER_TYPES,
    STANCES,
    InferredLink,
    Model,
    Position,
)
from graph.coding.scope import REGISTRY_FILE, Scope
from graph.errors import ValidationFailedError
from graph.moments import parse_moment
from graph.namespaces import is_slug

URL: TypeAdapter[str] = TypeAdapter(Url)
_WHAT = {
    "stakeholders": "who holds positions or is named\n#   type: " + ", ".join(STAKEHOLDER_TYPES),
    "programs": "the programs the text discusses",
    "participation_proposals": "that a stakeholder joins a program: a target of positions of its own",
    "concerns": "the issues stakeholders worry about (broader: a wider concern)",
    "measures": "courses of action, status underReview or recommended",
    "threats": "what programs aim at or measures address",
}


def default_slug(source: Path) -> str:
    """The slug a coding of ``source`` is named by: its file name, lower-cased, runs of other
    characters as one ``-``.

    >>> default_slug(Path("sources/Herald 2025-03-14 (Wire).txt"))
    'herald-2025-03-14-wire'
    """
    return re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-")


def scaffold_coding(
    source: Path,
    coding_dir: Path,
    *,
    title: str,
    date: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
    url: str | None = None,
    slug: str | None = None,
) -> str:
    """The YAML of a new coding file for the text at ``source``, to be written as
    ``coding_dir / f"{slug}.yaml"`` (``slug`` defaults to :func:`default_slug` of ``source``; the
    file names ``source`` relative to ``coding_dir``).

    ``date`` is a year, a month, a day or a date-time with its time zone, as the source gives
    it. Raises :class:`~graph.errors.ValidationFailedError` naming the parameter at fault (a
    source text that cannot be read, an empty title, a bad date, URL or slug).
    """
    slug = default_slug(source) if slug is None else slug
    if not is_slug(slug):
        raise ValidationFailedError(f"slug {slug!r} is not a slug of a-z, 0-9 and '-'", parameter="slug")
    if slug in RESERVED_SLUGS:
        raise ValidationFailedError(
            f"slug {slug!r} is reserved: it names {RESERVED_SLUGS[slug]}", parameter="slug"
        )
    if not title.strip():
        raise ValidationFailedError("title: must be non-empty text", parameter="title")
    if date is not None:
        try:
            parse_moment(date)
        except ValueError as error:
            raise ValidationFailedError(f"date {date!r} {error}", parameter="date") from None
    if url is not None:
        try:
            URL.validate_python(url)
        except ValidationError:
            raise ValidationFailedError(
                f"url {url!r} must be an http or https URL", parameter="url"
            ) from None
    if not Path(source).is_file():
        raise ValidationFailedError(f"source text not found: {source}", parameter="source")
    relative = Path(os.path.relpath(Path(source).resolve(), Path(coding_dir).resolve())).as_posix()
    known = {"publisher": publisher, "author": author, "date": date, "url": url}
    text = _text(slug, title, relative, known)
    # The file must load as written: its source readable as UTF-8, every value as the schema wants.
    path = Path(coding_dir) / f"{slug}.yaml"
    try:
        checked_coding(path, read_yaml_text(text, str(path)), Scope(), {})
    except ValidationFailedError as error:
        raise ValidationFailedError(str(error), parameter="source") from None
    return text


def _scalar(value: str) -> str:
    # A JSON string is a YAML double-quoted scalar: any text, quoted safely.
    return json.dumps(value, ensure_ascii=False)


def _text(slug: str, title: str, source: str, known: dict[str, str | None]) -> str:
    lines = [
        f"# Coding of {_scalar(title)}.",
        "# Fill in the sections below. Every quote must occur verbatim in the source text",
        "# (`stancegraph validate` checks it); leave out what the source does not say.",
        f"# Entities other documents share live in {REGISTRY_FILE} beside this file: name them by id.",
        "",
        "document:",
        f"  slug: {slug}",
        f"  title: {_scalar(title)}",
        f"  source: {source if re.fullmatch(r'[A-Za-z0-9_./ -]+', source) else _scalar(source)}",
        *(f"  {key}: {_scalar(value)}" for key, value in known.items() if value is not None),
        *(f"  # {key}: as the source gives it" for key, value in known.items() if value is None),
        "",
    ]
    for section, model in SECTIONS.items():
        lines += [f"# {section}: {_WHAT[section]}", f"#   keys: {_keys(model)}", f"{section}: []", ""]
    lines += [
        "# positions: who holds which stance on what, with the quotes that show it.",
        f"#   keys: {_keys(Position)}",
        f"#   stance: {', '.join(STANCES)}",
        "#   value: -2..2, the stance's default if left out",
        f"#   attribution: {', '.join(ATTRIBUTIONS)}; valid_at: when the text dates the stance itself",
        "positions: []",
        "",
        "# inferred: links the text does not state, read by the analyst.",
        f"#   keys: {_keys(InferredLink)} (why), and one link key of the subject's kind",
        "inferred: []",
    ]
    return "\n".join(lines) + "\n"


def _keys(model: type[Model]) -> str:
    return ", ".join(keys_of(model))
