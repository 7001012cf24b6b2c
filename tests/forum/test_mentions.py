"""Mentions and issue numbers (issue 20): "@username" in a thread or a post tells that member,
if they may read it; "#123" links to issue 123."""

import pytest
from django.core import mail

from forum import services
from forum.core.markdown import render_markdown
from forum.models import Notification

pytestmark = pytest.mark.django_db
MENTION = Notification.Kind.MENTION


def _told(kind=MENTION):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def test_issue_numbers_link_to_their_issues():
    html = render_markdown("Sama mis #12 ja (#7).")
    assert '<a href="/foorum/12/"' in html and ">#12</a>" in html and 'href="/foorum/7/"' in html
    for text in ("A#1", "&#39;", "`#9`", "[vt #5](https://example.org)", "https://example.org/#3"):
        assert "/foorum/" not in render_markdown(text), text


def test_a_comment_tells_the_members_it_mentions(roles, make_issue, make_member):
    issue = make_issue("Koolibuss hilineb")
    mail.outbox.clear()
    services.add_comment(
        author=roles["liige"],
        issue=issue,
        body="@LIIGE2 ja @esindaja, vaadake! Kiri: mari@example.org. @liige @toimetaja @nobody",
    )
    # Not the author, not an editor outside the network, not an e-mail address's domain.
    assert _told() == ["esindaja", "liige2"]
    assert {m.to[0] for m in mail.outbox} >= {"liige2@example.org", "esindaja@example.org"}
    assert any("mainis sind" in m.body for m in mail.outbox)


def test_a_follower_mentioned_is_told_once(roles, make_issue):
    issue = make_issue("Koolibuss hilineb", author=roles["liige2"])
    services.add_comment(author=roles["liige"], issue=issue, body="@liige2 sinu mure!")
    assert _told() == [] and _told(Notification.Kind.COMMENT) == ["liige2"]


def test_an_edit_tells_only_the_newly_mentioned(roles, make_issue):
    issue = make_issue("Koolibuss hilineb")
    comment = services.add_comment(author=roles["liige"], issue=issue, body="@liige2 vaata")
    services.edit_comment(editor=roles["liige"], comment=comment, body="@liige2 ja @esindaja")
    assert _told() == ["esindaja", "liige2"]


def test_a_hidden_issue_mentions_reach_only_coordinators(roles, make_issue):
    issue = make_issue("Koolibuss hilineb")
    services.hide_issue(moderator=roles["koordinaator"], issue=issue, reason="Kontroll")
    issue.refresh_from_db()  # as the next request reads it
    services.add_comment(
        author=roles["koordinaator"], issue=issue, body="@liige2 @koordinaator-test"
    )
    assert _told() == []
