"""Named queries over dated documents: ``document``, ``from`` and ``to``, and each row's document and date.

The data are three short fictional texts written for these tests (every label, title, quote and
text says so), inserted as the coding build compiles them under the time contract of issue 13:
a document carries ``dcterms:issued`` (an ``xsd:dateTime`` in UTC) and ``sg:timePrecision``, or
neither when undated; a position links to its document by ``prov:wasDerivedFrom`` and may carry its
own ``sg:validAt``. A position's time is its validAt, else its document's date.

==========================  =====================  ==========================================
position                    document (issued)      time
==========================  =====================  ==========================================
ministry-backs-joining      wire-march (14 March)  2025-03-14
council-warns-of-cost       wire-march             2025-03-14 (its quote is flagged garbled)
ministry-recommends-drills  wire-march             2025-03-14
council-recommends-drills   wire-march             2025-03-14
ministry-opposes-joining    bulletin-may (May)     2025-04-20, its validAt: before its document
council-hopes-for-joining   bulletin-may           2025-05-01
league-rejects-joining      undated-note           none: undated (its quote is flagged garbled)
league-worried-about-cost   undated-note           2025-03-01, its validAt dates it
==========================  =====================  ==========================================

Every test runs on a memory store and on a real Oxigraph server (the remote store binds through a
VALUES block, the memory store by substitution): both must give these exact rows.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from graph.namespaces import ONTOLOGY_GRAPH, SGD, document_graph
from graph.paths import ONTOLOGY_FILE
from graph.read import query_table
from graph.stores import Store, open_store
from tests.graph.conftest import OxigraphServer, remote_store_for

W, B, U = (str(SGD[slug]) for slug in ("wire-march", "bulletin-may", "undated-note"))
MARCH_14, MAY = "2025-03-14T00:00:00Z", "2025-05-01T00:00:00Z"
APRIL_20, MARCH_1 = "2025-04-20T00:00:00Z", "2025-03-01T00:00:00Z"


@dataclass(frozen=True)
class Position:
    slug: str
    document: str
    holder: str
    target: str
    stance: str
    value: int
    attribution: str
    quote: str
    cues: tuple[str, ...] = ()
    valid_at: tuple[str, str] | None = None
    garbled: str | None = None


@dataclass(frozen=True)
class Document:
    slug: str
    title: str
    opening: str
    issued: str | None = None
    precision: str | None = None

    @property
    def text(self) -> str:
        """The opening, then the quote of each of the document's positions."""
        return " ".join([self.opening, *(p.quote for p in POSITIONS if p.document == self.slug)])


JOINING, COST, DRILLS = "northland-joins-shield", "shield-cost", "joint-drills"
GARBLED = "A word is lost at the double comma (a fictional note for the tests)."
REPEATED = "The source repeats a word (a fictional note for the tests)."
# fmt: off
POSITIONS = (
    Position("ministry-backs-joining", "wire-march", "north-ministry", JOINING, "supports", 2, "direct",
             "The fictional North Ministry backs Northland joining the Shield."),
    Position("council-warns-of-cost", "wire-march", "harbour-council", COST, "concerned", 1, "direct",
             "The fictional Harbour Council warns of the cost of the Shield,, it says.", garbled=GARBLED),
    Position("ministry-recommends-drills", "wire-march", "north-ministry", DRILLS, "recommends", 2, "direct",
             "The fictional North Ministry recommends joint drills."),
    Position("council-recommends-drills", "wire-march", "harbour-council", DRILLS, "recommends", 2, "direct",
             "The fictional Harbour Council also recommends joint drills."),
    Position("ministry-opposes-joining", "bulletin-may", "north-ministry", JOINING, "opposes", -2, "direct",
             "Since 20 April 2025 the fictional North Ministry has opposed joining the Shield.",
             valid_at=("2025-04-20T00:00:00Z", "day")),
    Position("council-hopes-for-joining", "bulletin-may", "harbour-council", JOINING, "optimistic", 1,
             "reported", "The fictional Harbour Council is reportedly hopeful about joining.",
             cues=("reportedly",)),
    Position("league-rejects-joining", "undated-note", "river-league", JOINING, "opposes", -2, "direct",
             "The fictional River League rejects joining the the Shield.", garbled=REPEATED),
    Position("league-worried-about-cost", "undated-note", "river-league", COST, "concerned", 1,
             "unattributed", "In March 2025 the fictional River League was perhaps worried about the cost.",
             cues=("perhaps",), valid_at=("2025-03-01T00:00:00Z", "month")),
)
DOCUMENTS = (
    Document("wire-march", "A fictional wire of 14 March 2025, written for the tests",
             "This wire is fictional, written for the stancegraph tests; none of it happened.",
             MARCH_14, "day"),
    Document("bulletin-may", "A fictional bulletin of May 2025, written for the tests",
             "This bulletin is fictional, written for the stancegraph tests; none of it happened. "
             "The fictional Silent Guild attended.", MAY, "month"),
    Document("undated-note", "A fictional undated note, written for the tests",
             "This note is fictional, written for the stancegraph tests; none of it happened."),
)
# fmt: on
# Stakeholders: id, kind, label, the document mentioning it.
STAKEHOLDERS = (
    ("northland", "Nation", "Northland (fictional)", "wire-march"),
    ("north-ministry", "GovernmentBody", "North Ministry (fictional)", "wire-march"),
    ("harbour-council", "InterestGroup", "Harbour Council (fictional)", "wire-march"),
    ("river-league", "InterestGroup", "River League (fictional)", "undated-note"),
    ("silent-guild", "InterestGroup", "Silent Guild (fictional)", "bulletin-may"),
)


PREFIXES = """\
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX sgd: <https://w3id.org/stancegraph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


def text(value: str) -> str:
    return Literal(value).n3()


def english(value: str) -> str:
    return Literal(value, lang="en").n3()


def moment(lexical: str) -> str:
    return Literal(lexical, datatype=XSD.dateTime, normalize=False).n3()


def document_triples(document: Document) -> list[str]:
    subject = f"sgd:{document.slug}"
    digest = hashlib.sha256(document.text.encode()).hexdigest()
    triples = [
        f"{subject} a sg:Document ; dcterms:title {english(document.title)}",
        f"{subject} sg:text {text(document.text)} ; sg:sha256 {text(digest)}",
    ]
    if document.issued is not None and document.precision is not None:
        precision = text(document.precision)
        triples.append(f"{subject} dcterms:issued {moment(document.issued)} ; sg:timePrecision {precision}")
    return triples


def position_triples(position: Position, source: str) -> list[str]:
    subject, document, evidence = (
        f"sgd:{position.slug}",
        f"sgd:{position.document}",
        f"sgd:{position.slug}-ev1",
    )
    start = source.index(position.quote)
    end = start + len(position.quote)
    triples = [
        f"{subject} a sg:Position ; sg:holder sgd:{position.holder} ; sg:target sgd:{position.target} ; "
        f"sg:stance sg:{position.stance} ; sg:stanceValue {position.value} ; "
        f"sg:attribution sg:{position.attribution} ; sg:hedged {'true' if position.cues else 'false'} ; "
        f"prov:wasDerivedFrom {document} ; sg:evidence {evidence}",
        f"{evidence} a sg:Evidence, oa:Annotation ; prov:wasDerivedFrom {document} ; "
        f"oa:hasTarget {evidence}-target",
        f"{evidence}-target oa:hasSource {document} ; oa:hasSelector {evidence}-quote, {evidence}-pos",
        f"{evidence}-quote a oa:TextQuoteSelector ; oa:exact {text(position.quote)}",
        f"{evidence}-pos a oa:TextPositionSelector ; oa:start {start} ; oa:end {end}",
    ]
    triples += [f"{subject} sg:hedgeCue {text(cue)}" for cue in position.cues]
    if position.valid_at is not None:
        at, precision = position.valid_at
        triples.append(f"{subject} sg:validAt {moment(at)} ; sg:timePrecision {text(precision)}")
    if position.garbled is not None:
        triples.append(f"{evidence} sg:garbled true ; skos:editorialNote {english(position.garbled)}")
    return triples


def entity_triples(document: str) -> list[str]:
    triples = [
        f"sgd:{slug} a sg:{kind}, sg:Stakeholder ; rdfs:label {english(name)} ; "
        f"sg:mentionedIn sgd:{mentioned}"
        for slug, kind, name, mentioned in STAKEHOLDERS
        if mentioned == document
    ]
    if document == "wire-march":
        triples += [
            f"sgd:shield a sg:Program ; rdfs:label {english('The Shield programme (fictional)')}",
            f"sgd:{JOINING} a sg:ParticipationProposal ; sg:participant sgd:northland ; "
            f"sg:program sgd:shield ; rdfs:label {english('Northland joins the Shield (fictional)')}",
            f"sgd:{COST} a sg:Concern ; rdfs:label {english('Cost of the Shield (fictional)')}",
            f"sgd:{DRILLS} a sg:Measure ; rdfs:label {english('Joint drills (fictional)')} ; "
            "sg:measureStatus sg:recommended",
        ]
    return triples


def insert_data() -> str:
    """One INSERT DATA with a named graph per document, as the build makes them."""
    blocks = []
    for document in DOCUMENTS:
        triples = document_triples(document) + entity_triples(document.slug)
        for position in POSITIONS:
            if position.document == document.slug:
                triples += position_triples(position, document.text)
        body = " .\n    ".join(triples)
        blocks.append(f"  GRAPH {document_graph(document.slug).n3()} {{\n    {body} .\n  }}")
    return PREFIXES + "INSERT DATA {\n" + "\n".join(blocks) + "\n}"


@pytest.fixture(scope="module", params=["memory", "remote"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    server: OxigraphServer | None = None
    if request.param == "remote":
        server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
        server.start()
        opened = remote_store_for(server)
    else:
        opened = open_store("memory")
    try:
        opened.put_graph(str(ONTOLOGY_GRAPH), ONTOLOGY_FILE.read_bytes(), "text/turtle")
        opened.update(insert_data())
        yield opened
    finally:
        opened.close()
        if server is not None:
            server.stop()


Row = tuple[object, ...]


def rows(store: Store, name: str, columns: str, **values: str) -> list[Row]:
    """The named query's rows as tuples of ``columns`` (None where unbound), in a fixed order.
    ``from_`` stands for ``from``, a Python keyword."""
    table = query_table(store, name, {key.removesuffix("_"): value for key, value in values.items()})
    names = columns.split()
    assert set(names) <= set(table["columns"]), table["columns"]
    return expected(*(tuple(row.get(column) for column in names) for row in table["rows"]))


def expected(*found: Row) -> list[Row]:
    return sorted(found, key=repr)


def iri(slug: str) -> str:
    return str(SGD[slug])


def served(lexical: str) -> str:
    """A stored time as a table's plain values write it (Python's isoformat: "+00:00" for "Z")."""
    return datetime.datetime.fromisoformat(lexical).isoformat()


MINISTRY, COUNCIL, LEAGUE = iri("north-ministry"), iri("harbour-council"), iri("river-league")
ROW_MARCH_14, ROW_MAY, ROW_APRIL_20, ROW_MARCH_1 = map(served, (MARCH_14, MAY, APRIL_20, MARCH_1))


def test_the_fictional_texts_hold_their_quotes_at_their_offsets(store: Store) -> None:
    texts = {iri(document.slug): document.text for document in DOCUMENTS}
    for position in POSITIONS:
        (found,) = query_table(store, "evidence-for-position", {"position": position.slug})["rows"]
        assert texts[found["document"]][found["start"] : found["end"]] == found["quote"] == position.quote


def test_positions_of_a_stakeholder_by_document_and_time(store: Store) -> None:
    def ask(**values: str) -> list[Row]:
        return rows(store, "positions-of-stakeholder", "position value document date validAt", **values)

    backs = (iri("ministry-backs-joining"), 2, W, ROW_MARCH_14, None)
    opposes = (iri("ministry-opposes-joining"), -2, B, ROW_MAY, ROW_APRIL_20)
    recommends = (iri("ministry-recommends-drills"), 2, W, ROW_MARCH_14, None)
    assert ask(stakeholder="north-ministry") == expected(backs, opposes, recommends)
    assert ask(stakeholder="north-ministry", document="bulletin-may") == [opposes]
    # Its own time (20 April) puts the opposition in April, though its document is of May.
    assert ask(stakeholder="north-ministry", to="2025-04") == expected(backs, opposes, recommends)
    assert ask(stakeholder="north-ministry", from_="2025-04-21") == []
    assert ask(stakeholder="north-ministry", from_="2025-03-14T12:00:00Z", to="2025-04-20") == [opposes]


def test_an_undated_position_is_kept_without_a_bound_and_left_out_with_one(store: Store) -> None:
    def ask(**values: str) -> list[Row]:
        return rows(store, "positions-of-stakeholder", "position document date validAt", **values)

    rejects = (iri("league-rejects-joining"), U, None, None)
    worried = (iri("league-worried-about-cost"), U, None, ROW_MARCH_1)  # dated by its validAt alone
    assert ask(stakeholder="river-league") == expected(rejects, worried)
    assert ask(stakeholder="river-league", document="undated-note") == expected(rejects, worried)
    assert ask(stakeholder="river-league", from_="2025") == [worried]
    assert ask(stakeholder="river-league", to="2025-03-01") == [worried]


def test_supporters_of_participation_by_document_and_time(store: Store) -> None:
    def ask(**values: str) -> list[Row]:
        return rows(
            store,
            "supporters-of-participation",
            "holder value document date",
            participant="northland",
            **values,
        )

    backs, hopes = (MINISTRY, 2, W, ROW_MARCH_14), (COUNCIL, 1, B, ROW_MAY)
    assert ask() == expected(backs, hopes)
    assert ask(document="wire-march") == [backs]
    assert ask(from_="2025-04") == [hopes]
    assert ask(to="2025-03") == [backs]


def test_hedged_or_reported_positions_by_document_and_time(store: Store) -> None:
    def ask(**values: str) -> list[Row]:
        return rows(
            store, "hedged-or-reported-positions", "position hedgeCues document date validAt", **values
        )

    hopes = (iri("council-hopes-for-joining"), "reportedly", B, ROW_MAY, None)
    worried = (iri("league-worried-about-cost"), "perhaps", U, None, ROW_MARCH_1)
    assert ask() == expected(hopes, worried)
    assert ask(document="bulletin-may") == [hopes]
    assert ask(from_="2025-03", to="2025-03") == [worried]
    assert ask(holder="river-league", from_="2025-04") == []


def test_stance_distribution_counts_within_the_document_and_time_asked(store: Store) -> None:
    def ask(**values: str) -> list[Row]:
        return rows(store, "stance-distribution", "target stanceLabel positions holders document", **values)

    joining, cost, drills = iri(JOINING), iri(COST), iri(DRILLS)
    assert ask() == expected(
        (joining, "supports", 1, 1, None),
        (joining, "optimistic about", 1, 1, None),
        (joining, "opposes", 2, 2, None),
        (cost, "concerned about", 2, 2, None),
        (drills, "recommends", 2, 2, None),
    )
    # The undated rejection is left out; counts are never split by document.
    assert ask(from_="2025-04") == expected(
        (joining, "optimistic about", 1, 1, None), (joining, "opposes", 1, 1, None)
    )
    assert ask(document="undated-note") == expected(
        (joining, "opposes", 1, 1, U), (cost, "concerned about", 1, 1, U)
    )


def test_positions_per_stakeholder_count_within_the_document_and_time_asked(store: Store) -> None:
    def ask(**values: str) -> list[Row]:
        return rows(
            store, "positions-per-stakeholder", "stakeholder positions inFavour against document", **values
        )

    northland, guild = iri("northland"), iri("silent-guild")
    # The council's and the league's worry about the cost raises a concern: never counted in favour.
    assert ask() == expected(
        (northland, 0, 0, 0, None),
        (MINISTRY, 3, 2, 1, None),
        (COUNCIL, 3, 2, 0, None),
        (LEAGUE, 2, 0, 1, None),
        (guild, 0, 0, 0, None),
    )
    assert ask(to="2025-03") == expected(
        (northland, 0, 0, 0, None),
        (MINISTRY, 2, 2, 0, None),
        (COUNCIL, 2, 1, 0, None),
        (LEAGUE, 1, 0, 0, None),
        (guild, 0, 0, 0, None),
    )
    assert ask(document="bulletin-may") == expected(
        (northland, 0, 0, 0, B),
        (MINISTRY, 1, 0, 1, B),
        (COUNCIL, 1, 1, 0, B),
        (LEAGUE, 0, 0, 0, B),
        (guild, 0, 0, 0, B),
    )


def test_agreements_carry_a_document_and_date_per_side(store: Store) -> None:
    def ask(**values: str) -> list[Row]:
        return rows(
            store, "agreements", "target side holderA holderB documentA dateA documentB dateB", **values
        )

    for_joining = (iri(JOINING), "for", COUNCIL, MINISTRY, B, ROW_MAY, W, ROW_MARCH_14)
    against_joining = (iri(JOINING), "against", MINISTRY, LEAGUE, B, ROW_MAY, U, None)
    on_cost = (iri(COST), "raises concern", COUNCIL, LEAGUE, W, ROW_MARCH_14, U, None)
    on_drills = (iri(DRILLS), "for", COUNCIL, MINISTRY, W, ROW_MARCH_14, W, ROW_MARCH_14)
    assert ask() == expected(for_joining, against_joining, on_cost, on_drills)
    assert ask(document="wire-march") == [on_drills]
    # A pair with an undated side goes once a bound is given; its validAt dates the league's worry.
    assert ask(from_="2025-03") == expected(for_joining, on_cost, on_drills)
    assert ask(to="2025-03") == expected(on_cost, on_drills)
    assert ask(include_neutral="false", document="bulletin-may") == []


def test_conflicts_carry_a_document_and_date_per_side(store: Store) -> None:
    columns = "target supporter opponent supporterDocument supporterDate opponentDocument opponentDate"

    def ask(**values: str) -> list[Row]:
        return rows(store, "conflicts", columns, **values)

    joining = iri(JOINING)
    ministry_changed = (joining, MINISTRY, MINISTRY, W, ROW_MARCH_14, B, ROW_MAY)
    ministry_league = (joining, MINISTRY, LEAGUE, W, ROW_MARCH_14, U, None)
    council_ministry = (joining, COUNCIL, MINISTRY, B, ROW_MAY, B, ROW_MAY)
    council_league = (joining, COUNCIL, LEAGUE, B, ROW_MAY, U, None)
    assert ask() == expected(ministry_changed, ministry_league, council_ministry, council_league)
    assert ask(document="bulletin-may") == [council_ministry]
    assert ask(from_="2025-04") == [council_ministry]
    assert ask(to="2025-04-19") == []
    assert ask(to="2025-04-20") == [ministry_changed]


def test_concerns_raised_keep_a_concern_whose_positions_are_all_left_out(store: Store) -> None:
    def ask(**values: str) -> list[Row]:
        return rows(store, "concerns-raised", "concern position holder document date validAt", **values)

    warns = (iri(COST), iri("council-warns-of-cost"), COUNCIL, W, ROW_MARCH_14, None)
    worried = (iri(COST), iri("league-worried-about-cost"), LEAGUE, U, None, ROW_MARCH_1)
    assert ask() == expected(warns, worried)
    assert ask(from_="2025-03-10") == [warns]
    assert ask(document="bulletin-may") == [(iri(COST), None, None, B, None, None)]


def test_proposed_measures_keep_a_measure_whose_positions_are_all_left_out(store: Store) -> None:
    def ask(**values: str) -> list[Row]:
        return rows(store, "proposed-measures", "measure statusLabel position holder document date", **values)

    by_ministry = (iri(DRILLS), "recommended", iri("ministry-recommends-drills"), MINISTRY, W, ROW_MARCH_14)
    by_council = (iri(DRILLS), "recommended", iri("council-recommends-drills"), COUNCIL, W, ROW_MARCH_14)
    assert ask() == expected(by_ministry, by_council)
    assert ask(document="wire-march") == expected(by_ministry, by_council)
    assert ask(from_="2025-04") == [(iri(DRILLS), "recommended", None, None, None, None)]


def test_evidence_of_a_position_carries_its_documents_date(store: Store) -> None:
    def ask(position: str) -> list[Row]:
        return rows(store, "evidence-for-position", "position document date", position=position)

    assert ask("ministry-opposes-joining") == [(iri("ministry-opposes-joining"), B, ROW_MAY)]
    assert ask("league-rejects-joining") == [(iri("league-rejects-joining"), U, None)]


def test_flagged_evidence_by_document_and_date(store: Store) -> None:
    def ask(**values: str) -> list[Row]:
        return rows(store, "flagged-evidence", "position note document date", **values)

    warns = (iri("council-warns-of-cost"), GARBLED, W, ROW_MARCH_14)
    rejects = (iri("league-rejects-joining"), REPEATED, U, None)
    assert ask() == expected(warns, rejects)
    assert ask(document="undated-note") == [rejects]
    assert ask(from_="2025") == [warns]
    assert ask(from_="2025-04") == []


def test_source_documents_with_their_dates_precisions_and_evidence(store: Store) -> None:
    def ask(**values: str) -> list[Row]:
        return rows(store, "source-documents", "document date precision evidenceSpans", **values)

    wire, bulletin, note = (W, ROW_MARCH_14, "day", 4), (B, ROW_MAY, "month", 2), (U, None, None, 2)
    assert ask() == expected(wire, bulletin, note)
    assert ask(from_="2025-04") == [bulletin]
    assert ask(to="2025-03") == [wire]


def test_silent_stakeholders_with_the_date_of_the_document_naming_them(store: Store) -> None:
    found = rows(store, "silent-stakeholders", "stakeholder document date")
    assert found == expected((iri("northland"), W, ROW_MARCH_14), (iri("silent-guild"), B, ROW_MAY))


def test_a_position_stored_without_its_document_stays_unless_a_document_or_time_is_asked(
    store: Store,
) -> None:
    """Data from before the time contract (or written by hand) may lack prov:wasDerivedFrom: such a
    position has no document and no date, and is left out only when a document or a bound is given."""
    scratch = "<urn:test:undocumented>"
    store.update(
        PREFIXES + f"INSERT DATA {{ GRAPH {scratch} {{ sgd:league-undocumented a sg:Position ; "
        "sg:holder sgd:river-league ; sg:target sgd:northland-joins-shield ; sg:stance sg:opposes ; "
        "sg:stanceValue -2 ; sg:attribution sg:direct ; sg:hedged false } }"
    )
    try:
        undocumented = (iri("league-undocumented"), None, None)
        listed = rows(store, "positions-of-stakeholder", "position document date", stakeholder="river-league")
        assert undocumented in listed
        for narrowing in ({"document": "undated-note"}, {"from_": "2025"}, {"to": "2025"}):
            found = rows(
                store,
                "positions-of-stakeholder",
                "position document date",
                stakeholder="river-league",
                **narrowing,
            )
            assert undocumented not in found
        pair = (iri(JOINING), "against", MINISTRY, LEAGUE, B, ROW_MAY, None, None)
        columns = "target side holderA holderB documentA dateA documentB dateB"
        assert pair in rows(store, "agreements", columns)
        assert rows(store, "agreements", columns, document="bulletin-may") == []
        opposing = "target stanceLabel positions holders"
        assert (iri(JOINING), "opposes", 3, 2) in rows(store, "stance-distribution", opposing)
        assert (iri(JOINING), "opposes", 1, 1) in rows(
            store, "stance-distribution", opposing, document="undated-note"
        )
    finally:
        store.update(f"DROP GRAPH {scratch}")
