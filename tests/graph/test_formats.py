"""The format registry: every name, alias, media type and extension clients used before still works."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.formats import (
    DATA_FILE_FORMATS,
    DOCUMENT_FORMATS,
    EXPORT_FORMATS,
    GRAPH_FORMATS,
    RDF_FORMATS,
    RESULTS_FORMATS,
    SPARQL_CSV,
    TRIPLE_FORMATS,
    TURTLE,
    MediaFormat,
    find_format,
    format_for_file,
    media_type_for_file,
    rdf_format,
    rdf_serializer,
    results_format,
    results_serializer,
)
from graph.stores import MemoryStore

W3C = "http://www.w3.org/ns/formats/"


def test_format_tables() -> None:
    assert [f.name for f in RESULTS_FORMATS] == ["json", "xml", "csv", "tsv"]
    assert [f.name for f in GRAPH_FORMATS] == ["turtle", "ntriples", "jsonld", "rdfxml", "nquads", "trig"]
    assert set(TRIPLE_FORMATS) < set(GRAPH_FORMATS)
    assert find_format("application/sparql-results+xml", RESULTS_FORMATS) is RESULTS_FORMATS[1]
    assert find_format("text/xml", RESULTS_FORMATS) is RESULTS_FORMATS[1]
    assert find_format("json", GRAPH_FORMATS) is not None
    assert find_format("image/png", GRAPH_FORMATS) is None


@pytest.mark.parametrize(
    ("formats", "asked", "media_type"),
    [
        (RESULTS_FORMATS, "json", "application/sparql-results+json"),
        (RESULTS_FORMATS, "application/json", "application/sparql-results+json"),
        (RESULTS_FORMATS, "xml", "application/sparql-results+xml"),
        (RESULTS_FORMATS, "application/xml", "application/sparql-results+xml"),
        (RESULTS_FORMATS, "csv", "text/csv"),
        (RESULTS_FORMATS, "tsv", "text/tab-separated-values"),
        (GRAPH_FORMATS, "ttl", "text/turtle"),
        (GRAPH_FORMATS, "application/x-turtle", "text/turtle"),
        (GRAPH_FORMATS, "text/n3", "text/turtle"),
        (GRAPH_FORMATS, "nt", "application/n-triples"),
        (GRAPH_FORMATS, "json", "application/ld+json"),
        (GRAPH_FORMATS, "xml", "application/rdf+xml"),
        (GRAPH_FORMATS, "rdf", "application/rdf+xml"),
        (GRAPH_FORMATS, "nquads", "application/n-quads"),
        (GRAPH_FORMATS, "application/x-trig", "application/trig"),
        (EXPORT_FORMATS, "owl", "application/rdf+xml"),
        (EXPORT_FORMATS, "ttl", "text/turtle"),
        (EXPORT_FORMATS, "nt", "application/n-triples"),
        (EXPORT_FORMATS, "graphml", "application/graphml+xml"),
        (EXPORT_FORMATS, "csv", "text/csv"),
        (DOCUMENT_FORMATS, "html", "text/html"),
        (DOCUMENT_FORMATS, "application/x-turtle", "text/turtle"),
    ],
)
def test_the_names_clients_send_still_choose_the_format(
    formats: tuple[MediaFormat, ...], asked: str, media_type: str
) -> None:
    found = find_format(asked, formats)
    assert found is not None and found.media_type == media_type


@pytest.mark.parametrize(
    ("formats", "asked"),
    [
        (DOCUMENT_FORMATS, "ttl"),
        (DOCUMENT_FORMATS, "json"),
        (EXPORT_FORMATS, "xml"),
        (EXPORT_FORMATS, "json"),
    ],
)
def test_names_an_endpoint_never_took_stay_refused(formats: tuple[MediaFormat, ...], asked: str) -> None:
    assert find_format(asked, formats) is None


def test_the_format_iris_are_those_of_the_w3c_list() -> None:
    names = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV"]
    names += ["Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads", "TriG"]
    assert [f.iri for f in (*RESULTS_FORMATS, *RDF_FORMATS)] == [W3C + name for name in names]


def test_every_rdf_and_results_format_is_the_engines_own() -> None:
    for rdf in RDF_FORMATS:
        assert rdf.rdf is not None and rdf_serializer(rdf) is rdf.rdf
        assert ox.RdfFormat.from_media_type(rdf.media_type) == rdf.rdf
    for results in RESULTS_FORMATS:
        assert results.results is not None and results_serializer(results.media_type) == results.results


def test_a_decided_format_is_taken_as_it_is_and_a_media_type_is_checked() -> None:
    assert results_format(RESULTS_FORMATS[2]) is RESULTS_FORMATS[2]
    with pytest.raises(ValueError, match="no SPARQL results serialization for 'text/turtle'"):
        results_format("text/turtle")
    with pytest.raises(ValueError, match="no RDF serialization for 'text/csv'"):
        rdf_format(RESULTS_FORMATS[2])
    with pytest.raises(ValueError, match="no RDF serialization for 'text/turtle; charset=utf-8'"):
        rdf_format("text/turtle; charset=utf-8")  # a store is given canonical media types only


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("a.ttl", "text/turtle"),
        ("b.NT", "application/n-triples"),
        ("c.nq", "application/n-quads"),
        ("d.trig", "application/trig"),
        ("e.rdf", "application/rdf+xml"),
        ("e.owl", "application/rdf+xml"),
        ("e.xml", "application/rdf+xml"),
        ("f.jsonld", "application/ld+json"),
        ("f.json", "application/ld+json"),
    ],
)
def test_media_type_for_file(name: str, media_type: str) -> None:
    assert media_type_for_file(Path(name)) == media_type


def test_an_unknown_extension_names_the_known_ones() -> None:
    known = ".ttl, .nt, .nq, .trig, .rdf, .owl, .xml, .jsonld, .json"
    with pytest.raises(
        ValueError, match=f"^notes.txt: unknown RDF file extension '.txt' \\(known: {known}\\)$"
    ):
        media_type_for_file(Path("notes.txt"))
    assert [f.name for f in DATA_FILE_FORMATS] == ["turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld"]


@pytest.mark.parametrize(
    ("name", "format_name"),
    [
        ("x.ttl", "turtle"),
        ("x.owl", "rdfxml"),
        ("x.rdf", "rdfxml"),
        ("x.jsonld", "jsonld"),
        ("x.nt", "ntriples"),
        ("x.graphml", "graphml"),
        ("x.csv", "csv"),
        ("x.xml", None),
        ("x.json", None),
    ],
)
def test_an_export_is_named_by_its_extension(name: str, format_name: str | None) -> None:
    found = format_for_file(Path(name), EXPORT_FORMATS)
    assert (found and found.name) == format_name


def test_exports_are_written_with_their_own_extension() -> None:
    assert [f.extension for f in EXPORT_FORMATS] == [".ttl", ".owl", ".jsonld", ".nt", ".graphml", ".csv"]


def test_a_store_takes_the_negotiated_format_or_a_media_type_it_checks() -> None:
    with MemoryStore(workers=1) as store:
        store.update("INSERT DATA { <http://e/a> <http://e/p> 'x' }")
        assert store.query("SELECT ?o { ?s ?p ?o }", results_media_type=SPARQL_CSV).read() == b"o\r\nx\r\n"
        described = store.query("CONSTRUCT WHERE { ?s ?p ?o }", graph_media_type=TURTLE)
        assert described.media_type == "text/turtle"
        with pytest.raises(ValueError, match="no SPARQL results serialization for 'text/html'"):
            store.query("ASK {}", results_media_type="text/html")
