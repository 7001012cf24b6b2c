"""Names with ages and street addresses draw a confirmation, not a refusal. Measured on three
labelled sets, each written for it by a helper who had seen neither the patterns nor the other
sets. The patterns were widened after measuring the first two, so those are regression sets
now; the third was measured before anything was changed for it (recall 80.9 %, false
confirmations 3.6 %; after two false matches were fixed, 80.9 % and 0 %)."""

import csv
from pathlib import Path

import pytest

from forum.core.privacy import identification_risks

DATA = Path(__file__).parent / "data"


def _sentences(name):
    with open(DATA / name, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _measure(rows):
    positives = [r for r in rows if r["label"] != "none"]
    negatives = [r for r in rows if r["label"] == "none"]
    found = sum(bool(identification_risks(r["text"])) for r in positives)
    false = [r["text"] for r in negatives if identification_risks(r["text"])]
    return found / len(positives), len(false) / len(negatives), false


@pytest.mark.parametrize(
    ("name", "least_recall"),
    [
        ("hint_sentences.csv", 0.95),
        ("hint_sentences_holdout.csv", 0.90),
        ("hint_sentences_third.csv", 0.78),
    ],
)
def test_hints_find_names_with_ages_and_addresses_and_rarely_bother_ordinary_posts(
    name, least_recall
):
    rows = _sentences(name)
    assert len(rows) >= 200
    recall, false_rate, false = _measure(rows)
    print(f"\n{name}: recall {recall:.1%}, false confirmations {false_rate:.1%}")
    assert false_rate < 0.05, false
    assert recall >= least_recall


@pytest.mark.parametrize(
    "text",
    [
        "Mari 7a",
        "mari, 7 aastane",
        "Mari on 7 aastane",
        "seitsmeaastane Jaan",
        "7-aastane Jüri",
        "Tamme tee 5",
        "Tamme tn5",
        "Pärnu mnt 12",
        "Kase põik 4",
        "Маша, 7 лет",
        "ул. Ленина 5",
    ],
)
def test_the_forms_the_issue_names_are_hinted(text):
    assert identification_risks(text)


@pytest.mark.parametrize(
    "text", ["7 last osales", "2024. aasta", "Tallinna tee remont", "7-aastased lapsed", "7a klass"]
)
def test_everyday_numbers_are_not_hinted(text):
    assert identification_risks(text) == []
