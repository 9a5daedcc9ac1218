"""Linked Data: /ontology and /id/{slug} answer RDF clients with RDF and browsers with HTML.

Through a real uvicorn on loopback serving the embedded Golden Dome graph.
"""

from __future__ import annotations

import re

import httpx
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal

from api.pages import render
from graph.docs.entity import entity_doc
from graph.namespaces import SG, SGD
from graph.paths import ONTOLOGY_FILE
from graph.stores.memory import MemoryStore

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(golden_dome_client: httpx.Client) -> httpx.Client:
    return golden_dome_client


def test_an_rdf_client_gets_the_ontology_file_as_turtle(client: httpx.Client) -> None:
    for accept in ("text/turtle", "*/*", None):
        response = client.get("/ontology", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        assert response.content == ONTOLOGY_FILE.read_bytes()
        assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"), ("application/n-triples", "nt")],
)
def test_the_ontology_in_other_rdf_formats_holds_the_same_triples(
    client: httpx.Client, accept: str, rdflib_format: str
) -> None:
    response = client.get("/ontology", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    served = Graph().parse(data=response.content, format=rdflib_format)
    assert len(served) == len(Graph().parse(ONTOLOGY_FILE, format="turtle"))


def test_a_browser_gets_readable_html_with_a_section_per_term(client: httpx.Client) -> None:
    response = client.get("/ontology", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    terms = {
        str(term)[len(SG) :]
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
        for term in ontology.subjects(RDF.type, kind)
        if str(term).startswith(str(SG))
    }
    assert {"Position", "Stakeholder", "holder", "stanceValue", "supports"} <= terms
    # https://w3id.org/stancegraph/ontology#X dereferences to /ontology: the fragment must land on X.
    anchors = set(re.findall(r'<section class="term" id="([^"]+)"', page))
    assert terms <= anchors
    assert "The n-ary relation of a stakeholder" in page  # the definition of sg:Position
    assert "prov:wasDerivedFrom" in page and "only" in page  # a restriction, in Manchester syntax


def test_the_html_needs_nothing_from_the_network(client: httpx.Client) -> None:
    for path in ("/ontology", "/id/canada"):
        page = client.get(path, headers={"Accept": "text/html"}).text
        assert "<script" not in page
        assert not re.search(r'<link[^>]+href="https?:', page)
        assert not re.search(r'src="https?:', page)


def test_the_format_parameter_wins_over_accept(client: httpx.Client) -> None:
    response = client.get("/ontology", params={"format": "html"}, headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/html")
    response = client.get("/id/canada", params={"format": "turtle"}, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/turtle")


def test_what_cannot_be_served_is_refused(client: httpx.Client) -> None:
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406
    response = client.get("/ontology", params={"format": "pdf"})
    assert response.status_code == 422
    assert "pdf" in response.json()["message"]


def test_an_entity_iri_dereferences_to_its_description(client: httpx.Client) -> None:
    response = client.get("/id/canada", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "Accept" in response.headers["vary"]
    description = Graph().parse(data=response.content, format="turtle")
    assert (SGD.canada, RDFS.label, Literal("Canada", lang="en")) in description
    assert (SGD.canada, RDF.type, SG.Nation) in description
    held = set(description.subjects(SG.holder, SGD.canada))
    assert {
        SGD["canada-considers-aligning-with-golden-dome"],
        SGD["canada-in-talks-to-join-golden-dome"],
    } <= held


@pytest.mark.parametrize(
    ("accept", "rdflib_format"), [("application/ld+json", "json-ld"), ("application/n-triples", "nt")]
)
def test_an_entity_in_other_rdf_formats(client: httpx.Client, accept: str, rdflib_format: str) -> None:
    response = client.get("/id/canada", headers={"Accept": accept})
    assert response.headers["content-type"].startswith(accept)
    description = Graph().parse(data=response.content, format=rdflib_format)
    assert (SGD.canada, RDF.type, SG.Nation) in description


def test_a_browser_sees_a_stakeholders_positions_with_their_quotes(client: httpx.Client) -> None:
    response = client.get("/id/canada", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    page = response.text
    assert "<h1>Canada</h1>" in page
    assert "Positions (2)" in page
    assert (
        "<mark>Canada is reportedly considering aligning itself with the United States’ missile defense "
        "strategy known as “Golden Dome.”</mark>"
    ) in page
    # Links follow the IRI layout: other entities are siblings, ontology terms live at ../ontology#X.
    assert 'href="canada-joins-golden-dome"' in page
    assert 'href="../ontology#Nation"' in page


@pytest.mark.parametrize("slug", ["atlantis", "Not_An_Id"])
def test_an_unknown_entity_is_404_naming_it(client: httpx.Client, slug: str) -> None:
    for accept in ("text/turtle", "text/html"):
        response = client.get(f"/id/{slug}", headers={"Accept": accept})
        assert response.status_code == 404
        assert slug in response.json()["message"]


# A fictional holder whose label is markup, and a position whose value and flag are not of their type.
MARKUP_ENTITY = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX sgd: <https://w3id.org/stancegraph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA { GRAPH <urn:test> {
  sgd:zed a sg:Person ; rdfs:label "<script>alert('Zed')</script>"@en .
  sgd:zed-position sg:holder sgd:zed ; sg:target sgd:plan ; sg:stance sg:supports ;
      sg:stanceValue "strong"^^xsd:integer ; sg:attribution sg:direct ; sg:hedged "maybe"^^xsd:boolean .
  sgd:plan rdfs:label "Plan \\"B\\" & co"@en .
  sg:supports rdfs:label "supports"@en .
  sg:direct rdfs:label "direct"@en .
} }
"""


def test_the_pages_escape_what_the_data_says_and_show_ill_typed_values_as_stored() -> None:
    with MemoryStore() as store:
        store.update(MARKUP_ENTITY)
        page = render("entity.html", doc=entity_doc(store, "zed"))
    assert "<script" not in page
    assert "<h1>&lt;script&gt;alert(&#39;Zed&#39;)&lt;/script&gt;</h1>" in page
    assert '<a href="plan">Plan &#34;B&#34; &amp; co</a>' in page
    assert "<dt>Value</dt><dd>strong</dd>" in page
    assert "<dt>Hedged</dt><dd>maybe</dd>" in page
