"""The English site is English (issue 20, defect 10): dates, counties, the footer's address,
the demo's tags and the site's own paths; the Estonian site keeps its own."""

import re

import pytest

pytestmark = pytest.mark.django_db

MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
ENGLISH_DATE = re.compile(rf"\b\d{{1,2}} ({MONTHS_EN}) \d{{4}}\b")
MONTHS_ET = (
    "jaanuar|veebruar|märts|aprill|mai|juuni|juuli|august|september|oktoober|november|detsember"
)
ESTONIAN_DATE = re.compile(rf"\b\d{{1,2}}\. ({MONTHS_ET}) \d{{4}}\b")


def _text(response) -> str:
    assert response.status_code == 200
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_english_pages_write_dates_in_english(client):
    news = _text(client.get("/en/news/"))
    assert ENGLISH_DATE.search(news) and not ESTONIAN_DATE.search(news)
    uudised = _text(client.get("/uudised/"))
    assert ESTONIAN_DATE.search(uudised) and not ENGLISH_DATE.search(uudised)


def test_english_pages_name_counties_and_the_address_in_english(client):
    members = _text(client.get("/en/members/"))
    assert "County" in members and "maakond" not in members
    assert "Tallinn, Estonia" in members and "Tallinn, Eesti" not in members
    assert "maakond" in _text(client.get("/liikmed/"))


def test_english_articles_carry_english_tags(client):
    from cms.models import ArticlePage

    english = ArticlePage.objects.filter(locale__language_code="en")
    tags = {tag.name for article in english for tag in article.tags.all()}
    assert tags and tags <= {
        "participation", "school bullying", "the child's view", "members", "seminar",
        "working group", "network",
    }  # fmt: skip
