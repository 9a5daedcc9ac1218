"""The SPARQL 1.1 Protocol's update dataset: ``using-graph-uri`` and ``using-named-graph-uri``.

The protocol's parameters mean what ``USING`` and ``USING NAMED`` mean in the
update itself, for every operation with a WHERE clause. No engine takes them
beside the update, so they are written into it: a ``USING`` clause before the
``WHERE`` of each ``DELETE``/``INSERT`` operation, and the ``DELETE WHERE { P }``
shortcut (whose grammar has no room for ``USING``) spelled out as the
``DELETE { P } USING ... WHERE { P }`` it abbreviates. The places are found with
the SPARQL lexer (:mod:`graph.sparql.lexer`), so a keyword inside a string or an IRI
is never taken for one. Operations without WHERE (``INSERT DATA``, ``CLEAR``,
...) are left as they are: the dataset does not concern them.

The protocol forbids the parameters beside ``USING``, ``USING NAMED`` or
``WITH`` in the update (section 2.2.3): such a request is refused, not guessed at.

>>> print(with_protocol_dataset(
...     "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://e/g"], []))
DELETE { ?s ?p ?o } USING <http://e/g> WHERE { ?s ?p ?o }
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyoxigraph as ox
from pygments.token import Keyword, Punctuation, _TokenType, is_token_subtype

from graph.errors import ForbiddenOperationError, QuerySyntaxError
from graph.sparql.lexer import SparqlLexer

_LEXER = SparqlLexer()
_DATASET_CLAUSES = frozenset({"USING", "USING NAMED", "WITH"})


def _iri(parameter: str, value: str) -> str:
    try:
        return str(ox.NamedNode(value))
    except ValueError as error:
        raise QuerySyntaxError(f"{parameter} {value!r} is not an IRI: {error}") from None


def _tokens(update: str) -> Iterator[tuple[int, _TokenType, str, int]]:
    """Each significant token with its offset and the bracket depth outside it."""
    depth = 0
    for offset, kind, text in _LEXER.get_tokens_unprocessed(update):
        if is_token_subtype(kind, Punctuation) and text in "})]":
            depth -= 1
        if not text.isspace():
            yield offset, kind, text, depth
        if is_token_subtype(kind, Punctuation) and text in "{([":
            depth += 1


def with_protocol_dataset(update: str, using_graphs: Sequence[str], using_named_graphs: Sequence[str]) -> str:
    """``update`` with the protocol's dataset written in as USING clauses (unchanged when none is given).

    >>> print(with_protocol_dataset("DELETE WHERE { ?s <http://e/p> 'WHERE' }", [], ["http://e/n"]))
    DELETE { ?s <http://e/p> 'WHERE' } USING NAMED <http://e/n> WHERE { ?s <http://e/p> 'WHERE' }
    >>> print(with_protocol_dataset("INSERT DATA { <http://e/a> <http://e/p> 1 }", ["http://e/g"], []))
    INSERT DATA { <http://e/a> <http://e/p> 1 }
    >>> with_protocol_dataset("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://e/g"], [])
    Traceback (most recent call last):
    ...
    graph.errors.ForbiddenOperationError: using-graph-uri and using-named-graph-uri cannot be combined ...
    """
    if not using_graphs and not using_named_graphs:
        return update
    clauses = " ".join(
        [
            *(f"USING {_iri('using-graph-uri', graph)}" for graph in using_graphs),
            *(f"USING NAMED {_iri('using-named-graph-uri', graph)}" for graph in using_named_graphs),
        ]
    )
    pieces: list[str] = []
    done = 0  # how much of the update is in pieces
    shortcut_start: int | None = None  # where the pattern of a DELETE WHERE begins
    for offset, kind, text, depth in _tokens(update):
        if depth or not is_token_subtype(kind, Keyword):
            if shortcut_start is not None and depth == 0 and text == "}":
                pattern = update[shortcut_start : offset + 1].strip()
                pieces.append(f"DELETE {pattern} {clauses} WHERE {pattern}")
                done, shortcut_start = offset + 1, None
            continue
        word = " ".join(text.upper().split())
        if word in _DATASET_CLAUSES:
            raise ForbiddenOperationError(
                f"using-graph-uri and using-named-graph-uri cannot be combined with {word} in the update "
                "(SPARQL 1.1 Protocol, section 2.2.3): give the dataset in one place"
            )
        if word == "WHERE":
            pieces.append(f"{update[done:offset]}{clauses} ")
            done = offset
        elif word == "DELETE WHERE":
            pieces.append(update[done:offset])
            done, shortcut_start = offset, offset + len(text)
    pieces.append(update[done:])
    return "".join(pieces)
