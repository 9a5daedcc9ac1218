"""Results cut at the row cap: a one-row-per-line serialization counted, then written as asked.

TSV results and N-Triples put exactly one row (or triple) on each line, so the engine (and
the remote store) serialize a capped result that way first, keep the rows up to the cap,
and have pyoxigraph write what was kept in the format the client asked for.

Only the standard library and pyoxigraph: the engine process imports this.

>>> solutions_as(b'?x\\n"a"\\n', "text/csv")
b'x\\r\\na\\r\\n'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

import pyoxigraph as ox

from graph.formats import N_TRIPLES, SPARQL_TSV, MediaFormat, rdf_serializer, results_serializer


class RowCapReached(Exception):
    """Raised by :class:`RowCap` to stop the serializer (and so the evaluation) at the cap."""


class RowCap:
    """A writable that keeps a one-row-per-line serialization up to a number of rows.

    TSV results and N-Triples put exactly one row (or triple) on each line, newlines inside
    values being escaped, so counting lines counts rows without looking at them. Handed to
    the engine's serializer as its output, it raises :class:`RowCapReached` as soon as a row
    beyond the cap arrives, which stops the evaluation itself.

    >>> cap = RowCap(rows=2, header_lines=1)
    >>> try:
    ...     for chunk in (b"?x\\n1\\n", b"2\\n3\\n"):
    ...         cap.write(chunk)
    ... except RowCapReached:
    ...     pass
    5
    >>> cap.truncated, cap.getvalue()
    (True, b'?x\\n1\\n2\\n')
    """

    def __init__(self, rows: int, header_lines: int) -> None:
        self._lines_wanted = rows + header_lines
        self._lines_seen = 0
        self._cut: int | None = None  # offset just past the last wanted line, once seen
        self._buffer = bytearray()
        self.truncated = False

    def write(self, chunk: bytes) -> int:
        if self._cut is None:
            newlines = chunk.count(b"\n")
            if self._lines_seen + newlines >= self._lines_wanted:
                position = -1  # only this one chunk is scanned line by line
                for _ in range(self._lines_wanted - self._lines_seen):
                    position = chunk.index(b"\n", position + 1)
                self._cut = len(self._buffer) + position + 1
            self._lines_seen += newlines
        self._buffer += chunk
        if self._cut is not None and len(self._buffer) > self._cut:
            del self._buffer[self._cut :]
            self.truncated = True
            raise RowCapReached
        return len(chunk)

    def flush(self) -> None:
        """Nothing to flush: the serializer's output stays in memory."""

    def getvalue(self) -> bytes:
        """The rows kept, header included."""
        return bytes(self._buffer)


def solutions_as(tsv: bytes, results: MediaFormat | str) -> bytes:
    """TSV solutions re-serialized by the engine in another results format."""
    if results_serializer(results) == results_serializer(SPARQL_TSV):
        return tsv
    solutions = ox.parse_query_results(tsv, format=results_serializer(SPARQL_TSV))
    return solutions.serialize(format=results_serializer(results)) or b""  # bytes, given no output file


def triples_as(ntriples: bytes, rdf: MediaFormat | str) -> bytes:
    """N-Triples re-serialized by the engine in another RDF format.

    >>> triples_as(b'<http://e/a> <http://e/p> "x" .\\n', "text/turtle")
    b'<http://e/a> <http://e/p> "x" .\\n'
    """
    if rdf_serializer(rdf) == rdf_serializer(N_TRIPLES):
        return ntriples
    triples = ox.parse(ntriples, format=rdf_serializer(N_TRIPLES))
    return ox.serialize(triples, format=rdf_serializer(rdf)) or b""  # bytes, given no output file


def cap_lines(chunks: Iterable[bytes], media_type: str, max_rows: int, *, solutions: bool) -> RowCap:
    """The rows of a serialized result up to ``max_rows``: read line by line when it is TSV (for
    solutions) or N-Triples, converted whole first when it is not (a remote that ignored Accept).

    >>> cap = cap_lines([b'<http://e/a> <http://e/p> "x", "y" .'], "text/turtle", 1, solutions=False)
    >>> cap.truncated, cap.getvalue()
    (True, b'<http://e/a> <http://e/p> "x" .\\n')
    >>> cap_lines([b'?x\\n"a"\\n'], "text/tab-separated-values", 1, solutions=True).truncated
    False
    """
    cap = RowCap(max_rows, header_lines=1 if solutions else 0)
    line_format = SPARQL_TSV if solutions else N_TRIPLES
    with contextlib.suppress(RowCapReached):
        if media_type == line_format.media_type:
            for chunk in chunks:
                cap.write(chunk)
        else:
            cap.write(_as_lines(b"".join(chunks), media_type, solutions=solutions))
    return cap


def _as_lines(body: bytes, media_type: str, *, solutions: bool) -> bytes:
    """Any results or RDF serialization as TSV or N-Triples, one row per line."""
    if solutions:
        parsed = ox.parse_query_results(body, format=results_serializer(media_type))
        return parsed.serialize(format=results_serializer(SPARQL_TSV)) or b""  # bytes, given no output file
    triples = ox.parse(body, format=rdf_serializer(media_type))
    return ox.serialize(triples, format=rdf_serializer(N_TRIPLES)) or b""
