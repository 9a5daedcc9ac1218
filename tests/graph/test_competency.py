"""Every competency question, asked of the embedded Golden Dome data, gives the answers the article supports.

Answers are asserted by label, the way a reader of the article would check them.
Each test names the queries it covers; the last test fails when a query in
``queries/`` has no test here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import TypeVar

import pandas
import pytest

from graph.knowledge import KnowledgeGraph
from graph.paths import DATA_DIR
from graph.queries import list_queries

SGD = "https://w3id.org/stancegraph/id/"
INFERRED_GRAPH = "https://w3id.org/stancegraph/graph/golden-dome-canada/inferred"
SOURCE = DATA_DIR / "sources" / "golden-dome-canada.txt"

PARTICIPATION = "Canada joins Golden Dome"
UNIDENTIFIED = "Unidentified holders of the concerns"
REVIEWERS = "Unidentified reviewers of the key aspects"
AUTHORIAL = "The article’s authorial voice"
POLITICAL_DYNAMICS = "Political dynamics, domestic and within the U.S."
RECOMMENDED = {
    "Enhancing communication channels between Canadian and U.S. military establishments",
    "Second recommendation (garbled in the source: “second,, specifically focused on missile defenses”)",
    "Extensive review of existing agreements",
    "Synchronized intelligence sharing",
    "Pursuing research initiatives",
    "Cohesive technological partnerships",
}
UNDER_REVIEW = {"Collaborative military drills", "Intelligence exchange", "Tactical innovation"}

COVERED: set[str] = set()
Test = TypeVar("Test", bound=Callable[..., None])


def covers(*names: str) -> Callable[[Test], Test]:
    """Record that the decorated test checks the named queries' answers."""

    def mark(test: Test) -> Test:
        COVERED.update(names)
        return test

    return mark


@pytest.fixture(scope="module")
def kg() -> Iterator[KnowledgeGraph]:
    with KnowledgeGraph.open() as graph:
        yield graph


@pytest.fixture(scope="module")
def source_text() -> str:
    with SOURCE.open(encoding="utf-8", newline="") as file:
        return file.read()


def labels(frame: pandas.DataFrame, column: str) -> set[str]:
    return set(frame[column].dropna())


def quotes(cell: str) -> list[str]:
    """The quotes a grouped row joins with " | "."""
    return cell.split(" | ")


@covers("supporters-of-participation")
def test_canadian_officials_experts_and_analysts_favour_canadas_participation(
    kg: KnowledgeGraph, source_text: str
) -> None:
    supporters = kg.run("supporters-of-participation")
    assert labels(supporters, "holderLabel") == {"Canadian officials", "Experts", "Analysts"}
    assert labels(supporters, "proposalLabel") == {PARTICIPATION}
    by_holder = supporters.set_index("holderLabel")
    assert by_holder.loc["Experts", "stanceLabel"] == "supports"
    assert by_holder.loc["Analysts", "stanceLabel"] == "supports"
    assert by_holder.loc["Canadian officials", "stanceLabel"] == "optimistic about"
    assert (supporters["value"] > 0).all()
    assert by_holder.loc["Analysts", "quote"].startswith("Analysts contend that joining the ‘Golden Dome’")
    assert "national security could be substantially improved" in by_holder.loc["Canadian officials", "quote"]
    for cell in supporters["quote"]:
        assert all(quote in source_text for quote in quotes(cell))
    # Canada only considers joining: talks are not support.
    assert "Canada" not in labels(supporters, "holderLabel")
    assert kg.run("supporters-of-participation", participant="united-states").empty


@covers("concerns-raised")
def test_sovereignty_spending_and_geopolitics_are_concerns_whose_holder_stays_unidentified(
    kg: KnowledgeGraph,
) -> None:
    concerns = kg.run("concerns-raised")
    # The political dynamics are a factor the article names, not a worry anyone raises: listed unraised.
    dynamics = concerns[concerns["concernLabel"] == POLITICAL_DYNAMICS]
    assert len(dynamics) == 1 and dynamics["holder"].isna().all()
    concerns = concerns[concerns["concernLabel"] != POLITICAL_DYNAMICS]
    ambiguous = concerns[concerns["concernLabel"] != "National security"]
    assert labels(ambiguous, "concernLabel") == {
        "National sovereignty",
        "Military spending",
        "Geopolitical impacts",
    }
    assert labels(ambiguous, "holderLabel") == {UNIDENTIFIED}
    assert ambiguous["holderUnidentified"].all()
    assert ambiguous["holderNote"].str.contains("without saying whose concerns they are").all()
    assert labels(ambiguous, "attributionLabel") == {"unattributed"}
    assert labels(ambiguous, "regardingLabel") == {PARTICIPATION}
    assert set(ambiguous["quote"]) == {
        "amid concerns about national sovereignty, military spending, and broader geopolitical impacts"
    }
    security = concerns[concerns["concernLabel"] == "National security"]
    assert labels(security, "holderLabel") == {AUTHORIAL}
    assert not security["holderUnidentified"].any()


@covers("proposed-measures")
def test_the_authorial_voice_recommends_the_recommended_measures_and_the_reviewer_is_unnamed(
    kg: KnowledgeGraph,
) -> None:
    measures = kg.run("proposed-measures")
    recommended = measures[measures["statusLabel"] == "recommended"]
    assert labels(recommended, "measureLabel") == RECOMMENDED
    assert labels(recommended, "holderLabel") == {AUTHORIAL}
    assert labels(recommended, "stanceLabel") == {"recommends"}
    assert labels(recommended, "attributionLabel") == {"authorial"}
    reviewed = measures[measures["statusLabel"] == "under review"]
    assert labels(reviewed, "measureLabel") == UNDER_REVIEW
    assert labels(reviewed, "holderLabel") == {REVIEWERS}
    assert labels(reviewed, "stanceLabel") == {"considers"}
    assert labels(measures, "partOfLabel") == {PARTICIPATION}
    assert all("Several key aspects are under review:" in quotes(cell) for cell in reviewed["quote"])


@covers("measures-addressing")
def test_measure_links_tell_stated_from_inferred(kg: KnowledgeGraph) -> None:
    links = kg.run("measures-addressing")
    stated = links[links["basis"] == "stated"]
    assert set(zip(stated["measureLabel"], stated["addressedLabel"], strict=True)) == {
        ("Intelligence exchange", "Missile threats"),
        ("Synchronized intelligence sharing", "Missile threats"),
    }
    assert labels(stated, "addressedKind") == {"threat"}
    inferred = links[links["basis"] == "inferred"]
    assert labels(inferred, "graph") == {INFERRED_GRAPH}
    assert set(inferred.loc[inferred["addressedLabel"] == "National security", "measureLabel"]) == {
        "Enhancing communication channels between Canadian and U.S. military establishments",
        "Collaborative military drills",
        "Intelligence exchange",
        "Synchronized intelligence sharing",
    }
    assert labels(inferred[inferred["addressedLabel"] == "National security"], "addressedKind") == {"concern"}
    one = kg.run("measures-addressing", measure="intelligence-exchange")
    assert sorted(zip(one["addressedLabel"], one["basis"], strict=True)) == [
        ("Missile threats", "stated"),
        ("National security", "inferred"),
    ]


@covers("agreements")
def test_officials_experts_and_analysts_agree_on_canadas_participation(kg: KnowledgeGraph) -> None:
    agreements = kg.run("agreements")
    pairs = {
        (side, frozenset(pair))
        for side, *pair in zip(
            agreements["side"], agreements["holderALabel"], agreements["holderBLabel"], strict=True
        )
    }
    in_favour = {
        ("for", frozenset({"Canadian officials", "Experts"})),
        ("for", frozenset({"Canadian officials", "Analysts"})),
        ("for", frozenset({"Experts", "Analysts"})),
    }
    # Canada and its government both only weigh joining: neutral, so no agreement unless asked (as DNA).
    assert pairs == in_favour
    assert labels(agreements, "targetLabel") == {PARTICIPATION}
    congruence = kg.network("congruence")
    assert {frozenset(edge) for edge in congruence.edges} == {
        frozenset(pair) for pair in zip(agreements["holderA"], agreements["holderB"], strict=True)
    }
    with_neutral = kg.run("agreements", include_neutral=True)
    assert set(with_neutral["side"]) == {"for", "neutral"}
    # The 3 in favour; on joining, the 6 pairs of Canada, its government, the mixed reactions and the
    # author's framing; on the program, the author's framing and the monitoring stakeholders.
    assert len(with_neutral) == 10


@covers("conflicts")
def test_no_conflict_because_the_article_reports_no_opposition(kg: KnowledgeGraph) -> None:
    conflicts = kg.run("conflicts")
    assert conflicts.empty
    assert list(conflicts.columns) == [
        "target",
        "targetLabel",
        "supporter",
        "supporterLabel",
        "supporterValue",
        "opponent",
        "opponentLabel",
        "opponentValue",
        "supporterDocument",
        "supporterDate",
        "opponentDocument",
        "opponentDate",
        "document",
        "from",
        "to",
    ]
    assert not kg.ask("ASK { ?p <https://w3id.org/stancegraph/ontology#stanceValue> ?v FILTER(?v < 0) }")


@covers("unaddressed-concerns")
def test_no_stated_measure_addresses_any_concern_and_inference_covers_national_security_only(
    kg: KnowledgeGraph,
) -> None:
    everything = {
        "National sovereignty",
        "Military spending",
        "Geopolitical impacts",
        "National security",
        POLITICAL_DYNAMICS,
    }
    assert labels(kg.run("unaddressed-concerns"), "concernLabel") == everything
    with_inferred = kg.run("unaddressed-concerns", include_inferred=True)
    assert labels(with_inferred, "concernLabel") == everything - {"National security"}
    assert with_inferred["include_inferred"].all()


@covers("silent-stakeholders")
def test_stakeholders_named_without_a_position(kg: KnowledgeGraph) -> None:
    silent = kg.run("silent-stakeholders")
    assert labels(silent, "stakeholderLabel") == {
        "United States",
        "Canadian military establishments",
        "U.S. military establishments",
    }  # Trump promotes the program and the stakeholders at multiple levels react variously: positions
    kinds = dict(zip(silent["stakeholderLabel"], silent["kindLabel"], strict=True))
    assert kinds["United States"] == "nation"
    assert labels(silent, "document") == {SGD + "golden-dome-canada"}


@covers("hedged-or-reported-positions")
def test_canadas_reported_talks_are_hedged_with_reportedly_and_perhaps(kg: KnowledgeGraph) -> None:
    hedged = kg.run("hedged-or-reported-positions")
    assert (hedged["hedged"] | (hedged["attributionLabel"] == "reported")).all()
    talks = hedged.set_index("position").loc[SGD + "canada-in-talks-to-join-golden-dome"]
    assert talks["holderLabel"] == "Canada"
    assert talks["attributionLabel"] == "reported"
    assert set(talks["hedgeCues"].split(", ")) == {"reportedly", "perhaps"}
    assert "Canada is reportedly in talks to perhaps join" in talks["quote"]
    assert {"Canada", "Canadian officials", "Experts", "Analysts"} <= labels(hedged, "holderLabel")
    only_canada = kg.run("hedged-or-reported-positions", holder="canada")
    assert labels(only_canada, "holderLabel") == {"Canada"}
    assert len(only_canada) == 2


@covers("evidence-for-position")
def test_every_evidence_quote_is_the_source_text_at_its_offsets(kg: KnowledgeGraph, source_text: str) -> None:
    positions = kg.sparql(
        "SELECT ?position WHERE { ?position a <https://w3id.org/stancegraph/ontology#Position> }"
    )
    assert len(positions) == 25
    for position in positions["position"]:
        evidence = kg.run("evidence-for-position", position=position.removeprefix(SGD))
        assert not evidence.empty, position
        for row in evidence.itertuples():
            assert row.quote == source_text[row.start : row.end]
            assert pandas.isna(row.prefix) or source_text[: row.start].endswith(row.prefix)
            assert pandas.isna(row.suffix) or source_text[row.end :].startswith(row.suffix)
            assert row.document == SGD + "golden-dome-canada"
    talks = kg.run("evidence-for-position", position="canada-in-talks-to-join-golden-dome")
    assert list(talks["quote"]) == [
        "Canada Explores Participation in Trump’s ‘Golden Dome’ Missile Defense Initiative",
        "Canada is reportedly in talks to perhaps join the contentious missile defense program known as the"
        " “Golden Dome,”",
    ]
    assert not talks["garbled"].any()


@covers("flagged-evidence")
def test_the_garbled_fragment_is_recorded_as_it_stands_and_flagged(
    kg: KnowledgeGraph, source_text: str
) -> None:
    flagged = kg.run("flagged-evidence")
    assert len(flagged) == 1
    row = flagged.iloc[0]
    assert row["quote"].startswith("second,, specifically focused on missile defenses should be prioritized")
    assert row["quote"] == source_text[row["start"] : row["end"]]
    assert "lost" in row["note"]
    assert row["holderLabel"] == AUTHORIAL


@covers("positions-per-stakeholder")
def test_position_counts_per_stakeholder(kg: KnowledgeGraph) -> None:
    counts = kg.run("positions-per-stakeholder").set_index("stakeholderLabel")
    assert counts.loc[AUTHORIAL, "positions"] == 10  # 6 recommendations, 1 concern, 2 frames, 1 factor
    # Its national-security concern raises the concern: not in favour of anything.
    assert counts.loc[AUTHORIAL, "inFavour"] == 6
    assert counts.loc[AUTHORIAL, "concernsRaised"] == 1
    assert counts.loc["Canada", "positions"] == 2
    assert counts.loc["Canada", "neutral"] == 2
    assert counts.loc["Experts", "inFavour"] == 1
    assert counts.loc["United States", "positions"] == 0
    raised_or_sided = counts["inFavour"] + counts["neutral"] + counts["against"] + counts["concernsRaised"]
    assert (counts["positions"] == raised_or_sided).all()
    assert (counts["against"] == 0).all()
    assert counts["positions"].sum() == 25


@covers("positions-of-stakeholder")
def test_canada_considers_joining_in_two_reported_positions(kg: KnowledgeGraph) -> None:
    positions = kg.run("positions-of-stakeholder", stakeholder="canada")
    assert len(positions) == 2
    assert labels(positions, "targetLabel") == {PARTICIPATION}
    assert labels(positions, "stanceLabel") == {"considers"}
    assert set(positions["value"]) == {0}
    assert kg.run("positions-of-stakeholder", stakeholder="atlantis").empty


@covers("stance-distribution")
def test_stances_on_canadas_participation(kg: KnowledgeGraph) -> None:
    distribution = kg.run("stance-distribution")
    participation = distribution[distribution["targetLabel"] == PARTICIPATION].set_index("stanceLabel")
    assert participation["positions"].to_dict() == {
        "supports": 2,
        "optimistic about": 1,
        "considers": 2,
        "assesses": 1,
        "mixed": 1,
        "frames as": 1,
    }
    assert participation.loc["considers", "holders"] == 1
    assert "opposes" not in labels(distribution, "stanceLabel")
    concerns = distribution[distribution["stanceLabel"] == "concerned about"]
    assert labels(concerns, "targetLabel") == {
        "National sovereignty",
        "Military spending",
        "Geopolitical impacts",
        "National security",
    }


@covers("program-threats")
def test_golden_dome_aims_at_rogue_states_and_missile_technology(kg: KnowledgeGraph) -> None:
    threats = kg.run("program-threats", program="golden-dome")
    assert labels(threats, "threatLabel") == {"Rogue states", "Advancements in missile technology"}
    assert labels(threats, "basis") == {"stated"}
    assert len(kg.run("program-threats")) == len(threats)


@covers("program-actors")
def test_trump_promoted_golden_dome_and_initiating_it_is_an_inference(kg: KnowledgeGraph) -> None:
    actors = kg.run("program-actors")
    assert set(
        zip(actors["programLabel"], actors["role"], actors["actorLabel"], actors["basis"], strict=True)
    ) == {
        ("Golden Dome", "promoted by", "Donald Trump", "stated"),
        ("Golden Dome", "initiated by", "Donald Trump", "inferred"),
    }


@covers("source-documents")
def test_the_source_document_with_its_checksum_and_no_invented_metadata(kg: KnowledgeGraph) -> None:
    documents = kg.run("source-documents")
    assert len(documents) == 1
    document = documents.iloc[0]
    assert (
        document["title"]
        == "Canada Explores Participation in Trump’s ‘Golden Dome’ Missile Defense Initiative"
    )
    assert (DATA_DIR / document["sourceText"]).resolve() == SOURCE.resolve()
    assert document["sha256"] == hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert pandas.isna(document["publisher"])
    assert pandas.isna(document["date"])
    assert document["evidenceSpans"] > 20


@covers("stakeholder-hierarchy")
def test_officials_roll_up_through_the_government_to_canada(kg: KnowledgeGraph) -> None:
    hierarchy = kg.run("stakeholder-hierarchy")
    links = set(zip(hierarchy["memberLabel"], hierarchy["relation"], hierarchy["groupLabel"], strict=True))
    assert {
        ("Canadian officials", "memberOf", "Canadian government"),
        ("Canadian government", "partOf", "Canada"),
        ("Canadian officials", "via", "Canada"),
        ("U.S. military establishments", "partOf", "United States"),
    } <= links
    officials = kg.run("stakeholder-hierarchy", member="canadian-officials")
    assert dict(zip(officials["groupLabel"], officials["direct"], strict=True)) == {
        "Canadian government": True,
        "Canada": False,
    }


@covers("search-labels")
def test_label_search_finds_names_and_aliases_ignoring_case(kg: KnowledgeGraph) -> None:
    dome = kg.run("search-labels", text="GOLDEN dome")
    assert {"Golden Dome", PARTICIPATION} <= labels(dome, "label")
    assert "‘Golden Dome’ framework" in labels(dome, "matched")
    united_states = kg.run("search-labels", text="southern neighbor")
    assert list(united_states["entity"]) == [SGD + "united-states"]
    assert list(united_states["kind"]) == ["https://w3id.org/stancegraph/ontology#Nation"]
    assert kg.run("search-labels", text="Atlantis").empty


def test_rows_resting_on_positions_carry_the_undated_article_and_no_date(kg: KnowledgeGraph) -> None:
    article = {SGD + "golden-dome-canada"}
    asked = {
        "positions-of-stakeholder": {"stakeholder": "canada"},
        "supporters-of-participation": {},
        "hedged-or-reported-positions": {},
        "concerns-raised": {},
        "proposed-measures": {},
        "evidence-for-position": {"position": "experts-support-joining"},
        "flagged-evidence": {},
        "silent-stakeholders": {},
    }
    for name, params in asked.items():
        rows = kg.run(name, **params)
        assert labels(rows, "document") == article, name
        assert rows["date"].isna().all(), name
    agreements = kg.run("agreements")
    assert labels(agreements, "documentA") == labels(agreements, "documentB") == article
    assert agreements[["dateA", "dateB"]].isna().all().all()
    documents = kg.run("source-documents")
    assert documents["date"].isna().all() and documents["precision"].isna().all()
    # A time bound leaves the undated article out: nothing to count, list or pair.
    for name in ("stance-distribution", "supporters-of-participation", "agreements", "source-documents"):
        assert kg.run(name, **{"from": "2025"}).empty, name
    assert (kg.run("positions-per-stakeholder", to="2025")["positions"] == 0).all()


@covers("entity-links")
def test_every_stated_link_quotes_the_text_and_every_inferred_one_says_why(
    kg: KnowledgeGraph, source_text: str
) -> None:
    links = kg.run("entity-links")
    stated, inferred = links[links["basis"] == "stated"], links[links["basis"] == "inferred"]
    assert stated["quote"].notna().all() and stated["reason"].isna().all()
    spans = zip(stated["start"].astype(int).tolist(), stated["end"].astype(int).tolist(), strict=True)
    assert [source_text[start:end] for start, end in spans] == stated["quote"].tolist()
    assert inferred["quote"].isna().all() and inferred["reason"].notna().all()
    promoted = stated[stated["relationLabel"] == "promoted by"]
    assert list(promoted["quote"]) == ["This initiative was originally promoted by former President Trump"]
    membership = links[links["relationLabel"] == "member of"]
    assert list(zip(membership["subjectLabel"], membership["basis"], strict=True)) == [
        ("Canadian officials", "inferred")
    ]
    assert list(kg.run("entity-links", subject="canada-joins-golden-dome")["objectLabel"]) == [
        "Unpredictable nations",
        "Golden Dome",
        "Canada",
    ]


def test_every_named_query_has_a_competency_test() -> None:
    assert {query.name for query in list_queries()} - COVERED == set()
