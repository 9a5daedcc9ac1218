"""Documents: title, hash, source text (read only from the sources and only if its hash matches), spans."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from rdflib import URIRef

from graph.paths import DATA_DIR
from graph.read.evidence import evidence, evidence_of_document, spans
from graph.read.names import PROLOGUE, identifier
from graph.results import select_solutions
from graph.stores.base import Store
from graph.terms import text_of

_DOCUMENT = (
    PROLOGUE
    + """
SELECT (SAMPLE(?anyTitle) AS ?title) (SAMPLE(?anyHash) AS ?sha256) (SAMPLE(?anyPath) AS ?source) WHERE {
  VALUES ?document { %(document)s }
  OPTIONAL { ?document dcterms:title ?anyTitle }
  OPTIONAL { ?document sg:sha256 ?anyHash }
  OPTIONAL { ?document sg:sourceText ?anyPath }
}"""
)


def source_text(source: str | None, sha256: str | None, sources_dir: Path = DATA_DIR) -> str | None:
    """The text of a document's source file, if it lies under ``sources_dir`` and matches its SHA-256.

    The path comes from the graph, which anyone with write access can change:
    a path leaving ``sources_dir`` is never read, and a file whose hash differs
    from the recorded one is not served, since the evidence offsets index the
    text that was hashed.

    >>> text = (DATA_DIR / "sources/golden-dome-canada.txt").read_bytes()
    >>> digest = hashlib.sha256(text).hexdigest()
    >>> source_text("sources/golden-dome-canada.txt", digest)[:6]
    'Canada'
    >>> source_text("../../../etc/passwd", digest) is None
    True
    >>> source_text("sources/golden-dome-canada.txt", "not its hash") is None
    True
    """
    if not source or not sha256:
        return None
    root = sources_dir.resolve()
    path = (root / source).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256.lower():
        return None
    try:
        # newline="" semantics: offsets index the file's characters as they are.
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def document_detail(store: Store, iri: URIRef) -> dict[str, Any]:
    """A document's own keys: title, SHA-256, source path, text, and every evidence span quoting it.

    >>> from graph.dataset import load_embedded
    >>> from graph.namespaces import entity
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> detail = document_detail(store, entity("golden-dome-canada"))
    >>> detail["source"], detail["evidence"][0]["position"]
    ('sources/golden-dome-canada.txt', 'canada-in-talks-to-join-golden-dome')
    """
    row = select_solutions(store, _DOCUMENT % {"document": iri.n3()})[0]
    title, sha256, source = (
        text_of(row[name]) if name in row else None for name in ("title", "sha256", "source")
    )
    quoting = []
    for evidence_row in spans(evidence_of_document(store, iri)):
        span = evidence(evidence_row)
        span["position"] = identifier(text_of(evidence_row["position"]))
        quoting.append(span)
    return {
        "title": title,
        "sha256": sha256,
        "source": source,
        "text": source_text(source, sha256),
        "evidence": quoting,
    }
