"""The Estonian analyser on a labelled set (tests/search/estonian_queries.py): it finds word
forms, compounds and queries without diacritics, and keeps unrelated words apart."""

import uuid

import pytest
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from search.analysis import EstonianAnalyzer, fold, plain_text_query, terms

from .estonian_queries import DOCUMENTS, QUERIES


@pytest.fixture(scope="module")
def index():
    # A RAM index's writer pools in <tmp>/<indexname>.tmp: the default name "MAIN" is shared
    # by every process, and two xdist workers removed each other's files (a flaky error).
    ix = RamStorage().create_index(
        Schema(id=ID(stored=True), body=TEXT(analyzer=EstonianAnalyzer())),
        indexname=f"estonian-{uuid.uuid4().hex}",
    )
    with ix.writer() as writer:
        for doc_id, text in DOCUMENTS.items():
            writer.add_document(id=doc_id, body=text)
    return ix


def found(index, text):
    with index.searcher() as searcher:
        return {hit["id"] for hit in searcher.search(plain_text_query("body", text), limit=None)}


def measure(index):
    relevant = retrieved = correct = 0
    for text, expected in QUERIES:
        got = found(index, text)
        relevant += len(expected)
        retrieved += len(got)
        correct += len(got & expected)
    return correct / relevant, correct / retrieved


def test_recall_and_precision_on_the_labelled_set(index):
    recall, precision = measure(index)
    assert recall >= 0.95, recall
    assert precision >= 0.95, precision


@pytest.mark.parametrize("text, expected", QUERIES, ids=[q for q, _ in QUERIES])
def test_each_labelled_query(index, text, expected):
    assert found(index, text) == expected


def test_stem_alternations_meet():
    assert len(set(terms("laps lapse last laste lastele"))) == 1
    assert len(set(terms("lasteaed lasteaia lasteaias"))) == 1
    assert len(set(terms("laager laagri"))) == 1
    assert terms("kool")[0] != terms("koolitus")[0]


def test_compounds_index_their_parts():
    assert terms("lastekaitse") == ["lastekaitse", "laps", "kaitse"]
    assert terms("koolikiusamine")[1:] == ["kool", "kiusamine"]
    assert terms("lastekaitsetöötajad")[1:3] == ["laps", "kaitse"]
    assert terms("suvelaagri")[-1] == "laager"
    assert terms("kooliealine")[0] == terms("kooliealine")[0]  # one token, never empty


def test_diacritics_are_folded_both_ways():
    assert terms("õigused") == terms("oigused")
    assert fold("Võrumaa Jõgevamaa šokk žürii") == "Vorumaa Jogevamaa sokk zurii"
    # Other languages' accents too, and what is no Latin letter stays.
    assert fold("Café Łódź naïve Ёлка") == "Cafe Łodz naive Елка"


def test_english_is_analysed_as_english():
    assert terms("children's rights", "en") == terms("child right", "en") or terms(
        "rights", "en"
    ) == terms("right", "en")
