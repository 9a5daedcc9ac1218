"""What ``stancegraph query`` prints for each query form, in a format of the registry that fits it.

The formats are :mod:`graph.formats`'s, by the names ``format=`` takes over HTTP: SELECT and
ASK results in :data:`~graph.formats.RESULTS_FORMATS` (``json`` is SPARQL JSON), CONSTRUCT and
DESCRIBE in :data:`~graph.formats.GRAPH_FORMATS` (``json`` is JSON-LD there, as for HTTP), each
written by the engine. One name more, :data:`TABLE`, is no serialization but a reading: rows
aligned in columns, an ASK's ``true`` or ``false``. With no ``--format``, rows are a table on a
terminal and CSV otherwise (for the next program), an ASK ``true`` or ``false``, a graph Turtle.

>>> output_for("ttl", "CONSTRUCT", terminal=True).name
'turtle'
>>> output_for(None, "SELECT", terminal=False).name
'csv'
>>> output_for("turtle", "ASK", terminal=True)
Traceback (most recent call last):
...
api.query_output.FormatMismatchError: --format turtle does not fit an ASK query: give table, json, xml, \
csv or tsv
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, BinaryIO

from graph.formats import (
    GRAPH_FORMATS,
    RESULTS_FORMATS,
    SPARQL_CSV,
    SPARQL_JSON,
    TURTLE,
    MediaFormat,
    find_format,
)
from graph.prefixed import PREFIXED_FORMATS, with_prefixes
from graph.sparql.rewriting import QueryForm, query_form
from graph.stores.base import QueryResult

TABLE = "table"
"""The reading for a person: rows in aligned columns, or an ASK's ``true``/``false``."""

READING = MediaFormat(TABLE, "text/plain")
"""What :func:`output_for` answers for :data:`TABLE`: the engine is asked for SPARQL JSON, and it is read."""

GRAPH_FORMS: tuple[QueryForm, ...] = ("CONSTRUCT", "DESCRIBE")


class FormatMismatchError(ValueError):
    """A ``--format`` that names no format, or none for the query's form."""


def _names(formats: Sequence[MediaFormat]) -> str:
    names = [f.name for f in formats]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def _choices(form: QueryForm) -> Sequence[MediaFormat]:
    return GRAPH_FORMATS if form in GRAPH_FORMS else (READING, *RESULTS_FORMATS)


def _listed(formats: Sequence[MediaFormat]) -> str:
    return ", ".join(f.name for f in formats)


FORMAT_HELP = (
    f"SELECT: {TABLE} (default on a terminal), {SPARQL_CSV.name} (default otherwise), "
    f"{_listed([f for f in RESULTS_FORMATS if f is not SPARQL_CSV])}. ASK: {TABLE} (true or false, the "
    f"default), {_listed(RESULTS_FORMATS)}. CONSTRUCT and DESCRIBE: {TURTLE.name} (default), "
    f"{_listed(GRAPH_FORMATS[1:])}. The names (and media types) format= takes over HTTP."
)
"""The help of ``--format``, from the registry."""


def check_format_name(name: str | None) -> None:
    """Refuse, before anything runs, a ``--format`` that fits no query form at all.

    >>> check_format_name("pdf")
    Traceback (most recent call last):
    ...
    api.query_output.FormatMismatchError: --format pdf names no format: give table, json, xml, csv or tsv \
for SELECT and ASK; turtle, ntriples, jsonld, rdfxml, nquads or trig for CONSTRUCT and DESCRIBE
    """
    if name is None or any(_find(name, _choices(form)) for form in ("SELECT", "CONSTRUCT")):
        return
    raise FormatMismatchError(
        f"--format {name} names no format: give {_names(_choices('SELECT'))} for SELECT and ASK; "
        f"{_names(GRAPH_FORMATS)} for CONSTRUCT and DESCRIBE"
    )


def output_for(name: str | None, form: QueryForm, *, terminal: bool) -> MediaFormat:
    """The format a result of ``form`` is printed in, given ``--format`` (None: the default).

    :data:`READING` stands for the table (or ``true``/``false``); FormatMismatchError names
    the option and the form when ``name`` does not fit it.
    """
    if name is None:
        if form in GRAPH_FORMS:
            return TURTLE
        return READING if terminal or form == "ASK" else SPARQL_CSV
    found = _find(name, _choices(form))
    if found is None:
        article = "an" if form == "ASK" else "a"
        raise FormatMismatchError(
            f"--format {name} does not fit {article} {form} query: give {_names(_choices(form))}"
        )
    return found


def engine_formats(
    name: str | None, planned: QueryForm | None, *, terminal: bool
) -> tuple[MediaFormat, MediaFormat]:
    """What to ask the store for, results then graphs, as the HTTP endpoint does: both up front, since
    only the engine's parse is sure of the form; ``planned`` is the form its first keyword tells.
    The reading is made from SPARQL JSON; a slot the name does not fit gets the slot's first
    format, and the answer is refused when it comes.

    >>> [f.name for f in engine_formats("json", "SELECT", terminal=False)]
    ['json', 'jsonld']
    >>> [f.name for f in engine_formats(None, "ASK", terminal=False)]
    ['json', 'turtle']
    """

    def fitting(form: QueryForm, otherwise: MediaFormat) -> MediaFormat:
        try:
            chosen = output_for(name, form, terminal=terminal)
        except FormatMismatchError:
            return otherwise
        return SPARQL_JSON if chosen is READING else chosen

    return fitting("ASK" if planned == "ASK" else "SELECT", SPARQL_JSON), fitting("CONSTRUCT", TURTLE)


def reading(body: bytes, form: QueryForm) -> str:
    """A SELECT's SPARQL JSON as an aligned table (each term as its text), an ASK's as true or false.

    >>> print(reading(b'{"head": {}, "boolean": false}', "ASK"))
    false
    >>> row = b'{"s": {"type": "uri", "value": "urn:a"}}'
    >>> body = b'{"head": {"vars": ["s", "n"]}, "results": {"bindings": [' + row + b']}}'
    >>> print(reading(body, "SELECT"))
        s n
    urn:a
    """
    document: dict[str, Any] = json.loads(body)
    if form == "ASK":
        return "true" if document["boolean"] else "false"
    import pandas  # only the table needs it, and it takes a while to import

    variables: list[str] = document["head"]["vars"]
    bindings: list[dict[str, dict[str, str]]] = document["results"]["bindings"]
    if not bindings:
        return "(no rows)"
    rows = [[_text(row.get(name)) for name in variables] for row in bindings]
    return str(pandas.DataFrame(rows, columns=variables).to_string(index=False))


def _text(term: dict[str, str] | None) -> str:
    # A blank node is told from an IRI by its prefix, as in N-Triples; an unbound variable is blank.
    if term is None:
        return ""
    return f"_:{term['value']}" if term["type"] == "bnode" else term["value"]


def _find(name: str, formats: Sequence[MediaFormat]) -> MediaFormat | None:
    return READING if name.lower() == TABLE and READING in formats else find_format(name, formats)


def plan(text: str, name: str | None, *, terminal: bool) -> tuple[MediaFormat, MediaFormat]:
    """Check ``--format`` against the query before it runs; the formats to ask the store for.

    The form is read from the query's first keyword, so a format that does not fit it is refused
    before any work (FormatMismatchError); the engine's parse is surer, and :func:`print_result`
    checks its answer again.
    """
    check_format_name(name)
    planned = query_form(text)
    if planned is not None:
        output_for(name, planned, terminal=terminal)
    return engine_formats(name, planned, terminal=terminal)


def print_result(result: QueryResult, name: str | None, out: BinaryIO, *, terminal: bool) -> None:
    """Write a result to ``out`` in the format ``--format`` names for its form: the engine's bytes as
    they come, or the reading; FormatMismatchError when the name does not fit the form."""
    chosen = output_for(name, result.form, terminal=terminal)
    if chosen is READING:
        out.write(reading(result.read(), result.form).encode("utf-8") + b"\n")
    elif chosen in PREFIXED_FORMATS:  # a graph people read, with the project's prefixes, as /sparql
        out.write(with_prefixes(result.read(), chosen))
    else:
        last = b"\n"
        for chunk in result.chunks:
            out.write(chunk)
            last = chunk[-1:] or last
        if terminal and last != b"\n":  # the prompt on a line of its own; piped bytes stay as written
            out.write(b"\n")
    out.flush()
