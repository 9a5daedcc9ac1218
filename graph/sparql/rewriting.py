"""SPARQL written or read without a parse: a query's form, and the updates an upload becomes.

Only the standard library and pyoxigraph: the engine process imports this too.

>>> query_form("PREFIX ex: <http://e/#> # a comment\\nask { ?s ?p ?o }")
'ASK'
"""

from __future__ import annotations

import re
from typing import Literal, cast

import pyoxigraph as ox

from graph.formats import N_TRIPLES, rdf_serializer
from graph.sparql.uploads import check_rdf_payload

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

# The prologue holds only BASE and PREFIX declarations (and comments), so the query form is the
# first keyword after it: no full parse needed.
_PROLOGUE_ITEM = re.compile(r"\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>", re.IGNORECASE)
_FORM_KEYWORD = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(sparql: str) -> QueryForm | None:
    """The form of a SPARQL query read from its first keyword, None when it is not a query.

    >>> query_form("BASE <http://e/> PREFIX : <x#> DESCRIBE <a>")
    'DESCRIBE'
    >>> query_form("INSERT DATA {}") is None
    True
    """
    position = 0
    while (item := _PROLOGUE_ITEM.match(sparql, position)) and item.end() > position:
        position = item.end()
    keyword = _FORM_KEYWORD.match(sparql, position)
    return cast(QueryForm, keyword.group(1).upper()) if keyword else None


def graph_update(graph: str | None, ntriples: bytes, *, replace: bool) -> str:
    """A SPARQL Update that adds (or with ``replace`` puts) triples into a graph in one transaction.

    The triples are the engine's own N-Triples and the graph IRI is checked by the engine,
    so nothing raw is pasted into the update.

    >>> print(graph_update("http://e/g", b'<http://e/a> <http://e/p> "x" .\\n', replace=True))
    DROP SILENT GRAPH <http://e/g> ; CREATE SILENT GRAPH <http://e/g> ; INSERT DATA { GRAPH <http://e/g> {
    <http://e/a> <http://e/p> "x" .
    } }
    """
    triples = ntriples.decode()
    if graph is None:
        drop = "DROP SILENT DEFAULT ; " if replace else ""
        return f"{drop}INSERT DATA {{\n{triples}}}"
    name = str(ox.NamedNode(graph))
    drop = f"DROP SILENT GRAPH {name} ; " if replace else ""
    return f"{drop}CREATE SILENT GRAPH {name} ; INSERT DATA {{ GRAPH {name} {{\n{triples}}} }}"


def dataset_update(data: bytes, media_type: str) -> str:
    """A SPARQL Update that adds a dataset (its default graph and every named graph) in one request.

    The data is parsed here completely (SyntaxError when it does not parse, after
    :func:`~graph.sparql.uploads.check_rdf_payload`) and written back as the engine's N-Triples.

    >>> print(dataset_update(b'<http://e/a> <http://e/p> "x" <http://e/g> .', "application/n-quads"))
    INSERT DATA {
    <BLANKLINE>
    GRAPH <http://e/g> {
    <http://e/a> <http://e/p> "x" .
    }
    }
    """
    scratch = ox.Store()
    check_rdf_payload(data, media_type)  # the parse below runs in this process
    scratch.load(data, format=rdf_serializer(media_type))
    ntriples = rdf_serializer(N_TRIPLES)
    blocks = [(scratch.dump(format=ntriples, from_graph=ox.DefaultGraph()) or b"").decode()]
    for graph in scratch.named_graphs():
        triples = (scratch.dump(format=ntriples, from_graph=graph) or b"").decode()
        blocks.append(f"GRAPH {graph} {{\n{triples}}}")
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"
