"""The mail server down: what a member did is saved, they see no error, and the mail waits in
the outbox (forum.notifications.outbox) until the server is back, then leaves exactly once.

"Down" is the real SMTP backend pointed at a port where nothing listens, so the failure is the
one production would see (connection refused), not a stand-in exception."""

import io
import smtplib
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from forum import services
from forum.models import Comment, Invitation, Organization, OutgoingMail
from forum.notifications import outbox
from forum.personal_data.erasure import erase_member
from tests.cms.test_join import VALID

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _closed_port() -> int:
    """A local port where nothing listens: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server_down(settings):
    settings.EMAIL_BACKEND = "forum.notifications.outbox.QueueBackend"
    settings.KODA_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2


def server_back(settings):
    settings.KODA_EMAIL_DELIVERY_BACKEND = LOCMEM


def scheduled_run() -> str:
    """The scheduler's minutely `send_queued_mail`; returns what it reported."""
    out = io.StringIO()
    call_command("send_queued_mail", stdout=out)
    return out.getvalue()


def later(minutes):
    """Every waiting mail's next attempt moved `minutes` into the past: time passing."""
    for queued in OutgoingMail.objects.filter(next_attempt__isnull=False):
        queued.next_attempt -= timedelta(minutes=minutes)
        queued.save(update_fields=["next_attempt"])


def test_a_comment_is_saved_without_an_error_and_its_mail_sent_when_the_server_is_back(
    client, make_issue, make_member, server_down, settings, django_capture_on_commit_callbacks
):
    issue = make_issue()
    commenter = make_member(organization="emajoe-noored")
    client.force_login(commenter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forum:issue_comment", args=[issue.pk]), {"body": "Meil on sama mure."}
        )

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Meil on sama mure." in page and "message--error" not in page
    assert Comment.objects.filter(issue=issue, body="Meil on sama mure.").count() == 1
    queued = OutgoingMail.objects.get()
    assert queued.to == [issue.author.email.lower()] and queued.attempts == 1
    assert "ConnectionRefusedError" in queued.last_error
    assert queued.next_attempt > timezone.now()
    assert mail.outbox == []

    # The scheduler's run before the pause is over does not knock again.
    scheduled_run()
    assert OutgoingMail.objects.get().attempts == 1

    # Still down a minute later: the pause doubles.
    later(1)
    scheduled_run()
    queued = OutgoingMail.objects.get()
    assert queued.attempts == 2
    assert queued.next_attempt - timezone.now() > timedelta(minutes=1, seconds=50)

    server_back(settings)
    later(2)
    assert scheduled_run().startswith("Delivered 1, failed 0; 0 waiting, 0 given up.")
    assert not OutgoingMail.objects.exists()
    (message,) = mail.outbox
    assert message.to == [issue.author.email.lower()]
    assert issue.title in message.subject
    assert "MTÜ Emajõe Noortekeskus kommenteeris" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Nothing is sent twice.
    later(60)
    scheduled_run()
    assert len(mail.outbox) == 1


def test_an_invitation_and_an_application_are_saved_and_their_mail_waits(
    client, roles, join_page, harjumaa, server_down, settings, django_capture_on_commit_callbacks
):
    client.force_login(roles["esindaja"])
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(
            reverse("forum:organization_invite", args=["paikesekiir"]),
            {"email": "uus.inimene@example.org", "role": "member"},
        )
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(join_page.url, {**VALID, "county": str(harjumaa.pk)})

    assert invited.status_code == 302 and applied.status_code == 302
    invitation = Invitation.objects.get(email="uus.inimene@example.org")
    assert Organization.objects.filter(registry_code=VALID["registry_code"]).exists()
    # The invitation failed at the door; the run stopped there, leaving the rest due.
    assert OutgoingMail.objects.count() == 3

    server_back(settings)
    later(1)
    scheduled_run()
    assert not OutgoingMail.objects.exists()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        ["uus.inimene@example.org", VALID["contact_email"].lower(), "koordinaator@example.org"]
    )
    assert any(invitation.token in message.body for message in mail.outbox)


def test_mail_is_stored_with_the_post_or_not_at_all(make_issue, make_member, settings):
    """Mail is part of the transaction that caused it: a post that fails leaves no mail."""
    settings.EMAIL_BACKEND = "forum.notifications.outbox.QueueBackend"
    issue = make_issue()
    with pytest.raises(RuntimeError), outbox.transaction.atomic():
        mail.send_mail("Teema", "Sisu", None, ["keegi@example.org"])
        assert OutgoingMail.objects.count() == 1
        raise RuntimeError("the post failed after the mail was written")
    assert not OutgoingMail.objects.exists()
    services.follow_issue(user=make_member(organization="saarte-lapsed"), issue=issue)
    assert not OutgoingMail.objects.exists()


class ReentrantBackend(LocmemBackend):
    """A delivery that, while talking to the server, sees a second delivery start: the two
    runs of a task and the scheduler at the same moment."""

    nested = []

    def send_messages(self, messages):
        if not self.nested:
            self.nested.append(None)  # only the outer run starts another
            self.nested[0] = outbox.deliver_due()
        return super().send_messages(messages)


def test_two_deliveries_at_once_send_each_mail_once(settings):
    settings.EMAIL_BACKEND = "forum.notifications.outbox.QueueBackend"
    settings.KODA_EMAIL_DELIVERY_BACKEND = f"{__name__}.ReentrantBackend"
    ReentrantBackend.nested.clear()
    mail.send_mail("Esimene", "Sisu", None, ["a@example.org"])
    mail.send_mail("Teine", "Sisu", None, ["b@example.org"])

    # Each run sent one: the second found the first's mail claimed and took the other, which
    # the first then found gone.
    assert outbox.deliver_due() == (1, 0)
    assert ReentrantBackend.nested == [(1, 0)]
    assert sorted(message.subject for message in mail.outbox) == ["Esimene", "Teine"]
    assert not OutgoingMail.objects.exists()


def test_delivery_is_given_up_after_the_last_attempt(server_down, settings, caplog):
    settings.KODA_EMAIL_MAX_ATTEMPTS = 3
    mail.send_mail("Teade", "Sisu", None, ["a@example.org"])
    for _attempt in range(3):
        later(600)
        outbox.deliver_due()
    queued = OutgoingMail.objects.get()
    assert queued.attempts == 3 and queued.next_attempt is None
    assert "Gave up e-mail" in caplog.text
    server_back(settings)
    later(600)
    assert outbox.deliver_due() == (0, 0) and mail.outbox == []


def test_erasing_a_member_takes_them_off_the_waiting_mail(roles, make_member, admin_user):
    # Not the server_down fixture: mail is stored but never delivered (no commit in a test).
    from django.test import override_settings

    person = make_member("kustutatav", organization="emajoe-noored")
    with override_settings(EMAIL_BACKEND="forum.notifications.outbox.QueueBackend"):
        mail.send_mail("Teade", "Sisu", None, [person.email])
        mail.send_mail("Kõigile", "Sisu", None, [person.email.upper(), "jaab@example.org"])
    OutgoingMail.objects.filter(subject="Teade").update(last_error=f"refused {person.email}")

    erase_member(actor=admin_user, member=person)

    (left,) = OutgoingMail.objects.all()
    assert left.subject == "Kõigile" and left.to == ["jaab@example.org"]
    assert person.email.lower() not in str(list(OutgoingMail.objects.values()))


def test_administrators_see_the_waiting_mail_in_the_admin_and_coordinators_do_not(
    client, server_down, admin_user, coordinator
):
    mail.send_mail("Ootav teade", "Sisu", None, ["a@example.org"])
    later(1)
    outbox.deliver_due()
    url = reverse("wagtailsnippets_forum_outgoingmail:list")

    client.force_login(admin_user)
    listing = strip_tags(client.get(url).content.decode())
    assert "Ootav teade" in listing and "ConnectionRefusedError" in listing

    client.force_login(coordinator)
    assert client.get(url).status_code in (302, 403)


def test_a_message_refused_for_its_own_reasons_is_set_aside_and_the_others_leave(settings):
    """A line break in a subject makes Django refuse the header: no retry mends that, and the
    mail behind it (invitations, password resets) must not wait for it."""
    settings.EMAIL_BACKEND = "forum.notifications.outbox.QueueBackend"
    settings.KODA_EMAIL_DELIVERY_BACKEND = LOCMEM
    mail.send_mail("Esimene", "Tekst.", None, ["esimene@example.org"])
    mail.send_mail("Katkine\r\nBcc: keegi@example.org", "Tekst.", None, ["katkine@example.org"])
    mail.send_mail("Kolmas", "Tekst.", None, ["kolmas@example.org"])

    assert outbox.deliver_due() == (2, 1)
    assert sorted(m.subject for m in mail.outbox) == ["Esimene", "Kolmas"]
    broken = OutgoingMail.objects.get()
    assert broken.next_attempt is None and "BadHeaderError" in broken.last_error
    assert "1 given up" in scheduled_run()


def test_a_server_failure_ends_the_run_and_leaves_the_rest_due(settings, server_down):
    mail.send_mail("Esimene", "Tekst.", None, ["esimene@example.org"])
    mail.send_mail("Teine", "Tekst.", None, ["teine@example.org"])
    assert outbox.deliver_due() == (0, 1)
    first, second = OutgoingMail.objects.order_by("pk")
    assert first.attempts == 1 and first.next_attempt is not None
    assert second.attempts == 0  # not asked of a server that is down


def test_a_message_the_server_refuses_waits_and_the_others_leave(settings, monkeypatch):
    """A refused recipient may be passing (a full mailbox) or the server's setup (every message
    alike): the message is tried again later, and the run goes on with the others."""
    settings.EMAIL_BACKEND = "forum.notifications.outbox.QueueBackend"
    settings.KODA_EMAIL_DELIVERY_BACKEND = LOCMEM
    send = LocmemBackend.send_messages

    def refusing(backend, messages):
        if messages[0].to == ["tais@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"tais@example.org": (452, b"Mailbox full")})
        return send(backend, messages)

    monkeypatch.setattr(LocmemBackend, "send_messages", refusing)
    mail.send_mail("Esimene", "Tekst.", None, ["tais@example.org"])
    mail.send_mail("Teine", "Tekst.", None, ["teine@example.org"])
    assert outbox.deliver_due() == (1, 1)
    waiting = OutgoingMail.objects.get()
    assert waiting.to == ["tais@example.org"] and waiting.next_attempt is not None
