"""A position's history, its retraction and the restoring of any revision: nothing is ever deleted.

A retraction removes the position from its document graph (queries and networks no longer see
it) and records a revision saying so, its content that of the revision it retracts; a restore
makes a new revision equal to an earlier one (:func:`~graph.coding.editing.save_position`).

>>> from graph.dataset import load_embedded
>>> from graph.stores.memory import MemoryStore
>>> with MemoryStore() as store:
...     load_embedded(store)
...     [seed] = position_history(store, "canada-in-talks-to-join-golden-dome")
...     gone = retract_position(store, "canada-in-talks-to-join-golden-dome", coder="rui", reason="a test")
...     back = restore_position(store, "canada-in-talks-to-join-golden-dome", 0, coder="rui", reason="undo")
...     revisions = position_history(store, "canada-in-talks-to-join-golden-dome")
>>> [(r.revision, r.coder, r.retracted) for r in revisions]
[(0, None, False), (1, 'rui', True), (2, 'rui', False)]
>>> seed.reason, gone.position is None, back.position["stance"]
('as imported', True, 'considers')
"""

from __future__ import annotations

from graph.coding.editing import SavedPosition, save_position
from graph.coding.history import (
    IMPORTED,
    Revision,
    StoredRevision,
    history_graph,
    revision_triples,
    shown,
)
from graph.coding.position_store import (
    WRITING,
    check_may_edit,
    check_reason,
    check_replaces,
    coded_snapshot,
    document_text,
    drop,
    forget_mentions,
    history_update,
    insert_when,
    now,
    position_state,
    unmade,
    visible_in_registry,
    write_revision,
)
from graph.coding.store_checks import defined
from graph.errors import ConflictError, NotFoundError
from graph.stores.base import Store


def _revisions(store: Store, position_id: str) -> tuple[str, bool, list[StoredRevision]]:
    """The document of ``position_id``, whether its graph codes it now, and every revision (a seed's
    implicit revision 0 included)."""
    state = position_state(store, position_id)
    assert state.document is not None
    revisions = state.revisions
    if not revisions:
        text = document_text(store, state.document)
        seed = coded_snapshot(store, position_id, state.document, text)
        revisions = [
            StoredRevision(0, str(history_graph(state.document)), None, None, IMPORTED, seed, False, None)
        ]
    return state.document, state.coded, revisions


def position_history(store: Store, position_id: str) -> list[Revision]:
    """Every revision of ``position_id``, oldest first, each with its diff against the one before.

    NotFoundError for an id no position has had.
    """
    return shown(_revisions(store, position_id)[2])


def retract_position(
    store: Store,
    position_id: str,
    *,
    coder: str,
    reason: str,
    replaces: int | None = None,
    edit_others: bool = True,
) -> SavedPosition:
    """Retract ``position_id``: gone from its document graph, a revision recording that (and who, why).

    ConflictError when it is retracted already or ``replaces`` is stale; PermissionDeniedError as
    for :func:`~graph.coding.editing.save_position`.
    """
    check_reason(reason)
    with WRITING:
        state = position_state(store, position_id)
        document = state.document
        assert document is not None
        if not state.coded:
            raise ConflictError(
                f"position {position_id!r} is retracted already (restore a revision to undo it)"
            )
        check_replaces(position_id, state, replaces)
        check_may_edit(position_id, state, coder, edit_others)
        text = document_text(store, document)
        before = (
            state.revisions[-1].position
            if state.revisions
            else coded_snapshot(store, position_id, document, text)
        )
        time = now()
        number = (state.current or 0) + 1
        history = history_update(position_id, document, state, before, time)
        history += revision_triples(
            position_id, number, before, coder=coder, time=time, reason=reason, retracted=True
        )
        refs = [before["holder"], before["target"], *before["regarding"]]
        found = defined(store, refs)
        registry = [ref for ref in dict.fromkeys(refs) if visible_in_registry(found, ref)]
        condition = unmade(position_id, document, number)
        update = drop(position_id, document, condition)
        if registry:
            update += forget_mentions(document, registry, condition) + " ;\n"
        update += insert_when({str(history_graph(document)): history}, condition)
        write_revision(store, update, position_id, document, number, time)
    return SavedPosition(position_id, number, coder, None)


def restore_position(
    store: Store,
    position_id: str,
    revision: int,
    *,
    coder: str,
    reason: str,
    edit_others: bool = True,
) -> SavedPosition:
    """A new revision of ``position_id`` equal to its revision ``revision`` (a retraction: retracted again).

    NotFoundError for a revision it never had.
    """
    document, _, revisions = _revisions(store, position_id)
    chosen = next((stored for stored in revisions if stored.number == revision), None)
    if chosen is None:
        numbers = ", ".join(str(stored.number) for stored in revisions)
        raise NotFoundError(f"position {position_id!r} has no revision {revision} (it has {numbers})")
    current = revisions[-1].number
    if chosen.retracted:
        return retract_position(
            store, position_id, coder=coder, reason=reason, replaces=current, edit_others=edit_others
        )
    return save_position(
        store,
        document,
        chosen.position,
        coder=coder,
        reason=reason,
        replaces=current,
        edit_others=edit_others,
    )
