r'''Turtle that the OWL API, the library inside Protégé, reads exactly as written.

The engine's writer (pyoxigraph) writes a line break, tab, carriage return,
backspace or form feed inside a string as the escape \n, \t, \r, \b or \f:
legal Turtle, but the OWL API's Turtle parser (OWL API 4 and 5) unescapes only
\\, \", \' and \uXXXX, so it reads "interception.\n" as "interception.n",
without a word. rdflib's writer puts text with line breaks in long strings, but
still escapes a carriage return as \r, and writes a triple ten times slower.
So the engine writes, and :func:`protege_turtle` rewrites those five escapes in
a form the OWL API, rdflib and pyoxigraph all read alike: a line break and a
tab as themselves (a string with a line break becomes a long string, three
quotes each side, as people write text in Turtle), the three invisible ones as
\u000D, \u0008 and \u000C. Not a raw carriage return: rdflib's parser reads one
in a long string as a line feed.

>>> protege_turtle(b'<http://e/s> <http://e/p> "two\\nlines, \\"quoted\\"" .')
b'<http://e/s> <http://e/p> """two\nlines, \\"quoted\\"""" .'
'''

from __future__ import annotations

import re

# A string as the engine writes it: double quotes, every " and \ inside escaped. IRIs, prefixed
# names and blank node labels hold no quote, and the writer makes no comments and no long
# strings, so each match is one whole string.
_STRING = re.compile(rb'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(rb"\\(.)")
_READABLE = {b"n": b"\n", b"t": b"\t", b"r": b"\\u000D", b"b": b"\\u0008", b"f": b"\\u000C"}


def protege_turtle(turtle: bytes) -> bytes:
    r"""The engine's Turtle with no escape in its strings that the OWL API would misread.

    The triples are the same for any Turtle parser:

    >>> import pyoxigraph as ox
    >>> text = ox.Literal("a\tb\r\nc\\d \"e\" \b\f")
    >>> body = ox.serialize([ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), text)],
    ...                     format=ox.RdfFormat.TURTLE)
    >>> [t.object for t in ox.parse(protege_turtle(body), format=ox.RdfFormat.TURTLE)] == [text]
    True
    >>> protege_turtle(b'<http://e/s> <http://e/p> "a\\tb\\rc" .')
    b'<http://e/s> <http://e/p> "a\tb\\u000Dc" .'
    """
    return _STRING.sub(_rewritten, turtle)


def _rewritten(string: re.Match[bytes]) -> bytes:
    content = string[1]
    if not any(escape[1] in _READABLE for escape in _ESCAPE.finditer(content)):
        return string[0]
    # \" and \\ stay escaped, so no quote inside can end a long string early.
    text = _ESCAPE.sub(lambda escape: _READABLE.get(escape[1], escape[0]), content)
    return b'"""' + text + b'"""' if b"\n" in text else b'"' + text + b'"'
