"""The Estonian analysis on the blind labelled set (data/README.md), written by someone who had
not seen the analyser: the issue's budgets by class. `make bench` prints the whole table."""

import pytest

from search.analysis import EstonianAnalyzer, plain_text_query

from . import blind

BUDGETS = {
    ("inflection", "recall"): 0.95,
    ("compound", "recall"): 0.90,
    ("typo", "recall"): 0.70,
    ("all", "precision"): 0.97,
}


@pytest.fixture(scope="module")
def figures():
    return blind.evaluate(blind.index(EstonianAnalyzer()), blind.search(plain_text_query))


@pytest.mark.parametrize("kind, measure", BUDGETS, ids=[f"{k} {m}" for k, m in BUDGETS])
def test_the_analysis_meets_its_budget_on_the_blind_set(figures, kind, measure):
    assert figures[kind][measure] >= BUDGETS[kind, measure], figures[kind]


def test_no_distractor_of_a_precision_query_is_found_but_a_few_the_labels_dispute(figures):
    # 4 of 75 distractors are found: "ring" (clubs) in "ringi" (around) and "ringristmik"
    # (a roundabout), "puue" (disability) in "puude" (of trees), "aed" in "valveaed" (a
    # kindergarten). Each is a reading Vabamorf cannot tell apart without a sentence.
    assert figures["precision"]["distractors"] <= 4
