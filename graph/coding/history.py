"""The revisions of positions: every change kept (PROV), in a named graph of its own per document.

A revision is a node ``<position IRI>/revision/N`` in the graph ``.../graph/{slug}/history``::

    <p/revision/2> prov:specializationOf <p> ;  prov:wasRevisionOf <p/revision/1> ;
        prov:wasAttributedTo <coder/ana> ;  prov:generatedAtTime "..."^^xsd:dateTime ;
        rdfs:comment "the reason" ;  prov:value "{...the position...}"^^rdf:JSON ;
        sg:retracted true (a retraction only) ;  prov:invalidatedAtTime "..." (once superseded) .

The snapshot (``prov:value``) is the position in the coding format, every key present and each
quote with its code point offsets (:func:`snapshot`), so history, diffs, restores and views
of the past need no reconstruction from triples. The document graph keeps only the current
coding, exactly what a coding file compiles to. A position coded before any revision (the seed)
has an implicit revision 0, "as imported", written out at its first edit.

>>> str(revision_iri("canada-considers", 2))
'https://w3id.org/stancegraph/id/canada-considers/revision/2'
>>> diff({"stance": "supports", "value": 2}, {"stance": "opposes", "value": 2})
{'stance': ['supports', 'opposes']}
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from graph.coding.compile import PROV
from graph.coding.schema import Position
from graph.namespaces import GRAPH_BASE, SG, entity
from graph.terms import text_of

CODER_BASE = "https://w3id.org/stancegraph/coder/"
IMPORTED = "as imported"  # the reason of a revision 0: the position as the coding file gave it
_NUMBER = re.compile(r"/revision/([0-9]+)$")
_HISTORY = re.compile(re.escape(GRAPH_BASE) + r"([a-z0-9-]+)/history$")

Snapshot = dict[str, Any]


def history_graph(slug: str) -> URIRef:
    """The named graph of the revisions of the positions of document ``slug``.

    >>> str(history_graph("d"))
    'https://w3id.org/stancegraph/graph/d/history'
    """
    return URIRef(f"{GRAPH_BASE}{slug}/history")


def revision_iri(position_id: str, number: int) -> URIRef:
    """The IRI of revision ``number`` of position ``position_id``."""
    return URIRef(f"{entity(position_id)}/revision/{number}")


def coder_iri(name: str) -> URIRef:
    """The prov:Agent a coder's revisions are attributed to (one node per coder name).

    >>> str(coder_iri("ana"))
    'https://w3id.org/stancegraph/coder/ana'
    """
    return URIRef(CODER_BASE + quote(name, safe=""))


def snapshot(position: Position, starts: tuple[int, ...]) -> Snapshot:
    """``position`` as its revision keeps it: every key, each quote with its offsets (code points).

    >>> p = Position.model_validate({"id": "p", "holder": "a", "target": "b", "stance": "opposes",
    ...                              "attribution": "direct", "evidence": ["no"]})
    >>> snapshot(p, (4,))["evidence"]
    [{'quote': 'no', 'start': 4, 'end': 6, 'garbled': False, 'note': None}]
    """
    return {
        "id": position.id,
        "holder": position.holder,
        "target": position.target,
        "stance": position.stance,
        "value": position.value,
        "attribution": position.attribution,
        "hedges": list(position.hedges),
        "regarding": list(position.regarding),
        "valid_at": str(position.valid_at) if position.valid_at is not None else None,
        "note": position.note,
        "evidence": [
            {
                "quote": q.quote,
                "start": start,
                "end": start + len(q.quote),
                "garbled": q.garbled,
                "note": q.note,
            }
            for q, start in zip(position.evidence, starts, strict=True)
        ],
    }


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Field by field, what changed: ``{field: [before, after]}`` (a field one side lacks is None)."""
    keys = list(before) + [key for key in after if key not in before]
    return {key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)}


@dataclass(frozen=True)
class StoredRevision:
    """A revision as the history graph holds it."""

    number: int
    graph: str
    coder: str | None
    time: str | None
    reason: str | None
    position: Snapshot
    retracted: bool
    invalidated: str | None

    @property
    def document(self) -> str:
        """The slug of the document whose history graph holds the revision."""
        found = _HISTORY.match(self.graph)
        return found.group(1) if found else ""


@dataclass(frozen=True)
class Revision:
    """A revision as history shows it: who, when, why, whether it retracts, what changed, the position."""

    revision: int
    coder: str | None
    time: str | None
    reason: str | None
    retracted: bool
    diff: dict[str, list[Any]]
    position: Snapshot = field(repr=False)


_REVISIONS = """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
SELECT ?revision ?g ?coder ?time ?reason ?value ?retracted ?invalidated WHERE {
  GRAPH ?g {
    ?revision prov:specializationOf %s .
    OPTIONAL { ?revision prov:wasAttributedTo/rdfs:label ?coder }
    OPTIONAL { ?revision prov:generatedAtTime ?time }
    OPTIONAL { ?revision rdfs:comment ?reason }
    OPTIONAL { ?revision prov:value ?value }
    OPTIONAL { ?revision sg:retracted ?retracted }
    OPTIONAL { ?revision prov:invalidatedAtTime ?invalidated }
  }
}"""


def revisions_query(position_id: str) -> str:
    """The query :func:`read_revisions` reads the rows of (to batch it with others)."""
    return _REVISIONS % entity(position_id).n3()


def read_revisions(rows: list[dict[str, Any]]) -> list[StoredRevision]:
    """The revisions in the rows of :func:`revisions_query`, by number (those of a history graph)."""
    found: dict[int, StoredRevision] = {}
    for row in rows:
        number = _NUMBER.search(text_of(row["revision"]))
        if number is None or _HISTORY.match(text_of(row["g"])) is None:
            continue
        found[int(number.group(1))] = StoredRevision(
            number=int(number.group(1)),
            graph=text_of(row["g"]),
            coder=text_of(row["coder"]) if "coder" in row else None,
            time=text_of(row["time"]) if "time" in row else None,
            reason=text_of(row["reason"]) if "reason" in row else None,
            position=json.loads(text_of(row["value"])) if "value" in row else {},
            retracted="retracted" in row and text_of(row["retracted"]) in ("true", "1"),
            invalidated=text_of(row["invalidated"]) if "invalidated" in row else None,
        )
    return [found[number] for number in sorted(found)]


def shown(revisions: list[StoredRevision]) -> list[Revision]:
    """Revisions as history shows them, each with its diff against the one before."""
    shown_ones: list[Revision] = []
    before: Snapshot = {}
    was_retracted = False
    for stored in revisions:
        changes = diff(before, stored.position)
        if stored.retracted != was_retracted:
            changes["retracted"] = [was_retracted, stored.retracted]
        shown_ones.append(
            Revision(
                stored.number,
                stored.coder,
                stored.time,
                stored.reason,
                stored.retracted,
                changes,
                stored.position,
            )
        )
        before, was_retracted = stored.position, stored.retracted
    return shown_ones


def _nt(*terms: URIRef | Literal) -> str:
    return " ".join(term.n3() for term in terms) + " .\n"


def revision_triples(
    position_id: str,
    number: int,
    position: Snapshot,
    *,
    coder: str | None,
    time: str | None,
    reason: str,
    retracted: bool = False,
) -> str:
    """The N-Triples of one revision (and its coder's agent node), for an INSERT DATA block."""
    node = revision_iri(position_id, number)
    value = Literal(json.dumps(position, ensure_ascii=False, sort_keys=True), datatype=RDF.JSON)
    lines = [
        _nt(node, RDF.type, PROV.Entity),
        _nt(node, PROV.specializationOf, entity(position_id)),
        _nt(node, RDFS.comment, Literal(reason)),
        _nt(node, PROV.value, value),
    ]
    if number > 0:
        lines.append(_nt(node, PROV.wasRevisionOf, revision_iri(position_id, number - 1)))
    if coder is not None:
        agent = coder_iri(coder)
        lines += [_nt(node, PROV.wasAttributedTo, agent), _nt(agent, RDF.type, PROV.Agent)]
        lines.append(_nt(agent, RDFS.label, Literal(coder)))
    if time is not None:
        lines.append(_nt(node, PROV.generatedAtTime, Literal(time, datatype=XSD.dateTime, normalize=False)))
    if retracted:
        lines.append(_nt(node, SG.retracted, Literal(True)))
    return "".join(lines)


def invalidation(position_id: str, number: int, time: str) -> str:
    """The N-Triple marking revision ``number`` superseded at ``time``."""
    when = Literal(time, datatype=XSD.dateTime, normalize=False)
    return _nt(revision_iri(position_id, number), PROV.invalidatedAtTime, when)
