"""Imports keep the history whole: a revision per position changed, stale files refused.

A coder exports a document, another changes a position in the browser (a save through the
coding API), then the first imports the file they edited: the import must not undo the newer
revision silently. Everything here runs on the seed in a memory store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graph.coding.editing import save_position
from graph.coding.export import export_coding
from graph.coding.importing import import_coding
from graph.coding.revising import position_history, retract_position
from graph.errors import ConflictError
from graph.namespaces import document_graph
from graph.paths import DATA_DIR
from graph.stores.memory import MemoryStore
from tests.graph.coding.test_round_trip import export_folder, store_of

SLUG = "golden-dome-canada"


def _first_position(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return dict(data["positions"][0])


def _edit_file(path: Path, position_id: str, **changes: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for position in data["positions"]:
        if position["id"] == position_id:
            position.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _save_in_browser(store: MemoryStore, position: dict[str, object], **changes: object) -> None:
    data = {key: value for key, value in position.items() if key != "replaces"} | changes
    save_position(store, SLUG, data, coder="bea", reason="read again")


def test_a_file_older_than_a_browser_edit_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    with store_of(DATA_DIR) as store:
        export_folder(store, [SLUG], tmp_path / "out", registry=False)
        path = tmp_path / "out" / f"{SLUG}.yaml"
        position = _first_position(path)
        _save_in_browser(store, position, note="a note from the browser")
        _edit_file(path, str(position["id"]), note="a note from the file")
        before = store.get_graph(str(document_graph(SLUG)), "application/n-triples")
        with pytest.raises(ConflictError) as refused:
            import_coding(store, path, coder="ana")
        message = str(refused.value)
        assert repr(position["id"]) in message and "revision 1" in message and "bea" in message
        assert store.get_graph(str(document_graph(SLUG)), "application/n-triples") == before
        assert len(position_history(store, str(position["id"]))) == 2  # the seed's 0 and bea's 1


def test_an_import_makes_a_revision_of_each_change_and_the_next_export_names_it(tmp_path: Path) -> None:
    with store_of(DATA_DIR) as store:
        export_folder(store, [SLUG], tmp_path / "out", registry=False)
        path = tmp_path / "out" / f"{SLUG}.yaml"
        position = _first_position(path)
        _save_in_browser(store, position, note="from the browser")
        path.write_text(export_coding(store, SLUG), encoding="utf-8")  # exported again: replaces 1
        assert _first_position(path)["replaces"] == 1
        _edit_file(path, str(position["id"]), note="edited in the file")
        import_coding(store, path, coder="ana")
        history = position_history(store, str(position["id"]))
        assert [(r.revision, r.coder) for r in history] == [(0, None), (1, "bea"), (2, "ana")]
        assert history[-1].reason == f"imported from {path.name}"
        assert history[-1].diff["note"] == ["from the browser", "edited in the file"]
        assert _first_position(Path(_exported(store, tmp_path)))["replaces"] == 2
        import_coding(store, path, coder="ana")  # the same file again: nothing changed, no revision
        assert len(position_history(store, str(position["id"]))) == 3


def test_a_position_left_out_of_the_file_is_retracted_and_one_retracted_comes_back(tmp_path: Path) -> None:
    with store_of(DATA_DIR) as store:
        export_folder(store, [SLUG], tmp_path / "out", registry=False)
        path = tmp_path / "out" / f"{SLUG}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kept, left_out = data["positions"][1:], data["positions"][0]
        path.write_text(yaml.safe_dump(data | {"positions": kept}, allow_unicode=True), encoding="utf-8")
        import_coding(store, path, coder="ana")
        history = position_history(store, left_out["id"])
        assert history[-1].retracted and history[-1].coder == "ana"
        # Retracted in the store after this export: the file that still has it is older.
        path.write_text(export_coding(store, SLUG), encoding="utf-8")
        second = _first_position(path)
        retract_position(store, str(second["id"]), coder="bea", reason="not a stance")
        with pytest.raises(ConflictError, match="a retraction by bea"):
            import_coding(store, path, coder="ana")
        import_coding(store, path, coder="ana", force=True)  # forced: the file's coding is the newest
        assert not position_history(store, str(second["id"]))[-1].retracted


def _exported(store: MemoryStore, tmp_path: Path) -> str:
    again = tmp_path / "again.yaml"
    again.write_text(export_coding(store, SLUG), encoding="utf-8")
    return str(again)
