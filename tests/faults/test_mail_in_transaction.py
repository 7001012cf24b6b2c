"""Mail is written to the outbox in the transaction of what caused it (issue 17): stored before
anything runs after the commit, taken back with a change that is taken back, and a message that
fails for its own reasons is set aside without holding up the others or the change."""

import pytest
from django.db import transaction

from forum import services
from forum.models import Comment, OutgoingMail
from forum.notifications import services as notifications

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def outbox_backend(settings):
    settings.EMAIL_BACKEND = "forum.notifications.outbox.QueueBackend"
    settings.KODA_EMAIL_DELIVERY_BACKEND = LOCMEM


def _addressed(user) -> list[OutgoingMail]:
    return [mail for mail in OutgoingMail.objects.all() if user.email in mail.to]


@pytest.fixture
def issue_with_follower(make_issue, make_member):
    issue = make_issue()
    follower = make_member("jalgija", organization="emajoe-noored")
    services.follow_issue(user=follower, issue=issue)
    return issue, follower


def test_a_notification_is_in_the_outbox_before_the_commit_runs_anything(
    issue_with_follower, make_member, django_capture_on_commit_callbacks
):
    issue, follower = issue_with_follower
    with django_capture_on_commit_callbacks(execute=False):
        services.add_comment(author=make_member("kommenteerija"), issue=issue, body="Meil ka.")
        assert len(_addressed(issue.author)) == len(_addressed(follower)) == 1


def test_a_change_taken_back_takes_its_mail_back(issue_with_follower, make_member):
    issue, _follower = issue_with_follower
    with pytest.raises(RuntimeError), transaction.atomic():
        services.add_comment(author=make_member("kommenteerija"), issue=issue, body="Meil ka.")
        raise RuntimeError("the request failed after the comment")
    assert not Comment.objects.filter(issue=issue).exists()
    assert not OutgoingMail.objects.exists()


def test_a_message_that_fails_is_set_aside_and_the_others_go(
    issue_with_follower, make_member, monkeypatch
):
    issue, follower = issue_with_follower
    send_one = notifications._send_one

    def failing_for_the_author(notification):
        if notification.recipient == issue.author:
            raise ValueError("a template error for this one message")
        send_one(notification)

    monkeypatch.setattr(notifications, "_send_one", failing_for_the_author)
    services.add_comment(author=make_member("kommenteerija"), issue=issue, body="Meil ka.")
    assert Comment.objects.filter(issue=issue).exists()
    assert _addressed(issue.author) == []
    assert len(_addressed(follower)) == 1


def test_an_invitation_is_in_the_outbox_before_the_commit_runs_anything(
    roles, django_capture_on_commit_callbacks
):
    organization = roles["esindaja"].memberships.get().organization
    with django_capture_on_commit_callbacks(execute=False):
        services.invite_person(
            inviter=roles["esindaja"], organization=organization, email="uus@example.org"
        )
        assert [mail.to for mail in OutgoingMail.objects.all()] == [["uus@example.org"]]
