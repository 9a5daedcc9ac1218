"""Documents: title, publication, hash, the text as the store holds it (``sg:text``), and their spans.

The text is served from the store, so any store (or a ``--data`` file built from another
folder) serves the texts it holds; it is served only if it is the text its recorded SHA-256
names, since the evidence offsets index the text that was hashed. A document without
``sg:text`` is served without a text: nothing is read from files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from rdflib import URIRef

from graph.paths import DATA_DIR
from graph.read.evidence import evidence, evidence_of_document, spans
from graph.read.names import PROLOGUE, identifier
from graph.results import select_all_solutions
from graph.stores.base import Store
from graph.terms import Solution, is_literal, text_of

# One value of each key (a store anyone may write to can hold two), and the texts with the hashes.
_FIELDS = {
    "title": "dcterms:title",
    "source": "sg:sourceText",
    "publisher": "dcterms:publisher",
    "author": "dcterms:creator",
    "issued": "dcterms:issued",
    "timePrecision": "sg:timePrecision",
    "url": "dcterms:source",
}
_DOCUMENT = (
    PROLOGUE
    + "SELECT "
    + " ".join(f"(SAMPLE(?any_{key}) AS ?{key})" for key in _FIELDS)
    + " WHERE {\n  VALUES ?document { %(document)s }\n"
    + "".join(f"  OPTIONAL {{ ?document {term} ?any_{key} }}\n" for key, term in _FIELDS.items())
    + "}"
)
_TEXTS = (
    PROLOGUE
    + """
SELECT DISTINCT ?text ?sha256 WHERE {
  VALUES ?document { %(document)s }
  OPTIONAL { ?document sg:text ?text }
  OPTIONAL { ?document sg:sha256 ?sha256 }
}"""
)


def source_text(source: str | None, sha256: str | None, sources_dir: Path = DATA_DIR) -> str | None:
    """The text of a source file, if it lies under ``sources_dir`` and matches its SHA-256.

    :func:`document_detail` no longer reads files (the store holds the text); this stays for
    callers that check a file against a recorded digest. A path leaving ``sources_dir`` is
    never read, and a file whose hash differs from the recorded one is not returned.

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


def stored_text(rows: list[Solution]) -> tuple[str | None, str | None]:
    """The text and SHA-256 to serve from the ``?text ?sha256`` rows of a document: a stored text
    whose UTF-8 has a recorded SHA-256 (or, with none recorded, the text as stored); else no text.

    >>> text = {"type": "literal", "value": "x"}
    >>> digest = {"type": "literal", "value": hashlib.sha256(b"x").hexdigest()}
    >>> stored_text([{"text": text, "sha256": digest}])[0]
    'x'
    >>> stored_text([{"text": text, "sha256": {"type": "literal", "value": "0" * 64}}])
    (None, '0000000000000000000000000000000000000000000000000000000000000000')
    >>> stored_text([{"text": text}]), stored_text([])
    (('x', None), (None, None))
    """
    texts = sorted({text_of(row["text"]) for row in rows if "text" in row and is_literal(row["text"])})
    digests = sorted({text_of(row["sha256"]) for row in rows if "sha256" in row})
    for text in texts:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest in (recorded.lower() for recorded in digests):
            return text, next(recorded for recorded in digests if recorded.lower() == digest)
    if not digests and texts:
        return texts[0], None
    return None, digests[0] if digests else None


def document_detail(store: Store, iri: URIRef) -> dict[str, Any]:
    """A document's own keys: title, publication (publisher, author, issued with its precision,
    URL), SHA-256, source path, the text the store holds, and every evidence span quoting it.

    >>> from graph.dataset import load_embedded
    >>> from graph.namespaces import entity
    >>> from graph.stores.memory import MemoryStore
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> detail = document_detail(store, entity("golden-dome-canada"))
    >>> detail["source"], detail["issued"], detail["evidence"][0]["position"]
    ('sources/golden-dome-canada.txt', None, 'canada-in-talks-to-join-golden-dome')
    >>> all(detail["text"][span["start"] : span["end"]] == span["quote"] for span in detail["evidence"])
    True
    """
    metadata, texts = select_all_solutions(
        store, [_DOCUMENT % {"document": iri.n3()}, _TEXTS % {"document": iri.n3()}]
    )
    row = metadata[0] if metadata else {}
    detail: dict[str, Any] = {key: text_of(row[key]) if key in row else None for key in _FIELDS}
    if "issued" in row and is_literal(row["issued"]):
        detail["issued"] = str(row["issued"]["value"])  # as stored: rdflib would write Z as +00:00
    detail["text"], detail["sha256"] = stored_text(texts)
    quoting = []
    for evidence_row in spans(evidence_of_document(store, iri)):
        span = evidence(evidence_row)
        span["position"] = identifier(text_of(evidence_row["position"]))
        quoting.append(span)
    detail["evidence"] = quoting
    return detail
