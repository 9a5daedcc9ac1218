"""/network: stakeholder networks of the positions, as Discourse Network Analyzer builds them.

``two-mode`` (stakeholders x targets, one link per position, carrying its
stance and value), ``congruence`` (same-sign positions on a target),
``conflict`` (opposite signs) and ``signed`` (congruence minus conflict), as
node-link JSON or GraphML; over a time range (``from``, ``to``), a network per moving
window (``window``, ``step``, ``kernel``) and DNA's ``duplicates`` option; their centrality
and communities; and the shortest path between two entities with the triples along it.
Answers that depend on time say how many positions were ``undated``. Neutral positions (value
0: considers, assesses, monitors) agree with nothing unless ``include_neutral=true``, as DNA
leaves them out by default; ``level=nation`` rolls holders up through the member and part links
the sources state, and through the analyst's inferred ones too with ``inferred=true``; every
answer says which it did (``neutral``, ``basis``). An empty network is a
finding: 200 with a ``note`` (for the Golden Dome article, "no opposing
positions in the sources"), never an error.

Node ids are REST ids (slugs) with the full IRI beside them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from api.deps import KnownParametersOnly, MinSources, ServiceWrittenQueries, StoreAsOfDep, StoreDep
from api.errors import ApiError, error_responses
from api.negotiation import describe, negotiate
from graph.analysis import corroborated_records
from graph.errors import ValidationFailedError
from graph.formats import GRAPHML, JSON
from graph.network import (
    Duplicates,
    Kernel,
    Kind,
    Level,
    Measure,
    Normalization,
    PositionRecord,
    build_network,
    centrality,
    communities,
    connection,
    roll_up_basis,
    timeline_network,
    to_graphml,
    windowed_networks,
)
from graph.network.rest import communities_json, node_link, scores_json, windows_json
from graph.read import identifier
from graph.subgraph import resolve

if TYPE_CHECKING:
    import networkx as nx

router = APIRouter(
    prefix="/network", tags=["network"], dependencies=[ServiceWrittenQueries, KnownParametersOnly]
)

FORMATS = (JSON, GRAPHML)


NODE_LINK_SCHEMA: dict[str, object] = {
    "type": "object",
    "description": "The network as node-link JSON; `note` says why a network is empty.",
    "required": ["kind", "directed", "multigraph", "nodes", "links", "note"],
    "properties": {
        "kind": {"type": "string"},
        "directed": {"type": "boolean"},
        "multigraph": {"type": "boolean"},
        "nodes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "iri"],
                "properties": {"id": {"type": "string"}, "iri": {"type": "string"}},
            },
        },
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["source", "target"],
                "properties": {"source": {"type": "string"}, "target": {"type": "string"}},
            },
        },
        "note": {"type": ["string", "null"]},
        "undated": {"type": ["integer", "null"], "description": "Positions left out for want of a date."},
        "neutral": {"type": ["boolean", "null"], "description": "Whether neutral positions could agree."},
        "basis": {"type": "string", "description": "Links rolled up through: stated, stated and inferred."},
        "windows": {
            "type": "array",
            "description": "With `window`, `step` or `kernel`: one network per window, in time order "
            "(`start` included, `end` excluded, `midpoint`, `positions`, `nodes`, `links`, `note`).",
        },
    },
}
_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The network",
        "content": {
            JSON.media_type: {"schema": NODE_LINK_SCHEMA},
            GRAPHML.media_type: {"schema": {"type": "string"}},
        },
    },
    **error_responses(404, 406, 422, 503, 504),
}

KindPath = Annotated[Kind, Path(description="two-mode, congruence, conflict or signed.")]
NormalizationQuery = Annotated[
    Normalization, Query(description="Edge weights of one-mode networks: counts, Jaccard or cosine.")
]
LevelQuery = Annotated[Level, Query(description="stakeholder, or nation: holders rolled up to their nation.")]
FromQuery = Annotated[
    str | None,
    Query(
        alias="from",
        description="Positions from this date or date-time on (ISO 8601), by the time "
        "the stance held: its own date if the text gives one, else its document's.",
    ),
]
ToQuery = Annotated[
    str | None, Query(alias="to", description="Positions up to this date (the whole day) or date-time.")
]
NeutralQuery = Annotated[
    bool,
    Query(
        description="Count two neutral positions on a target (value 0: considers, assesses, monitors) as "
        "agreement (congruence, signed). Off by default, as in DNA: its holder stays a node, unlinked."
    ),
]
InferredQuery = Annotated[
    bool,
    Query(
        description="With level=nation, roll up through the analyst's inferred member and part links too. "
        "Off by default: only the links the sources state; the answer's `basis` says which."
    ),
]
DuplicatesQuery = Annotated[
    Duplicates | None,
    Query(
        description="Count a holder-target-stance once per document, day, week, month, year or the "
        "whole range (DNA's duplicates option); include (the default) counts every position."
    ),
]


def chosen_records(store: StoreAsOfDep, min_sources: MinSources = None) -> list[PositionRecord]:
    """The positions a network is built from: all, or those ``min_sources`` sources support."""
    return corroborated_records(store, min_sources)


RecordsDep = Annotated[list[PositionRecord], Depends(chosen_records)]


def chosen_network(
    records: RecordsDep,
    kind: KindPath,
    normalization: NormalizationQuery = Normalization.none,
    level: LevelQuery = Level.stakeholder,
    start: FromQuery = None,
    end: ToQuery = None,
    duplicates: DuplicatesQuery = None,
    include_neutral: NeutralQuery = False,
    inferred: InferredQuery = False,
) -> nx.Graph[str]:
    """The one network of the request's choices, for the routes that measure it."""
    return build_network(
        records,
        kind,
        normalization=normalization,
        level=level,
        start=start,
        end=end,
        duplicates=duplicates,
        neutral=include_neutral,
        inferred=inferred,
    )


NetworkDep = Annotated["nx.Graph[str]", Depends(chosen_network)]


def _endpoint(value: str, parameter: str) -> str:
    """``value`` if it is an id or an absolute IRI; else a 422 naming the parameter it came in."""
    try:
        resolve(value)
    except ValidationFailedError:
        message = f"{parameter}: {value!r} is neither an id nor an absolute IRI"
        raise ValidationFailedError(message, parameter=parameter) from None
    return value


@router.get(
    "/path",
    summary="How is one entity connected to another?",
    description="The shortest path over the RDF graph between two entities (ids or IRIs), with the triples "
    "along it; hubs such as documents are not passed through. An empty path comes with a `message`.",
    responses=error_responses(404, 422, 503, 504),
)
def path(
    store: StoreDep,
    source: Annotated[str, Query(alias="from", min_length=1, description="Id or IRI to start from.")],
    target: Annotated[str, Query(alias="to", min_length=1, description="Id or IRI to reach.")],
) -> dict[str, Any]:
    found = connection(store, _endpoint(source, "from"), _endpoint(target, "to"))
    return {
        "from": identifier(found.source),
        "to": identifier(found.target),
        "nodes": [{"id": identifier(node), "iri": node, "label": found.labels[node]} for node in found.nodes],
        "triples": [list(triple) for triple in found.triples],
        "message": found.message,
    }


@router.get(
    "/{kind}",
    summary="A stakeholder network",
    description="The network as node-link JSON (`nodes`, `links`, `note` when empty), or GraphML with "
    "`format=graphml` or Accept `application/graphml+xml`. Neutral positions agree with nothing unless "
    "`include_neutral=true` (the answer's `neutral` says which); `level=nation` rolls holders up through "
    "stated member and part links only unless `inferred=true` (the answer's `basis` says which).",
    response_class=Response,
    responses=_RESPONSES,
)
def get_network(
    request: Request,
    records: RecordsDep,
    kind: KindPath,
    normalization: NormalizationQuery = Normalization.none,
    level: LevelQuery = Level.stakeholder,
    start: FromQuery = None,
    end: ToQuery = None,
    window: Annotated[
        str | None, Query(description="A moving window's length: 30d, 4w, 1m or 1y (days to years).")
    ] = None,
    step: Annotated[
        str | None, Query(description="How far the window moves each time (default: its length).")
    ] = None,
    kernel: Annotated[
        Kernel | None,
        Query(description="Weigh positions by their distance from the window's midpoint (DNA's kernels)."),
    ] = None,
    duplicates: DuplicatesQuery = None,
    include_neutral: NeutralQuery = False,
    inferred: InferredQuery = False,
    format: Annotated[str | None, Query(description="json or graphml; overrides Accept.")] = None,
) -> Response:
    accept = request.headers.get("accept")
    chosen = negotiate(FORMATS, accept, format)
    if chosen is None:
        asked = f"format={format}" if format else f"Accept: {accept}"
        raise ApiError(406, f"cannot serve {asked}; networks are served as {describe(FORMATS)}")
    headers = {"Vary": "Accept"}
    if window is not None or step is not None or kernel is not None:
        series = windowed_networks(
            records,
            kind,
            normalization=normalization,
            level=level,
            start=start,
            end=end,
            window=window,
            step=step,
            kernel=kernel,
            duplicates=duplicates,
            neutral=include_neutral,
            inferred=inferred,
        )
        if chosen is GRAPHML:
            headers["Content-Disposition"] = f'attachment; filename="{kind.value}-network-timeline.graphml"'
            return Response(
                to_graphml(timeline_network(series)), media_type=GRAPHML.media_type, headers=headers
            )
        body = windows_json(
            series, include_neutral=include_neutral, basis=roll_up_basis(level, inferred=inferred)
        )
        return JSONResponse(body, headers=headers)
    graph = build_network(
        records,
        kind,
        normalization=normalization,
        level=level,
        start=start,
        end=end,
        duplicates=duplicates,
        neutral=include_neutral,
        inferred=inferred,
    )
    if chosen is GRAPHML:
        headers["Content-Disposition"] = f'attachment; filename="{kind.value}-network.graphml"'
        return Response(to_graphml(graph), media_type=GRAPHML.media_type, headers=headers)
    return JSONResponse(node_link(graph, kind.value), headers=headers)


@router.get(
    "/{kind}/centrality",
    summary="Centrality of every node",
    description="Degree, betweenness or eigenvector centrality (per connected component), highest first.",
    responses=error_responses(422, 503, 504),
)
def get_centrality(
    graph: NetworkDep,
    kind: KindPath,
    measure: Annotated[Measure, Query(description="degree, betweenness or eigenvector.")] = Measure.degree,
) -> dict[str, Any]:
    return scores_json(graph, kind.value, measure.value, centrality(graph, measure))


@router.get(
    "/{kind}/communities",
    summary="Communities of the network",
    description="Louvain communities of the positive ties, largest first; every node belongs to one.",
    responses=error_responses(422, 503, 504),
)
def get_communities(graph: NetworkDep, kind: KindPath) -> dict[str, Any]:
    return communities_json(graph, kind.value, communities(graph))
