"""A SPARQL lexer that agrees with the grammar, for the few places that must find real brackets.

Pygments' SPARQL lexer knows strings, IRIs and comments, so braces inside them are not
taken for structure; two of its flaws are mended here. :mod:`graph.sparql.policy` uses it to bound
query nesting, :mod:`graph.sparql.values` to find a query's WHERE group.

>>> from pygments.token import Punctuation
>>> tokens = SparqlLexer().get_tokens_unprocessed("ASK { '''{''' } # {")
>>> [text for _, kind, text in tokens if kind in Punctuation]
['{', '}']
"""

from __future__ import annotations

from pygments.lexer import inherit
from pygments.lexers.rdf import SparqlLexer as _PygmentsSparqlLexer
from pygments.token import Comment, String


class SparqlLexer(_PygmentsSparqlLexer):
    """Pygments' SPARQL lexer, made to agree with the grammar where brackets could hide from it.

    Its long strings run on past their closing quotes (to the next backslash) and its
    comments past a carriage return, which ends a comment in SPARQL: brackets the engine
    parses would pass as text.
    """

    tokens = {  # noqa: RUF012 - the rule table Pygments reads from the class
        "root": [(r"#[^\r\n]*", Comment), inherit],
        "triple-double-quoted-string": [
            (r'"""', String, "end-of-string"),
            (r'[^"\\]+|"', String),
            (r"\\", String, "string-escape"),
        ],
        "triple-single-quoted-string": [
            (r"'''", String, "end-of-string"),
            (r"[^'\\]+|'", String),
            (r"\\", String, "string-escape"),
        ],
    }
