"""A document's graph read back as its coding: the data of the coding file that compiles to it.

:mod:`graph.coding.compile` turns a checked coding into RDF; this turns that RDF back into the
plain data of a coding file (mappings, lists and text, keys in the order the format lists
them), which :mod:`graph.coding.export` writes as YAML. What the graph does not keep comes
back in one fixed form: the shorthand the format allows is used where it says the same (one id
as ``part_of: canada``, a plain quote as a text, a ``value`` only where it is not the stance's
default, ``occurrence`` only where the quote occurs more than once), and entries, aliases,
hedges and links, which RDF holds unordered, are ordered as :func:`order` says.

>>> from graph.coding.compile import compile_coding
>>> from graph.coding.load import load_coding
>>> from graph.namespaces import document_graph, inferred_graph
>>> from graph.paths import DATA_DIR
>>> dataset = compile_coding(load_coding(DATA_DIR / "golden-dome-canada.yaml"))
>>> data = coding_data(dataset.graph(document_graph("golden-dome-canada")),
...                    dataset.graph(inferred_graph("golden-dome-canada")))
>>> data["document"]["source"], data["stakeholders"][0]["id"], len(data["positions"])
('sources/golden-dome-canada.txt', 'analysts', 25)
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from graph.coding.compile import DCTERMS, PREDICATES
from graph.coding.quotes import occurrences
from graph.coding.schema import SECTIONS, STAKEHOLDER_TYPES, STANCES, Entry, link_kinds
from graph.errors import NotFoundError, ValidationFailedError
from graph.moments import Moment, parse_moment
from graph.namespaces import OA, SG, entity, slug_of

Data = dict[str, Any]
KEYS = {predicate: key for key, predicate in PREDICATES.items()}  # sg:partOf -> part_of, ...
# The class an entity of each section has (stakeholders: sg:Stakeholder beside their type).
SECTION_CLASSES = {
    "stakeholders": SG.Stakeholder,
    "programs": SG.Program,
    "participation_proposals": SG.ParticipationProposal,
    "concerns": SG.Concern,
    "measures": SG.Measure,
    "threats": SG.Threat,
}
_EVIDENCE_NUMBER = re.compile(r"-ev([0-9]+)$")


def _slug(node: Node | None) -> str:
    slug = slug_of(str(node)) if node is not None else None
    if slug is None:
        raise ValidationFailedError(f"{node} is not an entity IRI of the form sgd:<id>: no coding names it")
    return slug


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    value = graph.value(subject, predicate)
    return None if value is None else str(value)


def _local(node: Node | None) -> str:
    return str(node)[len(str(SG)) :] if node is not None and str(node).startswith(str(SG)) else str(node)


def _refs(values: list[Any]) -> Any:
    """The format's shorthand: one id (or link) alone, more as a list."""
    return values[0] if len(values) == 1 else values


def _link_data(graph: Graph, subject: Node, key: str, ref: str, text: str) -> Data | str:
    """The link ``key`` of ``subject`` to ``ref``: with its quotes when the graph holds them (a stated
    link's axiom annotation, ``sg:linkEvidence``), else the id alone."""
    predicate, target = PREDICATES[key], entity(ref)
    quotes: list[Node] = [
        evidence
        for axiom in graph.subjects(OWL.annotatedSource, subject)
        if (axiom, OWL.annotatedProperty, predicate) in graph
        and (axiom, OWL.annotatedTarget, target) in graph
        for evidence in graph.objects(axiom, SG.linkEvidence)
    ]
    if not quotes:
        return ref
    numbered = sorted((_evidence_number(item), item) for item in quotes)
    what = f"evidence of the link {key} of '{_slug(subject)}' to '{ref}'"
    return {"id": ref, "evidence": [_evidence_data(graph, item, text, what) for _, item in numbered]}


def _evidence_number(evidence: Node) -> int:
    match = _EVIDENCE_NUMBER.search(str(evidence))
    return int(match.group(1)) if match else 0


def _moment(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    """A stored time as the coder writes it: no more than its precision (``2025-03``)."""
    value = graph.value(subject, predicate)
    if value is None:
        return None
    precision = _text(graph, subject, SG.timePrecision) or "instant"
    return str(Moment(parse_moment(str(value)).at, precision))


def order(values: list[str], text: str) -> list[str]:
    """``values`` in the order they first occur in ``text``; those it lacks after them, sorted.

    >>> order(["perhaps", "reportedly", "zz", "aa"], "It is reportedly, perhaps, so.")
    ['reportedly', 'perhaps', 'aa', 'zz']
    """

    def place(value: str) -> tuple[int, str]:
        found = text.find(value)
        return (found if found >= 0 else len(text), value)

    return sorted(values, key=place)


def _entity_data(graph: Graph, subject: Node, section: str, text: str) -> Data:
    model: type[Entry] = SECTIONS[section]
    data: Data = {"id": _slug(subject), "label": _text(graph, subject, RDFS.label)}
    if section == "stakeholders":
        types = {_local(kind) for kind in graph.objects(subject, RDF.type)} & set(STAKEHOLDER_TYPES)
        data["type"] = min(types) if types else None
    if section == "measures":
        data["status"] = _local(graph.value(subject, SG.measureStatus))
    aliases = [str(alias) for alias in graph.objects(subject, SKOS.altLabel)]
    if aliases:
        data["aliases"] = order(aliases, text)
    for key in link_kinds(model):
        refs = sorted(_slug(ref) for ref in graph.objects(subject, PREDICATES[key]))
        if refs:
            data[key] = _refs([_link_data(graph, subject, key, ref, text) for ref in refs])
    note = _text(graph, subject, SKOS.editorialNote)
    if note is not None:
        data["note"] = note
    return data


def entities_data(graph: Graph, document: Node | None, text: str = "") -> Data:
    """The entity sections of ``graph``: the entities it defines (with a label there), by section, each
    ordered by id; ``document``: only those mentioned in it (a document graph also names the
    registry's entities it mentions, without their label)."""
    sections: Data = {}
    for section, rdf_class in SECTION_CLASSES.items():
        subjects = {
            subject
            for subject in graph.subjects(RDF.type, rdf_class)
            if graph.value(subject, RDFS.label) is not None
            and (document is None or (subject, SG.mentionedIn, document) in graph)
        }
        entries = sorted((_entity_data(graph, s, section, text) for s in subjects), key=lambda e: e["id"])
        if entries:
            sections[section] = entries
    return sections


def _evidence_data(graph: Graph, evidence: Node, text: str, what: str) -> Data | str:
    selectors = list(graph.objects(graph.value(evidence, OA.hasTarget), OA.hasSelector))
    exact = next((v for s in selectors if (v := graph.value(s, OA.exact)) is not None), None)
    start = next((v for s in selectors if (v := graph.value(s, OA.start)) is not None), None)
    if exact is None or start is None:
        raise ValidationFailedError(f"{what}: no quote with its start offset in the stored graph")
    quote, starts, offset = str(exact), occurrences(text, str(exact)), int(str(start))
    if offset not in starts:
        raise ValidationFailedError(f"{what}: the quote is not at offset {start} of the stored text")
    data: Data = {"quote": quote}
    if len(starts) > 1:
        data["occurrence"] = starts.index(offset) + 1
    if graph.value(evidence, SG.garbled) == Literal(True):
        data["garbled"] = True
    note = _text(graph, evidence, SKOS.editorialNote)
    if note is not None:
        data["note"] = note
    return quote if list(data) == ["quote"] else data


def _position_data(graph: Graph, subject: Node, text: str) -> Data:
    data: Data = {"id": _slug(subject)}
    data["holder"] = _slug(graph.value(subject, SG.holder))
    data["target"] = _slug(graph.value(subject, SG.target))
    stance = _local(graph.value(subject, SG.stance))
    data["stance"] = stance
    value = graph.value(subject, SG.stanceValue)
    if value is not None and int(str(value)) != STANCES.get(stance):
        data["value"] = int(str(value))
    data["attribution"] = _local(graph.value(subject, SG.attribution))
    numbered = sorted(
        (int(match.group(1)), evidence)
        for evidence in graph.objects(subject, SG.evidence)
        if (match := _EVIDENCE_NUMBER.search(str(evidence)))
    )
    evidence = [
        _evidence_data(graph, item, text, f"evidence {number} of position '{data['id']}'")
        for number, item in numbered
    ]
    quotes = " ".join(item if isinstance(item, str) else item["quote"] for item in evidence)
    hedges = [str(cue) for cue in graph.objects(subject, SG.hedgeCue)]
    if hedges:
        data["hedges"] = order(hedges, quotes)
    regarding = sorted(_slug(ref) for ref in graph.objects(subject, SG.regarding))
    if regarding:
        data["regarding"] = _refs(regarding)
    valid_at = _moment(graph, subject, SG.validAt)
    if valid_at is not None:
        data["valid_at"] = valid_at
    note = _text(graph, subject, SKOS.editorialNote)
    if note is not None:
        data["note"] = note
    data["evidence"] = evidence
    return data


def _first_offset(graph: Graph, position: Node) -> int:
    """Where the position's first quote starts: positions come in the order of the text."""
    first = URIRef(f"{position}-ev1-pos")
    start = graph.value(first, OA.start)
    return int(str(start)) if start is not None else -1


def _inferred_data(graph: Graph) -> list[Data]:
    links = []
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        predicate = URIRef(str(graph.value(axiom, OWL.annotatedProperty)))
        if predicate not in KEYS:
            raise ValidationFailedError(f"an inferred link by {predicate}: no link key of a coding is that")
        key = KEYS[predicate]
        link: Data = {"subject": _slug(graph.value(axiom, OWL.annotatedSource))}
        link[key] = _slug(graph.value(axiom, OWL.annotatedTarget))
        link["note"] = _text(graph, axiom, SKOS.editorialNote)
        links.append(link)
    return sorted(links, key=lambda link: tuple(map(str, link.values())))


def coding_data(graph: Graph, inferred: Graph | None = None) -> Data:
    """The coding file whose document graph is ``graph`` (and /inferred graph ``inferred``), as data.

    Entities come by id, positions in the order of the text (where their first quote starts),
    inferred links by subject. Raises :class:`~graph.errors.NotFoundError` when ``graph`` holds
    no document, :class:`~graph.errors.ValidationFailedError` when it holds what no coding makes.
    """
    documents = list(graph.subjects(RDF.type, SG.Document))
    if len(documents) != 1:
        raise NotFoundError(f"graph {graph.identifier} holds {len(documents)} documents, not one")
    [document] = documents
    text = _text(graph, document, SG.text)
    if text is None:
        raise ValidationFailedError(f"document {_slug(document)} has no sg:text: its text is not stored")
    info: Data = {
        "slug": _slug(document),
        "title": _text(graph, document, DCTERMS.title),
        "source": _text(graph, document, SG.sourceText),
    }
    for key, predicate in (("publisher", DCTERMS.publisher), ("author", DCTERMS.creator)):
        if (value := _text(graph, document, predicate)) is not None:
            info[key] = value
    if (date := _moment(graph, document, DCTERMS.issued)) is not None:
        info["date"] = date
    if (url := _text(graph, document, DCTERMS.source)) is not None:
        info["url"] = url
    data: Data = {"document": info, **entities_data(graph, document, text)}
    positions = sorted(graph.subjects(RDF.type, SG.Position), key=lambda p: (_first_offset(graph, p), str(p)))
    if positions:
        data["positions"] = [_position_data(graph, position, text) for position in positions]
    links = _inferred_data(inferred) if inferred is not None else []
    if links:
        data["inferred"] = links
    return data


def stored_text(graph: Graph) -> str:
    """The source text the document graph ``graph`` carries (``sg:text``)."""
    for document in graph.subjects(RDF.type, SG.Document):
        if (text := _text(graph, document, SG.text)) is not None:
            return text
    raise NotFoundError(f"graph {graph.identifier} holds no document with its text")
