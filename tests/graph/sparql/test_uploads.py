"""Uploaded RDF no parser may be given (entities that expand, nesting too deep), refused; the rest parsed."""

from __future__ import annotations

import pytest

from graph.errors import QuerySyntaxError
from graph.sparql.uploads import check_rdf_upload, upload_triples

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
<!ENTITY lol0 "lol">
<!ENTITY lol1 "&lol0;&lol0;&lol0;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol1;</ex:p></rdf:Description></rdf:RDF>"""
PARAMETER_ENTITY = b'<!DOCTYPE r [<!ENTITY % p "x">]><r/>'
EXTERNAL_ENTITY = b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>'
EXTERNAL_DTD = b'<!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>'
WIDE_ENTITY = b'<!DOCTYPE r [<!ENTITY w "' + b"w" * 10_000 + b'">]><r>' + b"&w;" * 1_000 + b"</r>"
# What Protégé and the OWL API write: namespace entities used in attribute values.
PROTEGE_XML = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
    <!ENTITY owl "http://www.w3.org/2002/07/owl#" >
    <!ENTITY rdf "http://www.w3.org/1999/02/22-rdf-syntax-ns#" >
]>
<rdf:RDF xmlns:rdf="&rdf;"><rdf:Description rdf:about="http://e/a"><rdf:type rdf:resource="&owl;Class"/>
</rdf:Description></rdf:RDF>"""
DEEP_JSON_LD_ARRAYS = b'{"http://e/p": ' + b"[" * 1001 + b"1" + b"]" * 1001 + b"}"
DEEP_JSON_LD_OBJECTS = b'{"@id": "http://e/a", ' + b'"http://e/p": {' * 1001 + b'"@value": 1' + b"}" * 1002


@pytest.mark.parametrize(
    ("data", "media_type", "problem"),
    [
        (LAUGHS, "application/rdf+xml", "only as plain internal entities"),
        (LAUGHS.replace(b"ENTITY", b"entity"), "application/rdf+xml", "only as plain internal entities"),
        (PARAMETER_ENTITY, "application/rdf+xml", "only as plain internal entities"),
        (EXTERNAL_ENTITY, "application/rdf+xml", "only as plain internal entities"),
        (EXTERNAL_DTD, "application/rdf+xml", "external DTD"),
        (WIDE_ENTITY, "application/rdf+xml", "would expand to more than"),
        (DEEP_JSON_LD_ARRAYS, "application/ld+json", "deeper than 1000 levels"),
        (DEEP_JSON_LD_OBJECTS, "application/ld+json", "deeper than 1000 levels"),
    ],
)
def test_rdf_no_parser_may_see_is_refused(data: bytes, media_type: str, problem: str) -> None:
    with pytest.raises(QuerySyntaxError, match=problem):
        check_rdf_upload(data, media_type)
    with pytest.raises(QuerySyntaxError, match=problem):
        upload_triples(data, media_type, "http://example.org/g")


def test_protege_namespace_entities_pass() -> None:
    triples = upload_triples(PROTEGE_XML, "application/rdf+xml", "http://example.org/g")
    assert triples.split() == [
        b"<http://e/a>",
        b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        b"<http://www.w3.org/2002/07/owl#Class>",
        b".",
    ]


def test_rdf_without_entities_or_deep_nesting_passes() -> None:
    plain_xml = LAUGHS.split(b"]>\n", 1)[1].replace(b"&lol1;", b"lol")
    assert upload_triples(plain_xml, "application/rdf+xml", None).count(b"\n") == 1
    brackets_in_a_string = b'{"@id": "http://e/a", "http://e/p": "' + b"[{" * 2000 + b'"}'
    assert upload_triples(brackets_in_a_string, "application/ld+json", None).count(b"\n") == 1
    deep_turtle = b"<http://e/a> <http://e/p> " + b"[ <http://e/p> " * 2000 + b"1" + b" ]" * 2000 + b" ."
    assert upload_triples(deep_turtle, "text/turtle", None).count(b"\n") == 2001
