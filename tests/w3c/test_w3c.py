"""The W3C SPARQL 1.1 query test suite (and SPARQL 1.0's), run through our HTTP endpoint.

One service (memory store, union default graph off, as the suite assumes) serves
every test in turn: the store is emptied with ``DROP ALL``, the test's data is
loaded through the Graph Store protocol (``qt:data`` into the default graph,
each ``qt:graphData`` into a named graph called by its file IRI), and the query
is sent to /sparql. The SPARQL protocol has no base-IRI parameter, so each query
is sent with a ``BASE`` of its own file IRI, as the W3C harness evaluates it.

Results are compared with rdflib's result parsers: solution multisets up to
blank-node renaming (in order when the query has ORDER BY), ASK answers, and
graphs by isomorphism. Syntax tests: a positive one must not be refused as a
syntax error, a negative one must be.

Tests listed in ``known_failures.txt`` (IRI, then the cause) are expected to
fail; one that passes is reported as XPASS. Any other failure fails the run.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.query import Result
from rdflib.term import Node, Variable

from tests.api.support import RunningService, serve
from api.settings import Settings

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
KNOWN_FAILURES = HERE / "known_failures.txt"
TOKEN = "w3c-suite-token"

# Where the suites are published: test IRIs in the manifests are relative to these.
SUITE_BASES = {
    "sparql10": "http://www.w3.org/2001/sw/DataAccess/tests/data-r2/",
    "sparql11": "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/",
}
TOP_MANIFESTS = (
    "sparql10/manifest-evaluation.ttl",
    "sparql10/manifest-syntax.ttl",
    "sparql11/manifest-sparql11-query.ttl",
    "sparql11/manifest-sparql11-results.ttl",
)
# The Oxigraph server over HTTP, the bar to meet: passed / run.
OXIGRAPH_EVALUATION = (485, 518)
OXIGRAPH_SYNTAX = (293, 302)

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
EVALUATION_TYPES = {MF.QueryEvaluationTest, MF.CSVResultFormatTest}
POSITIVE_SYNTAX = {MF.PositiveSyntaxTest, MF.PositiveSyntaxTest11}
NEGATIVE_SYNTAX = {MF.NegativeSyntaxTest, MF.NegativeSyntaxTest11}

RDF_MEDIA_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".rdf": "application/rdf+xml"}
RDF_PARSERS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml"}
RESULT_PARSERS = {".srx": "xml", ".srj": "json", ".tsv": "tsv"}


@dataclass(frozen=True)
class W3CTest:
    """One test of a manifest, its files as local paths."""

    iri: str
    kind: URIRef
    query: Path
    data: tuple[Path, ...] = ()
    graph_data: tuple[tuple[str, Path], ...] = ()
    result: Path | None = None

    @property
    def is_syntax(self) -> bool:
        return self.kind in POSITIVE_SYNTAX | NEGATIVE_SYNTAX

    @property
    def short_name(self) -> str:
        return _relative(self.iri).replace("/manifest#", "#")


def _relative(iri: str) -> str:
    for suite, base in SUITE_BASES.items():
        if iri.startswith(base):
            return f"{suite}/{iri[len(base):]}"
    return iri


def iri_of(path: Path) -> str:
    """The published IRI of a local suite file."""
    suite, *rest = path.relative_to(DATA).parts
    return SUITE_BASES[suite] + "/".join(rest)


def path_of(iri: Node) -> Path:
    """The local file of a published suite IRI."""
    return DATA / _relative(str(iri))


def read_manifest(path: Path) -> Iterator[W3CTest]:
    """Every test of a manifest and of the manifests it includes, in order."""
    manifest = Graph().parse(path, format="turtle", publicID=iri_of(path))
    for node in manifest.subjects(RDF.type, MF.Manifest):
        for included in manifest.objects(node, MF.include):
            for child in Collection(manifest, included):
                yield from read_manifest(path_of(child))
        for entries in manifest.objects(node, MF.entries):
            for entry in Collection(manifest, entries):
                yield _test(manifest, entry)


def _test(manifest: Graph, entry: Node) -> W3CTest:
    kind = manifest.value(entry, RDF.type)
    action = manifest.value(entry, MF.action)
    assert isinstance(kind, URIRef) and action is not None, f"{entry}: no type or action"
    if kind in POSITIVE_SYNTAX | NEGATIVE_SYNTAX:
        return W3CTest(str(entry), kind, path_of(action))
    graph_data = []
    for graph in manifest.objects(action, QT.graphData):
        if isinstance(graph, BNode):  # [ qt:graph <file> ; rdfs:label "graph name" ]
            graph_data.append((str(manifest.value(graph, RDFS.label)), path_of(manifest.value(graph, QT.graph))))
        else:
            graph_data.append((str(graph), path_of(graph)))
    result = manifest.value(entry, MF.result)
    return W3CTest(
        str(entry),
        kind,
        path_of(manifest.value(action, QT.query)),
        tuple(path_of(data) for data in manifest.objects(action, QT.data)),
        tuple(graph_data),
        path_of(result) if result is not None else None,
    )


def read_known_failures() -> dict[str, str]:
    """Test IRI -> cause, from known_failures.txt (``#`` starts a comment)."""
    known = {}
    for line in KNOWN_FAILURES.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if line.startswith("#") else line.strip()
        if line:
            iri, _, cause = line.partition(" ")
            known[iri] = cause.strip()
    return known


TESTS = [test for manifest in TOP_MANIFESTS for test in read_manifest(DATA / manifest)]
KNOWN = read_known_failures()


# --- the service under test ---------------------------------------------------------------


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    empty = tmp_path_factory.mktemp("w3c") / "empty.nt"
    empty.write_bytes(b"")
    settings = Settings(store="memory", data=[empty], union_default_graph=False, write_token=TOKEN)
    with serve(settings) as running, _client(running) as client:
        yield client


def _client(service: RunningService) -> httpx.Client:
    return httpx.Client(base_url=service.url, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"})


def _load(client: httpx.Client, test: W3CTest) -> None:
    client.post("/update", data={"update": "DROP ALL"}).raise_for_status()
    for data in test.data:
        headers = {"Content-Type": RDF_MEDIA_TYPES[data.suffix]}
        client.post("/store?default", content=data.read_bytes(), headers=headers).raise_for_status()
    for name, data in test.graph_data:
        headers = {"Content-Type": RDF_MEDIA_TYPES[data.suffix]}
        client.put("/store", params={"graph": name}, content=data.read_bytes(), headers=headers).raise_for_status()


def _query(client: httpx.Client, test: W3CTest, accept: str) -> httpx.Response:
    text = f"BASE <{iri_of(test.query)}>\n" + test.query.read_text(encoding="utf-8")
    return client.post(
        "/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query", "Accept": accept}
    )


# --- comparing results ------------------------------------------------------------------


Row = Mapping[Variable, Node]


def _same_rows(actual: Sequence[Row], expected: Sequence[Row], ordered: bool) -> bool:
    """Equal solution sequences (or multisets) up to a consistent renaming of blank nodes."""
    if len(actual) != len(expected):
        return False
    has_blank = any(isinstance(term, BNode) for row in (*actual, *expected) for term in row.values())
    if not has_blank:
        if ordered:
            return [dict(row) for row in actual] == [dict(row) for row in expected]
        return Counter(frozenset(row.items()) for row in actual) == Counter(
            frozenset(row.items()) for row in expected
        )
    return _match(list(actual), list(expected), ordered, {})


def _match(actual: list[Row], expected: list[Row], ordered: bool, blanks: dict[Node, Node]) -> bool:
    if not actual:
        return True
    first, rest = actual[0], actual[1:]
    candidates = [0] if ordered else range(len(expected))
    for index in candidates:
        mapping = _extend(blanks, first, expected[index])
        if mapping is not None and _match(rest, expected[:index] + expected[index + 1 :], ordered, mapping):
            return True
    return False


def _extend(blanks: dict[Node, Node], actual: Row, expected: Row) -> dict[Node, Node] | None:
    if actual.keys() != expected.keys():
        return None
    mapping = dict(blanks)
    for variable, term in actual.items():
        other = expected[variable]
        if isinstance(term, BNode) and isinstance(other, BNode):
            if mapping.setdefault(term, other) != other:
                return None
        elif term != other:
            return None
    if len(set(mapping.values())) != len(mapping):
        return None
    return mapping


def _result_set_rows(graph: Graph) -> tuple[bool | None, list[Row]]:
    """The ASK answer or the solutions of a DAWG result set written in RDF (rs: vocabulary)."""
    result_set = graph.value(predicate=RDF.type, object=RS.ResultSet)
    answer = graph.value(result_set, RS.boolean)
    if answer is not None:
        return bool(answer.toPython()), []
    solutions = sorted(
        graph.objects(result_set, RS.solution), key=lambda s: int(graph.value(s, RS.index) or 0)
    )
    rows = [
        {
            Variable(str(graph.value(binding, RS.variable))): graph.value(binding, RS.value)
            for binding in graph.objects(solution, RS.binding)
        }
        for solution in solutions
    ]
    return None, rows


def _rows(result: Result) -> list[Row]:
    return [{variable: term for variable, term in row.items() if term is not None} for row in result.bindings]


def _csv_rows(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row, strict=True)) for row in body]


def _ordered(test: W3CTest) -> bool:
    return re.search(r"\bORDER\s+BY\b", test.query.read_text(encoding="utf-8"), re.IGNORECASE) is not None


def _check_evaluation(client: httpx.Client, test: W3CTest) -> None:
    assert test.result is not None
    _load(client, test)
    suffix = test.result.suffix
    if suffix in (".ttl", ".nt", ".rdf"):
        expected = Graph().parse(test.result, format=RDF_PARSERS[suffix])
        if (None, RDF.type, RS.ResultSet) in expected:
            _compare_solutions(client, test, *_result_set_rows(expected))
            return
        response = _query(client, test, "application/n-triples")
        assert response.status_code == 200, response.text
        actual = Graph().parse(data=response.content, format="nt")
        assert isomorphic(actual, expected), f"graphs differ:\n{response.text}"
        return
    if suffix == ".csv":
        response = _query(client, test, "text/csv")
        assert response.status_code == 200, response.text
        actual_csv, expected_csv = _csv_rows(response.text), _csv_rows(test.result.read_text(encoding="utf-8"))
        blank = re.compile(r"^_:")
        normal = [[{k: ("_:" if blank.match(v) else v) for k, v in row.items()} for row in rows]
                  for rows in (actual_csv, expected_csv)]
        assert Counter(map(frozenset, (r.items() for r in normal[0]))) == Counter(
            map(frozenset, (r.items() for r in normal[1]))
        ), f"CSV differs:\n{response.text}"
        return
    with test.result.open("rb") as expected_file:
        expected_result = Result.parse(expected_file, format=RESULT_PARSERS[suffix])
    answer = expected_result.askAnswer if expected_result.type == "ASK" else None
    _compare_solutions(client, test, answer, _rows(expected_result), tsv=suffix == ".tsv")


def _compare_solutions(
    client: httpx.Client, test: W3CTest, answer: bool | None, expected_rows: list[Row], *, tsv: bool = False
) -> None:
    response = _query(client, test, "text/tab-separated-values" if tsv else "application/sparql-results+json")
    assert response.status_code == 200, response.text
    actual = Result.parse(io.BytesIO(response.content), format="tsv" if tsv else "json")
    if answer is not None:
        assert actual.askAnswer == answer
        return
    actual_rows = _rows(actual)
    assert _same_rows(actual_rows, expected_rows, _ordered(test)), (
        f"solutions differ:\nactual   {actual_rows}\nexpected {expected_rows}"
    )


def _check_syntax(client: httpx.Client, test: W3CTest) -> None:
    response = _query(client, test, "application/sparql-results+json")
    kind = response.json().get("error") if response.status_code == 400 else None
    if test.kind in POSITIVE_SYNTAX:
        # A query refused by policy ("forbidden") was parsed: it is syntactically fine.
        assert kind != "syntax", f"refused as a syntax error: {response.text}"
    else:
        assert kind == "syntax", f"not refused as a syntax error: {response.status_code} {response.text[:200]}"


def _params() -> list[object]:
    params = []
    for test in TESTS:
        marks = [pytest.mark.xfail(reason=KNOWN[test.iri], strict=False)] if test.iri in KNOWN else []
        params.append(pytest.param(test, id=test.short_name, marks=marks))
    return params


@pytest.mark.parametrize("test", _params())
def test_w3c(endpoint: httpx.Client, test: W3CTest) -> None:
    if test.is_syntax:
        _check_syntax(endpoint, test)
    else:
        _check_evaluation(endpoint, test)


def test_suite_is_complete_and_the_bar_is_met() -> None:
    evaluation = [test for test in TESTS if test.kind in EVALUATION_TYPES]
    syntax = [test for test in TESTS if test.is_syntax]
    assert (len(evaluation), len(syntax)) == (OXIGRAPH_EVALUATION[1], OXIGRAPH_SYNTAX[1])
    assert set(KNOWN) <= {test.iri for test in TESTS}, "known_failures.txt names tests that do not exist"
    failing_evaluation = sum(test.iri in KNOWN for test in evaluation)
    failing_syntax = sum(test.iri in KNOWN for test in syntax)
    assert len(evaluation) - failing_evaluation >= OXIGRAPH_EVALUATION[0]
    assert len(syntax) - failing_syntax >= OXIGRAPH_SYNTAX[0]
