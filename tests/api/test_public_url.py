"""The IRIs the service advertises come from its settings, never from the request's Host header.

A client sending ``Host: attacker.example`` (or forwarded-host headers) must not make the
service description or a JSON-LD document name that host. Real uvicorn on loopback.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from pydantic import ValidationError
from rdflib import RDFS, Graph, Literal, Namespace

from api.settings import Settings
from graph.namespaces import SGD
from tests.api.support import RunningService

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORGED = {
    "Host": "attacker.example:666",
    "X-Forwarded-Host": "attacker.example",
    "X-Forwarded-Proto": "https",
    "Forwarded": "host=attacker.example;proto=https",
}


def endpoints(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    assert "attacker" not in response.text
    description = Graph().parse(data=response.text, format="turtle")
    return {str(endpoint) for endpoint in description.objects(None, SD.endpoint)}


def test_a_forged_host_header_is_not_advertised(service: RunningService) -> None:
    with service.client() as client:
        response = client.get("/sparql", headers={**FORGED, "Accept": "text/turtle"})
    # No public URL configured: the address the service listens on.
    assert endpoints(response) == {f"{service.url}/sparql", f"{service.url}/update"}


def test_the_public_url_decides_the_endpoint_iris(start_service: Callable[..., RunningService]) -> None:
    public = start_service(public_url="https://stancegraph.example.org/kg/")
    with public.client() as client:
        forged = client.get("/sparql", headers={**FORGED, "Accept": "text/turtle"})
        plain = client.get("/sparql", headers={"Accept": "text/turtle"})
    expected = {"https://stancegraph.example.org/kg/sparql", "https://stancegraph.example.org/kg/update"}
    assert endpoints(forged) == endpoints(plain) == expected


def test_json_ld_ids_ignore_a_forged_host(golden_dome_client: httpx.Client) -> None:
    response = golden_dome_client.get(
        "/stakeholders/canada", headers={**FORGED, "Accept": "application/ld+json"}
    )
    assert response.status_code == 200, response.text
    assert "attacker" not in response.text
    graph = Graph().parse(data=response.text, format="json-ld")
    assert (SGD.canada, RDFS.label, Literal("Canada", lang="en")) in graph
    assert not [term for triple in graph for term in triple if "attacker" in str(term)]


@pytest.mark.parametrize(
    "url", ["ftp://stancegraph.example.org", "stancegraph.example.org", "/kg", "https://a.example/?x=1"]
)
def test_a_public_url_must_be_an_absolute_http_url(url: str) -> None:
    with pytest.raises(ValidationError, match="public_url"):
        Settings(public_url=url)


def test_the_public_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCEGRAPH_PUBLIC_URL", "http://kg.example.org:8080/")
    assert Settings().public_url == "http://kg.example.org:8080"
