"""Generated spellings of SERVICE, LOAD, FROM NAMED and USING NAMED: what the engine reads is refused.

Hypothesis writes each keyword in many ways: any letter in either case or as a ``\\u`` /
``\\U`` escape, separated by nothing, whitespace or comments ending in every line terminator
(and in characters that end no comment), glued to numbers, strings, IRIs, prefixed names,
brackets and other keywords, nested in subqueries, EXISTS, OPTIONAL, MINUS, UNION, GRAPH,
CONSTRUCT, DESCRIBE and update operations. The real engine (a plain ``pyoxigraph.Store`` in
a process of its own, :mod:`engine_oracle`) says which spellings it reads: a SERVICE or LOAD
it reads connects to the loopback listener the IRI names (or fails after the parse); a FROM
or USING it reads changes the graphs the request sees. Every spelling the engine reads, the
policy refuses, and its prefilter never lets one skip the parse. The service refuses them too,
with a 400, no connection and no change to the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import QuerySyntaxError
from graph.sparql.policy import QueryPolicy
from reliability.corpus import ConnectionCounter, store_fingerprint
from reliability.processes import ServiceProcess
from tests.reliability.engine_oracle import OTHER_GRAPH, EngineOracle, Reading, graph_of

POLICY = QueryPolicy()
TOKEN = "outbound-spellings-token"
ENDPOINT, AUTHORITY = "{L}", "{A}"  # the listener's URL and its host:port, filled in once it listens
COMMENT_ENDS = ("\n", "\r", "\r\n")
NOT_COMMENT_ENDS = ("\x0b", "\x0c", "\x85", "\u2028", "\u2029")
SETTINGS = settings(
    derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@dataclass(frozen=True)
class Spelling:
    """A request naming :data:`ENDPOINT`; ``kind`` is the keyword it spells, ``graph`` whether
    it is a CONSTRUCT or DESCRIBE (which POST /subgraph takes too)."""

    kind: str
    template: str
    update: bool
    graph: bool = False

    def text(self, listener: str) -> str:
        return self.template.replace(ENDPOINT, listener).replace(AUTHORITY, listener.split("//", 1)[1])


def _escape(letter: str) -> st.SearchStrategy[str]:
    code = ord(letter)
    return st.sampled_from([f"\\u{code:04x}", f"\\u{code:04X}", f"\\U{code:08x}", f"\\U{code:08X}"])


@st.composite
def spelled(draw: st.DrawFn, word: str) -> str:
    """The word in any case, a letter now and then as an escape (which the engine reads only in IRIs)."""
    letters = []
    for letter in word:
        choice = draw(st.integers(0, 31))
        if choice == 0:
            letters.append(draw(_escape(letter)))
        else:
            letters.append(letter.upper() if choice % 2 else letter.lower())
    return "".join(letters)


def separator() -> st.SearchStrategy[str]:
    comment = st.builds(
        "#{}{}".format,
        st.sampled_from(["", " c", " \\u000A", " SERVICE <x> {}", ' """']),
        st.sampled_from(COMMENT_ENDS * 3 + NOT_COMMENT_ENDS),
    )
    return st.one_of(st.just(""), st.sampled_from([" ", "\t", "\n", "\r", "\r\n"]), comment)


# What may stand right before a keyword inside a group, with the prefixes it needs. The objects
# are those the oracle's store holds, so that the pattern matches and the engine goes on.
NEIGHBOURS: tuple[tuple[str, str], ...] = (
    ("?s <urn:p> 1", ""),
    ("?s <urn:p> 1.5", ""),
    ("?s <urn:p> 1e0", ""),
    ("?s <urn:p> true", ""),
    ('?s <urn:p> "s"', ""),
    ("?s <urn:p> 's'", ""),
    ('?s <urn:p> """s"""', ""),
    ('?s <urn:p> "\\u0022"', ""),
    ("?s <urn:p> '\\\"'", ""),
    ("?s <urn:p> <urn:o>", ""),
    ("?s <urn:p> <urn:\\u006f>", ""),
    ("?s <urn:p> ex:a.b", "PREFIX ex: <http://e/> "),
    ("?s <urn:p> p:", "PREFIX p: <http://127.0.0.1:> "),
    ("?s <urn:p> f:", "PREFIX f: <http://x/#> "),
    ("{ ?s <urn:p> <urn:o> }", ""),
    ("?s <urn:p> <urn:o> FILTER(true)", ""),
    ("?s <urn:p> <urn:o> BIND(1 AS ?b)", ""),
    ("?s <urn:p> <urn:o> VALUES ?v { 1 }", ""),
)
GLUES = ("", " ", ".", " . ")
# Endpoints on the listener, with the declarations they need (":" is always the listener).
ENDPOINTS: tuple[tuple[str, str], ...] = (
    (f"<{ENDPOINT}/x>", ""),
    (f"<{ENDPOINT}/\\u0078>", ""),
    (f"<\\u0068ttp://{AUTHORITY}/x>", ""),
    (f"<http://{AUTHORITY}\\u002Fx>", ""),
    (":x", ""),
    (":x.y", ""),
    (":\\#x", ""),
    ("<x>", f"BASE <{ENDPOINT}/> "),
)
# Where a SERVICE pattern may sit: (template, is an update, is a CONSTRUCT or DESCRIBE).
CONTEXTS = (
    ("SELECT * WHERE {{ {} }}", False, False),
    ("SELECT * WHERE {{ {{ SELECT * WHERE {{ {} }} }} }}", False, False),
    ("ASK {{ ?s <urn:p> <urn:o> FILTER EXISTS {{ {} }} }}", False, False),
    ("SELECT * WHERE {{ ?s <urn:p> <urn:o> FILTER NOT EXISTS {{ {} }} }}", False, False),
    ("SELECT * WHERE {{ ?s <urn:p> <urn:o> OPTIONAL {{ {} }} }}", False, False),
    ("SELECT * WHERE {{ ?s <urn:p> <urn:o> MINUS {{ {} }} }}", False, False),
    ("SELECT * WHERE {{ {{ ?s <urn:p> <urn:o> }} UNION {{ {} }} }}", False, False),
    ("SELECT * WHERE {{ GRAPH ?g {{ {} }} }}", False, False),
    ("CONSTRUCT {{ ?s <urn:p> <urn:o> }} WHERE {{ {} }}", False, True),
    ("DESCRIBE ?s WHERE {{ {} }}", False, True),
    ("INSERT {{ GRAPH <urn:out> {{ ?s <urn:p> <urn:o> }} }} WHERE {{ {} }}", True, False),
)
TRAILERS = ("", ' FILTER("x\\u0022\\u0022" != "")', " ?s <urn:p> <urn:o>")


@st.composite
def services(draw: st.DrawFn) -> Spelling:
    neighbour, neighbour_prologue = draw(st.sampled_from(NEIGHBOURS))
    endpoint, endpoint_prologue = draw(st.sampled_from(ENDPOINTS))
    silent = draw(spelled("SILENT")) + draw(separator()) if draw(st.booleans()) else ""
    pattern = (
        f"{neighbour}{draw(st.sampled_from(GLUES))}{draw(spelled('SERVICE'))}{draw(separator())}"
        f"{silent}{endpoint}{draw(separator())}{draw(st.sampled_from(['{}', '{ ?a ?b ?c }']))}"
        f"{draw(st.sampled_from(TRAILERS))}"
    )
    context, update, graph = draw(st.sampled_from(CONTEXTS))
    prologue = f"PREFIX : <{ENDPOINT}/> {neighbour_prologue}{endpoint_prologue}"
    return Spelling("SERVICE", prologue + context.format(pattern), update, graph)


@st.composite
def loads(draw: st.DrawFn) -> Spelling:
    endpoint, endpoint_prologue = draw(st.sampled_from(ENDPOINTS))
    before = draw(st.sampled_from(["", "INSERT DATA { <urn:a> <urn:b> <urn:c> };", "CLEAR SILENT ALL ;"]))
    silent = draw(spelled("SILENT")) + draw(separator()) if draw(st.booleans()) else ""
    into = draw(st.sampled_from(["", " INTO GRAPH <urn:g>", "INTO GRAPH<urn:g>"]))
    after = draw(st.sampled_from(["", " ; CLEAR SILENT GRAPH <urn:z>", ";INSERT DATA{}"]))
    text = (
        f"PREFIX : <{ENDPOINT}/> {endpoint_prologue}{before}{draw(separator())}{draw(spelled('LOAD'))}"
        f"{draw(separator())}{silent}{endpoint}{into}{after}"
    )
    return Spelling("LOAD", text, True)


DATASET_TARGETS = (
    (f"<{ENDPOINT}/graph>", ""),
    (":graph", ""),
    (f"<{ENDPOINT}/\\u0067raph>", ""),
    ("<graph>", f"BASE <{ENDPOINT}/> "),
)


@st.composite
def dataset_clause(draw: st.DrawFn, keyword: str) -> tuple[str, str]:
    target, prologue = draw(st.sampled_from(DATASET_TARGETS))
    named = draw(spelled("NAMED")) + draw(separator()) if draw(st.booleans()) else ""
    return f"{draw(spelled(keyword))}{draw(separator())}{named}{target}{draw(separator())}", prologue


@st.composite
def froms(draw: st.DrawFn) -> Spelling:
    clause, prologue = draw(dataset_clause("FROM"))
    head = draw(st.sampled_from(["SELECT ?g ", "SELECT *", "SELECT (?g AS ?h)", "SELECT ?g FROM <urn:x>"]))
    where = draw(st.sampled_from(["WHERE { GRAPH ?g { ?s ?p ?o } }", "{GRAPH ?g{?s ?p ?o}}"]))
    return Spelling("FROM", f"PREFIX : <{ENDPOINT}/> {prologue}{head}{clause}{where}", False)


USING_HEAD_GLUED = "INSERT{GRAPH<urn:out>{?g <urn:p> <urn:o>}}"


@st.composite
def usings(draw: st.DrawFn) -> Spelling:
    clause, prologue = draw(dataset_clause("USING"))
    head = draw(st.sampled_from(["INSERT { GRAPH <urn:out> { ?g <urn:p> <urn:o> } } ", USING_HEAD_GLUED]))
    where = draw(st.sampled_from(["WHERE { GRAPH ?g { ?s ?p ?o } }", "WHERE{GRAPH ?g{?s ?p ?o}}"]))
    return Spelling("USING", f"PREFIX : <{ENDPOINT}/> {prologue}{head}{clause}{where}", True)


SPELLINGS = st.one_of(services(), loads(), froms(), usings())


class Engine:
    """The oracle and the listener together: whether the engine reads the keyword of a spelling."""

    def __init__(self, listener: ConnectionCounter) -> None:
        self.listener = listener
        self.oracle = EngineOracle(listener.url)

    def reads(self, spelling: Spelling) -> tuple[bool, Reading]:
        before = self.listener.connections
        reading = self.oracle.read(spelling.text(self.listener.url), update=spelling.update)
        if reading.outcome == "error":
            return True, reading
        if spelling.kind in ("SERVICE", "LOAD"):
            # The engine's request ends only once the listener has accepted and closed it.
            return self.listener.connections > before, reading
        every_graph = {graph_of(self.listener.url), OTHER_GRAPH}
        return reading.outcome == "ok" and reading.names != every_graph, reading


@pytest.fixture(scope="module")
def engine(listener: ConnectionCounter) -> Iterator[Engine]:
    running = Engine(listener)
    yield running
    running.oracle.close()


def refused(text: str, update: bool) -> bool:
    try:
        (POLICY.check_update if update else POLICY.check_query)(text)
    except QuerySyntaxError:  # ForbiddenOperationError is one
        return True
    return False


# Each clause spelled plainly, and the same request without it (a comment the engine ends).
PLAIN = (
    ("SERVICE", "SELECT * WHERE {{ ?s <urn:p> <urn:o> {}SERVICE <{{L}}/x> {{}}\n}}", False),
    ("LOAD", "INSERT DATA {{}} ; {}LOAD <{{L}}/x> ;\nCLEAR SILENT ALL", True),
    ("FROM", "SELECT ?g {}FROM NAMED <{{L}}/graph>\nWHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", False),
    (
        "USING",
        "INSERT {{ GRAPH <urn:out> {{ ?g <urn:p> <urn:o> }} }} {}USING NAMED <{{L}}/graph>\n"
        "WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        True,
    ),
)


@pytest.mark.parametrize(("kind", "template", "update"), PLAIN, ids=[kind for kind, *_ in PLAIN])
def test_the_oracle_tells_what_the_engine_reads(
    engine: Engine, kind: str, template: str, update: bool
) -> None:
    """Each plain clause is read; commented out, the same request is valid and reads none."""
    assert engine.reads(Spelling(kind, template.format(""), update))[0]
    commented = engine.reads(Spelling(kind, template.format("#"), update))
    assert commented[1].outcome == "ok", commented
    assert not commented[0]


def test_every_spelling_the_engine_reads_is_refused(engine: Engine) -> None:
    read: list[str] = []

    @settings(SETTINGS, max_examples=260)
    @given(SPELLINGS)
    def check(spelling: Spelling) -> None:
        text = spelling.text(engine.listener.url)
        engine_reads, reading = engine.reads(spelling)
        if engine_reads:
            read.append(spelling.kind)
            assert POLICY.needs_full_check(text), f"the prefilter skips what the engine reads: {text!r}"
            assert refused(text, spelling.update), f"allowed, but the engine reads it ({reading}): {text!r}"

    check()
    # The generator is not idle: a good share of its spellings are ones the engine reads, of each kind.
    assert len(read) >= 80, read
    assert {"SERVICE", "LOAD", "FROM", "USING"} <= set(read)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    log: Path = tmp_path_factory.mktemp("outbound") / "service.log"
    with ServiceProcess(log, store="memory", write_token=TOKEN) as running:
        yield running


def send(service: ServiceProcess, spelling: Spelling, text: str) -> list[httpx.Response]:
    """The request as every route that takes it: anonymous GET and POST /sparql (and POST
    /subgraph for a CONSTRUCT or DESCRIBE); POST /update with the write token."""
    query = {"Content-Type": "application/sparql-query"}
    with httpx.Client(base_url=service.url, timeout=60) as client:
        if spelling.update:
            headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
            return [client.post("/update", content=text.encode(), headers=headers)]
        responses = [
            client.get("/sparql", params={"query": text}),
            client.post("/sparql", content=text.encode(), headers=query),
        ]
        if spelling.graph:
            responses.append(client.post("/subgraph", content=text.encode(), headers=query))
        return responses


def test_the_service_refuses_them_with_no_connection_and_no_change(
    engine: Engine, service: ServiceProcess
) -> None:
    before = store_fingerprint(service.url)
    sent: list[str] = []

    @settings(SETTINGS, max_examples=40)
    @given(SPELLINGS)
    def check(spelling: Spelling) -> None:
        if not engine.reads(spelling)[0]:
            return
        text = spelling.text(engine.listener.url)
        connections = engine.listener.connections
        for response in send(service, spelling, text):
            assert response.status_code == 400, f"{response.request.url.path}: {response.text} for {text!r}"
        assert engine.listener.connections == connections, f"the service connected out for {text!r}"
        sent.append(text)

    check()
    assert len(sent) >= 10
    assert store_fingerprint(service.url) == before
