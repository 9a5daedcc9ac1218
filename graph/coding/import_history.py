"""The revisions an import of a coding file makes, and the stale files it refuses.

An import changes positions as saves in the browser do, so it records them the same way: each
position the file changes, adds or leaves out gets a new revision (by the importing coder,
naming the file as the reason; one left out is retracted), and the history stays whole across
the round trip. ``export-coding`` writes, on each position the store has revisions of,
``replaces``: the revision the file was made from. A file whose position is older than the
store's latest revision of it (a coder changed it in the browser after the export) would undo
that change: the import is refused, naming the position and the newer revision, unless forced.

>>> from graph.dataset import load_embedded
>>> from graph.paths import DATA_DIR
>>> from graph.coding.importing import check_coding_file
>>> from graph.stores.memory import MemoryStore
>>> with MemoryStore() as store:
...     load_embedded(store)
...     coding, _ = check_coding_file(DATA_DIR / "golden-dome-canada.yaml")
...     imported_revisions(store, coding, coder="ana", reason="the same file", force=False)
''
"""

from __future__ import annotations

from graph.coding.export import stored_coding, stored_revisions
from graph.coding.history import Snapshot, StoredRevision, revision_triples, snapshot
from graph.coding.load import Coding
from graph.coding.position_store import PositionState, history_update, now
from graph.errors import ConflictError, NotFoundError
from graph.stores.base import Store


def _snapshots(coding: Coding) -> dict[str, Snapshot]:
    return {p.id: snapshot(p, tuple(coding.offsets[p.id])) for p in coding.file.positions}


def _stale(position_id: str, newer: StoredRevision, replaces: int | None) -> str:
    made = f" by {newer.coder}" if newer.coder else ""
    made += f" at {newer.time}" if newer.time else ""
    what = "a retraction" if newer.retracted else "a change"
    of = f"revision {replaces}" if replaces else "before its first revision"
    return (
        f"position {position_id!r}: the store has revision {newer.number} ({what}{made}); the file is of {of}"
    )


def imported_revisions(store: Store, coding: Coding, *, coder: str, reason: str, force: bool) -> str:
    """The history triples (N-Triples) importing ``coding`` makes: one revision per position changed.

    ConflictError, listing each, when the file is older than the store's latest revision of a
    position it changes (``force``: import it anyway, as a newer revision).
    """
    slug = coding.document.slug
    try:
        stored = _snapshots(stored_coding(store, slug))
    except NotFoundError:  # a new document
        stored = {}
    given = _snapshots(coding)
    replaces = {p.id: p.replaces for p in coding.file.positions}
    ids = list(dict.fromkeys([*given, *stored]))
    histories = stored_revisions(store, ids)
    time, history, stale = now(), "", []
    for position_id in ids:
        before, after = stored.get(position_id), given.get(position_id)
        if before == after:
            continue
        state = PositionState(slug, position_id in stored, histories[position_id])
        current = state.current
        if state.revisions and state.revisions[-1].number > (replaces.get(position_id) or 0):
            stale.append(_stale(position_id, state.revisions[-1], replaces.get(position_id)))
        history += history_update(position_id, slug, state, before, time)
        number = 1 if current is None else current + 1
        shown = after if after is not None else before
        assert shown is not None  # both None is no change
        history += revision_triples(
            position_id, number, shown, coder=coder, time=time, reason=reason, retracted=after is None
        )
    if stale and not force:
        raise ConflictError(
            f"document {slug!r}: the file is older than the store for {len(stale)} position(s), and "
            "importing it would undo their newer revisions: " + "; ".join(stale) + ". Export the "
            "document again and redo the edits there, or import with --force to make the file's "
            "coding the newest revision"
        )
    return history
