"""Coding files: the analyst's YAML, checked against its source text and compiled to RDF.

One coding file per document (``data/<doc-slug>.yaml``) records, in the manner
of Discourse Network Analyzer (actor, concept, agreement, document), who holds
which stance on what, with the exact quotes that show it. A file has these
top-level keys::

    document:                 slug, title, source (path of the text, relative to the file's directory);
                              publisher, author, date only when the source gives them
    stakeholders:             id, label, type (Nation, GovernmentBody, ...), member_of, part_of
    programs:                 id, label, initiated_by, promoted_by, aims_at
    participation_proposals:  id, label, participant, program
    concerns:                 id, label, broader            (the SKOS scheme sgd:concerns)
    measures:                 id, label, status (underReview | recommended), addresses, part_of
    threats:                  id, label
    positions:                id, holder, target, stance, value, attribution, hedges, regarding, evidence
    inferred:                 subject, one link key (e.g. addresses), note

Every entity may also carry ``aliases`` (skos:altLabel) and ``note``
(skos:editorialNote). Evidence items are exact quotes, or mappings with
``quote``, ``occurrence`` (which one, counted from 1, when the quote occurs
more than once), ``garbled: true`` and ``note``. Ids are slugs ``[a-z0-9-]+``
that become ``sgd:<slug>``; links name ids. Everything is checked before any
RDF is made: a file with problems raises one :class:`~graph.errors.CodingError`
listing them, each with its line.

The format is pydantic models (:mod:`~graph.coding.schema`, their value types in
:mod:`~graph.coding.fields`), published as the JSON Schema ``ontology/coding.schema.json``
(``stancegraph schema``) for editors. :func:`load_coding` (:mod:`~graph.coding.load`) reads a
file through :mod:`~graph.coding.lines` (YAML with lines), :mod:`~graph.coding.problems` (the
schema's refusals as sentences with their lines) and :mod:`~graph.coding.checks` (ids, links
and quotes across the file); :mod:`~graph.coding.compile` makes its RDF and
:mod:`~graph.coding.build` compiles a folder.

>>> from graph.paths import DATA_DIR
>>> coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
>>> len(compile_coding(coding)) > 1000
True
"""

from __future__ import annotations

from graph.coding.build import build, build_dataset, serialize
from graph.coding.compile import CONTEXT_CHARS, compile_coding
from graph.coding.load import Coding, load_coding
from graph.coding.schema import STANCES, CodingFile, json_schema, json_schema_text

__all__ = [
    "CONTEXT_CHARS",
    "STANCES",
    "Coding",
    "CodingFile",
    "build",
    "build_dataset",
    "compile_coding",
    "json_schema",
    "json_schema_text",
    "load_coding",
    "serialize",
]
