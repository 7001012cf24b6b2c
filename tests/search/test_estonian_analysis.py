"""The Estonian analyser on a labelled set (tests/search/estonian_queries.py): it finds word
forms, compounds and queries without diacritics, and keeps unrelated words apart."""

import uuid

import pytest
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from search.analysis import EstonianAnalyzer, fold, plain_text_query, query_terms, terms

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


def test_word_forms_meet_in_their_lemma():
    for text, lemma in [
        ("laps lapse last laste lastele", "laps"),
        ("lasteaed lasteaia lasteaias lasteaedadesse", "lasteaed"),
        ("laager laagri laagrisse", "laager"),
        ("tunnid tundides tund", "tund"),
        ("kodus koju", "kodu"),
        ("käib käisid käima", "kaima"),
    ]:
        assert all(lemma in terms(word) for word in text.split()), text
    assert "kool" not in terms("koolitus")


def test_compounds_index_their_parts_and_runs_of_them():
    assert set(terms("lastekaitsetöötajad")) >= {"laps", "kaitse", "lastekaitse", "tootaja"}
    assert set(terms("koolikiusamisest")) >= {"koolikiusamine", "kool", "kiusamine"}
    assert "laager" in terms("suvelaagri")
    # The lexicon's compounds stay whole (search/data/estonian.toml): violence is no army.
    assert "vald" not in terms("lähisuhtevägivallast")
    assert "vagivald" in terms("lähisuhtevägivallast")
    assert "ema" not in terms("emakeele")
    # Names stay whole; no reading is ever empty.
    assert "ema" not in terms("Emajõe")
    assert all(terms(word) for word in ("kooliealine", "x", "2024", "COVID-19"))


def test_a_search_for_a_base_word_finds_its_derivations_not_the_reverse():
    assert "vagivald" in terms("vägivaldsus")
    assert "vagivaldsus" not in query_terms("vägivald")
    # An action noun and its verb are one: "kiusati" finds "kiusamine".
    assert "kiusama" in terms("kiusamine")


def test_diacritics_typos_and_unknown_words_find_the_word_meant():
    assert fold("Võrumaa Jõgevamaa šokk žürii") == "Vorumaa Jogevamaa sokk zurii"
    # Other languages' accents too, and what is no Latin letter stays.
    assert fold("Café Łódź naïve Ёлка") == "Cafe Łodz naive Елка"
    assert "oigus" in query_terms("oigused")
    assert "opilane" in query_terms("opilased")
    assert "markama" in query_terms("margata")  # märgata
    assert "kiusamine" in query_terms("kiusamnie")
    assert "koolibuss" in query_terms("koolibsus")
    # A name typed in lower case finds the name; a word the speller knows is searched as it is.
    assert "tartu" in query_terms("tartus")
    assert set(terms("Animal")) & set(query_terms("animal"))
    assert query_terms("kool") == ["kool"]


def test_english_is_analysed_as_english():
    assert terms("children's rights", "en") == terms("child right", "en") or terms(
        "rights", "en"
    ) == terms("right", "en")
