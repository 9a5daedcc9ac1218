"""The coding file of a new source text: filled from what is known, empty sections, and it loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.coding import load_coding, scaffold_coding
from graph.coding.schema import SECTIONS
from graph.errors import ValidationFailedError

TEXT = "A fictional text, written for stancegraph's tests: the minister backs Shield.\n"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "sources" / "Herald 2025-03-14.txt"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_the_scaffold_loads_back_with_what_it_was_given(source: Path, tmp_path: Path) -> None:
    title = 'Minister: “Shield” is #1 — and "safe"\\ she says'
    text = scaffold_coding(
        source,
        tmp_path,
        title=title,
        date="2025-03-14",
        publisher="The Ruritanian Herald",
        author="Mira Kovač",
        url="https://example.org/herald/shield",
    )
    path = tmp_path / "herald-2025-03-14.yaml"
    path.write_text(text, encoding="utf-8")
    coding = load_coding(path)
    document = coding.document
    assert (document.slug, document.title, document.source) == (
        "herald-2025-03-14",
        title,
        "sources/Herald 2025-03-14.txt",
    )
    assert (document.publisher, document.author, document.url) == (
        "The Ruritanian Herald",
        "Mira Kovač",
        "https://example.org/herald/shield",
    )
    assert document.date is not None and (document.date.lexical, document.date.precision) == (
        "2025-03-14T00:00:00Z",
        "day",
    )
    assert coding.source_text == TEXT
    assert coding.file.entries() == () and coding.file.positions == () and coding.file.inferred == ()
    for section in [*SECTIONS, "positions", "inferred"]:
        assert f"\n{section}: []\n" in text
        assert f"# {section}: " in text  # says what goes in it


def test_what_is_not_known_is_left_out_and_a_source_elsewhere_is_named_relatively(
    source: Path, tmp_path: Path
) -> None:
    codings = tmp_path / "codings"
    codings.mkdir()
    text = scaffold_coding(source, codings, title="Untitled", slug="herald-piece")
    path = codings / "herald-piece.yaml"
    path.write_text(text, encoding="utf-8")
    document = load_coding(path).document
    assert document.source == "../sources/Herald 2025-03-14.txt"
    assert (document.date, document.publisher, document.author, document.url) == (None, None, None, None)
    assert "  # date: as the source gives it\n" in text


@pytest.mark.parametrize(
    ("given", "parameter", "message"),
    [
        ({"date": "14 March"}, "date", "date '14 March' must be a year (2025), a month (2025-03), "),
        ({"date": "2025-03-14T09:30"}, "date", "date '2025-03-14T09:30' has no time zone"),
        ({"url": "example.org/x"}, "url", "url 'example.org/x' must be an http or https URL"),
        ({"title": "  "}, "title", "title: must be non-empty text"),
        ({"slug": "Herald"}, "slug", "slug 'Herald' is not a slug of a-z, 0-9 and '-'"),
        ({"slug": "ontology"}, "slug", "slug 'ontology' is reserved: it names the ontology's graph"),
    ],
)
def test_a_bad_value_is_refused_naming_its_parameter(
    given: dict[str, str], parameter: str, message: str, source: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        scaffold_coding(source, tmp_path, **{"title": "T", **given})
    assert caught.value.parameter == parameter
    assert str(caught.value).startswith(message)


def test_a_source_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailedError, match="source text not found") as missing:
        scaffold_coding(tmp_path / "missing.txt", tmp_path, title="T")
    assert missing.value.parameter == "source"
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"caf\xe9")
    with pytest.raises(ValidationFailedError, match="cannot be read: 'utf-8' codec") as unreadable:
        scaffold_coding(latin, tmp_path, title="T")
    assert unreadable.value.parameter == "source"
