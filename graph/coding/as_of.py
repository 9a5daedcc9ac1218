"""The coding as it stood at a time: a read-only view store in which each position is the revision
that was current then (:mod:`graph.coding.history`).

A position created after that time is absent from the view, one retracted after it is present,
and one edited after it is as it was before the edit. When nothing changed since that time the
view is the store itself; otherwise it is a memory store holding the store's quads with the
positions changed since put back as they were, made once per store revision and time.

>>> import datetime
>>> from graph.coding.editing import save_position
>>> from graph.dataset import load_embedded
>>> from graph.read import positions
>>> from graph.stores.memory import MemoryStore
>>> with MemoryStore() as store:
...     load_embedded(store)
...     before = datetime.datetime.now(datetime.UTC)
...     _ = save_position(store, "golden-dome-canada", {"holder": "analysts", "target": "golden-dome",
...         "stance": "opposes", "attribution": "direct",
...         "evidence": [{"quote": "Golden Dome", "occurrence": 2}]},
...         coder="ana", reason="a test")
...     now, then = positions(store)["total"], positions(view_as_of(store, before))["total"]
>>> now - then
1
"""

from __future__ import annotations

import datetime
import threading
import weakref
from collections import OrderedDict
from typing import Any

from graph.coding.history import StoredRevision, read_revisions
from graph.coding.position_store import compiled_position, document_text, drop
from graph.coding.schema import Position
from graph.coding.store_checks import defined
from graph.formats import N_TRIPLES
from graph.namespaces import document_graph, entity
from graph.results import select_solutions
from graph.stores.base import Store
from graph.stores.memory import MemoryStore
from graph.terms import text_of

KEPT_VIEWS = 4  # views kept per store: each is a copy of the store in memory

_ALL_REVISIONS = """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
SELECT ?revision ?g ?position ?time ?value ?retracted WHERE {
  GRAPH ?g {
    ?revision prov:specializationOf ?position ; prov:value ?value .
    OPTIONAL { ?revision prov:generatedAtTime ?time }
    OPTIONAL { ?revision sg:retracted ?retracted }
  }
}"""


def _moment(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _at(revisions: list[StoredRevision], moment: datetime.datetime) -> StoredRevision | None:
    """The revision current at ``moment``: the last made by then (a revision 0 always was)."""
    made = [r for r in revisions if r.time is None or _moment(r.time) <= moment]
    return made[-1] if made else None


def changed_since(
    store: Store, moment: datetime.datetime
) -> dict[str, tuple[StoredRevision, StoredRevision | None]]:
    """The positions whose current revision is not the one current at ``moment``: by id, the
    current revision and the one then (None: the position did not exist yet)."""
    by_position: dict[str, list[dict[str, Any]]] = {}
    for row in select_solutions(store, _ALL_REVISIONS):
        by_position.setdefault(text_of(row["position"]), []).append(row)
    changed = {}
    prefix = len(str(entity("")))
    for iri, rows in by_position.items():
        revisions = read_revisions(rows)
        if not revisions:
            continue
        then = _at(revisions, moment)
        if then is None or then.number != revisions[-1].number:
            changed[iri[prefix:]] = (revisions[-1], then)
    return changed


def _copy(store: Store) -> MemoryStore:
    view = MemoryStore(workers=1)
    view.put_graph(None, store.get_graph(None, N_TRIPLES.media_type), N_TRIPLES.media_type)
    for name in store.graph_names():
        view.put_graph(name, store.get_graph(name, N_TRIPLES.media_type), N_TRIPLES.media_type)
    return view


def _make_view(store: Store, moment: datetime.datetime) -> Store:
    changed = changed_since(store, moment)
    if not changed:
        return store
    refs = {
        ref
        for _, then in changed.values()
        if then
        for ref in (then.position["holder"], then.position["target"])
    }
    found = defined(store, refs)
    labels = {ref: next((d.label for d in found.get(ref, []) if d.label), ref) for ref in refs}
    texts: dict[str, str] = {}
    updates = []
    for position_id, (current, then) in changed.items():
        document = current.document
        if not current.retracted:
            updates.append(drop(position_id, document).rstrip(" ;\n"))
        if then is not None and not then.retracted:
            text = texts.get(document) or texts.setdefault(document, document_text(store, document))
            position = Position.model_validate(
                {key: value for key, value in then.position.items() if value is not None}
                | {
                    "evidence": [
                        {k: v for k, v in item.items() if k in ("quote", "garbled", "note") and v is not None}
                        for item in then.position["evidence"]
                    ]
                }
            )
            starts = tuple(item["start"] for item in then.position["evidence"])
            nt = compiled_position(position, starts, document, text, labels)
            updates.append(f"INSERT DATA {{ GRAPH {document_graph(document).n3()} {{\n{nt}}} }}")
    view = _copy(store)
    view.update(" ;\n".join(updates))
    return view


_VIEWS: weakref.WeakKeyDictionary[Store, OrderedDict[tuple[int, str], Store]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def view_as_of(store: Store, moment: datetime.datetime) -> Store:
    """The store as its coding stood at ``moment`` (a time with its zone; one without reads as UTC).

    Made again once the store is written to; the views of a store are kept a few at a time.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    key = (store.revision, moment.isoformat())
    with _LOCK:
        views = _VIEWS.setdefault(store, OrderedDict())
        if key in views:
            views.move_to_end(key)
            return views[key]
        view = _make_view(store, moment)
        views[key] = view
        while len(views) > KEPT_VIEWS:
            _, old = views.popitem(last=False)
            if old is not store:
                old.close()
        return view
