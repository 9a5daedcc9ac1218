"""The write API of the coding model on real stores: positions saved, edited, retracted, restored; every
refusal leaving the store as it was; history with diffs; the coding as of a time; exports that re-import.

The test document (tests/data/sources/coding-unicode.txt) is fictional, written for these tests:
accents, combining marks and characters outside the BMP, whose UTF-16 offsets differ from code points.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.coding.as_of import view_as_of
from graph.coding.editing import read_position, save_position
from graph.coding.export import export_coding, export_registry
from graph.coding.importing import check_coding_file, unsaid
from graph.coding.new_entries import save_document, save_entity
from graph.coding.offsets import utf16_offset
from graph.coding.revising import position_history, restore_position, retract_position
from graph.dataset import load_embedded
from graph.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from graph.read import PositionFilter, positions
from graph.stores import Store, open_store
from tests.graph.conftest import remote_store_for

SOURCE = Path(__file__).parents[1] / "data" / "sources" / "coding-unicode.txt"
TEXT = SOURCE.read_text(encoding="utf-8")
DOC = "fictional-zembla"
PACT = "the drone pact 🛩️"
HEDGED = "could perhaps 𝔴𝔬𝔯𝔨 for now"
REPEATED = "the council opposes the pact"


@pytest.fixture(params=["memory", "disk", "remote"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The embedded data and a fictional document with its entities, on a store of each kind (remote: an
    Oxigraph server started for the test)."""
    if request.param == "remote":
        opened = remote_store_for(request.getfixturevalue("oxigraph_server"))
    elif request.param == "disk":
        opened = open_store("disk", path=tmp_path / "disk")
    else:
        opened = open_store("memory")
    load_embedded(opened)
    save_document(opened, {"slug": DOC, "title": "Zémbla (fictional)"}, TEXT, coder="ada", reason="test")
    entity = {"id": "fictional-ministry", "label": "Zémbla ministry", "type": "GovernmentBody"}
    save_entity(opened, "stakeholders", entity, coder="ada", reason="registry")
    council = {"id": "zembla-council", "label": "Zémbla council", "type": "GovernmentBody"}
    save_entity(opened, "stakeholders", council, coder="ana", reason="test", document=DOC)
    save_entity(
        opened,
        "threats",
        {"id": "drone-pact", "label": "The drone pact"},
        coder="ana",
        reason="t",
        document=DOC,
    )
    yield opened
    opened.close()


def dump(store: Store) -> list[str]:
    """Every quad, sorted: what must not change when a write is refused."""
    body = store.query(
        "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", results_media_type="text/tab-separated-values"
    ).read()
    return sorted(body.decode().splitlines())


def position(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "holder": "zembla-council",
        "target": "drone-pact",
        "stance": "opposes",
        "attribution": "direct",
        "evidence": [{"quote": PACT, "start": utf16_offset(TEXT, TEXT.index(PACT))}],
    }
    return data | changes


def save(store: Store, data: dict[str, Any], **options: Any) -> Any:
    options = {"coder": "ana", "reason": "test", "offsets": "utf16"} | options
    return save_position(store, DOC, data, **options)


def test_a_position_saved_with_utf16_offsets_is_stored_in_code_points(store: Store) -> None:
    saved = save(store, position())
    assert (saved.id, saved.revision, saved.coder) == ("zembla-council-opposes-drone-pact", 1, "ana")
    listed = positions(store, PositionFilter(document=DOC))["items"]
    [evidence] = next(item for item in listed if item["id"] == saved.id)["evidence"]
    assert evidence["start"] == TEXT.index(PACT) and evidence["end"] == TEXT.index(PACT) + len(PACT)
    assert saved.position is not None
    assert saved.position["evidence"][0]["start"] == utf16_offset(TEXT, TEXT.index(PACT))  # as sent


def test_combining_marks_and_astral_hedges_anchor_at_python_offsets(store: Store) -> None:
    data = position(
        stance="considers",
        hedges=["perhaps"],
        attribution="reported",
        evidence=[{"quote": HEDGED, "start": TEXT.index(HEDGED), "end": TEXT.index(HEDGED) + len(HEDGED)}],
    )
    saved = save(store, data, offsets="code_points")
    assert saved.position is not None
    [evidence] = saved.position["evidence"]
    assert evidence["start"] == TEXT.index(HEDGED) and "Re\u0301ne\u0301" in TEXT
    assert saved.position == read_position(store, saved.id)  # made without reading it back, as read


REFUSED: dict[str, tuple[dict[str, Any], tuple[str | int, ...]]] = {
    "wrong-quote": (position(evidence=[{"quote": "the drone pact 🚀"}]), ("evidence", 0, "quote")),
    "straight-quotes": (position(evidence=['said it "firmly opposes']), ("evidence", 0, "quote")),
    # Code points where UTF-16 units are asked: after the astral letters, they differ.
    "code-points-as-utf16": (
        position(evidence=[{"quote": "for now", "start": TEXT.index("for now")}]),
        ("evidence", 0, "start"),
    ),
    "inside-surrogates": (
        position(evidence=[{"quote": "again", "start": utf16_offset(TEXT, TEXT.index("😀")) + 1}]),
        ("evidence", 0, "start"),
    ),
    "wrong-end": (
        position(evidence=[{"quote": PACT, "start": utf16_offset(TEXT, TEXT.index(PACT)), "end": 3}]),
        ("evidence", 0, "end"),
    ),
    "ambiguous": (position(evidence=[REPEATED]), ("evidence", 0, "quote")),
    "unknown-holder": (position(holder="atlantis"), ("holder",)),
    "holder-of-another-document": (position(holder="analysts"), ("holder",)),
    "target-a-stakeholder": (position(target="fictional-ministry"), ("target",)),
    "value-out-of-range": (position(value=3), ("value",)),
    "unknown-stance": (position(stance="adores"), ("stance",)),
    "hedge-not-in-evidence": (position(hedges=["maybe"]), ("hedges", 0)),
    "unknown-key": (position(colour="red"), ("colour",)),
    "id-of-an-entity": (position(id="drone-pact"), ("id",)),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_every_refusal_names_its_field_and_writes_nothing(store: Store, case: str) -> None:
    data, field = REFUSED[case]
    before = dump(store)
    with pytest.raises(FieldError) as refused:
        save(store, data)
    assert refused.value.field == field, refused.value
    assert dump(store) == before


def test_refusals_of_documents_reasons_coders_and_stale_revisions_write_nothing(store: Store) -> None:
    saved = save(store, position())
    before = dump(store)
    with pytest.raises(NotFoundError):
        save_position(store, "no-such-document", position(), coder="ana", reason="x")
    with pytest.raises(FieldError) as no_reason:
        save(store, position(), reason=" ")
    assert no_reason.value.field == ("reason",)
    with pytest.raises(PermissionDeniedError, match="edit_others"):
        save(store, position(id=saved.id, stance="considers"), coder="bea", edit_others=False)
    with pytest.raises(ConflictError, match="revision 1, not 0"):
        save(store, position(id=saved.id, stance="considers"), replaces=0)
    with pytest.raises(PermissionDeniedError):  # a seed position is nobody's
        retract_position(
            store, "canada-in-talks-to-join-golden-dome", coder="ana", reason="x", edit_others=False
        )
    assert dump(store) == before


def test_edits_retractions_and_restores_are_revisions_with_diffs(store: Store) -> None:
    total = positions(store)["total"]
    first = save(store, position())
    second = save(store, position(id=first.id, stance="considers"), replaces=1, coder="rui")
    assert positions(store)["total"] == total + 1  # revisions are no positions
    gone = retract_position(store, first.id, coder="ana", reason="misread", replaces=2)
    assert first.id not in {item["id"] for item in positions(store, PositionFilter(document=DOC))["items"]}
    back = restore_position(store, first.id, 1, coder="rui", reason="it was right")
    assert (second.revision, gone.revision, back.revision) == (2, 3, 4)
    history = position_history(store, first.id)
    assert [(r.revision, r.coder, r.retracted) for r in history] == [
        (1, "ana", False),
        (2, "rui", False),
        (3, "ana", True),
        (4, "rui", False),
    ]
    assert history[1].diff == {"stance": ["opposes", "considers"], "value": [-2, 0]}
    assert history[2].diff == {"retracted": [False, True]}
    assert history[3].diff == {
        "stance": ["considers", "opposes"],
        "value": [0, -2],
        "retracted": [True, False],
    }
    assert back.position is not None and back.position["stance"] == "opposes"


def test_a_seed_position_has_revision_0_as_imported(store: Store) -> None:
    seed = "canada-in-talks-to-join-golden-dome"
    [imported] = position_history(store, seed)
    assert (imported.revision, imported.coder, imported.reason) == (0, None, "as imported")
    edited = save_position(
        store,
        "golden-dome-canada",
        imported.position | {"note": "Checked (a test edit)."},
        coder="rui",
        reason="note",
        replaces=0,
    )
    assert edited.revision == 1
    assert position_history(store, seed)[1].diff == {
        "note": [imported.position["note"], "Checked (a test edit)."]
    }


def test_as_of_shows_the_coding_as_it_stood(store: Store) -> None:
    def stance_at(moment: datetime.datetime) -> str | None:
        items = positions(view_as_of(store, moment), PositionFilter(document=DOC))["items"]
        return next((item["stance"] for item in items if item["id"] == saved.id), None)

    before = datetime.datetime.now(datetime.UTC)
    saved = save(store, position())
    between = datetime.datetime.now(datetime.UTC)
    save(store, position(id=saved.id, stance="considers"), replaces=1)
    retract_position(store, saved.id, coder="ana", reason="gone")
    assert (stance_at(before), stance_at(between)) == (None, "opposes")
    assert stance_at(datetime.datetime.now(datetime.UTC)) is None
    assert view_as_of(store, before - datetime.timedelta(days=1)) is not store


def test_after_saves_the_export_builds_and_reimports_cleanly(store: Store, tmp_path: Path) -> None:
    save(store, position())
    save(store, position(evidence=[{"quote": REPEATED, "occurrence": 2}], attribution="reported"))
    save(store, position(holder="fictional-ministry", evidence=["Officials said"], attribution="reported"))
    save_entity(
        store,
        "stakeholders",
        {"id": "fictional-ministry", "label": "Zémbla ministry (renamed)", "type": "GovernmentBody"},
        coder="ada",
        reason="rename",
    )
    assert unsaid(store, DOC) == 0  # the renamed holder's position relabelled too
    folder = tmp_path / "export"
    (folder / "sources").mkdir(parents=True)
    (folder / f"{DOC}.yaml").write_text(export_coding(store, DOC), encoding="utf-8")
    (folder / "entities.yaml").write_text(export_registry(store), encoding="utf-8")
    (folder / "sources" / f"{DOC}.txt").write_text(TEXT, encoding="utf-8", newline="")
    coding, _ = check_coding_file(folder / f"{DOC}.yaml")
    assert len(coding.file.positions) == 3


def test_documents_are_refused_with_another_text(store: Store) -> None:
    assert save_document(store, {"slug": DOC, "title": "again"}, TEXT, coder="ana", reason="x") == DOC
    with pytest.raises(ConflictError):
        save_document(store, {"slug": DOC, "title": "again"}, TEXT + "!", coder="ana", reason="x")
    with pytest.raises(FieldError) as bad:
        save_document(store, {"slug": "Not A Slug", "title": "t"}, "text", coder="ana", reason="x")
    assert bad.value.field == ("document", "slug")
