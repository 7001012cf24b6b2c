"""A code split between texts shown one after the other, or exposed by shortening a longer
number, is refused or never shown (issue 16, second red-team round)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cms.models import ArticlePage
from forum.core.privacy import find_isikukood, find_split, shorten
from search.highlight import MAX_TEXT, snippet
from tests.privacy.test_editors import _article_post

pytestmark = pytest.mark.django_db

CODE = "37605030299"


# Shortening ---------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", range(1, 40))
def test_shortening_a_longer_number_never_shows_a_code(limit):
    text = f"Tellimuse number {CODE}7 ja {CODE[:6]}-{CODE[6:]}9 kinnitati."
    assert find_isikukood(text) is None
    assert find_isikukood(shorten(text, limit)) is None
    assert find_isikukood(shorten(text, limit, ellipsis="")) is None


def test_shortening_keeps_whole_words():
    assert shorten("Lapsed ootavad bussi tund aega", 17) == "Lapsed ootavad…"
    assert shorten("Lühike", 17) == "Lühike"


def test_a_search_snippet_never_cuts_a_number_into_a_code():
    filler = "sõna " * ((MAX_TEXT - 30) // 5) + "sõnumikood "
    text = f"{filler}{'x' * (MAX_TEXT - len(filler) - len(CODE) - 1)} {CODE}7 lõpp"
    assert text.index(CODE) + len(CODE) == MAX_TEXT  # the cut falls right after the code
    assert CODE not in snippet(text, frozenset({"sõnumikood"}))


def test_no_template_or_module_shortens_text_but_through_shorten():
    """Django's truncatechars and Truncator cut inside a number; the project's `shorten`
    filter and function do not. Word-based truncation (truncatewords) cuts at whitespace."""
    roots = [Path(settings.BASE_DIR) / name for name in ("forum", "cms", "search", "site")]
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group()}"
        for root in roots
        for path in root.rglob("*")
        if path.suffix in (".html", ".txt", ".py") and "migrations" not in path.parts
        for match in re.finditer(r"truncatechars\w*|Truncator\(|\|slice:", path.read_text())
    ]
    assert offenders == []


# Split between texts ------------------------------------------------------------------------

SPLITS = [
    (["Meie registrikood on 37605", "030299 ja see on kõik."], True),
    (["<p>Kood 3760503</p>", "<p>0299</p>"], True),
    (["a" * 90 + "37605", "030299" + "b" * 90], True),
    (["030299 kõik", "perenõustamine 37605"], False),  # shown in the other order
    # Three or more texts (third round): blocks in order, fields with a bare number between.
    (["Osa 376", "<p>0503</p>", "0299 tsitaat"], True),
    (["Osa 37", "6050", "30", "299 lõpp"], True),
    (["Teema 376", "0503", "0299 probleem"], False),
    (["0299 probleem", "Teema 376", "0503", "Kokkuvõte"], False),
]


@pytest.mark.parametrize("texts, in_order", SPLITS)
def test_a_code_split_between_texts_is_found(texts, in_order):
    assert find_split(texts, in_order=in_order)


@pytest.mark.parametrize(
    "texts",
    [
        ["Registrikood 80012345", "Telefon 5551 2345"],
        ["Postiindeks 10115", "Tallinn, 2024. aasta"],
        ["1" * 100, "2" * 100],  # long numbers cut at the edges
        ["Osalejaid 12", "Eelarve 1250000 eurot"],
        ["Koolitus 2026", "25", "2026-05-01", "Tallinn 10115"],
    ],
)
def test_ordinary_neighbouring_numbers_are_not_a_code(texts):
    assert find_split(texts, in_order=False) is None


def test_a_profile_name_split_between_first_and_last_name_is_refused(client, make_member):
    member = make_member("nimed")
    client.force_login(member)
    response = client.post(
        reverse("forum:profile"),
        {"first_name": CODE[:5], "last_name": CODE[5:], "email_delivery": "weekly"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "isikukood" in page
    assert f'value="{CODE[5:]}"' in page  # what was typed is kept
    member.refresh_from_db()
    assert CODE[:5] not in member.first_name + member.last_name


def test_an_organisations_fields_together_are_checked(client, roles):
    client.force_login(roles["esindaja"])
    organization = roles["esindaja"].memberships.get().organization
    response = client.post(
        reverse("forum:organization_manage", args=[organization.slug]),
        {
            "name": organization.name,
            "county": organization.county_id,
            "field_of_work": f"perenõustamine {CODE[:6]}",
            "description": f"{CODE[6:]} Nõustab peresid.",
        },
    )
    assert response.status_code == 200
    assert "isikukood" in response.content.decode()
    organization.refresh_from_db()
    assert CODE[6:] not in organization.description


def _page_post(article, *, blocks, lead=None, title=None):
    fields = {"lead": lead} if lead is not None else {}
    return _article_post(article, title=title, paragraphs=blocks, tags="", **fields)


@pytest.mark.parametrize(
    "blocks, lead",
    [
        ([f"<p>Meie kood on {CODE[:5]}</p>", f"<p>{CODE[5:]} ja see on kõik.</p>"], None),
        (["<p>Tavaline tekst.</p>"], f"Tutvustus {CODE[:4]}"),  # lead, then the body's start
    ],
    ids=["two paragraph blocks", "lead and body"],
)
def test_a_page_with_a_code_split_between_blocks_or_fields_is_not_published(
    client, editor, blocks, lead
):
    article = ArticlePage.objects.get(slug="kojaga-liitus-kolm-uut-organisatsiooni")
    if lead is not None:
        blocks = [f"<p>{CODE[4:]} on number.</p>"]
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        _page_post(article, blocks=blocks, lead=lead),
    )
    assert response.status_code == 200
    assert "isikukood" in response.content.decode()
    article.refresh_from_db()
    assert CODE[5:] not in str(article.body) and CODE[4:] not in str(article.body)


def test_a_page_with_a_code_in_its_title_lead_and_body_is_not_published(client, editor):
    """Three fields, a bare number between (third round): "Leht 376", "0503", "0299 lõpp"."""
    article = ArticlePage.objects.get(slug="kojaga-liitus-kolm-uut-organisatsiooni")
    post = _page_post(
        article, blocks=[f"<p>{CODE[7:]} lõpp</p>"], lead=CODE[3:7], title=f"Leht {CODE[:3]}"
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), post)
    assert response.status_code == 200
    assert "isikukood" in response.content.decode()
    article.refresh_from_db()
    assert article.title != f"Leht {CODE[:3]}"


def test_a_discussion_with_a_code_across_three_of_its_fields_is_refused(member_client):
    response = member_client.post(
        reverse("forum:discussion_create") + "?kind=practice",
        {
            "kind": "practice",
            "title": f"Hea tava {CODE[:3]}",
            "body": CODE[3:7],
            "results": f"{CODE[7:]} tulemus",
        },
    )
    assert response.status_code == 200
    assert "isikukood" in response.content.decode()
