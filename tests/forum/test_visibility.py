"""Issues are network-internal: never in the public site's lists, feeds, sitemap or search;
coordinators use Wagtail's admin for the forum but cannot manage user accounts there."""

import pytest
from django.urls import reverse

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


def test_a_member_cannot_flag_a_hidden_comment_or_reply(
    client, make_issue, make_discussion, make_member, coordinator
):
    """Red team, issue 18: POST /foorum/<issue>/teavita/?comment=<hidden> was accepted."""
    from forum import services
    from forum.models import Flag

    issue, discussion = make_issue(), make_discussion()
    comment = services.add_comment(author=issue.author, issue=issue, body="Peidetav.")
    reply = services.add_reply(author=discussion.author, discussion=discussion, body="Peidetav.")
    services.hide_comment(moderator=coordinator, comment=comment, reason="Isikuandmed.")
    services.hide_reply(moderator=coordinator, reply=reply, reason="Isikuandmed.")
    client.force_login(make_member(organization="emajoe-noored"))
    flagged = [
        (reverse("forum:issue_flag", args=[issue.pk]), {"comment": comment.pk}),
        (reverse("forum:reply_flag", args=[reply.pk]), {}),
    ]
    for url, target in flagged:
        response = client.post(url, {**target, "reason": "Vaadake üle."})
        assert response.status_code == 404, url
    assert not Flag.objects.exists()
