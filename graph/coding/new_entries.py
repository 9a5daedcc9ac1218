"""New documents and entities through the write API, each checked as a build checks it, one update each.

A document comes with its source text and the coding format's ``document`` keys; an entity
with its section (``stakeholders``, ``threats`` ...) and that section's keys, in a document's
graph (scoped to it) or in the registry. Who made each, when and why is recorded in the
document's history graph (or the registry's), never in the graphs a coding compiles to.

>>> from graph.stores.memory import MemoryStore
>>> with MemoryStore() as store:
...     slug = save_document(store, {"slug": "fictional-note", "title": "A fictional note"},
...                          "Nobody said this.", coder="ana", reason="a test")
...     threat = save_entity(store, "threats", {"id": "fictional-drones", "label": "Drones"},
...                          coder="ana", reason="a test", document=slug)
>>> slug, threat
('fictional-note', 'fictional-drones')
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib import RDFS, XSD, Dataset, Graph, Literal

from graph.coding.checks import RESERVED_SLUGS
from graph.coding.compile import ENTITIES_GRAPH, PROV, _compile_entity, compile_coding
from graph.coding.history import coder_iri, history_graph
from graph.coding.load import Coding
from graph.coding.position_input import model_or_field_error
from graph.coding.position_store import WRITING, check_reason, document_text, now, visible_in_registry
from graph.coding.quotes import sha256
from graph.coding.schema import SECTIONS, CodingFile, Document, Entry, link_kinds
from graph.coding.store_checks import check_ref, defined
from graph.errors import ConflictError, FieldError, NotFoundError
from graph.namespaces import GRAPH_BASE, SG, document_graph, entity, is_slug
from graph.results import select_solutions
from graph.stores.base import Store
from graph.terms import text_of

REGISTRY_HISTORY = f"{GRAPH_BASE}entities/history"


def _record(subject: Any, coder: str, reason: str) -> str:
    """The N-Triples saying who made ``subject``, when and why."""
    graph = Graph()
    graph.add((subject, PROV.wasAttributedTo, coder_iri(coder)))
    graph.add((coder_iri(coder), RDFS.label, Literal(coder)))
    graph.add((subject, PROV.generatedAtTime, Literal(now(), datatype=XSD.dateTime, normalize=False)))
    graph.add((subject, RDFS.comment, Literal(reason)))
    return graph.serialize(format="nt")


def _insert(blocks: Mapping[str, str]) -> str:
    return "INSERT DATA {\n" + "".join(f"GRAPH <{name}> {{\n{nt}}}\n" for name, nt in blocks.items()) + "}"


# A position's label and its evidence's name its holder and target by label (as compile makes them):
# after a registry entity is edited, those of the positions naming it are made again.
_RELABEL = """DELETE { GRAPH ?g { ?p %(label)s ?old . ?ev %(label)s ?evidenceOld } }
INSERT { GRAPH ?g { ?p %(label)s ?new . ?ev %(label)s ?evidenceNew } }
WHERE {
  { GRAPH ?g { ?p %(holder)s %(entity)s } } UNION { GRAPH ?g { ?p %(target)s %(entity)s } }
  GRAPH ?g { ?p %(holder)s ?h ; %(target)s ?t ; %(stance)s ?stance ; %(label)s ?old . }
  GRAPH ?hg { ?h %(label)s ?hl } FILTER(?hg = ?g || ?hg = %(registry)s)
  GRAPH ?tg { ?t %(label)s ?tl } FILTER(?tg = ?g || ?tg = %(registry)s)
  BIND(STRLANG(CONCAT(STR(?hl), " — ", STRAFTER(STR(?stance), "#"), " — ", STR(?tl)), "en") AS ?new)
  OPTIONAL {
    GRAPH ?g { ?p %(evidence)s ?ev . ?ev %(label)s ?evidenceOld }
    BIND(STRAFTER(STR(?ev), CONCAT(STR(?p), "-ev")) AS ?number)
  }
  BIND(STRLANG(CONCAT("Evidence ", ?number, " of ", STR(?new)), "en") AS ?evidenceNew)
}"""
_TERMS = {
    "label": RDFS.label.n3(),
    "holder": SG.holder.n3(),
    "target": SG.target.n3(),
    "stance": SG.stance.n3(),
    "evidence": SG.evidence.n3(),
    "registry": ENTITIES_GRAPH.n3(),
}


def save_document(store: Store, metadata: Mapping[str, Any], text: str, *, coder: str, reason: str) -> str:
    """Add the document ``metadata`` names (the coding format's ``document`` keys) with its source text.

    The same slug with the same text is the document already there (its slug is returned);
    with another text, ConflictError: its offsets index the text it has.
    """
    check_reason(reason)
    if not isinstance(metadata, Mapping):
        raise FieldError([(("document",), "the document is a JSON object of the coding format's keys")])
    if not isinstance(text, str) or not text.strip():
        raise FieldError([(("text",), "the source text is non-empty text")])
    document: Document = model_or_field_error(
        Document, {"source": f"sources/{metadata.get('slug')}.txt", **metadata}, "document", ("document",)
    )
    slug = document.slug
    if not is_slug(slug):
        raise FieldError(
            [(("document", "slug"), f"document slug {slug!r} is not a slug of a-z, 0-9 and '-'")]
        )
    if slug in RESERVED_SLUGS:
        raise FieldError(
            [(("document", "slug"), f"document slug {slug!r} is reserved: it names {RESERVED_SLUGS[slug]}")]
        )
    with WRITING:
        graph = document_graph(slug).n3()
        stored = f"SELECT ?sha WHERE {{ GRAPH {graph} {{ {entity(slug).n3()} {SG.sha256.n3()} ?sha }} }}"
        rows = select_solutions(store, stored)
        if rows:
            if text_of(rows[0]["sha"]) == sha256(text):
                return slug
            raise ConflictError(
                f"document {slug!r} is in the store with another text: its offsets index that one"
            )
        taken = defined(store, [slug])
        if taken:
            raise FieldError(
                [(("document", "slug"), f"id '{slug}' already names {taken[slug][0].kind} '{slug}'")]
            )
        file = CodingFile(document=document)
        dataset: Dataset = compile_coding(Coding(Path(f"{slug}.yaml"), file, text, sha256(text), {}, {}))
        compiled = dataset.graph(document_graph(slug)).serialize(format="nt")
        record = _record(entity(slug), coder, reason)
        store.update(_insert({str(document_graph(slug)): compiled, str(history_graph(slug)): record}))
    return slug


def save_entity(
    store: Store,
    section: str,
    data: Mapping[str, Any],
    *,
    coder: str,
    reason: str,
    document: str | None = None,
    edit: bool = False,
) -> str:
    """Add the entity ``data`` of ``section`` to ``document``'s graph, or (no document) to the registry,
    where an entity of that id is edited (replaced whole). Its links must name what the document
    may name (its own entities, the registry's). Refused data raises FieldError naming the field.
    ``edit``: replace the entity of that id and section in that scope (NotFoundError when none is).
    """
    check_reason(reason)
    if section not in SECTIONS:
        raise FieldError([(("section",), f"unknown section {section!r} (valid: {', '.join(SECTIONS)})")])
    model = SECTIONS[section]
    what = f"{model.kind} {data.get('id')!r}" if isinstance(data, Mapping) else model.kind
    if not isinstance(data, Mapping):
        raise FieldError([((), f"{what}: an entity is a JSON object of the section's keys")])
    item: Entry = model_or_field_error(model, data, what)
    if model.kind == "stakeholder" and document is None and getattr(item, "type", "") == "UnidentifiedHolder":
        raise FieldError(
            [(("type",), "an unidentified holder is scoped to its document, never in the registry")]
        )
    refs = [(key, n, ref) for key in link_kinds(model) for n, ref in enumerate(getattr(item, key))]
    with WRITING:
        if document is not None:
            document_text(store, document)  # NotFoundError for a document the store lacks
        found = defined(store, [item.id, *(ref for _, _, ref in refs)])
        for key, number, ref in refs:
            check_ref(found, ref, link_kinds(model)[key], document, (key, number))
        where = str(document_graph(document)) if document is not None else str(ENTITIES_GRAPH)
        editing = False
        for definition in found.get(item.id, []):
            if (document is None or edit) and definition.graph == where and definition.kind == model.kind:
                editing = True
            else:
                raise FieldError([(("id",), f"id '{item.id}' already names {definition.kind} '{item.id}'")])
        if edit and not editing:
            scope = f"document {document!r}" if document is not None else "the registry"
            raise NotFoundError(f"no {model.kind} {item.id!r} in {scope}")
        graph = Graph()
        _compile_entity(graph, item, entity(document) if document is not None else None)
        if document is not None:  # the registry's entities it names are mentioned in the document
            for ref in {ref for _, _, ref in refs if visible_in_registry(found, ref)}:
                graph.add((entity(ref), SG.mentionedIn, entity(document)))
        drop = f"DELETE WHERE {{ GRAPH <{where}> {{ <{entity(item.id)}> ?p ?o }} }} ;\n" if editing else ""
        log = str(history_graph(document)) if document is not None else REGISTRY_HISTORY
        relabel = " ;\n" + _RELABEL % {**_TERMS, "entity": entity(item.id).n3()}
        store.update(
            drop
            + _insert({where: graph.serialize(format="nt"), log: _record(entity(item.id), coder, reason)})
            + (relabel if editing else "")
        )
    return item.id
