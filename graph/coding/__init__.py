"""Coding files: the analyst's YAML, checked against its source text and compiled to RDF.

One coding file per document (``data/<doc-slug>.yaml``) records, in the manner
of Discourse Network Analyzer (actor, concept, agreement, document), who holds
which stance on what, with the exact quotes that show it. A file has these
top-level keys::

    document:                 slug, title, source (path of the text, relative to the file's directory);
                              publisher, author, date, url only when the source gives them
    stakeholders:             id, label, type (Nation, GovernmentBody, ...), member_of, part_of
    programs:                 id, label, initiated_by, promoted_by, program_of, aims_at
    participation_proposals:  id, label, participant, program, aims_at
    concerns:                 id, label, broader            (the SKOS scheme sgd:concerns)
    measures:                 id, label, status (underReview | recommended), addresses, part_of
    threats:                  id, label
    positions:                id, holder, target, stance, value, attribution, hedges, regarding,
                              valid_at (when the text dates the stance itself), evidence
    inferred:                 subject, one link key (e.g. addresses), note

A date is a year (``2025``), a month (``2025-03``), a day (``2025-03-14``) or a date-time with
its time zone; it is stored as an ``xsd:dateTime`` in UTC with its precision
(:mod:`~graph.moments`). Several documents share entities through the entity registry
``entities.yaml`` beside them (the entity sections, no document): across a folder an id names
one thing, and an entity a document defines is scoped to it (:mod:`~graph.coding.corpus`,
:mod:`~graph.coding.scope`).

Every entity may also carry ``aliases`` (skos:altLabel) and ``note``
(skos:editorialNote). Evidence items are exact quotes, or mappings with
``quote``, ``occurrence`` (which one, counted from 1, when the quote occurs
more than once), ``garbled: true`` and ``note``. Ids are slugs ``[a-z0-9-]+``
that become ``sgd:<slug>``; links name ids. In a document's coding every link the text states
is given with the quotes that state it (``part_of: {id: canada, evidence: ["The Canadian
government"]}``), checked as a position's; a link the text does not state goes under
``inferred`` with its reason (``broader``, the analyst's ordering of the concerns, needs no
quote; the registry, which has no text, gives its links as ids). Everything is checked before any
RDF is made: a file with problems raises one :class:`~graph.errors.CodingError`
listing them, each with its line.

The format is pydantic models (:mod:`~graph.coding.schema`, their value types in
:mod:`~graph.coding.fields`), published as the JSON Schema ``ontology/coding.schema.json``
(``stancegraph schema``, :mod:`~graph.coding.published`) for editors. :func:`load_coding`
(:mod:`~graph.coding.load`) reads a file through :mod:`~graph.coding.lines` (YAML with lines),
:mod:`~graph.coding.problems` (the schema's refusals as sentences with their lines),
:mod:`~graph.coding.checks` (ids and links across the files) and :mod:`~graph.coding.quotes`
(quotes in the source); :mod:`~graph.coding.compile` makes its RDF, :mod:`~graph.coding.build`
compiles a folder, and :mod:`~graph.coding.scaffold` starts the coding of a new text.

>>> from graph.paths import DATA_DIR
>>> coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
>>> len(compile_coding(coding)) > 1000
True
"""

from __future__ import annotations

from graph.coding.build import build, build_dataset, serialize
from graph.coding.compile import CONTEXT_CHARS, ENTITIES_GRAPH, compile_coding, compile_registry
from graph.coding.corpus import Corpus, load_corpus
from graph.coding.load import Coding, Registry, load_coding
from graph.coding.published import (
    json_schema,
    json_schema_text,
    registry_json_schema,
    registry_json_schema_text,
)
from graph.coding.scaffold import default_slug, scaffold_coding
from graph.coding.schema import STANCES, CodingFile, EntityRegistry
from graph.coding.scope import REGISTRY_FILE
from graph.moments import Moment, parse_moment

__all__ = [
    "CONTEXT_CHARS",
    "ENTITIES_GRAPH",
    "REGISTRY_FILE",
    "STANCES",
    "Coding",
    "CodingFile",
    "Corpus",
    "EntityRegistry",
    "Moment",
    "Registry",
    "build",
    "build_dataset",
    "compile_coding",
    "compile_registry",
    "default_slug",
    "json_schema",
    "json_schema_text",
    "load_coding",
    "load_corpus",
    "parse_moment",
    "registry_json_schema",
    "registry_json_schema_text",
    "scaffold_coding",
    "serialize",
]
