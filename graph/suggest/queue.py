"""The review queue: suggestions kept in a graph of their own per document until a reviewer decides.

A suggestion is stored in ``.../graph/{slug}/suggestions`` as an ``sg:Suggestion`` (never an
``sg:Position``, and with properties of its own: ``sg:suggestedHolder``, ``sg:suggestedTarget``,
``sg:suggestedStance`` ...), so no reading of coded positions, named query or network picks
it up. It is marked generated: ``prov:wasGeneratedBy`` an activity ``prov:wasAssociatedWith``
a ``prov:SoftwareAgent`` with its name, version and fingerprint (the lexicons' or the prompt's
SHA-256). The whole suggestion is also kept as JSON (``prov:value``), as revisions are. The
entities, stances and positions it names are given by their ids, as literals, never as links:
no walk of the coded graph (an ego subgraph, a linked-data page) reaches a suggestion.

A reviewer accepts a suggestion (it becomes a coded position, through
:func:`graph.coding.editing.save_position`, a revision by the reviewer; edits may change any
key first) or rejects it with a reason; either way it stays in the queue with its status,
reviewer and time.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rdflib import RDF, RDFS, XSD, URIRef
from rdflib import Literal as RdfLiteral

from graph.coding.compile import PROV
from graph.coding.editing import SavedPosition, save_position
from graph.coding.history import coder_iri
from graph.coding.position_store import now
from graph.errors import ConflictError, NotFoundError, ValidationFailedError
from graph.namespaces import GRAPH_BASE, SG, is_slug
from graph.results import select_solutions
from graph.stores.base import Store
from graph.suggest.backends import Agent
from graph.suggest.suggestion import Suggestion
from graph.terms import text_of

SUGGESTION_BASE = "https://w3id.org/stancegraph/suggestion/"
AGENT_BASE = "https://w3id.org/stancegraph/agent/"
FOAF_NAME = URIRef("http://xmlns.com/foaf/0.1/name")
Status = Literal["pending", "accepted", "rejected"]
_REVIEWING = threading.Lock()  # one review at a time: a suggestion is read pending, then marked
EDITABLE = (
    "id",
    "holder",
    "target",
    "stance",
    "value",
    "attribution",
    "hedges",
    "regarding",
    "valid_at",
    "note",
    "evidence",
)
"""The keys an accepting reviewer may change (a coding file's position keys)."""


def suggestions_graph(document: str) -> URIRef:
    """The named graph of the suggestions for ``document``.

    >>> str(suggestions_graph("d"))
    'https://w3id.org/stancegraph/graph/d/suggestions'
    """
    return URIRef(f"{GRAPH_BASE}{document}/suggestions")


def queue_id(document: str, suggestion: Suggestion) -> str:
    """The id of ``suggestion`` in the queue: the same suggestion for the same document, the same id."""
    return "s-" + hashlib.sha256(f"{document}\n{suggestion.id}".encode()).hexdigest()[:20]


def suggestion_iri(suggestion_id: str) -> URIRef:
    return URIRef(SUGGESTION_BASE + suggestion_id)


@dataclass(frozen=True)
class Queued:
    """A suggestion in the queue: its id, document, status, the review, the suggestion as JSON."""

    id: str
    document: str
    status: Status
    suggestion: dict[str, Any]
    generated_by: str | None = None
    reviewer: str | None = None
    reviewed_at: str | None = None
    reason: str | None = None
    accepted_as: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document": self.document,
            "status": self.status,
            **{key: value for key, value in self.suggestion.items() if key != "id"},
            "generatedBy": self.generated_by,
            "reviewer": self.reviewer,
            "reviewedAt": self.reviewed_at,
            "reason": self.reason,
            "acceptedAs": self.accepted_as,
        }


def _nt(*terms: URIRef | RdfLiteral) -> str:
    return " ".join(term.n3() for term in terms) + " .\n"


def _agent_triples(agent: Agent) -> tuple[URIRef, str]:
    node = URIRef(f"{AGENT_BASE}{agent.name.replace(':', '/')}/{agent.version}/{agent.fingerprint[:16]}")
    triples = (
        _nt(node, RDF.type, PROV.SoftwareAgent)
        + _nt(node, FOAF_NAME, RdfLiteral(agent.name))
        + _nt(node, RDFS.label, RdfLiteral(f"{agent.name} {agent.version}"))
        + _nt(node, SG.softwareVersion, RdfLiteral(agent.version))
        + _nt(node, SG.fingerprint, RdfLiteral(agent.fingerprint))
    )
    return node, triples


def _suggestion_triples(document: str, suggestion: Suggestion, activity: URIRef) -> str:
    node = suggestion_iri(queue_id(document, suggestion))
    record = {**suggestion.as_json(), "id": queue_id(document, suggestion)}
    lines = [
        _nt(node, RDF.type, SG.Suggestion),
        _nt(node, SG.suggestedIn, RdfLiteral(document)),
        _nt(node, SG.suggestedStance, RdfLiteral(suggestion.stance)),
        _nt(node, SG.suggestedAttribution, RdfLiteral(suggestion.attribution)),
        _nt(node, SG.suggestedValue, RdfLiteral(suggestion.value)),
        _nt(node, SG.suggestedQuote, RdfLiteral(suggestion.quote)),
        _nt(node, SG.suggestedStart, RdfLiteral(suggestion.start)),
        _nt(node, SG.suggestedEnd, RdfLiteral(suggestion.end)),
        _nt(node, SG.rule, RdfLiteral(suggestion.rule)),
        _nt(node, SG.reviewStatus, RdfLiteral("pending")),
        _nt(node, PROV.wasGeneratedBy, activity),
        _nt(
            node,
            PROV.value,
            RdfLiteral(json.dumps(record, ensure_ascii=False, sort_keys=True), datatype=RDF.JSON),
        ),
    ]
    for key, predicate in (("holder", SG.suggestedHolder), ("target", SG.suggestedTarget)):
        value = getattr(suggestion, key)
        if value is not None:
            lines.append(_nt(node, predicate, RdfLiteral(value)))
    lines += [_nt(node, SG.flag, RdfLiteral(flag)) for flag in suggestion.flags]
    return "".join(lines)


def store_suggestions(
    store: Store, document: str, suggestions: Sequence[Suggestion], agent: Agent
) -> list[str]:
    """Add ``suggestions`` for ``document`` to its queue (one update); the ids of those added.

    A suggestion already queued (pending, accepted or rejected) is not added again.
    """
    known = {item.id for item in queued(store, document)}
    fresh = {queue_id(document, s): s for s in suggestions if queue_id(document, s) not in known}
    if not fresh:
        return []
    time = now()
    agent_node, agent_triples = _agent_triples(agent)
    activity = URIRef(
        SUGGESTION_BASE + "run/" + hashlib.sha256(f"{document}\n{time}".encode()).hexdigest()[:20]
    )
    triples = (
        agent_triples
        + _nt(activity, RDF.type, PROV.Activity)
        + _nt(activity, PROV.wasAssociatedWith, agent_node)
        + _nt(activity, PROV.startedAtTime, RdfLiteral(time, datatype=XSD.dateTime, normalize=False))
        + "".join(_suggestion_triples(document, s, activity) for s in fresh.values())
    )
    store.update(f"INSERT DATA {{ GRAPH {suggestions_graph(document).n3()} {{\n{triples}}} }}")
    return list(fresh)


_QUEUED = """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
SELECT ?g ?s ?value ?status ?agent ?reviewer ?time ?reason ?accepted WHERE {
  %(graph)s
  GRAPH ?g {
    ?s a sg:Suggestion ; prov:value ?value ; sg:reviewStatus ?status .
    %(iri)s
    OPTIONAL { ?s prov:wasGeneratedBy/prov:wasAssociatedWith/rdfs:label ?agent }
    OPTIONAL { ?s prov:wasAttributedTo/rdfs:label ?reviewer }
    OPTIONAL { ?s sg:reviewedAt ?time }
    OPTIONAL { ?s sg:rejectionReason ?reason }
    OPTIONAL { ?s sg:acceptedAs ?accepted }
  }
}"""


def _rows(store: Store, *, document: str | None = None, suggestion_id: str | None = None) -> list[Queued]:
    graph = f"VALUES ?g {{ {suggestions_graph(document).n3()} }}" if document else ""
    iri = f"FILTER(?s = {suggestion_iri(suggestion_id).n3()})" if suggestion_id else ""
    found = []
    for row in select_solutions(store, _QUEUED % {"graph": graph, "iri": iri}):
        record = json.loads(text_of(row["value"]))
        slug = text_of(row["g"])[len(GRAPH_BASE) : -len("/suggestions")]
        status: Status = "pending"
        if text_of(row["status"]) in ("accepted", "rejected"):
            status = "accepted" if text_of(row["status"]) == "accepted" else "rejected"
        found.append(
            Queued(
                record["id"],
                slug,
                status,
                record,
                text_of(row["agent"]) if "agent" in row else None,
                text_of(row["reviewer"]) if "reviewer" in row else None,
                text_of(row["time"]) if "time" in row else None,
                text_of(row["reason"]) if "reason" in row else None,
                text_of(row["accepted"]) if "accepted" in row else None,
            )
        )
    return sorted(found, key=lambda q: (q.suggestion.get("start", 0), q.suggestion.get("end", 0), q.id))


def queued(store: Store, document: str, status: Status | None = None) -> list[Queued]:
    """The suggestions queued for ``document`` (of ``status``, when given), in text order."""
    if not is_slug(document):
        raise ValidationFailedError(f"document: {document!r} is not an id", parameter="document")
    return [q for q in _rows(store, document=document) if status is None or q.status == status]


def find_queued(store: Store, suggestion_id: str) -> Queued:
    """The queued suggestion ``suggestion_id``; NotFoundError when there is none."""
    found = _rows(store, suggestion_id=suggestion_id) if is_slug(suggestion_id) else []
    if not found:
        raise NotFoundError(f"no suggestion {suggestion_id!r}")
    return found[0]


def _pending(store: Store, suggestion_id: str) -> Queued:
    item = find_queued(store, suggestion_id)
    if item.status != "pending":
        raise ConflictError(f"suggestion {suggestion_id!r} was already {item.status} by {item.reviewer}")
    return item


def _review(item: Queued, status: Status, reviewer: str, extra: str = "") -> str:
    node, graph = suggestion_iri(item.id), suggestions_graph(item.document)
    when = RdfLiteral(now(), datatype=XSD.dateTime, normalize=False)
    agent = coder_iri(reviewer)
    return (
        f"DELETE DATA {{ GRAPH {graph.n3()} {{ {_nt(node, SG.reviewStatus, RdfLiteral('pending'))} }} }} ;\n"
        f"INSERT DATA {{ GRAPH {graph.n3()} {{\n"
        + _nt(node, SG.reviewStatus, RdfLiteral(status))
        + _nt(node, PROV.wasAttributedTo, agent)
        + _nt(agent, RDF.type, PROV.Agent)
        + _nt(agent, RDFS.label, RdfLiteral(reviewer))
        + _nt(node, SG.reviewedAt, when)
        + extra
        + "} }"
    )


def reject(store: Store, suggestion_id: str, *, reviewer: str, reason: str) -> Queued:
    """Reject a pending suggestion, keeping it with ``reason``; ConflictError when already reviewed."""
    if not reason.strip():
        raise ValidationFailedError("reason: say why the suggestion is rejected", parameter="reason")
    with _REVIEWING:
        item = _pending(store, suggestion_id)
        why = _nt(suggestion_iri(item.id), SG.rejectionReason, RdfLiteral(reason))
        store.update(_review(item, "rejected", reviewer, why))
    return find_queued(store, suggestion_id)


def accept(
    store: Store,
    suggestion_id: str,
    *,
    reviewer: str,
    edits: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> tuple[Queued, SavedPosition]:
    """Accept a pending suggestion: ``save_position`` codes it (with ``edits`` applied first) as a
    revision by ``reviewer``, then the suggestion is marked accepted. Refused edits raise the
    write API's FieldError, and nothing is written."""
    unknown = sorted(set(edits or {}) - set(EDITABLE))
    if unknown:
        raise ValidationFailedError(
            f"{unknown[0]}: not a key of a position (edits may change {', '.join(EDITABLE)})",
            parameter=unknown[0],
        )
    with _REVIEWING:
        item = _pending(store, suggestion_id)
        data = {**Suggestion(**_fields(item.suggestion)).position_data(), **(edits or {})}
        why = reason or f"accepted suggestion {item.id} ({item.suggestion.get('rule')})"
        saved = save_position(store, item.document, data, coder=reviewer, reason=why)
        # A second update: should it fail, the position is coded and the suggestion still pending.
        accepted_as = _nt(suggestion_iri(item.id), SG.acceptedAs, RdfLiteral(saved.id))
        store.update(_review(item, "accepted", reviewer, accepted_as))
    return find_queued(store, suggestion_id), saved


def _fields(record: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("quote", "start", "end", "stance", "attribution", "rule", "holder", "target", "cue", "value")
    fields = {key: record[key] for key in keys if key in record}
    fields["hedges"] = tuple(record.get("hedges", ()))
    fields["flags"] = tuple(record.get("flags", ()))
    return fields
