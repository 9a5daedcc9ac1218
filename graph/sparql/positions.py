"""The line and column a parser's error message names: Oxigraph's SPARQL and RDF parsers, Jena.

Only the standard library: the engine process imports this too.

>>> error_position("error at 3:17: expected one of ABS, AVG")
(3, 17)
"""

from __future__ import annotations

import re

# Oxigraph's SPARQL parser says "error at 3:17: ...", its RDF parsers "at line 3 column 9"
# or "at line 3 between columns 9 and 24", Jena "at line 3, column 9".
_POSITION = re.compile(r"\bat (\d+):(\d+)|\bline (\d+),? (?:between )?columns? (\d+)", re.IGNORECASE)
# Virtuoso names the line only: "SPARQL compiler, line 2: syntax error at ...".
_LINE_ONLY = re.compile(r"\bcompiler, line (\d+):")


def error_position(message: str) -> tuple[int | None, int | None]:
    """The 1-based line and column a parser error message names, or (None, None).

    >>> error_position("Parser error at line 1 between columns 9 and 24: Unexpected end of file")
    (1, 9)
    >>> error_position("Virtuoso 37000 Error SP030: SPARQL compiler, line 2: syntax error at '}'")
    (2, None)
    >>> error_position("XML namespaces are required in RDF/XML")
    (None, None)
    """
    match = _POSITION.search(message)
    if match is None:
        line_only = _LINE_ONLY.search(message)
        return (int(line_only.group(1)), None) if line_only else (None, None)
    line, column = (group for group in match.groups() if group is not None)
    return int(line), int(column)
