import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Page

from cms.models import ArticlePage, EventPage, HomePage, Partner
from forum.models import (
    Discussion,
    DiscussionDocument,
    HelpfulMark,
    Membership,
    Organization,
    Reply,
)

pytestmark = pytest.mark.django_db


def counts():
    return {
        "pages": Page.objects.count(),
        "articles": ArticlePage.objects.count(),
        "events": EventPage.objects.count(),
        "partners": Partner.objects.count(),
        "organizations": Organization.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "discussions": Discussion.objects.count(),
        "replies": Reply.objects.count(),
        "helpful marks": HelpfulMark.objects.count(),
        "attachments": DiscussionDocument.objects.count(),
        "documents": get_document_model().objects.count(),
    }


def test_demo_loader_is_idempotent(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first
    assert first["articles"] == 8 and first["events"] == 6 and first["partners"] == 6
    assert first["discussions"] == 7 and first["attachments"] == 1
    assert HomePage.objects.count() == 2


def test_demo_accounts_exist_in_debug_only(settings):
    User = get_user_model()
    assert not User.objects.filter(username="liige").exists()  # loaded with DEBUG off
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    for username in ("liige", "liige2", "esindaja", "koordinaator", "toimetaja", "admin"):
        assert User.objects.get(username=username).check_password("demo")
    liige = Membership.objects.get(user__username="liige").organization
    liige2 = Membership.objects.get(user__username="liige2").organization
    assert liige != liige2
    assert Membership.objects.get(user__username="esindaja").role == Membership.Role.REPRESENTATIVE
    assert User.objects.get(username="koordinaator").groups.filter(name="Coordinators").exists()
    assert User.objects.get(username="toimetaja").groups.filter(name="Editors").exists()
    assert User.objects.get(username="admin").is_superuser


def test_demo_organizations_are_fictional_members_with_one_applicant():
    assert Organization.objects.members().count() == 8
    applicant = Organization.objects.get(status=Organization.Status.APPLICANT)
    assert applicant.contact_email.endswith("@example.org")


def test_counties_and_municipalities_come_from_the_shipped_list():
    from forum.models import County, Municipality

    assert County.objects.count() == 15
    assert Municipality.objects.count() == 79
    assert Municipality.objects.get(name="Tallinn").county.name == "Harju maakond"


def test_demo_discussions_show_every_kind_through_the_services(settings):
    from django.utils import timezone

    from forum.core.documents import FORUM_COLLECTION_NAME
    from forum.core.privacy import find_isikukood

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    K = Discussion.Kind
    assert set(Discussion.objects.values_list("kind", flat=True)) == set(K.values)

    question = Discussion.objects.get(author__username="liige", kind=K.QUESTION)
    replies = list(question.replies.all())
    assert question.reply_count == len(replies) == 2
    assert question.accepted_reply.organization.slug == "emajoe-noored"
    assert question.accepted_reply.helpful_count == 2

    practice = Discussion.objects.get(kind=K.PRACTICE)
    assert practice.results and practice.helpful_count == 2
    assert HelpfulMark.objects.filter(discussion=practice, reply=None).count() == 2

    material = Discussion.objects.get(kind=K.MATERIAL)
    (attachment,) = material.attachments.select_related("document__collection")
    assert attachment.document.file.name.endswith(".txt")
    assert attachment.document.collection.name == FORUM_COLLECTION_NAME
    with attachment.document.file.open() as f:
        text = f.read().decode()
    assert "infotund" in text and not find_isikukood(text)

    needs = Discussion.objects.filter(kind=K.TRAINING, tags__name="kiusamise ennetus")
    assert needs.count() == 2
    assert len({need.organization_id for need in needs}) == 2
    assert all(need.participants for need in needs)

    partners = Discussion.objects.get(kind=K.PARTNERS)
    assert partners.partner_countries == "Soome, Läti, Leedu"
    assert "Erasmus+" in partners.programme
    assert partners.deadline > timezone.localdate() + datetime.timedelta(days=60)

    for discussion in Discussion.objects.all():
        assert not find_isikukood(discussion.body)


def test_a_second_load_changes_nothing_and_leaves_the_index(settings, monkeypatch):
    """Issue 20, defect 9: a second `make run` with nothing changed loads nothing and does not
    rebuild the search index (it did both every time)."""
    from koda.management.commands import load_demo as command

    settings.DEBUG = True
    rebuilt = []
    monkeypatch.setattr(command, "call_command", lambda name, **kw: rebuilt.append(name))
    monkeypatch.setattr(command, "_index_answers", lambda: True)
    first = io.StringIO()
    call_command("load_demo", "--index", stdout=first)
    assert rebuilt == ["update_index"] and "Building the search index" in first.getvalue()
    second = io.StringIO()
    call_command("load_demo", "--index", stdout=second)
    assert rebuilt == ["update_index"]  # not again
    assert "already loaded" in second.getvalue()
    # An index that cannot answer (none yet, or of an older analysis) is rebuilt anyway.
    monkeypatch.setattr(command, "_index_answers", lambda: False)
    call_command("load_demo", "--index", stdout=io.StringIO())
    assert rebuilt == ["update_index", "update_index"]


def test_the_site_address_follows_the_address_served(settings, client):
    """Issue 20, defect 8: `make run PORT=8101` sets WAGTAILADMIN_BASE_URL; canonical links,
    the sitemap and mail follow it, also after an earlier run on another port."""
    from wagtail.models import Site

    from forum.members.mail import site_url

    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    call_command("load_demo", stdout=io.StringIO())
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8101"
    call_command("load_demo", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8101)
    home = client.get("/", HTTP_HOST="127.0.0.1:8101").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8101/">' in home
    sitemap = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:8101").content.decode()
    assert "http://127.0.0.1:8101/" in sitemap and ":8000" not in sitemap
    assert site_url("/foorum/") == "http://127.0.0.1:8101/foorum/"
