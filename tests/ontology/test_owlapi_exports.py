"""Every kind of export, read by the OWL API (the library inside Protégé) exactly as rdflib reads it.

Each export is fetched as a user gets it (a live service, or the CLI) and read by
:func:`tests.ontology.owlapi.read`: no unparsed triple, no OWL 2 DL profile
violation, no undeclared or punned entity, HermiT and Openllet consistent, and
every triple, literals to the character, what rdflib reads; nor any triple written
twice. The ego exports are those of one entity of each kind in the data, at
depths 1 to 3, not of all 203 individuals: those give 247 distinct subgraphs,
some twenty minutes of reading on a loaded test machine, while the kinds differ in
what their neighbourhoods hold and the entities of one kind do not
(:data:`REPRESENTATIVES`; a test checks they cover every kind). The reasoners run
on the Turtle export of each subgraph: its RDF/XML export is shown to read as the
same triples, so it is the same ontology.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from graph.results import select_rows
from graph.stores.memory import MemoryStore
from tests.api.support import serve
from tests.ontology.owlapi import Syntax, read

SYNTAXES: tuple[Syntax, ...] = ("turtle", "rdfxml")
ENGINE_SYNTAX = {"turtle": ox.RdfFormat.TURTLE, "rdfxml": ox.RdfFormat.RDF_XML}
SG = "https://w3id.org/stancegraph/ontology#"
SGD = "https://w3id.org/stancegraph/id/"

# One individual of each class the data's individuals have (the first by IRI), and a stance
# concept of the ontology graph, a hub.
REPRESENTATIVES = {
    "AuthorialVoice": "golden-dome-canada-authorial-voice",
    "Concern": "geopolitical-impacts",
    "ConceptScheme": "concerns",
    "Document": "golden-dome-canada",
    "Evidence": "analysts-support-joining-ev1",
    "ExpertCommunity": "analysts",
    "GovernmentBody": "canadian-government",
    "InterestGroup": "stakeholders-involved-at-multiple-levels",
    "Measure": "cohesive-technological-partnerships",
    "Nation": "canada",
    "OfficialsGroup": "canadian-officials",
    "ParticipationProposal": "canada-joins-golden-dome",
    "Person": "donald-trump",
    "Position": "analysts-support-joining",
    "Program": "golden-dome",
    "SpecificResource": "analysts-support-joining-ev1-target",
    "TextPositionSelector": "analysts-support-joining-ev1-pos",
    "TextQuoteSelector": "analysts-support-joining-ev1-quote",
    "Threat": "advancements-in-missile-technology",
    "UnidentifiedHolder": "unidentified-concern-holders",
    "Stance": SG + "supports",
}
# The README's CONSTRUCT example, and the whole data set with the ontology.
README_CONSTRUCT = "CONSTRUCT WHERE { ?s a ?t } LIMIT 10"
EVERYTHING = "CONSTRUCT WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    """A client of a service on the embedded data (the union of its graphs as the default graph)."""
    with serve(Settings(store="memory")) as running, running.client() as opened:
        yield opened


def problems_of(body: bytes, syntax: Syntax, *, reason: bool = True) -> list[str]:
    """What the OWL API finds, and the triples the document writes more than once."""
    written = [(q.subject, q.predicate, q.object) for q in ox.parse(body, format=ENGINE_SYNTAX[syntax])]
    repeated = len(written) - len(set(written))
    return read(body, syntax, reason=reason).problems + ([f"{repeated} repeated triples"] if repeated else [])


def download(client: httpx.Client, **params: str | int) -> bytes:
    response = client.get("/subgraph", params=params)
    assert response.status_code == 200, response.text
    return response.content


def test_the_representatives_cover_every_kind_of_individual(golden_dome: MemoryStore) -> None:
    rows = select_rows(
        golden_dome,
        f"""SELECT ?e ?kind WHERE {{
            GRAPH ?g {{ ?e a <http://www.w3.org/2002/07/owl#NamedIndividual>, ?kind }}
            FILTER(STRSTARTS(STR(?e), "{SGD}"))
        }}""",
    )
    kinds: dict[str, set[str]] = {}
    for row in rows:
        kinds.setdefault(str(row["e"]), set()).add(str(row["kind"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1])
    assert len(kinds) > 150
    assert {entity for entity, its in kinds.items() if its.isdisjoint(REPRESENTATIVES)} == set()


@pytest.mark.parametrize("kind", sorted(REPRESENTATIVES))
def test_ego_exports_at_every_depth_read_exactly(client: httpx.Client, kind: str) -> None:
    for depth in (1, 2, 3):
        for syntax in SYNTAXES:
            body = download(client, focus=REPRESENTATIVES[kind], depth=depth, format=syntax)
            found = problems_of(body, syntax, reason=syntax == "turtle")
            assert found == [], f"{REPRESENTATIVES[kind]} depth {depth} {syntax}"


@pytest.mark.parametrize("focus", ["canada", "analysts-support-joining", SG + "Position"])
@pytest.mark.parametrize("syntax", SYNTAXES)
def test_concise_bounded_descriptions_read_exactly(client: httpx.Client, focus: str, syntax: Syntax) -> None:
    assert problems_of(download(client, focus=focus, mode="cbd", format=syntax), syntax) == []


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_the_readme_construct_leaves_out_the_owl_structure_it_holds_in_part(
    client: httpx.Client, syntax: Syntax
) -> None:
    response = client.post(
        "/subgraph",
        params={"format": syntax},
        content=README_CONSTRUCT,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 200, response.text
    assert problems_of(response.content, syntax) == []
    warning = response.headers.get("Warning", "")
    assert warning.startswith('299 stancegraph "left out ') and "owl:" in warning, warning


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_the_whole_data_set_constructed_reads_exactly(client: httpx.Client, syntax: Syntax) -> None:
    response = client.post(
        "/subgraph",
        params={"format": syntax},
        content=EVERYTHING,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 200, response.text
    assert "Warning" not in response.headers  # the ontology's structure comes whole
    assert problems_of(response.content, syntax) == []


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_the_ontology_document_reads_exactly(client: httpx.Client, syntax: Syntax) -> None:
    response = client.get("/ontology", params={"format": syntax})
    assert response.status_code == 200, response.text
    assert problems_of(response.content, syntax) == []


@pytest.mark.parametrize("name", ["canada.ttl", "canada.owl"])
def test_the_cli_export_reads_exactly(tmp_path: Path, name: str) -> None:
    output = tmp_path / name
    result = CliRunner().invoke(app, ["export", "--focus", "canada", "--depth", "3", "-o", str(output)])
    assert result.exit_code == 0, result.output
    syntax: Syntax = "turtle" if name.endswith(".ttl") else "rdfxml"
    assert problems_of(output.read_bytes(), syntax) == []
