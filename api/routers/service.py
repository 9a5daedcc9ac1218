"""The service itself: its SPARQL service description and a health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF

from api.deps import StoreDep
from api.errors import ApiError, error_responses
from api.negotiation import describe, negotiate
from api.settings import Settings
from graph.sparql import GRAPH_FORMATS, RESULTS_FORMATS, TRIPLE_FORMATS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ENTAILMENT_SIMPLE = URIRef("http://www.w3.org/ns/entailment/Simple")

# rdflib's serializer names for the formats a description can be written in.
_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}

router = APIRouter(tags=["service"])


def service_description(query_endpoint: str, update_endpoint: str, settings: Settings) -> Graph:
    """The SPARQL 1.1 Service Description of the query and update endpoints."""
    graph = Graph()
    graph.bind("sd", SD)
    query_service, update_service = BNode(), BNode()
    graph.add((query_service, RDF.type, SD.Service))
    graph.add((query_service, SD.endpoint, URIRef(query_endpoint)))
    graph.add((query_service, SD.supportedLanguage, SD.SPARQL10Query))
    graph.add((query_service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((query_service, SD.defaultEntailmentRegime, ENTAILMENT_SIMPLE))
    for media_format in (*RESULTS_FORMATS, *GRAPH_FORMATS):
        graph.add((query_service, SD.resultFormat, URIRef(media_format.iri)))
    if settings.union_default_graph:
        graph.add((query_service, SD.feature, SD.UnionDefaultGraph))
    graph.add((query_service, SD.feature, SD.EmptyGraphs))
    graph.add((update_service, RDF.type, SD.Service))
    graph.add((update_service, SD.endpoint, URIRef(update_endpoint)))
    graph.add((update_service, SD.supportedLanguage, SD.SPARQL11Update))
    return graph


def service_description_response(request: Request, settings: Settings) -> Response:
    """The service description, in the RDF format the client accepts."""
    chosen = negotiate(TRIPLE_FORMATS, request.headers.get("accept"), request.query_params.get("format"))
    if chosen is None:
        raise ApiError(406, f"the service description is available as {describe(TRIPLE_FORMATS)}")
    description = service_description(
        str(request.url_for("sparql_get")), str(request.url_for("update_post")), settings
    )
    body = description.serialize(format=_RDFLIB_FORMATS[chosen.name], encoding="utf-8")
    return Response(body, media_type=chosen.media_type, headers={"Vary": "Accept"})


@router.get(
    "/health",
    summary="Health check",
    description="Answers while the service runs, naming the kind of store it serves.",
    responses=error_responses(503),
)
async def health(store: StoreDep) -> dict[str, str]:
    """Liveness: the service answers and has a store."""
    return {"status": "ok", "store": store.kind}
