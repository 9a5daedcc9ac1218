"""/subgraph: a neighbourhood of the graph, or the result of a CONSTRUCT, as a file to download.

Formats: Turtle and RDF/XML as self-contained OWL documents that open in
Protégé offline (:func:`graph.export.self_contained_owl`); JSON-LD and
N-Triples holding exactly the subgraph; GraphML for Gephi and Cytoscape; a CSV
edge list. Chosen by ``format`` or Accept (Turtle when either allows anything),
named by Content-Disposition.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from rdflib import Graph
from starlette.concurrency import run_in_threadpool

from api.deps import ExportOntologyDep, PolicyDep, SettingsDep, StoreDep
from api.encoding import decode_utf8
from api.errors import ApiError, error_responses
from api.negotiation import content_type_of, describe, negotiate, response_content
from api.routes.sparql import SPARQL_QUERY
from graph.export import SELF_CONTAINED, describe_omitted, export, export_name, without_broken_structure
from graph.formats import EXPORT_FORMATS, N_TRIPLES, MediaFormat
from graph.stores.base import Store
from graph.subgraph import MAX_DEPTH, Mode, cbd, ego_subgraph

router = APIRouter(tags=["subgraph export"])

_FORMAT_DOC = "turtle, rdfxml, jsonld, ntriples, graphml or csv (or a media type); overrides Accept."
_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The subgraph as a download (Content-Disposition names the file).",
        "content": response_content(EXPORT_FORMATS),
    },
    **error_responses(400, 404, 406, 413, 415, 422, 503, 504),
}


def _chosen_format(request: Request, format_param: str | None) -> MediaFormat:
    accept = request.headers.get("accept")
    chosen = negotiate(EXPORT_FORMATS, accept, format_param)
    if chosen is None:
        asked = f"format={format_param}" if format_param else f"Accept: {accept}"
        raise ApiError(406, f"cannot serve {asked}; subgraphs are served as {describe(EXPORT_FORMATS)}")
    return chosen


def _download(
    graph: Graph, chosen: MediaFormat, name: str, ontology: Graph, warning: str | None = None
) -> Response:
    body = export(graph, chosen.name, ontology=ontology if chosen.name in SELF_CONTAINED else None, name=name)
    disposition = f'attachment; filename="{name}{chosen.extension}"'
    headers = {"Content-Disposition": disposition, "Vary": "Accept"}
    if warning:
        headers["Warning"] = f'299 stancegraph "{warning}"'  # RFC 7234's code for a lasting warning
    return Response(body, media_type=chosen.media_type, headers=headers)


def _owl_ready(graph: Graph, chosen: MediaFormat) -> tuple[Graph, str | None]:
    # An OWL document cannot hold OWL structure in part (Protégé fails to open it); the other
    # formats hold the result exactly. See graph.export.structure.
    if chosen.name not in SELF_CONTAINED:
        return graph, None
    kept, omitted = without_broken_structure(graph)
    return kept, describe_omitted(omitted) if omitted else None


@router.get(
    "/subgraph",
    summary="Export the neighbourhood of an entity",
    description="The ego neighbourhood of `focus` within `depth` hops over the RDF graph, or its Concise "
    "Bounded Description (`mode=cbd`). Positions come whole, with their evidence quotes: depth 1 of a "
    "stakeholder holds its positions and their targets' labels; depth 2 (the default) also expands its "
    "other neighbours, such as the body it belongs to; depth 3 the targets, with every position on them.",
    response_class=Response,
    responses=_RESPONSES,
)
def get_subgraph(
    request: Request,
    store: StoreDep,
    ontology: ExportOntologyDep,
    focus: Annotated[str, Query(min_length=1, description="Id (e.g. canada) or absolute IRI of the focus.")],
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from the focus (ego mode).")] = 2,
    mode: Annotated[
        Mode, Query(description="ego: the neighbourhood; cbd: the Concise Bounded Description.")
    ] = (Mode.ego),
    format: Annotated[str | None, Query(description=_FORMAT_DOC)] = None,
) -> Response:
    chosen = _chosen_format(request, format)
    if mode is Mode.cbd:
        return _download(cbd(store, focus), chosen, export_name(focus), ontology)
    return _download(ego_subgraph(store, focus, depth), chosen, export_name(focus, depth), ontology)


def _constructed(store: Store, query: str, timeout: float, outbound: bool) -> Graph:
    result = store.query(query, graph_media_type=N_TRIPLES, timeout=timeout, outbound=outbound)
    body = result.read()
    if result.form not in ("CONSTRUCT", "DESCRIBE"):
        raise ApiError(400, f"a subgraph needs a CONSTRUCT or DESCRIBE query, not {result.form}")
    return Graph().parse(data=body, format=N_TRIPLES.rdflib)


@router.post(
    "/subgraph",
    summary="Export the result of a CONSTRUCT query",
    description="POST a CONSTRUCT or DESCRIBE query as `application/sparql-query`; any other form is "
    "refused (400). SERVICE, LOAD and FROM outside the store are refused as on /sparql. In Turtle and "
    "RDF/XML (OWL documents), OWL structure of blank nodes the result holds only in part (a bare "
    "`owl:Restriction`, say) is left out, and a `Warning` header says what.",
    response_class=Response,
    responses=_RESPONSES,
    openapi_extra={
        "requestBody": {"required": True, "content": {SPARQL_QUERY: {"schema": {"type": "string"}}}}
    },
)
async def post_subgraph(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    policy: PolicyDep,
    ontology: ExportOntologyDep,
    format: Annotated[str | None, Query(description=_FORMAT_DOC)] = None,
) -> Response:
    content_type = content_type_of(request.headers.get("content-type"))
    if content_type != SPARQL_QUERY:
        raise ApiError(415, f"POST the query as {SPARQL_QUERY}, not {content_type or 'nothing'}")
    chosen = _chosen_format(request, format)
    query = decode_utf8(await request.body())
    outbound = await run_in_threadpool(policy.check_query, query, store.has_graph)
    graph = await run_in_threadpool(_constructed, store, query, settings.query_timeout, outbound)
    graph, warning = await run_in_threadpool(_owl_ready, graph, chosen)
    return await run_in_threadpool(_download, graph, chosen, export_name(None), ontology, warning)
