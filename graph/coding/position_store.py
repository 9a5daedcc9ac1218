"""What a write of a position reads of the store and the updates it is made of.

A position's state (its document, whether that document's graph codes it now, its revisions),
its triples as a build compiles them, and the pieces of the one SPARQL Update a save or a
retraction sends: the position's triples dropped, a seed's revision 0 and the superseded
revision's invalidation recorded, the mentions of registry entities no longer named dropped.
Used by :mod:`graph.coding.editing` and :mod:`graph.coding.revising`.

>>> print(drop("p", "d").splitlines()[0][:69])
DELETE { GRAPH <https://w3id.org/stancegraph/graph/d> { ?s ?p ?o } }
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal

from graph.coding.compile import ENTITIES_GRAPH, PROV, _compile_position
from graph.coding.history import (
    Snapshot,
    StoredRevision,
    history_graph,
    invalidation,
    read_revisions,
    revision_iri,
    revision_triples,
    revisions_query,
    snapshot,
)
from graph.coding.load import Coding
from graph.coding.position_input import checked_position
from graph.coding.reverse import coding_data
from graph.coding.schema import CodingFile, Document, Position, Threat
from graph.coding.store_checks import Definition, defined_query, definitions
from graph.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from graph.namespaces import OA, SG, document_graph, entity, inferred_graph, is_slug
from graph.results import construct_graph, select_all_solutions, select_solutions, update_and_ask
from graph.stores.base import Store
from graph.terms import text_of

WRITING = threading.Lock()  # one save at a time: a revision number is read, then written


@dataclass(frozen=True)
class PositionState:
    """A position's state in the store: its document, whether its graph holds it, its revisions."""

    document: str | None
    coded: bool
    revisions: list[StoredRevision]

    @property
    def current(self) -> int | None:
        if self.revisions:
            return self.revisions[-1].number
        return 0 if self.coded else None

    @property
    def owner(self) -> str | None:
        """Who created the position: the coder of revision 1; nobody for a seed position."""
        first = self.revisions[0] if self.revisions else None
        return first.coder if first is not None and first.number == 1 else None


def now() -> str:
    """The time a revision is made, as an ``xsd:dateTime`` in UTC."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


_TEXT = "SELECT ?text WHERE { GRAPH %s { %s <https://w3id.org/stancegraph/ontology#text> ?text } }"


def document_text(store: Store, document: str) -> str:
    """The source text of ``document``; NotFoundError when the store has no such document."""
    rows = (
        select_solutions(store, _TEXT % (document_graph(document).n3(), entity(document).n3()))
        if is_slug(document)
        else []
    )
    if not rows:
        raise NotFoundError(f"no document {document!r} in the store (or it has no text)")
    return text_of(rows[0]["text"])


def state_of(
    position_id: str, found: Mapping[str, list[Definition]], revisions: list[StoredRevision]
) -> PositionState:
    coded = [d.document for d in found.get(position_id, []) if d.kind == "position" and d.document]
    if coded:
        return PositionState(coded[0], True, revisions)
    return PositionState(revisions[-1].document if revisions else None, False, revisions)


def position_state(store: Store, position_id: str) -> PositionState:
    """Where ``position_id`` is coded and its revisions; NotFoundError for an id no position has had."""
    if not is_slug(position_id):
        raise NotFoundError(f"no position {position_id!r}")
    rows, history = select_all_solutions(store, [defined_query([position_id]), revisions_query(position_id)])
    state = state_of(position_id, definitions(rows), read_revisions(history))
    if state.document is None:
        raise NotFoundError(f"no position {position_id!r}")
    return state


_SUBGRAPH = """CONSTRUCT { ?s ?p ?o } WHERE { GRAPH %(graph)s {
  { BIND(%(position)s AS ?s) } UNION { %(position)s %(sg)sevidence> ?s }
  UNION { %(position)s %(sg)sevidence>/%(oa)shasTarget> ?s }
  UNION { %(position)s %(sg)sevidence>/%(oa)shasTarget>/%(oa)shasSelector> ?s }
  ?s ?p ?o } }"""


def _subgraph(position_id: str, document: str) -> str:
    """The pattern of a position's triples in its document graph: itself, its evidence, their parts."""
    position = entity(position_id).n3()
    return _SUBGRAPH % {
        "graph": document_graph(document).n3(),
        "position": position,
        "sg": f"<{SG}",
        "oa": f"<{OA}",
    }


def coded_snapshot(store: Store, position_id: str, document: str, text: str) -> Snapshot:
    """The position as its document graph holds it (a seed position's revision 0)."""
    graph = construct_graph(store, _subgraph(position_id, document))
    graph.add((entity(document), SG.text, Literal(text)))
    graph.add((entity(document), RDF.type, SG.Document))
    [data] = coding_data(graph)["positions"]
    checked = checked_position(data, text, "code_points")
    return snapshot(checked.position, checked.starts)


def compiled_position(
    position: Position, starts: tuple[int, ...], document: str, text: str, labels: Mapping[str, str]
) -> str:
    """The N-Triples of one position in its document, as a build compiles it."""
    # Compiling a position reads only the labels of its holder and target: stand-ins carry them.
    shared = {ref: Threat(id=ref, label=label) for ref, label in labels.items()}
    file = CodingFile(document=Document(slug=document, title=document, source="-"), positions=(position,))
    coding = Coding(Path(f"{document}.yaml"), file, text, "", {position.id: starts}, shared)
    graph = Graph()
    _compile_position(graph, coding, position, entity(document))
    return graph.serialize(format="nt")


_FORGET_MENTIONS = """DELETE { GRAPH %(doc)s { ?e %(mentioned)s %(document)s } } WHERE {
  %(condition)s
  VALUES ?e { %(refs)s }
  GRAPH %(doc)s { ?e %(mentioned)s %(document)s }
  FILTER NOT EXISTS { GRAPH %(doc)s { ?x ?p ?e FILTER(?p != %(mentioned)s) } }
  FILTER NOT EXISTS { GRAPH %(inferred)s { { ?e ?p2 ?y } UNION { ?y ?p3 ?e } } }
}"""


def forget_mentions(document: str, refs: list[str], condition: str = "") -> str:
    """An update dropping the mentions of registry entities nothing in the document names any more."""
    if not refs:
        return ""
    return _FORGET_MENTIONS % {
        "doc": document_graph(document).n3(),
        "inferred": inferred_graph(document).n3(),
        "document": entity(document).n3(),
        "mentioned": SG.mentionedIn.n3(),
        "refs": " ".join(entity(ref).n3() for ref in refs),
        "condition": condition,
    }


def old_registry_refs(before: Snapshot | None, found: Mapping[str, list[Definition]]) -> list[str]:
    if not before:
        return []
    refs = [before.get("holder"), before.get("target"), *before.get("regarding", [])]
    registry = str(ENTITIES_GRAPH)
    return [
        ref for ref in refs if isinstance(ref, str) and any(d.graph == registry for d in found.get(ref, []))
    ]


def history_update(
    position_id: str, document: str, state: PositionState, before: Snapshot | None, time: str
) -> str:
    """The history triples every change starts with: a seed's revision 0, the current one superseded."""
    lines = ""
    if state.coded and not state.revisions and before is not None:
        lines += revision_triples(position_id, 0, before, coder=None, time=None, reason="as imported")
    if state.current is not None:
        lines += invalidation(position_id, state.current, time)
    return lines


def check_replaces(position_id: str, state: PositionState, replaces: int | None) -> None:
    if replaces is not None and replaces != state.current:
        now_at = "is new" if state.current is None else f"is at revision {state.current}"
        raise ConflictError(
            f"position {position_id!r} {now_at}, not {replaces}: another change came first; "
            "reload it and edit again"
        )


def check_may_edit(position_id: str, state: PositionState, coder: str, edit_others: bool) -> None:
    if state.current is None or edit_others or state.owner == coder:
        return
    who = f"coded by '{state.owner}'" if state.owner else "coded before any coder (from a coding file)"
    raise PermissionDeniedError(
        f"position {position_id!r} was {who}: coder '{coder}' may edit only their own positions; editing "
        "others' needs the capability edit_others (the role reviewer or above)"
    )


def check_reason(reason: str) -> None:
    if not isinstance(reason, str) or not reason.strip():
        raise FieldError([(("reason",), "say in a few words why the change is made")])


def visible_in_registry(found: Mapping[str, list[Definition]], ref: str) -> bool:
    """Whether ``ref`` is a registry entity (which a document mentions when it names it)."""
    return any(d.graph == str(ENTITIES_GRAPH) for d in found.get(ref, []))


def drop(position_id: str, document: str, condition: str = "") -> str:
    """The update removing a position's triples from its document graph (then `` ;``), when ``condition``."""
    where = _subgraph(position_id, document).replace(
        "CONSTRUCT { ?s ?p ?o } WHERE {", f"WHERE {{ {condition}", 1
    )
    return f"DELETE {{ GRAPH {document_graph(document).n3()} {{ ?s ?p ?o }} }} {where} ;\n"


def unmade(position_id: str, document: str, number: int) -> str:
    """The condition of every part of a change making revision ``number``: that no one made it first.

    Two processes of one service may read the same revision and save at once: the second's
    update then changes nothing, and :func:`write_revision` tells its caller.
    """
    revision = revision_iri(position_id, number).n3()
    return f"FILTER NOT EXISTS {{ GRAPH {history_graph(document).n3()} {{ {revision} ?p ?o }} }}"


def insert_when(blocks: Mapping[str, str], condition: str) -> str:
    """An update inserting each graph's N-Triples of ``blocks`` when ``condition`` holds."""
    graphs = "".join(f"GRAPH <{name}> {{\n{triples}}}\n" for name, triples in blocks.items())
    return f"INSERT {{\n{graphs}}} WHERE {{ {condition} }}"


def write_revision(
    store: Store, update: str, position_id: str, document: str, number: int, time: str
) -> None:
    """Apply ``update``; ConflictError unless it made revision ``number`` at ``time`` (this caller's)."""
    made = Literal(time, datatype=XSD.dateTime, normalize=False).n3()
    revision = revision_iri(position_id, number).n3()
    query = (
        f"ASK {{ GRAPH {history_graph(document).n3()} {{ {revision} {PROV.generatedAtTime.n3()} ?time }}"
        f" FILTER(?time = {made}) }}"
    )
    if not update_and_ask(store, update, query):
        raise ConflictError(
            f"position {position_id!r} was changed by another request at the same time (its revision "
            f"{number} is that one's): nothing of this change was written; reload it and edit again"
        )
