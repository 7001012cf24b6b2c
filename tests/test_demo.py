import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from cms.models import ArticlePage, EventPage, HomePage, Partner
from forum.models import Membership, Organization

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
    }


def test_demo_loader_is_idempotent(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first
    assert first["articles"] == 8 and first["events"] == 6 and first["partners"] == 6
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
