"""The review queue in a store: generated, kept apart, accepted as a revision, rejected with a reason."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.coding.position_store import document_text
from graph.dataset import load_embedded
from graph.errors import ConflictError, FieldError, ValidationFailedError
from graph.read.positions import PositionFilter, positions
from graph.results import select_solutions
from graph.stores.memory import MemoryStore
from graph.subgraph import ego_subgraph
from graph.suggest.backends import RuleSuggester
from graph.suggest.lexicon import load_lexicons
from graph.suggest.queue import accept, find_queued, queued, reject, store_suggestions, suggestions_graph
from graph.suggest.stored import known_in_store

DOC = "golden-dome-canada"
PROVENANCE = """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
SELECT DISTINCT ?name ?version ?fingerprint WHERE { GRAPH %s {
  ?s a sg:Suggestion ; prov:wasGeneratedBy ?run .
  ?run prov:wasAssociatedWith ?agent .
  ?agent a prov:SoftwareAgent ; foaf:name ?name ; sg:softwareVersion ?version ; sg:fingerprint ?fingerprint .
} }"""


TYPED = """SELECT DISTINCT ?g ?class WHERE { GRAPH ?g { ?s a ?class FILTER(STRSTARTS(STR(?class),
  "https://w3id.org/stancegraph/ontology#")) } }"""


@pytest.fixture
def store() -> Iterator[MemoryStore]:
    with MemoryStore() as opened:
        load_embedded(opened)
        rules = RuleSuggester(load_lexicons())
        found = rules.propose(document_text(opened, DOC), known_in_store(opened)).suggestions
        assert store_suggestions(opened, DOC, found, rules.agent)
        yield opened


def test_suggestions_are_marked_generated_and_kept_apart(store: MemoryStore) -> None:
    [agent] = select_solutions(store, PROVENANCE % suggestions_graph(DOC).n3())
    assert agent["name"]["value"] == "stancegraph-rules" and len(agent["fingerprint"]["value"]) == 64
    typed = select_solutions(store, TYPED)
    assert {
        row["class"]["value"].rsplit("#", 1)[-1]
        for row in typed
        if row["g"]["value"].endswith("/suggestions")
    } == {
        "Suggestion"
    }  # no sg:Position, sg:Evidence nor any other class a reading of coded positions looks for
    walked = ego_subgraph(store, "canada", 4)
    assert not any("Suggestion" in str(o) or "suggest" in str(p) for _, p, o in walked)
    coded = positions(store, PositionFilter(), limit=1000)
    assert {p["id"] for p in coded["items"]}.isdisjoint({q.id for q in queued(store, DOC)})


def test_accept_codes_a_revision_by_the_reviewer(store: MemoryStore) -> None:
    before = positions(store, PositionFilter(), limit=1000)["total"]
    item = next(q for q in queued(store, DOC) if q.suggestion["holder"] and q.suggestion["target"])
    reviewed, saved = accept(store, item.id, reviewer="rui", edits={"note": "checked against the text"})
    assert reviewed.status == "accepted" and reviewed.reviewer == "rui" and reviewed.accepted_as == saved.id
    assert saved.coder == "rui" and saved.revision == 1
    assert positions(store, PositionFilter(), limit=1000)["total"] == before + 1
    with pytest.raises(ConflictError, match="already accepted by rui"):
        reject(store, item.id, reviewer="rui", reason="too late")


def test_reject_keeps_the_suggestion_with_its_reason(store: MemoryStore) -> None:
    before = positions(store, PositionFilter(), limit=1000)["total"]
    item = queued(store, DOC)[0]
    reject(store, item.id, reviewer="rui", reason="a headline")
    kept = find_queued(store, item.id)
    assert (kept.status, kept.reason, kept.reviewer) == ("rejected", "a headline", "rui")
    assert positions(store, PositionFilter(), limit=1000)["total"] == before
    assert queued(store, DOC, "pending") == [q for q in queued(store, DOC) if q.id != item.id]


def test_refused_reviews_write_nothing(store: MemoryStore) -> None:
    item = next(q for q in queued(store, DOC) if not q.suggestion["target"])
    with pytest.raises(FieldError, match="target"):
        accept(store, item.id, reviewer="rui")
    with pytest.raises(ValidationFailedError, match="colour"):
        accept(store, item.id, reviewer="rui", edits={"colour": "red"})
    with pytest.raises(ValidationFailedError, match="reason"):
        reject(store, item.id, reviewer="rui", reason=" ")
    assert find_queued(store, item.id).status == "pending"
