"""Answers of an engine whose serializations are off, read completely and written again by pyoxigraph.

Used for engines whose profile says ``rewrites_results`` (Virtuoso: see
:mod:`graph.stores.engines`): SELECT and ASK are asked for as SPARQL JSON, graphs as N-Triples,
and what comes back is parsed, fixed and serialized in the format the client asked for, cut
at the row cap when there is one.

>>> one = b'{"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "1"}'
>>> table = b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": ' + one + b'}]}}'
>>> rewrite_solutions(table, "application/sparql-results+json", None)
('ASK', b'{"head":{},"boolean":true}', False)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import pyoxigraph as ox
from rdflib import XSD, Literal
from rdflib.term import Node

from graph.formats import N_TRIPLES, SPARQL_JSON, SPARQL_TSV, MediaFormat, results_serializer
from graph.stores.base import QueryResult
from graph.stores.engine.serialization import cap_lines, solutions_as, triples_as

# Virtuoso answers ASK with a table of one integer in this column.
_ASK_COLUMN = "__ASK_RETVAL"
_BOOLEANS = {
    answer: cast(ox.QueryBoolean, ox.Store().query(f"ASK {{ FILTER({str(answer).lower()}) }}"))
    for answer in (True, False)
}

# JSON, not XML: pyoxigraph's XML reader trims the whitespace a literal starts with.
SOLUTIONS_ASKED = SPARQL_JSON
# Virtuoso's JSON writes a stored boolean in its other lexical form, as TSV then does.
_BOOLEAN_FORMS = {
    b'"1"^^<http://www.w3.org/2001/XMLSchema#boolean>': b"true",
    b'"0"^^<http://www.w3.org/2001/XMLSchema#boolean>': b"false",
}
TRIPLES_ASKED = N_TRIPLES


def rewrite_solutions(
    body: bytes, results: MediaFormat | str, max_rows: int | None, bound: Mapping[str, str] | None = None
) -> tuple[str, bytes, bool]:
    """SPARQL JSON results as (form, body in ``results``, truncated); an ASK told as a one-row
    table becomes a boolean, and the columns of ``bound`` (variable: a term as TSV writes it)
    hold that term wherever they are bound (Virtuoso gives a bound boolean back as 0 or 1)."""
    parsed = ox.parse_query_results(body, format=results_serializer(SOLUTIONS_ASKED))
    writer = results_serializer(results)
    if isinstance(parsed, ox.QueryBoolean):
        return "ASK", _BOOLEANS[bool(parsed)].serialize(format=writer) or b"", False
    if [variable.value for variable in parsed.variables] == [_ASK_COLUMN]:
        rows = list(parsed)
        answer = bool(rows) and str(getattr(rows[0][_ASK_COLUMN], "value", "0")) not in ("0", "false")
        return "ASK", _BOOLEANS[answer].serialize(format=writer) or b"", False
    tsv = parsed.serialize(format=results_serializer(SPARQL_TSV)) or b""
    for other, canonical in _BOOLEAN_FORMS.items():
        tsv = tsv.replace(other, canonical)
    if bound:
        tsv = _restore_bound(tsv, bound)
    if max_rows is None:
        return "SELECT", solutions_as(tsv, results), False
    cap = cap_lines([tsv], SPARQL_TSV.media_type, max_rows, solutions=True)
    return "SELECT", solutions_as(cap.getvalue(), results), cap.truncated


def _restore_bound(tsv: bytes, bound: Mapping[str, str]) -> bytes:
    """TSV with the cells of the bound columns set to their bound term (one row per line)."""
    header, *rows = tsv.decode().split("\n")
    columns = {index: bound[name[1:]] for index, name in enumerate(header.split("\t")) if name[1:] in bound}
    if not columns:
        return tsv
    fixed = [header]
    for row in rows:
        cells = row.split("\t")
        fixed.append("\t".join(columns[i] if i in columns and cell else cell for i, cell in enumerate(cells)))
    return "\n".join(fixed).encode()


def rewrite_triples(body: bytes, graph: MediaFormat | str, max_rows: int | None) -> tuple[bytes, bool]:
    """N-Triples as (body in ``graph``, truncated), cut at ``max_rows`` triples when given.

    >>> tabbed = b'<http://e/a>\\t<http://e/p>\\t"x" .\\n<http://e/a> <http://e/p> "y" .'
    >>> rewrite_triples(tabbed, "text/turtle", 1)
    (b'<http://e/a> <http://e/p> "x" .\\n', True)
    """
    # Written again first: pyoxigraph's N-Triples put exactly one triple on each line.
    lines = ox.RdfFormat.N_TRIPLES
    ntriples = ox.serialize(ox.parse(body, format=lines), format=lines) or b""  # bytes, given no file
    if max_rows is None:
        return triples_as(ntriples, graph), False
    cap = cap_lines([ntriples], N_TRIPLES.media_type, max_rows, solutions=False)
    return triples_as(cap.getvalue(), graph), cap.truncated


def rewritten_result(
    form: str,
    body: bytes,
    results: MediaFormat,
    graph: MediaFormat,
    max_rows: int | None,
    bindings: Mapping[str, Node] | None = None,
) -> QueryResult:
    """The engine's whole answer to a query of ``form`` as the result the client asked for."""
    if form in ("SELECT", "ASK"):
        bound = {name: _tsv_term(term) for name, term in (bindings or {}).items() if _is_boolean(term)}
        found, data, truncated = rewrite_solutions(body, results, max_rows, bound)
        return QueryResult.complete(found, results.media_type, data, truncated)  # type: ignore[arg-type]
    data, truncated = rewrite_triples(body, graph, max_rows)
    return QueryResult.complete(form, graph.media_type, data, truncated)  # type: ignore[arg-type]


def _is_boolean(term: Node) -> bool:
    return isinstance(term, Literal) and term.datatype == XSD.boolean


def _tsv_term(term: Node) -> str:
    # A boolean as TSV writes it: the bare keyword, in its canonical form.
    return "true" if bool(term) else "false"
