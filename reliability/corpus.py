"""The corpus of malformed and hostile input, each case with the status it must get.

Every case is one HTTP request sent byte for byte as written (the request target is not
normalized, so ``/assets/../../etc/passwd`` reaches the server as such). ``{listener}`` in a
target or body becomes the URL of a loopback listener that must receive no connection.
Hand-written documents live in ``tests/reliability/corpus/``; what is too large or too
regular to keep as a file (huge literals, deep nesting, invalid UTF-8, oversized bodies)
is generated here. :func:`markdown_table` renders the table RELIABILITY.md shows.

The service under this corpus runs with a 1 MiB body cap (:data:`BODY_CAP`), a 3 s query
timeout and the write token :data:`TOKEN`; writes carry the token, so that what refuses
them is the input, not the missing credentials.
"""

from __future__ import annotations

import hashlib
import re
import select
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

import h11
import httpx

from reliability.processes import REPO_ROOT

CORPUS_DIR = REPO_ROOT / "tests" / "reliability" / "corpus"
TOKEN = "corpus-write-token"
BODY_CAP = 1 << 20
QUERY_TIMEOUT_SECONDS = 3
EXPLOSION_GRAPH = "http://example.org/explosion"
LEAK_MARKER = "root:x:0:0"  # a line of /etc/passwd: must never come back in a response

TURTLE = "text/turtle"
RDF_XML = "application/rdf+xml"
JSON_LD = "application/ld+json"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class HostileInput:
    """One request of the corpus and the statuses it may get (all 4xx but the timeout's 504)."""

    name: str
    category: str
    method: str
    target: str
    expected: frozenset[int]
    body: bytes = b""
    content_type: str | None = None
    write: bool = False  # sent with the write token
    chunked: bool = False  # sent with Transfer-Encoding: chunked instead of Content-Length
    note: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def resolved(self, listener: str) -> tuple[str, bytes]:
        """The target and body with the listener's URL filled in."""
        return self.target.replace("{listener}", listener), self.body.replace(
            b"{listener}", listener.encode()
        )


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class ConnectionCounter:
    """A listening socket on 127.0.0.1 that accepts, counts and closes every connection."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.connections = 0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="connection-counter", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._stopped.is_set():
            readable, _, _ = select.select([self.socket], [], [], 0.1)
            if readable:
                connection, _ = self.socket.accept()
                self.connections += 1
                connection.close()

    def close(self) -> None:
        self._stopped.set()
        self._thread.join(5)
        self.socket.close()


def raw_request(
    host: str,
    port: int,
    method: str,
    target: str | bytes,
    *,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    chunked: bool = False,
    timeout: float = 60.0,
) -> RawResponse:
    """One HTTP/1.1 request with the target exactly as given (h11, no URL normalization)."""
    connection = h11.Connection(h11.CLIENT)
    fields = [("Host", f"{host}:{port}"), ("Connection", "close"), *(headers or {}).items()]
    fields.append(("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(len(body))))
    raw_target = target.encode("latin-1") if isinstance(target, str) else target
    chunk_size = 64 * 1024
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(connection.send(h11.Request(method=method, target=raw_target, headers=fields)))
        try:
            for start in range(0, len(body), chunk_size):
                sock.sendall(connection.send(h11.Data(data=body[start : start + chunk_size])))
            sock.sendall(connection.send(h11.EndOfMessage()))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early (413) and closed: read what it said
        status, response_headers, received = 0, {}, bytearray()
        while True:
            try:
                event = connection.next_event()
            except h11.RemoteProtocolError:  # closed before a whole response: status 0 says so
                return RawResponse(status, response_headers, b"the server closed the connection mid-response")
            if event is h11.NEED_DATA:
                try:
                    connection.receive_data(sock.recv(65536))
                except ConnectionResetError:
                    connection.receive_data(b"")
            elif isinstance(event, h11.Response):
                status = event.status_code
                response_headers = {k.decode().lower(): v.decode("latin-1") for k, v in event.headers}
            elif isinstance(event, h11.Data):
                received += event.data
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                return RawResponse(status, response_headers, bytes(received))


_ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
_BLANK_NODE = re.compile(r"_:[A-Za-z0-9]+")


def store_fingerprint(base_url: str) -> tuple[int, str]:
    """The number of quads the service holds and a SHA-256 of their sorted dump.

    Named graphs come from SPARQL, the default graph from the Graph Store; blank node
    labels are blanked out, since an engine may relabel them between reads.
    """
    with httpx.Client(base_url=base_url, timeout=60) as client:
        named = client.get(
            "/sparql", params={"query": _ALL_QUADS}, headers={"Accept": "text/tab-separated-values"}
        )
        default = client.get("/store", params={"default": ""}, headers={"Accept": "application/n-triples"})
    named.raise_for_status()
    default.raise_for_status()
    rows = named.text.splitlines()[1:] + [f"DEFAULT\t{line}" for line in default.text.splitlines()]
    lines = sorted(_BLANK_NODE.sub("_:", line) for line in rows if line.strip())
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def corpus_file(name: str) -> bytes:
    return (CORPUS_DIR / name).read_bytes()


def _query(sparql: str) -> str:
    return "/sparql?query=" + quote(sparql, safe="")


def billion_laughs(levels: int = 9) -> bytes:
    """RDF/XML whose one literal expands to 3 x 10^levels characters through nested internal entities."""
    entities = ['<!ENTITY lol0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        f'<rdf:Description rdf:about="http://example.org/laughs"><ex:p>&lol{levels - 1};</ex:p>'
        "</rdf:Description></rdf:RDF>"
    ).encode()


def explosion_graph(nodes: int = 400) -> bytes:
    """N-Quads of a ring with chords in :data:`EXPLOSION_GRAPH`: every node reaches every other."""
    lines = []
    for i in range(nodes):
        for step, predicate in ((1, "p"), (7, "q")):
            lines.append(
                f"<http://example.org/n{i}> <http://example.org/{predicate}> "
                f"<http://example.org/n{(i + step) % nodes}> <{EXPLOSION_GRAPH}> ."
            )
    return "\n".join(lines).encode() + b"\n"


DEPTH = 20_000
_DEEP_GROUPS = "SELECT * WHERE " + "{ " * DEPTH + "?s ?p ?o " + "} " * DEPTH
_DEEP_FILTER = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * DEPTH + "?o" + ")" * DEPTH + ") }"
# Both end in an error at the bottom, so the parser must go all the way down and come back with it.
_DEEP_JSONLD = (
    '{"@id": "http://example.org/deep", "http://example.org/p": '
    + "[" * DEPTH
    + '{"@value": 1, "@id": "x"}'
    + "]" * DEPTH
    + "}"
)
_DEEP_JSONLD_OBJECTS = (
    '{"@id": "http://example.org/deep", '
    + '"http://example.org/p": {' * DEPTH
    + '"@value": 1, "@id": "x"'
    + "}" * DEPTH
    + "}"
)
_EXPLODING_PATH = (
    "PREFIX ex: <http://example.org/> SELECT (COUNT(*) AS ?n) "
    f"FROM <{EXPLOSION_GRAPH}> WHERE {{ ?a (ex:p|!ex:p)* ?b . ?c (ex:p|!ex:p)* ?d . ?e (ex:q|^ex:q)* ?f }}"
)
_OVERSIZED = BODY_CAP + 4096
_HUGE_LITERAL_TURTLE = b'<http://example.org/a> <http://example.org/p> "' + b"x" * _OVERSIZED + b'" .\n'
_ETC_PASSWD = "etc/passwd"

_SERVICE_TRICKS: dict[str, str] = {
    "service-plain": "SELECT * WHERE { SERVICE <{listener}/sparql> { ?s ?p ?o } }",
    "service-mixed-case": "select * where { sErViCe <{listener}/sparql> { ?s ?p ?o } }",
    "service-silent": "SELECT * WHERE { SERVICE SILENT <{listener}/sparql> { ?s ?p ?o } }",
    "service-comment-between": "SELECT * WHERE { SERVICE # hidden\n <{listener}/sparql> { ?s ?p ?o } }",
    "service-unicode-escape": "SELECT * WHERE { \\u0053ERVICE <{listener}/sparql> { ?s ?p ?o } }",
    "service-prefixed-name": "PREFIX r: <{listener}/> SELECT * WHERE { SERVICE r:sparql { ?s ?p ?o } }",
    "service-base-relative": "BASE <{listener}/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    "service-in-subquery": "SELECT * WHERE { { SELECT * WHERE { SERVICE <{listener}/s> { ?s ?p ?o } } } }",
    "service-in-exists": "ASK { FILTER EXISTS { SERVICE <{listener}/s> { ?s ?p ?o } } }",
    "service-in-not-exists-minus": (
        "SELECT * WHERE { ?x ?y ?z MINUS { FILTER NOT EXISTS { SERVICE <{listener}/s> { ?s ?p ?o } } } }"
    ),
    "service-in-optional-union": (
        "SELECT * WHERE { OPTIONAL { { ?a ?b ?c } UNION { SERVICE <{listener}/s> { ?s ?p ?o } } } }"
    ),
    "service-variable-endpoint": "SELECT * WHERE { BIND(<{listener}/s> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "service-file-iri": "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
    "from-remote": "SELECT * FROM <{listener}/graph> WHERE { ?s ?p ?o }",
    "from-named-remote": "SELECT * FROM NAMED <{listener}/graph> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "from-file": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "from-prefixed-lowercase": "prefix r: <{listener}/> select * from r:graph where { ?s ?p ?o }",
    "construct-from-base-relative": "BASE <{listener}/> CONSTRUCT WHERE { ?s ?p ?o } ",
    # Spellings the engine reads as SERVICE or FROM where a word-bounded scan, or rdflib's own
    # reading of the text, sees none (issue 11): keywords glued to their neighbours, a comment
    # the engine ends at a carriage return, escapes rdflib expands outside IRIs and strings,
    # prefixed names the engine reads as a prefix followed by a keyword.
    "service-glued-to-number": "SELECT * WHERE { ?s ?p 1SERVICE <{listener}/s> { } }",
    "service-glued-silent": "SELECT * WHERE { SERVICESILENT<{listener}/s>{} }",
    "service-as-prefix-of-a-name": "PREFIX : <{listener}/> SELECT * WHERE { ?s ?p ?o service:s {} }",
    "service-after-comment-ended-by-cr": "SELECT * WHERE { # c\rSERVICE <{listener}/s> { }\n}",
    "service-after-escaped-quote": (
        'SELECT * WHERE { ?s ?p "\\u0022" . SERVICE <{listener}/s> { } ?s ?p "x\\u0022\\u0022" }'
    ),
    "service-after-escaped-newline-in-comment": (
        'ASK { # \\u000A ?s ?p """\nSERVICE <{listener}/s> {} ?s ?p """ # """ } # \\u000A }'
    ),
    "service-after-name-with-dots": (
        "PREFIX e: <http://example.org/> PREFIX : <{listener}/> SELECT * WHERE { ?s ?p e:a.b.SERVICE:s {} }"
    ),
    "service-after-port-prefix": (
        "PREFIX p: <http://127.0.0.1:> PREFIX : <{listener}/> SELECT * WHERE { ?s ?p p:SERVICE :s {} }"
    ),
    "service-after-fragment-prefix": (
        "PREFIX f: <http://example.org/#> PREFIX : <{listener}/> SELECT * WHERE { ?s ?p f:SERVICE:\\#s {} }"
    ),
    "service-glued-in-exists": "ASK { ?s ?p ?o FILTER EXISTS { ?s ?p 1SERVICE<{listener}/s>{} } }",
    "from-named-glued": "SELECT * FROMNAMED<{listener}/graph> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "from-relative-iri": "SELECT * FROM <graph> WHERE { ?s ?p ?o }",
}
_LOAD_TRICKS: dict[str, str] = {
    "load-plain": "LOAD <{listener}/data.ttl>",
    "load-silent-into": "LOAD SILENT <{listener}/data.ttl> INTO GRAPH <http://example.org/loaded>",
    "load-mixed-case-comment": "lOaD # comment\n <{listener}/data.ttl>",
    "load-file": "LOAD <file:///etc/passwd>",
    "load-prefixed-name": "PREFIX r: <{listener}/> LOAD r:data.ttl",
    "load-base-relative": "BASE <{listener}/> LOAD <data.ttl>",
    "load-second-operation": "INSERT DATA { <urn:a> <urn:p> 1 } ; LOAD <{listener}/x>",
    "update-service-in-where": (
        "INSERT { GRAPH <urn:stolen> { ?s ?p ?o } } WHERE { SERVICE <{listener}/s> { ?s ?p ?o } }"
    ),
    "update-using-remote": "DELETE { ?s ?p ?o } USING <{listener}/graph> WHERE { ?s ?p ?o }",
    "load-glued-silent": "LOADSILENT<{listener}/data.ttl>",
    "load-glued-after-operation": "INSERT DATA { <urn:a> <urn:p> 1 };LOAD<{listener}/x>",
    "load-glued-to-a-name": "PREFIX : <{listener}/> LOAD:data.ttl",
    "load-after-comment-ended-by-cr": "# c\rLOAD <{listener}/x>",
    "update-using-named-glued": "DELETE { ?s ?p ?o } USINGNAMED<{listener}/graph> WHERE { ?s ?p ?o }",
}

_BAD_REQUEST = frozenset({400})
_NOT_SERVED = frozenset({400, 404, 422})


def _upload(
    name: str,
    category: str,
    body: bytes,
    content_type: str,
    note: str,
    *,
    query: str = "",
    expected: Iterable[int] = _BAD_REQUEST,
) -> HostileInput:
    """A PUT of ``body`` to a scratch named graph, with the write token."""
    target = "/store?graph=" + quote("http://example.org/hostile", safe="") + query
    return HostileInput(
        name, category, "PUT", target, frozenset(expected), body, content_type, write=True, note=note
    )


def _cases() -> list[HostileInput]:
    cases = [
        _upload("broken-turtle", "broken RDF", corpus_file("broken.ttl"), TURTLE, "unterminated literal"),
        _upload(
            "broken-turtle-undeclared-prefix",
            "broken RDF",
            corpus_file("broken-prefix.ttl"),
            TURTLE,
            "undeclared prefix",
        ),
        _upload(
            "broken-turtle-validated",
            "broken RDF",
            corpus_file("broken.ttl"),
            TURTLE,
            "with ?validate=shacl",
            query="&validate=shacl",
        ),
        _upload("broken-rdfxml", "broken RDF", corpus_file("broken.rdf"), RDF_XML, "unclosed element"),
        _upload("broken-jsonld", "broken RDF", corpus_file("broken.jsonld"), JSON_LD, "truncated JSON"),
        _upload(
            "xxe-file",
            "XML entities",
            corpus_file("xxe-file.rdf"),
            RDF_XML,
            "external entity file:///etc/passwd",
        ),
        _upload(
            "xxe-file-validated",
            "XML entities",
            corpus_file("xxe-file.rdf"),
            RDF_XML,
            "the same, parsed for SHACL validation",
            query="&validate=shacl",
        ),
        _upload(
            "xxe-http",
            "XML entities",
            corpus_file("xxe-http.rdf"),
            RDF_XML,
            "external entity on the loopback listener",
        ),
        _upload(
            "xxe-parameter-entity",
            "XML entities",
            corpus_file("xxe-parameter-entity.rdf"),
            RDF_XML,
            "parameter entity fetching a DTD",
        ),
        _upload(
            "xxe-external-dtd",
            "XML entities",
            corpus_file("xxe-external-dtd.rdf"),
            RDF_XML,
            "external DTD subset",
        ),
        _upload(
            "jsonld-remote-context",
            "remote documents",
            corpus_file("jsonld-remote-context.jsonld"),
            JSON_LD,
            "@context on the loopback listener",
            expected={400, 422},
        ),
        _upload(
            "jsonld-remote-context-validated",
            "remote documents",
            corpus_file("jsonld-remote-context.jsonld"),
            JSON_LD,
            "the same, parsed for SHACL validation",
            expected={400, 422},
            query="&validate=shacl",
        ),
        _upload(
            "huge-literal-upload",
            "huge literals",
            _HUGE_LITERAL_TURTLE,
            TURTLE,
            f"one literal over the {BODY_CAP >> 20} MiB body cap",
            expected={413},
        ),
        HostileInput(
            "huge-literal-in-url",
            "huge literals",
            "GET",
            _query(f'ASK {{ ?s ?p "{"x" * 1_000_000}" }}'),
            frozenset({400, 414, 431}),
            note="1 MB query string: refused by the HTTP parser",
        ),
        HostileInput(
            "deep-nesting-groups",
            "deep nesting",
            "POST",
            "/sparql",
            _BAD_REQUEST,
            body=_DEEP_GROUPS.encode(),
            content_type=SPARQL_QUERY,
            note=f"{DEPTH} nested groups",
        ),
        HostileInput(
            "deep-nesting-groups-checked",
            "deep nesting",
            "POST",
            "/sparql",
            _BAD_REQUEST,
            body=("# service\n" + _DEEP_GROUPS).encode(),
            content_type=SPARQL_QUERY,
            note="the same, through the SERVICE check's parser",
        ),
        HostileInput(
            "deep-nesting-filter",
            "deep nesting",
            "POST",
            "/sparql",
            _BAD_REQUEST,
            body=("# from\n" + _DEEP_FILTER).encode(),
            content_type=SPARQL_QUERY,
            note=f"{DEPTH} nested parentheses",
        ),
        _upload(
            "deep-nesting-jsonld-arrays",
            "deep nesting",
            _DEEP_JSONLD.encode(),
            JSON_LD,
            f"{DEPTH} nested arrays",
        ),
        _upload(
            "deep-nesting-jsonld-objects",
            "deep nesting",
            _DEEP_JSONLD_OBJECTS.encode(),
            JSON_LD,
            f"{DEPTH} nested objects",
        ),
        HostileInput(
            "invalid-utf8-query-string",
            "invalid UTF-8",
            "GET",
            "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%27%FF%FE%27%20%7D",
            _BAD_REQUEST,
            note="percent-encoded 0xFF 0xFE inside a literal",
        ),
        HostileInput(
            "invalid-utf8-query-body",
            "invalid UTF-8",
            "POST",
            "/sparql",
            _BAD_REQUEST,
            body=b"ASK { ?s ?p '\xff\xfe' }",
            content_type=SPARQL_QUERY,
        ),
        HostileInput(
            "invalid-utf8-query-form",
            "invalid UTF-8",
            "POST",
            "/sparql",
            _BAD_REQUEST,
            body=b"query=ASK%20%7B%20%3Fs%20%3Fp%20%27%FF%27%20%7D",
            content_type=FORM,
        ),
        HostileInput(
            "invalid-utf8-update",
            "invalid UTF-8",
            "POST",
            "/update",
            _BAD_REQUEST,
            body=b"INSERT DATA { <http://example.org/a> <http://example.org/p> '\xc3\x28' }",
            content_type=SPARQL_UPDATE,
            write=True,
        ),
        _upload(
            "invalid-utf8-turtle",
            "invalid UTF-8",
            b'<http://example.org/a> <http://example.org/p> "\xff" .',
            TURTLE,
            "0xFF inside a literal",
        ),
        HostileInput(
            "exploding-property-path",
            "exploding queries",
            "GET",
            _query(_EXPLODING_PATH),
            frozenset({504}),
            note="(p|!p)* both ends open, three times: stopped by the timeout",
        ),
        HostileInput(
            "oversized-upload",
            "oversized bodies",
            "PUT",
            "/store?default",
            frozenset({413}),
            body=b"# " + b"x" * _OVERSIZED,
            content_type=TURTLE,
            write=True,
            note="Content-Length over the cap",
        ),
        HostileInput(
            "oversized-upload-chunked",
            "oversized bodies",
            "PUT",
            "/store?default",
            frozenset({413}),
            body=b"# " + b"x" * _OVERSIZED,
            content_type=TURTLE,
            write=True,
            chunked=True,
            note="chunked, no Content-Length",
        ),
        HostileInput(
            "oversized-query",
            "oversized bodies",
            "POST",
            "/sparql",
            frozenset({413}),
            body=b"ASK {} #" + b"x" * _OVERSIZED,
            content_type=SPARQL_QUERY,
        ),
        HostileInput(
            "oversized-update-chunked",
            "oversized bodies",
            "POST",
            "/update",
            frozenset({413}),
            body=b"# " + b"x" * _OVERSIZED,
            content_type=SPARQL_UPDATE,
            write=True,
            chunked=True,
        ),
    ]
    for name, query in _SERVICE_TRICKS.items():
        cases.append(HostileInput(name, "SERVICE/FROM tricks", "GET", _query(query), _BAD_REQUEST))
    cases.append(
        HostileInput(
            "subgraph-service-glued",
            "SERVICE/FROM tricks",
            "POST",
            "/subgraph",
            _BAD_REQUEST,
            body=b"CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . ?s ?p 1SERVICE<{listener}/s>{} }",
            content_type=SPARQL_QUERY,
        )
    )
    cases.append(
        HostileInput(
            "default-graph-uri-relative",
            "SERVICE/FROM tricks",
            "GET",
            _query("SELECT * WHERE { ?s ?p ?o }") + "&default-graph-uri=graph",
            _BAD_REQUEST,
            note="a relative graph IRI: 400 naming the parameter",
        )
    )
    cases.append(
        HostileInput(
            "default-graph-uri-remote",
            "SERVICE/FROM tricks",
            "GET",
            _query("SELECT * WHERE { ?s ?p ?o }") + "&default-graph-uri=" + quote("{listener}/g", safe="{}"),
            frozenset({200, 400}),
            note="protocol dataset parameter naming a remote graph: no fetch",
        )
    )
    for name, update in _LOAD_TRICKS.items():
        cases.append(
            HostileInput(
                name,
                "LOAD tricks",
                "POST",
                "/update",
                _BAD_REQUEST,
                body=update.encode(),
                content_type=SPARQL_UPDATE,
                write=True,
            )
        )
    traversals = {
        "traversal-assets-dots": f"/assets/../../../{_ETC_PASSWD}",
        "traversal-assets-encoded": f"/assets/..%2F..%2F..%2F{quote(_ETC_PASSWD, safe='')}",
        "traversal-assets-double-encoded": "/assets/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
        "traversal-assets-dot-encoded": "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "traversal-assets-backslash": "/assets/..%5C..%5C..%5Cetc%5Cpasswd",
        "traversal-vendor-dots": f"/vendor/../../../../{_ETC_PASSWD}",
        "traversal-vendor-encoded": "/vendor/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "traversal-vendor-module-prefix": "/vendor/@codemirror/view/../../../../../../etc/passwd",
        "traversal-static": "/static/..%2F..%2F..%2Fetc%2Fpasswd",
        "traversal-examples": "/examples/..%2F..%2F..%2F..%2Fetc%2Fpasswd.rq",
        "traversal-examples-benchmarks": "/examples/..%2Fbenchmarks%2Fqueries%2Fstance-distribution.rq",
        "traversal-named-query": "/queries/..%2F..%2F..%2Fetc%2Fpasswd",
        "traversal-entity": "/id/..%2F..%2F..%2Fetc%2Fpasswd",
        "traversal-ontology-format": "/ontology?format=..%2F..%2F..%2Fetc%2Fpasswd",
        "traversal-store-graph-file": "/store?graph=" + quote("file:///etc/passwd", safe=""),
        "traversal-null-byte": "/assets/explorer.css%00/../../../etc/passwd",
    }
    for name, target in traversals.items():
        expected = _NOT_SERVED | {406} if "format" in target else _NOT_SERVED
        cases.append(HostileInput(name, "path traversal", "GET", target, expected))
    return cases


CASES: tuple[HostileInput, ...] = tuple(_cases())
BILLION_LAUGHS = HostileInput(
    "billion-laughs",
    "XML entities",
    "PUT",
    "/store?graph=" + quote("http://example.org/laughs", safe=""),
    _BAD_REQUEST,
    body=billion_laughs(),
    content_type=RDF_XML,
    write=True,
    note="nested internal entities expanding 1 kB to 3 GB",
)
BILLION_LAUGHS_VALIDATED = HostileInput(
    "billion-laughs-validated",
    "XML entities",
    "PUT",
    BILLION_LAUGHS.target + "&validate=shacl",
    _BAD_REQUEST,
    body=billion_laughs(),
    content_type=RDF_XML,
    write=True,
    note="the same, parsed in the API process for SHACL validation",
)
"""Run each against a service of its own: if it brings the service down, it takes nothing else with it."""


def markdown_table(cases: Iterable[HostileInput]) -> str:
    """The corpus as a Markdown table: case, category, request, expected status, note."""
    lines = ["| case | category | request | expected | note |", "|---|---|---|---|---|"]
    for case in cases:
        target = case.target if len(case.target) <= 60 else case.target[:57] + "..."
        request = f"`{case.method} {target}`".replace("|", "\\|")
        if case.content_type:
            request += f" ({case.content_type}, {_size(len(case.body))})"
        expected = " or ".join(str(status) for status in sorted(case.expected))
        lines.append(f"| {case.name} | {case.category} | {request} | {expected} | {case.note} |")
    return "\n".join(lines)


def _size(count: int) -> str:
    return f"{count / (1 << 20):.1f} MiB" if count >= 1 << 20 else f"{count} B"


def all_cases() -> tuple[HostileInput, ...]:
    return (*CASES, BILLION_LAUGHS, BILLION_LAUGHS_VALIDATED)
