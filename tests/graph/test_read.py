"""graph.read on every store kind (memory, disk, remote Oxigraph server), and its pure helpers."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.dataset import load_embedded
from graph.errors import NotFoundError, ValidationFailedError
from graph.read import PositionFilter, describe, fold, list_entities, positions, search, source_text
from graph.stores.base import Store


def test_lookups_agree_on_every_store(store: Store) -> None:
    load_embedded(store)
    canada = describe(store, "stakeholder", "canada")
    assert (canada["label"], canada["type"]) == ("Canada", "Nation")
    assert {p["stance"] for p in canada["positions"]} == {"considers"}
    assert all(p["evidence"] and p["evidence"][0]["quote"] for p in canada["positions"])
    exchange = describe(store, "measure", "intelligence-exchange")
    assert {link["id"]: link["inferred"] for link in exchange["addresses"]} == {
        "missile-threats": False,
        "national-security": True,
    }
    page = list_entities(store, "stakeholder", limit=2, offset=1)
    assert (page["total"], [item["label"] for item in page["items"]]) == (
        14,
        ["Canada", "Canadian government"],
    )
    supporters = positions(store, PositionFilter(stance="supports", hedged=True))
    assert {p["holder"]["label"] for p in supporters["items"]} == {"Experts", "Analysts"}
    assert search(store, "ÉXPERTS")["items"][0]["id"] == "experts"
    with pytest.raises(NotFoundError, match="atlantis"):
        describe(store, "threat", "atlantis")


@pytest.fixture(scope="module")
def golden_dome() -> Iterator[Store]:
    from graph.stores.memory import MemoryStore

    store = MemoryStore()
    load_embedded(store)
    yield store
    store.close()


@pytest.mark.parametrize(
    ("where", "parameter"),
    [
        (PositionFilter(holder="Canada"), "holder"),
        (PositionFilter(target="x y"), "target"),
        (PositionFilter(stance="supports }"), "stance"),
        (PositionFilter(attribution="1direct"), "attribution"),
        (PositionFilter(concern="<x>"), "concern"),
        (PositionFilter(document="../doc"), "document"),
    ],
)
def test_bad_filters_name_their_parameter(golden_dome: Store, where: PositionFilter, parameter: str) -> None:
    with pytest.raises(ValidationFailedError, match=f"^{parameter}: "):
        positions(golden_dome, where)


def test_pages_are_checked(golden_dome: Store) -> None:
    with pytest.raises(ValidationFailedError, match=r"^limit: "):
        list_entities(golden_dome, "program", limit=-1)
    with pytest.raises(ValidationFailedError, match=r"^offset: "):
        positions(golden_dome, offset=-1)
    with pytest.raises(ValidationFailedError, match=r"^q: "):
        search(golden_dome, "   ")


def test_value_range_and_documents(golden_dome: Store) -> None:
    neutral = positions(golden_dome, PositionFilter(min_value=0, max_value=0), limit=1000)["items"]
    assert neutral and {p["value"] for p in neutral} == {0}
    assert positions(golden_dome, PositionFilter(document="golden-dome-canada"))["total"] == 25
    assert positions(golden_dome, PositionFilter(document="another-article"))["total"] == 0


def test_search_ranks_exact_then_prefix_then_substring(golden_dome: Store) -> None:
    found = search(golden_dome, "canadian", limit=10)["items"]
    # Both start with it; the shorter name first.
    assert [item["label"] for item in found][:2] == ["Canadian officials", "Canadian government"]
    assert all(fold(item["matched"]).find("canadian") >= 0 for item in found)
    substring = search(golden_dome, "sovereignty")["items"]
    assert [item["label"] for item in substring] == ["National sovereignty"]


def test_search_folds_typography(golden_dome: Store) -> None:
    # The alias is written with a curly apostrophe; a straight one finds it.
    hit = search(golden_dome, "trump's ‘golden dome’")["items"][0]
    assert hit["id"] == "golden-dome"


def test_fold() -> None:
    assert fold("ÉCOLE Polytechnique") == fold("ecole polytechnique")
    assert fold("ﬁnance") == "finance"  # compatibility forms too (NFKD)


def test_source_text_stays_inside_the_sources(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    sources = tmp_path / "data"
    sources.mkdir()
    digest = hashlib.sha256(b"secret").hexdigest()
    assert source_text("../secret.txt", digest, sources) is None
    assert source_text(str(secret), digest, sources) is None
    (sources / "ok.txt").write_text("secret", encoding="utf-8")
    assert source_text("ok.txt", digest, sources) == "secret"


def test_embedded_positions_come_a_page_at_a_time_with_their_count(golden_dome: Store) -> None:
    every = describe(golden_dome, "stakeholder", "canada", limit=1000)
    ids = [p["id"] for p in every["positions"]]
    assert every["positionCount"] == len(ids) >= 2
    assert ids == sorted(ids)
    pages = [describe(golden_dome, "stakeholder", "canada", limit=1, offset=i) for i in range(len(ids))]
    assert [page["positions"][0]["id"] for page in pages] == ids
    assert {page["positionCount"] for page in pages} == {len(ids)}
    beyond = describe(golden_dome, "stakeholder", "canada", limit=5, offset=len(ids))
    assert (beyond["positions"], beyond["positionCount"]) == ([], len(ids))
    assert describe(golden_dome, "stakeholder", "canada", limit=0)["positionCount"] == len(ids)
    with pytest.raises(ValidationFailedError, match=r"^limit: "):
        describe(golden_dome, "stakeholder", "canada", limit=1001)


def test_position_pages_are_slices_of_the_whole_ordered_list(golden_dome: Store) -> None:
    for where in (PositionFilter(), PositionFilter(hedged=True), PositionFilter(holder="experts")):
        whole = positions(golden_dome, where, limit=1000)
        ids = [p["id"] for p in whole["items"]]
        assert whole["total"] == len(ids) and ids == sorted(ids)
        for offset in (0, 3, len(ids) - 1, len(ids), len(ids) + 5):
            page = positions(golden_dome, where, limit=3, offset=offset)
            assert page["total"] == len(ids)
            assert [p["id"] for p in page["items"]] == ids[offset : offset + 3]


def test_a_document_lists_every_span_quoting_it(golden_dome: Store) -> None:
    document = describe(golden_dome, "document", "golden-dome-canada")
    spans = document["evidence"]
    quoted = positions(golden_dome, PositionFilter(document="golden-dome-canada"), limit=1000)["items"]
    assert {span["id"] for span in spans} == {e["id"] for p in quoted for e in p["evidence"]}
    assert all(document["text"][span["start"] : span["end"]] == span["quote"] for span in spans)
    assert [span["start"] for span in spans] == sorted(span["start"] for span in spans)


def _prolific_dataset(positions_of: dict[str, tuple[int, int]]) -> bytes:
    """N-Quads of holders with ``(positions, evidence spans each)``, over 25 targets and 3 concerns."""
    sg, sgd = "https://w3id.org/stancegraph/ontology#", "https://w3id.org/stancegraph/id/"
    graph = "<https://w3id.org/stancegraph/graph/prolific>"
    lines = []

    def quad(subject: str, predicate: str, obj: str) -> None:
        lines.append(f"{subject} {predicate} {obj} {graph} .")

    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    kind = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    oa = "http://www.w3.org/ns/oa#"
    for number in range(25):
        quad(f"<{sgd}target-{number}>", kind, f"<{sg}Program>")
        quad(f"<{sgd}target-{number}>", label, f'"Target {number}"@en')
    for holder, (count, spans) in positions_of.items():
        quad(f"<{sgd}{holder}>", kind, f"<{sg}Stakeholder>")
        quad(f"<{sgd}{holder}>", label, f'"{holder.title()}"@en')
        for number in range(count):
            position = f"<{sgd}{holder}-position-{number:03d}>"
            quad(position, f"<{sg}holder>", f"<{sgd}{holder}>")
            quad(position, f"<{sg}target>", f"<{sgd}target-{number % 25}>")
            quad(position, f"<{sg}stance>", f"<{sg}supports>")
            quad(
                position,
                f"<{sg}stanceValue>",
                f'"{number % 5 - 2}"^^<http://www.w3.org/2001/XMLSchema#integer>',
            )
            if number % 4 == 0:
                quad(position, f"<{sg}regarding>", f"<{sgd}concern-{number % 3}>")
                quad(position, f"<{sg}hedgeCue>", '"may"')
                quad(position, f"<{sg}hedgeCue>", '"could"')
            for span in range(1, spans + 1):
                evidence = f"<{sgd}{holder}-position-{number:03d}-ev{span}>"
                quad(position, f"<{sg}evidence>", evidence)
                quad(evidence, f"<{oa}hasTarget>", f"<{sgd}{holder}-{number}-{span}-target>")
                quad(f"<{sgd}{holder}-{number}-{span}-target>", f"<{oa}hasSource>", f"<{sgd}doc-1>")
                quad(
                    f"<{sgd}{holder}-{number}-{span}-target>",
                    f"<{oa}hasSelector>",
                    f"<{sgd}{holder}-{number}-{span}-q>",
                )
                quad(f"<{sgd}{holder}-{number}-{span}-q>", f"<{oa}exact>", f'"quote {number} {span}"')
    return "\n".join(lines).encode()


def test_a_prolific_holder_pages_like_the_positions_listing(store: Store) -> None:
    # A lookup asks for everything at once, bounded by the page; past the bound (more positions or
    # evidence spans than the page needs) it fetches by id. Either way it reads as the listing does.
    holders = {"prolific": (70, 1), "verbose": (6, 12)}
    store.load_dataset(_prolific_dataset(holders), "application/n-quads")
    for holder, limit, offset in [
        ("prolific", 50, 0),
        ("prolific", 5, 3),
        ("prolific", 1000, 0),
        ("prolific", 10, 65),
        ("verbose", 3, 0),
        ("verbose", 50, 2),
    ]:
        detail = describe(store, "stakeholder", holder, limit=limit, offset=offset)
        listing = positions(store, PositionFilter(holder=holder), limit=limit, offset=offset)
        every = [f"{holder}-position-{number:03d}" for number in range(holders[holder][0])]
        assert [p["id"] for p in detail["positions"]] == every[offset : offset + limit]
        assert detail["positionCount"] == len(every)
        assert all(len(p["evidence"]) == holders[holder][1] for p in detail["positions"])
        assert detail["positions"] == listing["items"]
        assert detail["positionCount"] == listing["total"]
    verbose = describe(store, "stakeholder", "verbose", limit=3)["positions"]
    assert [e["id"] for e in verbose[0]["evidence"]][:3] == [f"verbose-position-000-ev{n}" for n in (1, 2, 3)]
    assert len(verbose[0]["evidence"]) == 12
    hedged = describe(store, "stakeholder", "prolific", limit=1)["positions"][0]
    assert (hedged["hedgeCues"], hedged["regarding"]["id"]) == (["could", "may"], "concern-0")
    assert hedged["target"]["label"] == "Target 0"
