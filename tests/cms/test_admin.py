"""Editors work in Wagtail's admin: every page type's edit and create forms open, the admin
speaks Estonian, and the snippets are listed."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("toimetaja-test", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("admin-test", password="x"))
    return client


def test_admin_sign_in_page_is_in_estonian(client):
    html = client.get(reverse("wagtailadmin_login")).content.decode()
    assert 'lang="et"' in html
    assert "Logi sisse" in html


def test_editor_can_open_every_page_type_in_the_editor(client, editor):
    pages = Page.objects.filter(depth__gt=1, locale__language_code="et")
    edited_types = set()
    for page in pages:
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page
        edited_types.add(page.specific_class.__name__)
    assert edited_types == {
        "HomePage",
        "StandardPage",
        "ArticleIndexPage",
        "ArticlePage",
        "EventIndexPage",
        "EventPage",
        "MemberDirectoryPage",
        "PartnersPage",
        "JoinPage",
        "TopicIndexPage",
    }


def test_editor_publishes_a_change_through_the_admin(client, editor):
    from cms.models import ArticlePage

    article = ArticlePage.objects.get(slug="kojaga-liitus-kolm-uut-organisatsiooni")
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    form = client.get(edit_url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data.update(
            field.widget.format_value(value) and {name: field.widget.format_value(value)} or {}
        )
    # Formsets and stream fields as the editor's browser would post them.
    data.update(
        {
            "title": "Kojaga liitus neli uut organisatsiooni",
            "slug": article.slug,
            "date": article.date.isoformat(),
            "kind": article.kind,
            "lead": article.lead,
            "tags": "võrgustik, liikmed",
            "body-count": "0",
            "related_links-TOTAL_FORMS": "0",
            "related_links-INITIAL_FORMS": "0",
            "related_links-MIN_NUM_FORMS": "0",
            "related_links-MAX_NUM_FORMS": "1000",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-publish": "action-publish",
        }
    )
    response = client.post(edit_url, data, follow=True)  # the admin shows its own messages
    assert response.redirect_chain, response.context["form"].errors
    assert (
        client.get("/uudised/").content.decode().count("Kojaga liitus neli uut organisatsiooni")
        == 1
    )


@pytest.mark.parametrize(
    "app, model, parent_model",
    [
        ("cms", "standardpage", "homepage"),
        ("cms", "articlepage", "articleindexpage"),
        ("cms", "eventpage", "eventindexpage"),
    ],
)
def test_editor_can_open_the_create_form(client, editor, app, model, parent_model):
    parent = Page.objects.get(content_type__model=parent_model, locale__language_code="et")
    response = client.get(reverse("wagtailadmin_pages:add", args=[app, model, parent.pk]))
    assert response.status_code == 200


def test_snippets_and_settings_open_in_the_admin(admin_client):
    for url in (
        "/admin/snippets/cms/partner/",
        "/admin/snippets/forum/organization/",
        "/admin/settings/cms/contactsettings/",
    ):
        response = admin_client.get(url, follow=True)
        assert response.status_code == 200, url
    listing = admin_client.get(
        "/admin/snippets/forum/organization/?status=applicant"
    ).content.decode()
    assert "MTÜ Rapla Noorte Hääl" in listing


def test_editor_keeps_partners_and_contact_details(client, editor):
    for url in ("/admin/snippets/cms/partner/", "/admin/settings/cms/contactsettings/"):
        assert client.get(url, follow=True).status_code == 200, url
    assert "Baltic Families Forum" in client.get("/admin/snippets/cms/partner/").content.decode()
