"""Code point offsets (the store's) against UTF-16 offsets (browsers'), both ways, and the refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.coding.offsets import Utf16Offsets, code_point_offset, utf16_offset
from graph.errors import ValidationFailedError

# Fictional sentences; the quotes of the seed article are curly and accented the same way.
ACCENTED = "Le ministre a déclaré « non » à Montréal."
COMBINING = "Le ministre a de\u0301clare\u0301 \u201cnon\u201d."  # e + U+0301, twice
EMOJI = "Ottawa \U0001f600 a dit \U0001f600\U0001f600 « non »."


def browser_offset(text: str, offset: int) -> int:
    """What a browser counts for ``text[:offset]``: its UTF-16 code units."""
    return len(text[:offset].encode("utf-16-le")) // 2


@pytest.mark.parametrize("text", [ACCENTED, COMBINING], ids=["accents", "combining-marks"])
def test_characters_of_the_basic_plane_count_the_same(text: str) -> None:
    offsets = Utf16Offsets(text)
    start = text.index("non")
    assert offsets.to_utf16(start) == start
    assert offsets.to_code_points(start) == start
    assert offsets.utf16_units == offsets.code_points == len(text)


def test_a_combining_mark_is_a_code_point_of_its_own() -> None:
    # "de\u0301clare\u0301" shows as "déclaré" but is two code points longer; both units count it.
    mark = COMBINING.index("\u0301")
    assert COMBINING.index("\u201cnon") == ACCENTED.index("« non") + 2
    assert utf16_offset(COMBINING, mark) == mark
    assert utf16_offset(COMBINING, mark + 1) == mark + 1 == browser_offset(COMBINING, mark + 1)


def test_each_character_outside_the_basic_plane_is_two_units() -> None:
    start = EMOJI.index("« non »")
    assert utf16_offset(EMOJI, start) == start + 3 == browser_offset(EMOJI, start)
    assert code_point_offset(EMOJI, start + 3) == start
    assert utf16_offset(EMOJI, EMOJI.index("\U0001f600")) == EMOJI.index("\U0001f600")  # before the first
    assert Utf16Offsets(EMOJI).utf16_units == len(EMOJI) + 3


def test_the_ends_of_the_text_are_offsets() -> None:
    offsets = Utf16Offsets(EMOJI)
    assert offsets.to_utf16(0) == offsets.to_code_points(0) == 0
    assert offsets.to_utf16(len(EMOJI)) == offsets.utf16_units
    assert offsets.to_code_points(offsets.utf16_units) == len(EMOJI)
    assert Utf16Offsets("").to_utf16(0) == Utf16Offsets("").to_code_points(0) == 0


def test_an_offset_inside_a_surrogate_pair_is_refused_naming_the_field() -> None:
    inside = EMOJI.index("\U0001f600") + 1  # between the high and the low surrogate
    with pytest.raises(ValidationFailedError) as refused:
        code_point_offset(EMOJI, inside, field="evidence.start")
    assert refused.value.parameter == "evidence.start"
    assert str(refused.value) == (
        f"evidence.start: UTF-16 offset {inside} falls inside the surrogate pair of U+1F600 "
        f"(at {inside - 1}-{inside + 1})"
    )


@pytest.mark.parametrize("offset", [-1, len(EMOJI) + 1])
def test_a_code_point_offset_out_of_range_is_refused(offset: int) -> None:
    with pytest.raises(ValidationFailedError, match=rf"^end: code point offset {offset} is out of range"):
        utf16_offset(EMOJI, offset, field="end")


@pytest.mark.parametrize("offset", [-1, len(EMOJI) + 4])
def test_a_utf16_offset_out_of_range_is_refused(offset: int) -> None:
    with pytest.raises(
        ValidationFailedError, match=rf"^start: UTF-16 offset {offset} is out of range"
    ) as refused:
        code_point_offset(EMOJI, offset, field="start")
    assert refused.value.parameter == "start"


@pytest.mark.parametrize("offset", [True, 1.0, "3"])
def test_an_offset_is_a_whole_number(offset: object) -> None:
    with pytest.raises(ValidationFailedError, match=r"^start: an offset is a whole number"):
        utf16_offset(EMOJI, offset, field="start")  # type: ignore[arg-type]


def test_a_lone_surrogate_in_the_text_is_one_unit() -> None:
    # A str may hold one (read with surrogateescape); a browser's string would count it as one unit.
    text = "a\ud800b"
    assert [utf16_offset(text, i) for i in range(4)] == [0, 1, 2, 3]


# Pieces of text: ASCII, an accent, a combining mark, a curly quote, CJK and two astral characters.
PIECES = st.sampled_from(["a", " ", "é", "\u0301", "\u201c", "中", "\U0001f600", "\U0001d11e"])


@given(st.lists(PIECES, max_size=40))
def test_both_directions_agree_with_the_encoding(pieces: list[str]) -> None:
    text = "".join(pieces)
    offsets = Utf16Offsets(text)
    assert offsets.utf16_units == len(text.encode("utf-16-le")) // 2
    for offset in range(len(text) + 1):
        units = offsets.to_utf16(offset)
        assert units == browser_offset(text, offset)
        assert offsets.to_code_points(units) == offset
    starts = {offsets.to_utf16(offset) for offset in range(len(text) + 1)}
    for units in set(range(offsets.utf16_units + 1)) - starts:  # the low halves of surrogate pairs
        with pytest.raises(ValidationFailedError, match="inside the surrogate pair"):
            offsets.to_code_points(units)
