"""Parameters are bounded before the store: a value out of range is a 422 naming the parameter.

No error ever quotes a line or column of a query the service wrote: the client never saw that
text. Run on the Golden Dome data through a real uvicorn on loopback.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from api.deps import MAX_OFFSET, service_written_queries
from api.errors import ApiError
from api.routes import network, queries, resources
from graph.errors import QuerySyntaxError, ValidationFailedError
from graph.queries import MAX_INTEGER, NamedQuery, Parameter, bind_parameters
from graph.read import MAX_LIMIT
from graph.stores.memory import MemoryStore

PAGED = ["/stakeholders", "/documents", "/stakeholders/canada", "/programs/golden-dome", "/positions"]
BEYOND_64_BITS = 10**20


@pytest.fixture(scope="module")
def client(golden_dome_client: httpx.Client) -> httpx.Client:
    return golden_dome_client


def refused(response: httpx.Response, parameter: str) -> dict[str, object]:
    """The body of a 422 about ``parameter``, checked to point at no line of any query."""
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["parameter"] == parameter
    assert parameter in body["message"]
    assert "line" not in body and "column" not in body
    return body


@pytest.mark.parametrize("path", [*PAGED, "/search"])
@pytest.mark.parametrize("offset", [BEYOND_64_BITS, 2**63, MAX_OFFSET + 1, -1, "1e3"])
def test_an_offset_out_of_range_is_refused_naming_it(client: httpx.Client, path: str, offset: object) -> None:
    refused(client.get(path, params={"q": "canada", "offset": offset}), "offset")


@pytest.mark.parametrize("path", PAGED)
def test_the_largest_offset_gives_an_empty_page(client: httpx.Client, path: str) -> None:
    response = client.get(path, params={"offset": MAX_OFFSET, "limit": MAX_LIMIT})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("items", body.get("positions")) == []


@pytest.mark.parametrize("limit", [MAX_LIMIT + 1, BEYOND_64_BITS, -1])
def test_a_limit_out_of_range_is_refused_naming_it(client: httpx.Client, limit: int) -> None:
    refused(client.get("/stakeholders/canada", params={"limit": limit}), "limit")


@pytest.mark.parametrize("parameter", ["min_value", "max_value"])
@pytest.mark.parametrize("value", [-(10**30), 3, 2**64])
def test_a_stance_value_off_the_scale_is_refused(client: httpx.Client, parameter: str, value: int) -> None:
    # -10**30 once reached the engine as an integer it cannot read, and matched nothing.
    refused(client.get("/positions", params={parameter: value}), parameter)


def test_the_stance_scale_still_filters(client: httpx.Client) -> None:
    every = client.get("/positions", params={"min_value": -2}).json()["total"]
    supporting = client.get("/positions", params={"min_value": 1, "max_value": 2}).json()["total"]
    assert every == 25
    assert 0 < supporting < every


@pytest.mark.parametrize(("parameter", "other"), [("from", "to"), ("to", "from")])
def test_a_path_endpoint_that_is_no_id_or_iri_is_refused_naming_it(
    client: httpx.Client, parameter: str, other: str
) -> None:
    body = refused(client.get("/network/path", params={parameter: "x> }", other: "canada"}), parameter)
    assert "'x> }'" in str(body["message"])


def test_openapi_documents_the_bounds(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    parameters = {p["name"]: p["schema"] for p in paths["/positions"]["get"]["parameters"]}
    assert parameters["offset"]["maximum"] == MAX_OFFSET
    assert parameters["limit"]["maximum"] == MAX_LIMIT
    assert parameters["min_value"]["anyOf"][0] == {"type": "integer", "minimum": -2, "maximum": 2}


# --- named queries: integer parameters ----------------------------------------------------------

COUNTED = NamedQuery(
    name="counted",
    summary="A fictional query with an integer parameter.",
    description="",
    parameters=(Parameter("n", "integer"),),
    sparql="SELECT ?n WHERE {}\n",
)


@pytest.mark.parametrize("value", [MAX_INTEGER + 1, -MAX_INTEGER - 1, 2**64, "9" * 5000])
def test_an_integer_parameter_out_of_range_is_refused_naming_it_and_the_value(value: object) -> None:
    with pytest.raises(ValidationFailedError) as raised:
        bind_parameters(COUNTED, {"n": value})  # type: ignore[dict-item]
    assert raised.value.parameter == "n"
    assert str(value)[:20] in str(raised.value)


def test_integer_parameters_within_the_bounds_bind() -> None:
    assert [int(bind_parameters(COUNTED, {"n": n})["n"]) for n in (-MAX_INTEGER, 0, MAX_INTEGER)] == [
        -MAX_INTEGER,
        0,
        MAX_INTEGER,
    ]


# --- a query the service wrote never shows its text ----------------------------------------------


def test_a_syntax_error_in_a_service_written_query_names_no_line_of_it() -> None:
    with MemoryStore() as store, pytest.raises(QuerySyntaxError) as engine_error:
        store.query("SELECT ?s WHERE { ?s ?p ?o } OFFSET 100000000000000000000")
    assert engine_error.value.line is not None  # what used to reach the client

    async def through_the_dependency() -> ApiError:
        dependency = service_written_queries()
        await anext(dependency)
        with pytest.raises(ApiError) as raised:
            await dependency.athrow(engine_error.value)
        return raised.value

    error = asyncio.run(through_the_dependency())
    assert error.status == 400
    assert str(engine_error.value) not in error.message
    assert "100000000000000000000" not in error.message


@pytest.mark.parametrize("router", [resources.router, queries.router, network.router])
def test_every_router_of_service_written_queries_has_the_guard(router: object) -> None:
    assert any(
        dependency.dependency is service_written_queries
        for dependency in router.dependencies  # type: ignore[attr-defined]
    )
