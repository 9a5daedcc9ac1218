"""The query policy: SERVICE, LOAD, FROM and USING refused as the engine reads them, nesting bounded."""

from __future__ import annotations

import pytest

from graph.errors import ForbiddenOperationError, QuerySyntaxError
from graph.sparql.policy import MAX_NESTING, QueryPolicy

LOCAL = {"http://example.org/g1", "http://example.org/g2"}
is_local = LOCAL.__contains__
POLICY = QueryPolicy()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o }",
        "SELECT * FROM <http://example.org/g1> FROM NAMED <http://example.org/g2> WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://example.org/> SELECT * FROM ex:g1 WHERE { ?s ?p ?o }",
        "BASE <http://example.org/> SELECT * FROM <g1> WHERE { ?s ?p ?o }",
        'SELECT * WHERE { ?s ?p "a service, loaded from far, using nothing" }',
        "SELECT ?download WHERE { ?download ?p ?o }",
        "# SERVICE <http://evil.example/> in a comment\nASK { }",
        "DESCRIBE <http://evil.example/thing>",
        "SELECT * WHERE { GRAPH <http://evil.example/g> { ?s ?p ?o } }",
    ],
)
def test_allowed_queries(query: str) -> None:
    POLICY.check_query(query, is_local)


@pytest.mark.parametrize(
    ("query", "clause", "iri"),
    [
        (
            "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
            "SERVICE",
            "http://evil.example/sparql",
        ),
        ("SELECT * WHERE { service SILENT <http://evil.example/s> { } }", "SERVICE", "http://evil.example/s"),
        (
            "SELECT * WHERE { OPTIONAL { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } } }",
            "SERVICE",
            "http://127.0.0.1:1/",
        ),
        (
            "SELECT * WHERE { MINUS { SERVICE <http://localhost/x> { ?s ?p ?o } } ?s ?p ?o }",
            "SERVICE",
            "http://localhost/x",
        ),
        ("SELECT * WHERE { \\u0053ERVICE <http://evil.example/u> { } }", "SERVICE", "http://evil.example/u"),
        (
            "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICE e:q { } }",
            "SERVICE",
            "http://evil.example/q",
        ),
        (
            "SELECT * FROM <http://evil.example/data.ttl> WHERE { ?s ?p ?o }",
            "FROM",
            "http://evil.example/data.ttl",
        ),
        ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM NAMED", "file:///etc/passwd"),
        ("BASE <http://evil.example/> SELECT * FROM <x> WHERE { ?s ?p ?o }", "FROM", "http://evil.example/x"),
        (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . "
            "FILTER NOT EXISTS { SERVICE <http://e.example/> { ?s ?p ?o } } }",
            "SERVICE",
            "http://e.example/",
        ),
    ],
)
def test_refused_queries_name_the_clause_and_iri(query: str, clause: str, iri: str) -> None:
    with pytest.raises(ForbiddenOperationError) as refused:
        POLICY.check_query(query, is_local)
    assert str(refused.value).startswith(f"{clause} <{iri}> is refused")


def test_service_with_a_variable_is_refused() -> None:
    with pytest.raises(ForbiddenOperationError, match=r"SERVICE \?endpoint"):
        POLICY.check_query("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }")


@pytest.mark.parametrize(
    ("update", "clause"),
    [
        ("LOAD <http://evil.example/data.ttl>", "LOAD"),
        ("LOAD SILENT <file:///etc/passwd> INTO GRAPH <http://example.org/g1>", "LOAD"),
        ("INSERT DATA { <a:b> <a:c> <a:d> } ; LOAD <http://evil.example/x>", "LOAD"),
        ("DELETE { ?s ?p ?o } USING <http://evil.example/g> WHERE { ?s ?p ?o }", "USING"),
        ("DELETE { ?s ?p ?o } USING NAMED <http://evil.example/g> WHERE { ?s ?p ?o }", "USING NAMED"),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://evil.example/s> { ?s ?p ?o } }", "SERVICE"),
        ("PREFIX e: <http://evil.example/> CLEAR ALL ; LOAD e:data", "LOAD"),
    ],
)
def test_refused_updates(update: str, clause: str) -> None:
    with pytest.raises(ForbiddenOperationError, match=f"^{clause} "):
        POLICY.check_update(update, is_local)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { GRAPH <http://new.example/g> { <a:b> <a:c> <a:d> } }",
        "WITH <http://new.example/g> INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <http://example.org/g1> WHERE { ?s ?p ?o }",
        "CREATE GRAPH <http://example.org/new> ; DROP SILENT GRAPH <http://example.org/gone>",
        'INSERT DATA { <a:b> <a:c> "loaded from a file" }',
    ],
)
def test_allowed_updates(update: str) -> None:
    POLICY.check_update(update, is_local)


def test_allow_list_names_hosts() -> None:
    policy = QueryPolicy(allowed_hosts=frozenset({"data.example"}))
    policy.check_query("SELECT * WHERE { SERVICE <https://data.example/sparql> { ?s ?p ?o } }")
    policy.check_update("LOAD <http://data.example/dump.nt>")
    policy.check_query("SELECT * FROM <http://data.example/g> WHERE { ?s ?p ?o }")
    with pytest.raises(ForbiddenOperationError):
        policy.check_query("SELECT * WHERE { SERVICE <https://other.example/sparql> { ?s ?p ?o } }")
    with pytest.raises(ForbiddenOperationError):
        policy.check_update("LOAD <file:///data.example/dump.nt>")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM WHERE { ?s ?p ?o }",
        "SELECT * WHERE { SERVICE <http://x/> { ?s ?p } }",
        "SELECT * { \\uZZZZ SERVICE }",
    ],
)
def test_unparsable_query_with_a_keyword_is_refused_as_syntax(query: str) -> None:
    with pytest.raises(QuerySyntaxError) as refused:
        POLICY.check_query(query)
    assert not isinstance(refused.value, ForbiddenOperationError)


def test_unparsable_query_reports_line_and_column() -> None:
    with pytest.raises(QuerySyntaxError) as refused:
        POLICY.check_query("SELECT *\nFROM <http://example.org/g1>\nWHERE { ?s ?p }")
    assert refused.value.line == 3


def test_unparsable_query_without_keywords_is_left_to_the_engine() -> None:
    POLICY.check_query("SELECT * WHERE { ?s ?p }")


def test_undefined_prefix_in_service_is_a_syntax_error() -> None:
    with pytest.raises(QuerySyntaxError, match="undefined prefix"):
        POLICY.check_query("SELECT * WHERE { SERVICE nope:x { } }")


def test_deeply_nested_query_is_checked() -> None:
    depth = 200
    query = "SELECT * WHERE " + "{ " * depth + "SERVICE <http://evil.example/> { ?s ?p ?o }" + " }" * depth
    with pytest.raises(QuerySyntaxError):
        POLICY.check_query(query)


def nested(depth: int, inside: str = "?s ?p ?o") -> str:
    return "{ " * depth + inside + " }" * depth


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + nested(MAX_NESTING),
        "ASK { FILTER(" + "(" * (MAX_NESTING - 2) + "1" + ")" * (MAX_NESTING - 2) + ") }",
        # Brackets in strings, IRIs and comments are no nesting.
        "ASK { ?s ?p '" + "{" * 500 + "' }",
        'ASK { ?s ?p """' + "(" * 500 + '""" }',
        "ASK { ?s ?p ?o # " + "[" * 500 + "\n }",
    ],
)
def test_nesting_up_to_the_limit_is_allowed(query: str) -> None:
    POLICY.check_query(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + nested(MAX_NESTING + 1),
        "SELECT * WHERE " + nested(20_000),
        "ASK { ?s ?p ?o FILTER(" + "(" * 20_000 + "?o" + ")" * 20_000 + ") }",
        "ASK { ?s ?p " + "[ <http://e/p> " * 500 + "1" + " ]" * 500 + " }",
        # Where Pygments' own SPARQL lexer reads nesting as text: after a long string (it runs
        # on to the next backslash) and after a comment that a carriage return ends.
        'ASK { ?s ?p """x""" . ' + nested(MAX_NESTING) + " }",
        "ASK { ?s ?p '''x''' . " + nested(MAX_NESTING) + " }",
        "ASK { # comment\r" + nested(MAX_NESTING) + " }",
    ],
)
def test_nesting_past_the_limit_is_refused_naming_it(query: str) -> None:
    with pytest.raises(QuerySyntaxError, match=f"more than {MAX_NESTING} deep"):
        POLICY.check_query(query)


def test_nesting_limit_holds_for_updates_and_can_be_set() -> None:
    update = "INSERT { ?s ?p 1 } WHERE " + nested(MAX_NESTING + 1)
    with pytest.raises(QuerySyntaxError, match="the update nests"):
        POLICY.check_update(update)
    QueryPolicy(max_nesting=MAX_NESTING + 1).check_update(update)
    with pytest.raises(QuerySyntaxError, match="more than 2 deep"):
        QueryPolicy(max_nesting=2).check_query("ASK " + nested(3))


# Spellings Oxigraph's parser reads as SERVICE, LOAD, FROM NAMED or USING NAMED where a
# word-bounded scan, or rdflib reading the text as it stands, sees none. That the engine reads
# them is shown, class by class, where the engine itself is asked: the hostile-input corpus and
# tests/reliability/test_outbound_spellings.py.
L = "http://127.0.0.1:9"
ENGINE_READS_A_KEYWORD = {
    # The engine's keywords need nothing around them.
    "glued to a number": f"SELECT * WHERE {{ ?s ?p 1SERVICE <{L}/> {{}} }}",
    "glued to a decimal and a dot": f"SELECT * WHERE {{ ?s ?p 1.5.SERVICE <{L}/> {{}} }}",
    "glued to a string": f"SELECT * WHERE {{ ?s ?p 'a'SERVICE <{L}/> {{}} }}",
    "glued to an IRI": f"SELECT * WHERE {{ ?s ?p <a:b>SERVICE<{L}/>{{}} }}",
    "glued to a bracket": f"SELECT * WHERE {{ FILTER(true)SERVICE<{L}/>{{}} }}",
    "glued to SILENT": f"SELECT * WHERE {{ SERVICESILENT<{L}/>{{}} }}",
    "the prefix of a name": f"PREFIX : <{L}/> SELECT * WHERE {{ ?s ?p ?o service:x {{}} }}",
    "FROM glued to NAMED": f"SELECT * FROMNAMED<{L}/g> WHERE {{}}",
    "FROM glued to a star": f"SELECT*FROM<{L}/g>WHERE{{}}",
    # A comment ends at a carriage return for the engine, at a line feed only for rdflib.
    "after a comment ended by CR": f"SELECT * WHERE {{ # c\rSERVICE <{L}/> {{}}\n}}",
    "FROM after a comment ended by CR": f"SELECT * # c\rFROM NAMED <{L}/g>\nWHERE {{}}",
    # rdflib expands escapes everywhere; the engine only in IRIs and strings.
    "after an escaped quote": f'ASK {{ ?s ?p "\\u0022" . SERVICE <{L}/> {{}} ?s ?p "x\\u0022\\u0022" }}',
    "after an escaped apostrophe": f"ASK {{ ?s ?p '\\u0027' . SERVICE <{L}/> {{}} ?s ?p 'x\\u0027\\u0027' }}",
    "after an escaped backslash": f'ASK {{ ?s ?p "\\u005C" . SERVICE <{L}/> {{}} ?s ?p "\\\\" }}',
    "after an escaped line feed in a comment": (
        f'ASK {{ # \\u000A ?s ?p """\nSERVICE <{L}/> {{}} ?s ?p """ # """ }} # \\u000A }}'
    ),
    "a colon the engine unescapes in a prefix IRI": (
        f"PREFIX p: <http://127.0.0.1\\u+03A> PREFIX : <{L}/> SELECT * WHERE {{ ?s ?p p:SERVICE :x {{}} }}"
    ),
    # A name the engine reads as a prefix, or a shorter name, followed by a keyword.
    "after a name with two runs of dots": (
        f"PREFIX e: <http://e/> PREFIX : <{L}/> SELECT * WHERE {{ ?s ?p e:a.b.SERVICE:x {{}} }}"
    ),
    "after a prefix ending in a port": (
        f"PREFIX p: <http://127.0.0.1:> PREFIX : <{L}/> SELECT * WHERE {{ ?s ?p p:SERVICE :x {{}} }}"
    ),
    "after a prefix ending in an IP literal": (
        f"PREFIX p: <http://[::1]> PREFIX : <{L}/> SELECT * WHERE {{ ?s ?p p:SERVICE :x {{}} }}"
    ),
    "after a prefix resolving to a port": (
        f"BASE <http://127.0.0.1:8#f> PREFIX p: <> PREFIX : <{L}/> ASK {{ ?s ?p p:SERVICE :x {{}} }}"
    ),
    "after a prefix with a fragment": (
        f"PREFIX f: <http://e/#> PREFIX : <{L}/> SELECT * WHERE {{ ?s ?p f:SERVICE:\\#x {{}} }}"
    ),
    # Nested anywhere a group may be.
    "in a subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ ?s ?p 1SERVICE<{L}/>{{}} }} }} }}",
    "in EXISTS": f"ASK {{ ?s ?p ?o FILTER EXISTS {{ ?s ?p 1SERVICE<{L}/>{{}} }} }}",
    "in OPTIONAL": f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ?p 1SERVICE<{L}/>{{}} }} }}",
    "in MINUS": f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ ?s ?p 1SERVICE<{L}/>{{}} }} }}",
    "in UNION": f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ ?s ?p 1SERVICE<{L}/>{{}} }} }}",
    "in CONSTRUCT": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p 1SERVICE<{L}/>{{}} }}",
    "in DESCRIBE": f"DESCRIBE ?s WHERE {{ ?s ?p 1SERVICE<{L}/>{{}} }}",
}
ENGINE_READS_A_KEYWORD_IN_AN_UPDATE = {
    "LOAD glued to SILENT": f"LOADSILENT<{L}/d.ttl>",
    "LOAD glued after an operation": f"INSERT DATA {{ <a:b> <a:c> 1 }};LOAD<{L}/d.ttl>",
    "LOAD glued to a name": f"PREFIX : <{L}/> LOAD:d.ttl",
    "LOAD after a comment ended by CR": f"# c\rLOAD <{L}/d.ttl>",
    "LOAD in a third operation": f"CLEAR SILENT ALL ; CLEAR SILENT DEFAULT ;LOAD SILENT<{L}/d.ttl>",
    "USING glued to NAMED": f"DELETE {{ ?s ?p ?o }} USINGNAMED<{L}/g> WHERE {{ ?s ?p ?o }}",
    "USING glued to a bracket": f"INSERT{{?s ?p ?o}}USING<{L}/g>WHERE{{?s ?p ?o}}",
    "SERVICE glued in the WHERE": f"INSERT {{ ?s ?p ?o }} WHERE {{ ?s ?p 1SERVICE<{L}/>{{}} }}",
}


@pytest.mark.parametrize("query", ENGINE_READS_A_KEYWORD.values(), ids=ENGINE_READS_A_KEYWORD)
def test_spellings_the_engine_reads_are_refused(query: str) -> None:
    assert POLICY.needs_full_check(query)
    with pytest.raises(QuerySyntaxError):  # ForbiddenOperationError, or what cannot be checked
        POLICY.check_query(query)


@pytest.mark.parametrize(
    "update", ENGINE_READS_A_KEYWORD_IN_AN_UPDATE.values(), ids=ENGINE_READS_A_KEYWORD_IN_AN_UPDATE
)
def test_update_spellings_the_engine_reads_are_refused(update: str) -> None:
    assert POLICY.needs_full_check(update)
    with pytest.raises(QuerySyntaxError):
        POLICY.check_update(update)


def test_what_rdflib_read_otherwise_is_now_read_as_the_engine_does() -> None:
    """A comment ended by CR and an escaped quote hid the SERVICE from rdflib: now it is found and judged."""
    hidden = ["after a comment ended by CR", "after an escaped quote"]
    for name in [*hidden, "after an escaped line feed in a comment"]:
        with pytest.raises(ForbiddenOperationError, match=f"^SERVICE <{L}/> is refused"):
            POLICY.check_query(ENGINE_READS_A_KEYWORD[name])


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?doc WHERE { ?e prov:wasDerivedFrom ?doc ; sg:usingNothing sg:serviceable }",
        "PREFIX sg: <https://w3id.org/stancegraph/> SELECT * WHERE { ?s sg:loadFactor_2 ?o }",
        "SELECT * WHERE { ?s ?p _:fromHere }",
        "ASK { ?s ?p ?o }",
    ],
)
def test_names_that_merely_contain_a_keyword_skip_the_parse(query: str) -> None:
    assert not POLICY.needs_full_check(query)
    assert POLICY.check_query(query) is False


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ex:a.from ?o }",  # the engine's local part may stop at the dot
        "SELECT * WHERE { ?s ex:from-x ?o }",  # what follows the run may lengthen the name
        "SELECT * WHERE { ?s ?p '\\u0041' }",  # any escape
        "PREFIX p: <http://h:80> SELECT * WHERE { ?s p:x ?o }",  # a prefix ending in a port
    ],
)
def test_what_the_prefilter_cannot_clear_goes_to_the_parse(query: str) -> None:
    assert POLICY.needs_full_check(query)


def test_the_checks_answer_whether_the_request_goes_out() -> None:
    policy = QueryPolicy(allowed_hosts=frozenset({"data.example"}))
    assert policy.check_query("SELECT * WHERE { SERVICE <https://data.example/sparql> { ?s ?p ?o } }")
    assert policy.check_query("SELECT * FROM <http://data.example/g> WHERE { ?s ?p ?o }")
    assert policy.check_update("LOAD SILENT <http://data.example/dump.nt>")
    assert not policy.check_query("SELECT * FROM <http://example.org/g1> WHERE { ?s ?p ?o }", is_local)
    local_using = "DELETE { ?s ?p ?o } USING <http://example.org/g1> WHERE { ?s ?p ?o }"
    assert not policy.check_update(local_using, is_local)
    assert not policy.check_query("SELECT * WHERE { ?s ?p 'service from far' }")
    assert not policy.check_update("INSERT DATA { <a:b> <a:c> 1 }")


def test_a_cached_reading_is_judged_against_the_store_each_time() -> None:
    query = "SELECT * FROM <http://example.org/new> WHERE { ?s ?p ?o }"
    with pytest.raises(ForbiddenOperationError):
        POLICY.check_query(query, is_local)
    assert POLICY.check_query(query, {"http://example.org/new"}.__contains__) is False
    with pytest.raises(ForbiddenOperationError):
        POLICY.check_query(query, is_local)


def test_a_repeated_refusal_is_the_same_each_time() -> None:
    query = ENGINE_READS_A_KEYWORD["glued to a number"]
    messages = set()
    for _ in range(3):
        with pytest.raises(QuerySyntaxError) as refused:
            POLICY.check_query(query)
        messages.add(str(refused.value))
    assert len(messages) == 1


@pytest.mark.parametrize(
    ("query", "clause"),
    [
        ("SELECT * FROM <g1> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <g1> WHERE { ?s ?p ?o }", "FROM NAMED"),
        ("SELECT * WHERE { SERVICE <sparql> { } }", "SERVICE"),
    ],
)
def test_a_relative_iri_without_base_is_a_clear_syntax_error(query: str, clause: str) -> None:
    relative = f"^{clause} <.*> is a relative IRI and the query has no BASE"
    with pytest.raises(QuerySyntaxError, match=relative) as refused:
        POLICY.check_query(query, is_local)
    assert not isinstance(refused.value, ForbiddenOperationError)


def test_relative_iris_resolve_against_base_as_the_engine_resolves_them() -> None:
    policy = QueryPolicy(allowed_hosts=frozenset({"data.example"}))
    assert policy.check_query("BASE <http://data.example/a/b> SELECT * WHERE { SERVICE <../sparql> { } }")
    with pytest.raises(ForbiddenOperationError, match=r"^SERVICE <http://other\.example/sparql>"):
        policy.check_query("BASE <http://data.example/a/> ASK { SERVICE <//other.example/sparql> { } }")
    # A local part glued to a prefix ending in the host names another host.
    with pytest.raises(ForbiddenOperationError, match=r"^LOAD <http://data\.examplex>"):
        policy.check_update("PREFIX d: <http://data.example> LOAD d:x")


def test_dataset_parameters_must_be_absolute_iris() -> None:
    POLICY.check_dataset_parameters(["http://example.org/g1"], ["urn:x:y"])
    with pytest.raises(QuerySyntaxError, match=r"^default-graph-uri: <g1> is a relative IRI"):
        POLICY.check_dataset_parameters(["g1"], [])
    with pytest.raises(QuerySyntaxError, match=r"^named-graph-uri: <http://a b> is not an IRI"):
        POLICY.check_dataset_parameters([], ["http://a b"])
