"""Reading a coding file: the precise error of each broken file, naming its line, entry and key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graph.coding import load_coding
from graph.errors import CodingError

TEST_DATA = Path(__file__).resolve().parents[2] / "data"
BROKEN = TEST_DATA / "broken"
GOOD = TEST_DATA / "good" / "mini-article.yaml"
SOURCE = "../sources/mini-article.txt"
EXPECTED_KINDS = "a program, a participation proposal, a concern, a measure or a threat"

# fixture -> (line, problem): each broken file and the exact error it gives.
BROKEN_FILES = {
    "unknown-id": (17, "position 'critics-worry': holder: unknown id 'atlantis' (expected a stakeholder)"),
    "wrong-kind": (
        17,
        f"position 'critics-worry': target: 'ruritania' is a stakeholder (expected {EXPECTED_KINDS})",
    ),
    "missing-quote": (
        22,
        f"position 'ruritania-worries' evidence: quote not found in {SOURCE}: "
        "'Ruritania worries about cost.'",
    ),
    "straight-quotes": (
        22,
        f"position 'ruritania-worries' evidence: quote not found in {SOURCE}: "
        "'whether to join the \"Shield\" programme' "
        "(the source has different quote marks or dashes: 'whether to join the “Shield” programme')",
    ),
    "invalid-stance": (
        19,
        "position 'ruritania-worries': invalid stance 'adores' (valid: supports, recommends, proposes, "
        "optimistic, concerned, considers, assesses, monitors, mixed, framesAs, opposes)",
    ),
    "duplicate-id": (
        16,
        "duplicate id 'ruritania' (first defined at line 7); "
        "one id has one kind: a stakeholder there, a concern here",
    ),
    "yaml-syntax": (
        14,
        "YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence at line 13)",
    ),
    "ambiguous-quote": (
        22,
        f"position 'ruritania-worries' evidence: quote occurs 2 times in {SOURCE} (at offsets 224 and 250); "
        "say which with 'occurrence': 'Critics worry about cost'",
    ),
    "value-out-of-range": (20, "position 'ruritania-worries': value 5 is not an integer from -2 to 2"),
    "missing-key": (
        12,
        "threat: missing required key 'label'\n"
        "{file}:13: threat: unknown key 'lable' (expected one of id, label, aliases, note)",
    ),
    "several-problems": (
        18,
        f"position 'ruritania-worries': target: unknown id 'costs' (expected {EXPECTED_KINDS})\n"
        "{file}:20: position 'ruritania-worries': invalid attribution 'hearsay' "
        "(valid: direct, reported, unattributed, authorial)",
    ),
}


def test_every_broken_file_is_covered() -> None:
    assert {path.stem for path in BROKEN.glob("*.yaml")} == set(BROKEN_FILES)


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_broken_file_names_file_line_and_problem(name: str) -> None:
    path = BROKEN / f"{name}.yaml"
    line, problem = BROKEN_FILES[name]
    with pytest.raises(CodingError) as caught:
        load_coding(path)
    problem = problem.format(file=path)
    assert (caught.value.file, caught.value.line, caught.value.problem) == (str(path), line, problem)
    assert str(caught.value) == f"{path}:{line}: {problem}"


# Further checks, each shown by one edit of the good coding: (old text, new text) -> (line, problem).
EDITS = {
    "hedge cue not in evidence": (
        ("hedges: [could]", "hedges: [perhaps]"),
        (76, "position 'officials-support-joining': hedge cue 'perhaps' does not occur in its evidence"),
    ),
    "garbled without note": (
        ('        note: A word is lost after "second,".\n', ""),
        (
            94,
            "position 'newspaper-recommends-second-measure' evidence: "
            "a garbled quote needs a 'note' saying what is garbled",
        ),
    ),
    "inferred link without note": (
        ("    note: The text does not say what the exercises are for.\n", ""),
        (99, "inferred link: missing required key 'note' (say why the link is inferred)"),
    ),
    "misspelt key": (
        ("  - id: critics\n    label:", "  - id: critics\n    lable:"),
        (19, "stakeholder: missing required key 'label'"),
    ),
    "slug differs from file name": (
        ("slug: mini-article", "slug: another-article"),
        (3, "document slug 'another-article' must be the file's name 'mini-article'"),
    ),
    "source not found": (
        ("source: ../sources/mini-article.txt", "source: ../sources/missing.txt"),
        (5, "source text not found: ../sources/missing.txt"),
    ),
    "reserved id": (
        ("  - id: sovereignty\n", "  - id: concerns\n"),
        (45, "id 'concerns' is reserved: it names the concern scheme"),
    ),
    # What the schema refuses, in the coder's words: never pydantic's.
    "id not a slug": (
        ("  - id: drones\n", "  - id: Drones\n"),
        (49, "threat id 'Drones' is not a slug of a-z, 0-9 and '-'"),
    ),
    "empty label": (("label: Drones", 'label: " "'), (50, "threat 'drones': 'label' must be non-empty text")),
    "no label at all": (("label: Drones", "label:"), (50, "threat 'drones': 'label' must be non-empty text")),
    "aliases not texts": (
        ("aliases: [the critics]", "aliases: the critics"),
        (22, "stakeholder 'critics': 'aliases' must be a list of non-empty texts"),
    ),
    "unknown stakeholder type": (
        ("type: Nation", "type: Planet"),
        (
            10,
            "stakeholder 'ruritania': invalid type 'Planet' (valid: Nation, GovernmentBody, OfficialsGroup, "
            "Person, ExpertCommunity, InterestGroup, AuthorialVoice, UnidentifiedHolder)",
        ),
    ),
    "link not an id": (
        (
            'initiated_by: {id: defence-council, evidence: ["which the Defence Council launched"]}',
            "initiated_by: 7",
        ),
        (30, "program 'shield': 'initiated_by' must be an id, a link with its evidence, or a list of them"),
    ),
    "two holders": (
        ("holder: ruritania\n", "holder: [ruritania, critics]\n"),
        (63, "position 'ruritania-weighs-joining': 'holder' must name exactly one id"),
    ),
    "value not a number": (
        ("value: 1", "value: yes"),
        (74, "position 'officials-support-joining': value True is not an integer from -2 to 2"),
    ),
    "no evidence": (
        ('      - "Officials say the programme could protect the capital from drones."\n', ""),
        (
            77,
            "position 'officials-support-joining': 'evidence' must be a list of at least one quote",
        ),
    ),
    "empty quote": (
        ('"Officials say the programme could protect the capital from drones."', '""'),
        (78, "position 'officials-support-joining' evidence: a quote must be non-empty text"),
    ),
    "occurrence not a number": (
        ("occurrence: 2", "occurrence: second"),
        (
            87,
            "position 'critics-worry-about-sovereignty' evidence: 'occurrence' must be a whole number from 1",
        ),
    ),
    "occurrence past the last": (
        ("occurrence: 2", "occurrence: 3"),
        (
            86,
            "position 'critics-worry-about-sovereignty' evidence: "
            "occurrence 3 but the quote occurs 2 time(s)",
        ),
    ),
    "garbled not a flag": (
        ("garbled: true", "garbled: very"),
        (95, "position 'newspaper-recommends-second-measure' evidence: 'garbled' must be true or false"),
    ),
    "unknown evidence key": (
        ("occurrence: 2", "occurrence: 2\n        page: 3"),
        (
            88,
            "position 'critics-worry-about-sovereignty' evidence: unknown key 'page' "
            "(expected one of quote, occurrence, garbled, note)",
        ),
    ),
    "date not a date": (
        ("source: ../sources/mini-article.txt", "source: ../sources/mini-article.txt\n  date: soon"),
        (
            6,
            "document: date 'soon' must be a year (2025), a month (2025-03), a day (2025-03-14) "
            "or a date-time with its time zone (2025-03-14T09:30:00Z)",
        ),
    ),
    "date no such day": (
        ("source: ../sources/mini-article.txt", "source: ../sources/mini-article.txt\n  date: 2024-02-30"),
        (6, "document: date '2024-02-30' is no such date"),
    ),
    "date without time zone": (
        (
            "source: ../sources/mini-article.txt",
            "source: ../sources/mini-article.txt\n  date: 2024-05-17 10:00:00",
        ),
        (6, "document: date '2024-05-17T10:00:00' has no time zone: add Z (UTC) or an offset such as +01:00"),
    ),
    "url not a URL": (
        ("source: ../sources/mini-article.txt", "source: ../sources/mini-article.txt\n  url: example.org/x"),
        (6, "document: url 'example.org/x' must be an http or https URL"),
    ),
    "valid_at not a date": (
        ("    hedges: [could]\n", "    hedges: [could]\n    valid_at: last week\n"),
        (
            77,
            "position 'officials-support-joining': valid_at 'last week' must be a year (2025), a month "
            "(2025-03), a day (2025-03-14) or a date-time with its time zone (2025-03-14T09:30:00Z)",
        ),
    ),
    "id of an evidence taken": (
        ("  - id: drones\n", "  - id: ruritania-weighs-joining-ev1\n"),
        (
            69,
            "evidence 1 of position 'ruritania-weighs-joining': duplicate id 'ruritania-weighs-joining-ev1' "
            "(first defined at line 49)",
        ),
    ),
    "document not a mapping": (
        ("document:\n  slug: mini-article\n", "document: mini-article\nx:\n  slug: mini-article\n"),
        (2, "'document' must be a mapping of keys to values"),
    ),
    "unknown top-level key": (
        ("threats:", "dangers:"),
        (
            49,  # the line of its value, as for every key
            "unknown top-level key 'dangers' (expected one of document, stakeholders, programs, "
            "participation_proposals, concerns, measures, threats, positions, inferred)",
        ),
    ),
    "section not a list": (
        ("threats:\n  - id: drones\n    label: Drones\n", "threats: drones\n"),
        (48, "'threats' must be a list"),
    ),
    "entry not a mapping": (
        ("threats:\n  - id: drones\n    label: Drones\n", "threats:\n  - drones\n"),
        (49, "each entry of 'threats' must be a mapping of keys to values"),
    ),
    "no document": (
        ("document:\n  slug: mini-article\n  title:", "documents:\n  slug: mini-article\n  title:"),
        (2, "missing required key 'document'"),
    ),
    "evidence empty": (
        (
            '    evidence:\n      - "Officials say the programme could protect the capital from drones."\n',
            "    evidence: []\n",
        ),
        (77, "position 'officials-support-joining': 'evidence' must be a list of at least one quote"),
    ),
    "evidence item neither quote nor mapping": (
        ('"Officials say the programme could protect the capital from drones."', "5"),
        (78, "position 'officials-support-joining' evidence: a quote must be non-empty text"),
    ),
    "source not a file": (
        ("source: ../sources/mini-article.txt", "source: ../sources"),
        (5, "source text ../sources cannot be read: [Errno 21] Is a directory: '{folder}/data/../sources'"),
    ),
    "inferred subject unknown": (
        ("  - subject: joint-exercises\n", "  - subject: joint-drills\n"),
        (99, "inferred link: unknown subject 'joint-drills' (an entity of this file or of the registry)"),
    ),
    "inferred subject a list": (
        ("  - subject: joint-exercises\n", "  - subject: [joint-exercises]\n"),
        (
            99,
            "inferred link: unknown subject ['joint-exercises'] (an entity of this file or of the registry)",
        ),
    ),
    "inferred link key of another kind": (
        ("    addresses: sovereignty\n", "    member_of: sovereignty\n"),
        (99, "inferred link: give exactly one link key for a measure (valid: addresses, part_of)"),
    ),
    "inferred link to two": (
        ("    addresses: sovereignty\n", "    addresses: [sovereignty, cost]\n"),
        (100, "inferred link: 'addresses' must name exactly one id"),
    ),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_edited_coding_gives_its_precise_error(name: str, data_dir_with: Callable[..., Path]) -> None:
    (old, new), found = EDITS[name]
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    path = data_dir_with() / "mini-article.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CodingError) as caught:
        load_coding(path)
    # Each problem is a line "file:line: problem"; an edit may make others follow from it.
    problems = [line.removeprefix(f"{path}:").split(": ", 1) for line in str(caught.value).splitlines()]
    line, problem = found
    assert (line, problem.format(folder=path.parent.parent)) in [(int(n), text) for n, text in problems]


@pytest.mark.parametrize("value", ["5", "{}", "[1, 2]", "null", "2024-01-02"])
def test_no_refused_value_is_told_in_pydantic_words(value: str, data_dir_with: Callable[..., Path]) -> None:
    """The value of each key of the format replaced in turn: each refusal is one of its sentences."""
    lines = GOOD.read_text(encoding="utf-8").splitlines()
    path = data_dir_with() / "mini-article.yaml"
    keys = set()
    for number, line in enumerate(lines):
        key, colon, _ = line.partition(":")
        if not colon or key.strip(" -") in keys:
            continue
        keys.add(key.strip(" -"))
        edited = [*lines[:number], f"{key}: {value}", *lines[number + 1 :]]
        path.write_text("\n".join(edited) + "\n", encoding="utf-8")
        try:
            load_coding(path)
        except CodingError as error:
            assert "Input should" not in error.problem and "pydantic" not in error.problem, (line, error)
            assert error.line is not None


def test_a_missing_key_hides_the_entrys_other_problems(data_dir_with: Callable[..., Path]) -> None:
    path = data_dir_with() / "mini-article.yaml"
    text = GOOD.read_text(encoding="utf-8")
    edited = text.replace(
        "    status: recommended\n"
        "    note: The text does not say the exercises are part of joining Shield (inferred).",
        "    part_of: [1]",
    )
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(CodingError) as caught:
        load_coding(path)
    # Its id is not declared either: what names it says so.
    assert str(caught.value).splitlines() == [
        f"{path}:53: measure: missing required key 'status'",
        *(
            f"{path}:{line}: inferred link: unknown subject 'joint-exercises' "
            "(an entity of this file or of the registry)"
            for line in (98, 107)
        ),
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "1: a coding file is a mapping with keys document, stakeholders, programs, "),
        (b"- just\n- a list\n", "1: a coding file is a mapping with keys document, stakeholders, programs, "),
        (b"document: caf\xe9\n", "1: not UTF-8 text: 'utf-8' codec can't decode byte 0xe9 in position 13"),
    ],
)
def test_a_file_that_is_no_mapping_of_text_is_refused_whole(
    content: bytes, problem: str, data_dir_with: Callable[..., Path]
) -> None:
    path = data_dir_with() / "mini-article.yaml"
    path.write_bytes(content)
    with pytest.raises(CodingError) as caught:
        load_coding(path)
    assert str(caught.value).removeprefix(f"{path}:").lstrip().startswith(problem)
