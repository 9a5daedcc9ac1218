"""Linked Data: the ontology at /ontology and each entity at /id/{slug}, as RDF or HTML by negotiation.

An RDF client gets Turtle (or JSON-LD, RDF/XML, N-Triples as it asks); a
browser, which asks for text/html first, gets the readable documentation of
:mod:`graph.docs`, rendered by :mod:`api.pages`. ``?format=`` (turtle, html,
jsonld, rdfxml, ntriples) wins over Accept, so that a link can name a format. The paths mirror the IRIs:
``https://w3id.org/stancegraph/ontology#Position`` dereferences to /ontology
(the fragment stays with the browser and lands on the term's section), and
``https://w3id.org/stancegraph/id/canada`` to /id/canada.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import HTMLResponse, Response
from rdflib import Graph

from api.deps import StoreDep
from api.errors import ApiError, error_responses
from api.negotiation import describe, negotiate, response_content
from api.pages import render
from graph.docs.entity import entity_description, entity_doc
from graph.docs.ontology import load_ontology, ontology_doc
from graph.errors import NotFoundError
from graph.formats import DOCUMENT_FORMATS, HTML, JSON_LD, TURTLE, MediaFormat, find_format
from graph.jsonld import compact_jsonld
from graph.namespaces import is_slug
from graph.paths import ONTOLOGY_FILE

VARY = {"Vary": "Accept"}

router = APIRouter(tags=["linked data"])

FormatParam = Annotated[
    str | None,
    Query(
        alias="format",
        description="turtle, html, jsonld, rdfxml or ntriples (or a media type); wins over Accept.",
    ),
]
AcceptHeader = Annotated[str | None, Header(include_in_schema=False)]

NEGOTIATED_CONTENT = response_content(DOCUMENT_FORMATS)


def _choose(accept: str | None, format_param: str | None) -> MediaFormat:
    if format_param and find_format(format_param, DOCUMENT_FORMATS) is None:
        raise ApiError(422, f"format: {format_param!r} is not one of {describe(DOCUMENT_FORMATS)}")
    chosen = negotiate(DOCUMENT_FORMATS, accept, format_param)
    if chosen is None:
        raise ApiError(406, f"this resource is available as {describe(DOCUMENT_FORMATS)}", headers=VARY)
    return chosen


def _rdf(graph: Graph, chosen: MediaFormat) -> Response:
    # By name: the registry's document formats are copies of its formats, without format= aliases.
    assert chosen.rdflib is not None  # every document format but HTML, which is rendered instead
    if chosen.name == JSON_LD.name:
        body = compact_jsonld(graph)
    else:
        body = graph.serialize(format=chosen.rdflib, encoding="utf-8")
    return Response(body, media_type=chosen.media_type, headers=VARY)


@cache
def _ontology() -> tuple[bytes, Graph, str]:
    # The ontology changes only with the code: read, parse and render it once per process.
    graph = load_ontology()
    return ONTOLOGY_FILE.read_bytes(), graph, render("ontology.html", doc=ontology_doc(graph))


@router.get(
    "/ontology",
    summary="The ontology, as RDF or as HTML documentation",
    description="Turtle by default; HTML documentation for browsers (Accept text/html), JSON-LD, RDF/XML "
    "or N-Triples as asked. Every term `https://w3id.org/stancegraph/ontology#X` is the section `#X` "
    "of the HTML page.",
    responses={200: {"content": NEGOTIATED_CONTENT}, **error_responses(406, 422)},
)
def ontology(accept: AcceptHeader = None, format_param: FormatParam = None) -> Response:
    """The ontology file as written (Turtle, comments kept), re-serialized, or documented in HTML."""
    chosen = _choose(accept, format_param)
    turtle, graph, html = _ontology()
    if chosen is HTML:
        return HTMLResponse(html, headers=VARY)
    if chosen.name == TURTLE.name:
        return Response(turtle, media_type=chosen.media_type, headers=VARY)
    return _rdf(graph, chosen)


@router.get(
    "/id/{slug}",
    summary="An entity's description, as RDF or as HTML",
    description="What the store says about `https://w3id.org/stancegraph/id/{slug}`: its symmetric "
    "Concise Bounded Description with the labels of what it links (Turtle by default, JSON-LD, RDF/XML, "
    "N-Triples), or a readable page for browsers, with a stakeholder's positions and their quotes.",
    responses={200: {"content": NEGOTIATED_CONTENT}, **error_responses(404, 406, 422)},
)
def entity(
    slug: str, store: StoreDep, accept: AcceptHeader = None, format_param: FormatParam = None
) -> Response:
    """One entity, described in the format the client asks for; 404 naming an unknown id."""
    chosen = _choose(accept, format_param)
    if not is_slug(slug):
        raise NotFoundError(f"no entity {slug!r}: ids are lower-case letters, digits and hyphens")
    if chosen is HTML:
        return HTMLResponse(render("entity.html", doc=entity_doc(store, slug)), headers=VARY)
    return _rdf(entity_description(store, slug), chosen)
