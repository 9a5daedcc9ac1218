"""The requests of the mixed-load benchmark (:mod:`benchmarks.mixed_load`): queries, an update, uploads.

Every IRI is under ``http://example.org/bench``: the data is fictional and generated, and the
uploads go to named graphs of their own, so the Golden Dome graphs are never replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

TOKEN = "mixed-load-write-token"  # the write token the benchmark's services are started with
TRIVIAL = "ASK { ?s ?p ?o }"
# Three patterns over the whole store: about 5 x 10^9 rows on the embedded data, so it runs to
# any realistic timeout.
CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# The same count as an update's WHERE (over the named graphs: an update's default graph is the
# real one, empty here): a write that runs to its deadline, if it has one.
SLOW_UPDATE = (
    "INSERT { GRAPH <http://example.org/bench/slow> { <http://example.org/bench/count> "
    "<http://example.org/bench/n> ?n } } WHERE { { SELECT (COUNT(*) AS ?n) WHERE { "
    "GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } GRAPH ?g3 { ?g ?h ?i } } } }"
)
UPLOAD_GRAPH = "http://example.org/bench/upload"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_MIB = 2**20


def doubling_query(levels: int = 40) -> str:
    r"""A query whose one row holds a string doubled ``levels`` times (16 bytes x 2^levels).

    At 40 levels that is 16 TiB: evaluation only ends at a limit (time, memory) or a crash.

    >>> print(doubling_query(2).replace(" BIND", "\nBIND"))
    SELECT (STRLEN(?v2) AS ?n) WHERE {
    BIND("0123456789abcdef" AS ?v0)
    BIND(CONCAT(?v0, ?v0) AS ?v1)
    BIND(CONCAT(?v1, ?v1) AS ?v2) }
    """
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(levels))
    return f'SELECT (STRLEN(?v{levels}) AS ?n) WHERE {{ BIND("0123456789abcdef" AS ?v0) {binds} }}'


def nested_rdfxml(levels: int) -> bytes:
    """RDF/XML of a chain of ``levels`` blank nodes, each nested in the one before (46 bytes a level).

    Parse time grows about quadratically with the depth: 44,000 levels (2 MB) take seconds.

    >>> body = nested_rdfxml(3)
    >>> body.count(b"<e:p><rdf:Description>"), body.endswith(b"</rdf:RDF>")
    (3, True)
    """
    head = (
        f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{_RDF}" xmlns:e="http://example.org/bench#">'
        '<rdf:Description rdf:about="http://example.org/bench/root">'
    )
    body = "<e:p><rdf:Description>" * levels + "<e:v>end</e:v>" + "</rdf:Description></e:p>" * levels
    return (head + body + "</rdf:Description></rdf:RDF>").encode()


def big_turtle(triples: int) -> bytes:
    r"""Plain Turtle of ``triples`` distinct triples (about 100 bytes each).

    >>> print(big_turtle(2).decode().splitlines()[1].replace("> ", ">\n"))
    <http://example.org/bench/s1>
    <http://example.org/bench/label>
    "generated benchmark resource 1 (fictional)" .
    """
    line = (
        "<http://example.org/bench/s{0}> <http://example.org/bench/label> "
        '"generated benchmark resource {0} (fictional)" .\n'
    )
    return "".join(line.format(i) for i in range(triples)).encode()


@dataclass(frozen=True)
class Write:
    """A write request, sent with the write token."""

    label: str
    method: str
    path: str
    body: bytes
    content_type: str
    params: dict[str, str]


def writes(nesting_levels: int, turtle_triples: int) -> list[Write]:
    """The nested RDF/XML PUT, the Turtle PUT and the slow UPDATE, in that order.

    >>> [write.label for write in writes(10, 10)]  # doctest: +NORMALIZE_WHITESPACE
    ['PUT nested RDF/XML (0.0 MiB, 10 levels)', 'PUT Turtle (0.0 MiB, 10 triples)',
     'slow UPDATE (INSERT of a cartesian COUNT)']
    """
    rdfxml, turtle, graph = nested_rdfxml(nesting_levels), big_turtle(turtle_triples), {"graph": UPLOAD_GRAPH}
    return [
        Write(
            f"PUT nested RDF/XML ({len(rdfxml) / _MIB:.1f} MiB, {nesting_levels:,} levels)",
            "PUT",
            "/store",
            rdfxml,
            "application/rdf+xml",
            graph,
        ),
        Write(
            f"PUT Turtle ({len(turtle) / _MIB:.1f} MiB, {turtle_triples:,} triples)",
            "PUT",
            "/store",
            turtle,
            "text/turtle",
            graph,
        ),
        Write(
            "slow UPDATE (INSERT of a cartesian COUNT)",
            "POST",
            "/update",
            SLOW_UPDATE.encode(),
            "application/sparql-update",
            {},
        ),
    ]
