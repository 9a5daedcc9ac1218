"""The first rows of an engine's answer, read as it arrives: reading stops once there are enough.

A row-capped query on an engine whose answers are re-read (:mod:`graph.stores.rewritten`) gets
SPARQL JSON or N-Triples back, neither of which is cut by the engine at our cap (an engine may
ignore ``LIMIT``-less caps, or be told none). These read the answer chunk by chunk and stop
once ``rows`` rows are in, so a result of millions of rows costs what its first rows cost.

>>> chunks = [b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", ',
...           b'"value": "1"}}, {"x": {"type": "literal", "value": "2"}}, {"x"']
>>> first_solutions(iter(chunks), 1)
b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}'
>>> first_lines(iter([b"<http://e/a> <http://e/p> 1 .\\n<http://e/a> ", b"<http://e/p> 2 .\\n"]), 1)
b'<http://e/a> <http://e/p> 1 .\\n'
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any

_HEAD = re.compile(r'\{\s*"head"\s*:\s*')
_BINDINGS = re.compile(r'\s*,\s*"results"\s*:\s*\{[^{}\[\]]*?"bindings"\s*:\s*\[')
_SEPARATOR = re.compile(r"\s*,?\s*")
_DECODER = json.JSONDecoder()


def first_solutions(chunks: Iterator[bytes], rows: int) -> bytes:
    """SPARQL JSON results with at most ``rows`` of the answer's bindings, the rest left unread.

    An answer laid out otherwise than ``{"head": ..., "results": {..., "bindings": [...``
    (a boolean, the head last) is read whole and given back as it is.

    >>> first_solutions(iter([b'{"head": {}, "boolean": true}']), 1)
    b'{"head": {}, "boolean": true}'
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    text, ended = "", False

    def more() -> bool:
        nonlocal text, ended
        chunk = next(chunks, None)
        if chunk is None:
            ended = True
            text += decoder.decode(b"", final=True)
            return False
        text += decoder.decode(chunk)
        return True

    def parsed(start: int) -> tuple[Any, int] | None:
        """The JSON value at ``start`` and where it ends, reading more until it is whole."""
        while True:
            try:
                return _DECODER.raw_decode(text, start)
            except json.JSONDecodeError:
                if not more():
                    return None

    while len(text) < 64 and more():
        pass
    head_at = _HEAD.match(text)
    head = parsed(head_at.end()) if head_at else None
    if head is None:
        return _rest(text, chunks)
    found = _BINDINGS.match(text, head[1])
    while found is None and not ended and len(text) - head[1] < 4096 and more():
        found = _BINDINGS.match(text, head[1])
    if found is None:
        return _rest(text, chunks)
    solutions: list[Any] = []
    at = found.end()
    while len(solutions) < rows:
        separator = _SEPARATOR.match(text, at)
        if separator is not None and separator.end() == len(text):
            if more():
                continue
            break
        at = separator.end() if separator else at
        if text[at] == "]":
            break
        solution = parsed(at)
        if solution is None:
            break  # cut off mid-row: the rows before it stand
        solutions.append(solution[0])
        at = solution[1]
    return json.dumps({"head": head[0], "results": {"bindings": solutions}}).encode()


def _rest(text: str, chunks: Iterator[bytes]) -> bytes:
    return text.encode() + b"".join(chunks)


def first_lines(chunks: Iterator[bytes], lines: int) -> bytes:
    """The first ``lines`` whole lines of the chunks (fewer when the answer has fewer), the rest
    left unread: N-Triples has one triple a line."""
    kept: list[bytes] = []
    count = 0
    for chunk in chunks:
        kept.append(chunk)
        count += chunk.count(b"\n")
        if count >= lines:
            break
    body = b"".join(kept)
    ends = [match.end() for match in re.finditer(rb"\n", body)]
    return body[: ends[lines - 1]] if len(ends) >= lines else body
