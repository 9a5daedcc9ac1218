"""Documents and entities edited and retracted through the write API, recorded, nothing lost.

A document's metadata may change; its text may not (the offsets of its evidence index it). A
document is retracted once it codes no position, an entity once nothing names it: the graph
loses their triples, and their history graph keeps a record of the retraction with who, when,
why and every triple removed (``prov:value``, as N-Triples), so it can be put back by hand.

>>> from graph.coding.new_entries import save_document, save_entity
>>> from graph.stores.memory import MemoryStore
>>> with MemoryStore() as store:
...     slug = save_document(store, {"slug": "fictional-note", "title": "A fictional note"},
...                          "Nobody said this.", coder="ana", reason="a test")
...     _ = edit_document(store, slug, {"title": "A fictional note, renamed"}, coder="ana", reason="typo")
...     _ = save_entity(store, "threats", {"id": "fictional-drones", "label": "Drones"},
...                     coder="ana", reason="a test", document=slug)
...     retract_entity(store, "fictional-drones", coder="ana", reason="not in the text")
...     retract_document(store, slug, coder="ana", reason="a test only")
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from graph.coding.compile import PROV, compile_coding
from graph.coding.history import coder_iri, history_graph
from graph.coding.load import Coding
from graph.coding.new_entries import REGISTRY_HISTORY
from graph.coding.position_input import model_or_field_error
from graph.coding.position_store import WRITING, check_reason, document_text, now
from graph.coding.quotes import sha256
from graph.coding.schema import CodingFile, Document
from graph.coding.store_checks import defined
from graph.errors import ConflictError, FieldError, NotFoundError
from graph.namespaces import SG, document_graph, entity, inferred_graph
from graph.results import ask, construct_graph, select_solutions
from graph.stores.base import Store
from graph.terms import text_of


def _document_keys(slug: str, text: str, metadata: Mapping[str, Any]) -> Document:
    if not isinstance(metadata, Mapping):
        raise FieldError([(("document",), "the document is a JSON object of the coding format's keys")])
    given = {"source": f"sources/{slug}.txt", **metadata, "slug": metadata.get("slug", slug)}
    document: Document = model_or_field_error(Document, given, "document", ("document",))
    if document.slug != slug:
        raise FieldError([(("document", "slug"), f"the slug is the document's, {slug!r}: it cannot change")])
    return document


def _retraction(subject: URIRef, removed: Graph, coder: str, reason: str) -> str:
    """The N-Triples recording that ``subject`` was retracted, with the triples it lost."""
    time = now()
    node = URIRef(f"{subject}/retraction/{time}")
    record = Graph()
    record.add((node, RDF.type, PROV.Activity))
    record.add((node, PROV.invalidated, subject))
    record.add((node, PROV.wasAssociatedWith, coder_iri(coder)))
    record.add((coder_iri(coder), RDFS.label, Literal(coder)))
    record.add((node, PROV.endedAtTime, Literal(time, datatype=XSD.dateTime, normalize=False)))
    record.add((node, RDFS.comment, Literal(reason)))
    record.add((node, PROV.value, Literal(removed.serialize(format="nt"))))
    return record.serialize(format="nt")


def edit_document(store: Store, slug: str, metadata: Mapping[str, Any], *, coder: str, reason: str) -> str:
    """Replace the metadata of document ``slug`` (the coding format's ``document`` keys); its text stays."""
    check_reason(reason)
    with WRITING:
        text = document_text(store, slug)  # NotFoundError for a document the store lacks
        document = _document_keys(slug, text, metadata)
        coding = Coding(Path(f"{slug}.yaml"), CodingFile(document=document), text, sha256(text), {}, {})
        subject, graph = entity(slug), document_graph(slug)
        compiled = Graph()
        for triple in compile_coding(coding).graph(graph).triples((subject, None, None)):
            compiled.add(triple)
        record = _record(subject, coder, reason)
        store.update(
            f"DELETE WHERE {{ GRAPH {graph.n3()} {{ {subject.n3()} ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH {graph.n3()} {{\n{compiled.serialize(format='nt')}}}\n"
            f"GRAPH {history_graph(slug).n3()} {{\n{record}}} }}"
        )
    return slug


def _record(subject: URIRef, coder: str, reason: str) -> str:
    """A change of ``subject`` by ``coder``: a prov:Activity with its time and reason."""
    time = now()
    node = URIRef(f"{subject}/change/{time}")
    record = Graph()
    record.add((node, RDF.type, PROV.Activity))
    record.add((node, PROV.used, subject))
    record.add((node, PROV.wasAssociatedWith, coder_iri(coder)))
    record.add((coder_iri(coder), RDFS.label, Literal(coder)))
    record.add((node, PROV.endedAtTime, Literal(time, datatype=XSD.dateTime, normalize=False)))
    record.add((node, RDFS.comment, Literal(reason)))
    return record.serialize(format="nt")


def retract_document(store: Store, slug: str, *, coder: str, reason: str) -> None:
    """Remove document ``slug`` and its /inferred graph; ConflictError while it codes positions."""
    check_reason(reason)
    with WRITING:
        document_text(store, slug)
        graph, inferred = document_graph(slug), inferred_graph(slug)
        if ask(store, f"ASK {{ GRAPH {graph.n3()} {{ ?p a {SG.Position.n3()} }} }}"):
            raise ConflictError(
                f"document {slug!r} still codes positions: retract them first (their history stays)"
            )
        removed = construct_graph(
            store,
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }}"
            f" UNION {{ GRAPH {inferred.n3()} {{ ?s ?p ?o }} }} }}",
        )
        record = _retraction(entity(slug), removed, coder, reason)
        store.update(
            f"DROP SILENT GRAPH {graph.n3()} ; DROP SILENT GRAPH {inferred.n3()} ;\n"
            f"INSERT DATA {{ GRAPH {history_graph(slug).n3()} {{\n{record}}} }}"
        )


# History graphs keep what was: they never hold up a retraction, nor lose anything to one.
_NOT_HISTORY = 'FILTER(!STRENDS(STR(?g), "/history"))'
_NAMED_BY = """SELECT DISTINCT ?x WHERE {
  GRAPH ?g { ?x ?p %(entity)s }
  FILTER(?p != %(type)s && !STRENDS(STR(?g), "/history"))
} LIMIT 3"""


def entity_scope(store: Store, entity_id: str) -> str | None:
    """The document whose graph defines ``entity_id``, None for the registry; NotFoundError otherwise."""
    found = [d for d in defined(store, [entity_id]).get(entity_id, []) if d.kind != "position"]
    if not found or found[0].kind == "document":
        raise NotFoundError(f"no entity {entity_id!r}")
    return found[0].document


def retract_entity(store: Store, entity_id: str, *, coder: str, reason: str) -> None:
    """Remove entity ``entity_id``; ConflictError while a position, a link or an annotation names it."""
    check_reason(reason)
    with WRITING:
        document = entity_scope(store, entity_id)
        subject = entity(entity_id)
        naming = select_solutions(store, _NAMED_BY % {"entity": subject.n3(), "type": RDF.type.n3()})
        if naming:
            named_by = ", ".join(f"<{text_of(row['x'])}>" for row in naming)
            raise ConflictError(
                f"entity {entity_id!r} is named by other statements ({named_by}): retract or edit them first"
            )
        removed = construct_graph(
            store,
            f"CONSTRUCT {{ {subject.n3()} ?p ?o }}"
            f" WHERE {{ GRAPH ?g {{ {subject.n3()} ?p ?o }} {_NOT_HISTORY} }}",
        )
        log = history_graph(document) if document is not None else URIRef(REGISTRY_HISTORY)
        store.update(
            f"DELETE {{ GRAPH ?g {{ {subject.n3()} ?p ?o }} }}"
            f" WHERE {{ GRAPH ?g {{ {subject.n3()} ?p ?o }} {_NOT_HISTORY} }} ;\n"
            f"INSERT DATA {{ GRAPH {log.n3()} {{\n{_retraction(subject, removed, coder, reason)}}} }}"
        )
