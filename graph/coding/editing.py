"""The write API of the coding model for positions: save, retract, restore, each one store update.

A position sent as JSON (:mod:`graph.coding.position_input`) is checked as a build checks a
coding file: the format, its quotes at their offsets in the document's text, its ids known and
of the right kind (:mod:`graph.coding.store_checks`). Only what the position names is read,
and only the position is compiled, so a save costs a few small queries and one update
whatever the size of the store. Each change is a revision (:mod:`graph.coding.history`);
an edit names the revision it was made to (``replaces``), so that two coders cannot overwrite
each other silently (:class:`~graph.errors.ConflictError`).

>>> from graph.dataset import load_embedded
>>> from graph.stores.memory import MemoryStore
>>> new = {"holder": "analysts", "target": "golden-dome", "stance": "supports", "attribution": "direct",
...        "evidence": [{"quote": "Golden Dome", "occurrence": 2}]}
>>> with MemoryStore() as store:
...     load_embedded(store)
...     saved = save_position(store, "golden-dome-canada", new, coder="ana", reason="a test")
...     edited = save_position(store, "golden-dome-canada", {**new, "id": saved.id, "stance": "opposes"},
...                            coder="ana", reason="misread", replaces=1)
>>> saved.id, saved.revision, edited.revision, edited.position["value"]
('analysts-supports-golden-dome', 1, 2, -2)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.coding.history import (
    StoredRevision,
    history_graph,
    read_revisions,
    revision_triples,
    revisions_query,
    snapshot,
)
from graph.coding.position_input import CheckedPosition, Offsets, checked_position
from graph.coding.position_store import (
    WRITING,
    PositionState,
    check_may_edit,
    check_reason,
    check_replaces,
    coded_snapshot,
    compiled_position,
    document_text,
    drop,
    forget_mentions,
    history_update,
    insert_when,
    now,
    old_registry_refs,
    position_state,
    state_of,
    unmade,
    visible_in_registry,
    write_revision,
)
from graph.coding.position_view import in_utf16, position_view
from graph.coding.schema import TARGET, Position
from graph.coding.store_checks import Definition, check_ref, defined_query, definitions
from graph.errors import ConflictError, FieldError
from graph.namespaces import SG, document_graph, entity
from graph.read.positions import assembled, named_in, page_of_positions
from graph.read.shapes import Position as PositionView
from graph.read.summaries import summaries
from graph.results import select_all_solutions
from graph.stores.base import Store
from graph.stores.latest import latest_reads


@dataclass(frozen=True)
class SavedPosition:
    """What a save did: the position's id, its revision now, who made it, the position as REST shows it
    (None once retracted)."""

    id: str
    revision: int
    coder: str
    position: PositionView | None


def _fresh_id(position: Position, found: Mapping[str, list[Definition]], candidates: list[str]) -> str:
    for candidate in candidates:
        if candidate not in found and f"{candidate}-ev1" not in found:
            return candidate
    raise FieldError([(("id",), "no free id for this position: give one")])


def _candidates(position: Position) -> list[str]:
    base = f"{position.holder}-{position.stance}-{position.target}"[:90].strip("-")
    return [base, *(f"{base}-{number}" for number in range(2, 10))]


def _check_id_free(
    position_id: str, document: str, evidence: int, found: Mapping[str, list[Definition]]
) -> None:
    """The id and its evidence ids name nothing else in the corpus."""
    for definition in found.get(position_id, []):
        if definition.kind != "position":
            raise FieldError(
                [(("id",), f"id '{position_id}' already names {definition.kind} '{position_id}'")]
            )
        if definition.document != document:
            raise FieldError(
                [(("id",), f"position '{position_id}' is coded in document '{definition.document}'")]
            )
    for number in range(1, evidence + 1):
        for definition in found.get(f"{position_id}-ev{number}", []):
            if definition.document != document:
                raise FieldError(
                    [(("id",), f"id '{position_id}-ev{number}' already names {definition.kind}")]
                )


def _checked(
    store: Store, document: str, data: Any, offsets: Offsets
) -> tuple[CheckedPosition, dict[str, list[Definition]], list[StoredRevision], str]:
    text = document_text(store, document)
    checked = checked_position(data, text, offsets)
    position = checked.position
    ids = [position.holder, position.target, *position.regarding]
    own = [position.id] if checked.given_id else _candidates(position)
    own += [f"{entry}-ev{n}" for entry in own[:1] for n in range(1, len(position.evidence) + 1)]
    queries = [defined_query([*ids, *own])]
    if checked.given_id:
        queries.append(revisions_query(position.id))
    rows, *history = select_all_solutions(store, queries)
    found = definitions(rows)
    if not checked.given_id:
        position = position.model_copy(update={"id": _fresh_id(position, found, _candidates(position))})
        checked = CheckedPosition(position, checked.starts, False)
    return checked, found, read_revisions(history[0]) if history else [], text


def save_position(
    store: Store,
    document: str,
    data: Mapping[str, Any],
    *,
    coder: str,
    reason: str,
    offsets: Offsets = "code_points",
    replaces: int | None = None,
    edit_others: bool = True,
    new: bool = False,
) -> SavedPosition:
    """Create the position ``data`` in ``document``, or edit it when its id exists: one new revision.

    ``offsets``: the unit of the evidence's ``start`` and ``end`` (``utf16`` for a browser);
    ``replaces``: the revision the edit was made to (stale: ConflictError); ``edit_others``:
    whether ``coder`` may edit another coder's position (else PermissionDeniedError); ``new``:
    only create (ConflictError for an id a position has had).
    Refused data raises FieldError naming the field; nothing is written unless all is well.
    """
    check_reason(reason)
    reads = latest_reads(store)  # what this save checks must be the state it writes to
    with WRITING:
        checked, found, revisions, text = _checked(reads, document, data, offsets)
        position = checked.position
        state = (
            state_of(position.id, found, revisions) if checked.given_id else PositionState(None, False, [])
        )
        if new and (state.coded or state.revisions):
            raise ConflictError(
                f"position '{position.id}' exists already (revision {state.current or 0}): "
                "edit it, restore it, or give the new position another id"
            )
        if state.document not in (None, document):
            raise FieldError([(("id",), f"position '{position.id}' is coded in document '{state.document}'")])
        _check_id_free(position.id, document, len(position.evidence), found)
        check_replaces(position.id, state, replaces)
        check_may_edit(position.id, state, coder, edit_others)
        labels: dict[str, str] = {}
        for loc, ref, kinds in (
            (("holder",), position.holder, frozenset({"stakeholder"})),
            (("target",), position.target, TARGET),
            *((("regarding", n), ref, TARGET) for n, ref in enumerate(position.regarding)),
        ):
            labels[ref] = check_ref(found, ref, kinds, document, loc).label or ref
        before = state.revisions[-1].position if state.revisions else None
        if before is None and state.coded:
            before = coded_snapshot(reads, position.id, document, text)
        after = snapshot(position, checked.starts)
        named = summaries(reads, {str(entity(ref)) for ref in labels})
        view = position_view(position, checked.starts, document, text, named)
        if offsets == "utf16":
            view = in_utf16(view, text)
        if before == after and state.coded:
            return SavedPosition(position.id, state.current or 0, coder, view)
        time, number = now(), (state.current + 1 if state.current is not None else 1)
        registry = [ref for ref in labels if visible_in_registry(found, ref)]
        mentions = "".join(
            f"{entity(ref).n3()} {SG.mentionedIn.n3()} {entity(document).n3()} .\n" for ref in registry
        )
        history = history_update(position.id, document, state, before, time)
        history += revision_triples(position.id, number, after, coder=coder, time=time, reason=reason)
        condition = unmade(position.id, document, number)
        update = drop(position.id, document, condition) if state.coded else ""
        stale = [ref for ref in old_registry_refs(before, found) if ref not in registry]
        if stale:
            update += forget_mentions(document, stale, condition) + " ;\n"
        compiled = compiled_position(position, checked.starts, document, text, labels) + mentions
        # Last: it makes the revision the condition asks about.
        update += insert_when(
            {str(document_graph(document)): compiled, str(history_graph(document)): history}, condition
        )
        write_revision(store, update, position.id, document, number, time)
    return SavedPosition(position.id, number, coder, view)


def edit_position(
    store: Store,
    position_id: str,
    data: Mapping[str, Any],
    *,
    coder: str,
    reason: str,
    offsets: Offsets = "code_points",
    replaces: int | None = None,
    edit_others: bool = True,
) -> SavedPosition:
    """:func:`save_position` of ``data`` as a new revision of ``position_id``, in the document that codes it.

    NotFoundError for an id no position has had; FieldError when ``data`` names another id.
    """
    data = {"id": position_id, **data}
    if data["id"] != position_id:
        raise FieldError(
            [(("id",), f"the body's id {data['id']!r} is not the position edited, {position_id!r}")]
        )
    document = position_state(latest_reads(store), position_id).document
    assert document is not None  # position_state raises NotFoundError for a position in no document
    return save_position(
        store,
        document,
        data,
        coder=coder,
        reason=reason,
        offsets=offsets,
        replaces=replaces,
        edit_others=edit_others,
    )


def read_position(store: Store, position_id: str) -> PositionView | None:
    """The position as REST shows it (``/positions``), None when no document codes it."""
    rows, evidence_rows = page_of_positions(store, [str(entity(position_id))])
    items = assembled(rows, evidence_rows, summaries(store, named_in(rows)))
    return items[0] if items else None
