"""Editors' pages pass the same guard: a code in a page's title or text is refused before
anything is saved or published, with the reason shown in the editor, in Estonian."""

import pytest
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import ArticlePage

pytestmark = pytest.mark.django_db

DISGUISED = "Lapse kood: 3760&#53;03 0299"  # a character reference and a space


def _article_post(
    article, *, title=None, paragraph="<p>Tavaline tekst.</p>", action="publish", **fields
):
    """The editor's form as sent; `paragraphs` (a list) makes one block of each, `lead` and
    `tags` replace the page's."""
    paragraphs = fields.get("paragraphs", [paragraph])
    return {
        "title": title or article.title,
        "slug": article.slug,
        "date": article.date.isoformat(),
        "kind": article.kind,
        "lead": fields.get("lead", article.lead),
        "tags": fields.get("tags", "võrgustik"),
        **nested_form_data(
            {"body": streamfield([("paragraph", rich_text(p)) for p in paragraphs])}
        ),
        **{
            f"{formset}-{key}": value
            for formset in ("related_links", "comments")
            for key, value in (
                ("TOTAL_FORMS", "0"),
                ("INITIAL_FORMS", "0"),
                ("MIN_NUM_FORMS", "0"),
                ("MAX_NUM_FORMS", "1000"),
            )
        },
        f"action-{action}": f"action-{action}",
    }


@pytest.fixture
def article():
    return ArticlePage.objects.get(slug="kojaga-liitus-kolm-uut-organisatsiooni")


def test_a_clean_change_is_published(client, editor, article):
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = client.post(url, _article_post(article, title="Uus pealkiri"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Uus pealkiri"


@pytest.mark.parametrize("action", ["publish", "save-draft"])
@pytest.mark.parametrize("where", ["title", "text"])
def test_a_code_in_a_page_is_refused_with_the_reason_and_nothing_is_saved(
    client, editor, article, where, action
):
    revisions = Revision.objects.count()
    title = article.title
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    post = (
        _article_post(article, title=f"Uudis {DISGUISED}", action=action)
        if where == "title"
        else _article_post(article, paragraph=f"<p>{DISGUISED}</p>", action=action)
    )
    response = client.post(url, post)
    assert response.status_code == 200
    html = response.content.decode()
    assert "sisaldab isikukoodi" in html.lower()
    assert Revision.objects.count() == revisions
    article.refresh_from_db()
    assert article.title == title
    assert "0299" not in str(article.body.raw_data)
