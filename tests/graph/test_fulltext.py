"""Full-text search over quotes and texts: folding, phrases, prefixes, offsets, ranking, staleness.

The texts below are fictional, written for these tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.errors import ValidationFailedError
from graph.read.fulltext import FoldedText, TextIndex, search_texts
from graph.stores.memory import MemoryStore

TEXT_A = "A fictional text. Québec’s premier backs the shield; the SHIELD is costly. 😀 Shields."
TEXT_B = "Another fictional text: critics of the north american shield say it is not needed."
QUOTE_A = "Québec’s premier backs the shield"
START_A = TEXT_A.index(QUOTE_A)

DATA = f"""
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX sgd: <https://w3id.org/stancegraph/id/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
INSERT DATA {{ GRAPH <https://w3id.org/stancegraph/graph/test> {{
  sgd:doc-a sg:text "{TEXT_A}" ; dcterms:title "Document A" .
  sgd:doc-b sg:text "{TEXT_B}" .
  sgd:p1 sg:evidence sgd:ev1 .
  sgd:ev1 prov:wasDerivedFrom sgd:doc-a ;
    oa:hasTarget [ oa:hasSelector [ oa:exact "{QUOTE_A}" ] ,
                                  [ oa:start {START_A} ; oa:end {START_A + len(QUOTE_A)} ] ] .
}} }}"""


@pytest.fixture(scope="module")
def store() -> Iterator[MemoryStore]:
    with MemoryStore() as store:
        store.update(DATA)
        yield store


def test_accents_and_case_are_folded_and_offsets_are_in_the_stored_text(store: MemoryStore) -> None:
    page = TextIndex(store).search("QUEBEC", ["texts"])
    assert page["total"] == 1
    (hit,) = page["items"]
    assert hit["document"] == "doc-a" and hit["title"] == "Document A"
    assert hit["spans"] == [{"start": 18, "end": 24, "text": "Québec"}]
    assert hit["positions"] == ["p1"]


def test_a_quote_hit_gives_document_offsets_and_its_position(store: MemoryStore) -> None:
    (hit,) = TextIndex(store).search("premier", ["quotes"])["items"]
    assert (hit["kind"], hit["evidence"], hit["document"], hit["positions"]) == (
        "quote",
        "ev1",
        "doc-a",
        ["p1"],
    )
    (span,) = hit["spans"]
    assert TEXT_A[span["start"] : span["end"]] == "premier"


def test_every_occurrence_is_a_span_even_after_a_character_outside_the_bmp(store: MemoryStore) -> None:
    (hit,) = TextIndex(store).search("shield*", ["texts"], limit=5)["items"][:1]
    assert [span["text"] for span in hit["spans"]] == ["shield", "SHIELD", "Shields"]
    assert all(TEXT_A[s["start"] : s["end"]] == s["text"] for s in hit["spans"])


def test_a_phrase_matches_its_words_in_order_only(store: MemoryStore) -> None:
    index = TextIndex(store)
    assert [h["document"] for h in index.search('"north american shield"')["items"]] == ["doc-b"]
    assert index.search('"shield american"')["total"] == 0
    assert index.search("shield american")["total"] == 1  # every word, in any order


def test_a_word_alone_is_not_a_prefix(store: MemoryStore) -> None:
    assert TextIndex(store).search("shiel", ["texts"])["total"] == 0


def test_quotes_come_before_texts_and_paging_counts_both(store: MemoryStore) -> None:
    page = TextIndex(store).search("shield", limit=1, offset=1)
    assert page["total"] == 3  # the quote, then both texts
    assert page["items"][0]["kind"] == "text"


def test_the_index_follows_writes(store: MemoryStore) -> None:
    assert search_texts(store, "lighthouse")["total"] == 0
    store.update(
        "PREFIX sg: <https://w3id.org/stancegraph/ontology#> INSERT DATA { GRAPH <urn:g> "
        '{ <https://w3id.org/stancegraph/id/doc-c> sg:text "A fictional lighthouse." } }'
    )
    assert [h["document"] for h in search_texts(store, "lighthouse")["items"]] == ["doc-c"]
    store.update("DROP GRAPH <urn:g>")
    assert search_texts(store, "lighthouse")["total"] == 0


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ('"north american', "q: a quoted phrase is not closed"),
        ("  ;; ", "q: must contain at least one letter or digit"),
    ],
)
def test_a_query_that_cannot_be_read_is_refused_naming_q(store: MemoryStore, q: str, message: str) -> None:
    with pytest.raises(ValidationFailedError, match=message):
        TextIndex(store).search(q)


def test_an_unknown_scope_is_refused_naming_in(store: MemoryStore) -> None:
    with pytest.raises(ValidationFailedError, match="in: unknown scope 'titles'"):
        TextIndex(store).search("shield", ["titles"])  # type: ignore[list-item]


def test_fts5_syntax_in_the_query_is_read_as_words(store: MemoryStore) -> None:
    assert TextIndex(store).search("shield OR NEAR(x) AND -not")["total"] == 0


def test_folding_maps_back_through_combining_marks_and_expansions() -> None:
    folded = FoldedText("e\u0301te\u0301 Straße")
    assert folded.text == "ete strasse"
    assert folded.original_span(0, 3) == (0, 5)  # "été" with its combining accents
    assert folded.original_span(4, 11) == (6, 12)
