"""Issues are network-internal: never in the public site's lists, feeds, sitemap or search;
coordinators use Wagtail's admin for the forum but cannot manage user accounts there."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.search
def test_issues_leak_nowhere_public(client, make_issue):
    issue = make_issue("Salajane kohalik mure Võrus")
    for url in ("/", "/uudised.rss", "/uudised.atom", "/sitemap.xml", "/otsing/?q=Salajane"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert issue.title.encode() not in response.content, url
        assert f"/foorum/{issue.pk}/".encode() not in response.content, url


def test_coordinators_use_the_admin_for_the_forum_but_not_for_users(client, coordinator):
    client.force_login(coordinator)
    for url in (
        "/admin/snippets/forum/organization/",
        "/admin/snippets/forum/membership/",
        "/admin/snippets/forum/theme/",
        "/admin/snippets/forum/issue/",
    ):
        assert client.get(url).status_code == 200, url
    from django.urls import reverse

    from forum.models import Organization

    applicant = Organization.objects.get(status=Organization.Status.APPLICANT)
    edit = client.get(f"/admin/snippets/forum/organization/edit/{applicant.pk}/")
    assert edit.status_code == 200
    assert 'name="status"' not in edit.content.decode()  # decided in the forum, not here

    assert client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
    assert client.get(reverse("wagtailusers_users:add")).status_code in (302, 403)
    assert client.get("/admin/snippets/forum/issue/add/").status_code in (302, 403)
