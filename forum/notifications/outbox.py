"""The site's outgoing mail: stored first, delivered after, retried until the server takes it.

EMAIL_BACKEND is `QueueBackend`: sending a message stores an OutgoingMail row in the caller's
transaction (so a post and the mail about it are saved together or not at all), and once that
commits a task delivers what is due through settings.KODA_EMAIL_DELIVERY_BACKEND, the real
backend that EMAIL_URL names. A mail server that is down costs the member nothing: the row
stays, and `manage.py send_queued_mail`, run by the scheduler every minute, tries again with
a growing pause until KODA_EMAIL_MAX_ATTEMPTS. A delivered message's row is deleted, so the
queue keeps no copy of what was sent.
"""

import logging
import smtplib
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from forum.notifications.models import OutgoingMail

logger = logging.getLogger(__name__)

# A delivery claims a row by moving its next attempt this far ahead; should the process die
# while talking to the server, the mail is tried again after it (sent at least once).
CLAIM = timedelta(minutes=10)
# At most this many rows per delivery run; the next run takes the rest.
BATCH = 200


def retry_pause(attempts: int) -> timedelta:
    """After the n-th failed attempt: 1, 2, 4 … minutes, at most six hours."""
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))


class QueueBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        mails = [_stored(message) for message in email_messages if message.recipients()]
        OutgoingMail.objects.bulk_create(mails)
        if mails:
            transaction.on_commit(deliver_mail.enqueue)
        return len(mails)


def _stored(message) -> OutgoingMail:
    def addresses(values):
        return [address.lower() for address in values]

    return OutgoingMail(
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=addresses(message.to),
        cc=addresses(message.cc),
        bcc=addresses(message.bcc),
        reply_to=list(message.reply_to),
        subject=message.subject,
        body=message.body,
        alternatives=[list(alternative) for alternative in getattr(message, "alternatives", [])],
        headers=dict(message.extra_headers),
    )


def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email,
        to=mail.to,
        cc=mail.cc,
        bcc=mail.bcc,
        reply_to=mail.reply_to,
        headers=mail.headers,
    )
    for content, mimetype in mail.alternatives:
        message.attach_alternative(content, mimetype)
    return message


@task()
def deliver_mail() -> None:
    """Deliver what is due, after the commit that stored it: run at once by the default
    immediate backend (a failure is recorded on the task, never raised into the action that
    sent it), or by a queue backend's worker in production (TASKS_BACKEND)."""
    deliver_due()


def unsendable(error: Exception) -> bool:
    """The message itself cannot be sent, and no retry mends it: a header Django refuses (a line
    break in a subject) or a text it cannot encode. BadHeaderError is a ValueError."""
    return isinstance(error, ValueError)


def refused_alone(error: Exception) -> bool:
    """The server took the connection but refused this message (its recipients, or its
    content): the others may still go, and this one is tried again later, since a refusal can be
    passing (a full mailbox, greylisting) or the server's setup (every message refused alike)."""
    return isinstance(error, (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError))


def deliver_due() -> tuple[int, int]:
    """Hand the due messages to the mail server; returns (delivered, failed). A message that
    cannot be sent is set aside at once, one the server refuses waits for its next attempt, and
    the others go on either way; a failure of the server itself (down, hanging, refusing the
    login or the sender) ends the run, the rest staying due for the next."""
    now = timezone.now()
    due = list(
        OutgoingMail.objects.filter(next_attempt__lte=now)
        .order_by("next_attempt", "pk")
        .values_list("pk", "next_attempt")[:BATCH]
    )
    delivered = failed = 0
    connection = get_connection(settings.KODA_EMAIL_DELIVERY_BACKEND)
    try:
        for pk, next_attempt in due:
            # Claimed by a conditional update, so that two deliveries at once (a task and the
            # scheduled command) never both send it; no lock is held while the server answers.
            if not OutgoingMail.objects.filter(pk=pk, next_attempt=next_attempt).update(
                next_attempt=now + CLAIM
            ):
                continue
            mail = OutgoingMail.objects.get(pk=pk)
            try:
                connection.send_messages([_message(mail)])
            except Exception as error:
                failed += 1
                if unsendable(error) or refused_alone(error):
                    _failed(mail, error, set_aside=unsendable(error))
                    continue
                # The rest stay due for the next run: a server that is down or hangs is not
                # asked again for every message, and whoever runs this is not held up.
                _failed(mail, error)
                return delivered, failed
            OutgoingMail.objects.filter(pk=pk).delete()
            delivered += 1
    finally:
        with suppress(Exception):  # closing a connection that never opened properly
            connection.close()
    return delivered, failed


def _failed(mail: OutgoingMail, error: Exception, *, set_aside: bool = False) -> None:
    """Record the failed attempt; the message is tried again later, or set aside (no next
    attempt; the administrators see it with its error) once retrying is pointless."""
    mail.attempts += 1
    mail.last_error = f"{type(error).__name__}: {error}"[:2000]
    if set_aside or mail.attempts >= settings.KODA_EMAIL_MAX_ATTEMPTS:
        mail.next_attempt = None
        logger.error("Gave up e-mail %s after %s attempts: %s", mail.pk, mail.attempts, error)
    else:
        mail.next_attempt = timezone.now() + retry_pause(mail.attempts)
        logger.warning(
            "E-mail %s not delivered, trying again at %s: %s", mail.pk, mail.next_attempt, error
        )
    mail.save(update_fields=["attempts", "last_error", "next_attempt"])


def forget_recipient(email: str) -> int:
    """Take `email` off every queued message (erasure, in its transaction); a message left
    without recipients is deleted. Returns how many messages were changed."""
    email = email.lower()
    changed = 0
    # The queue is short (delivered rows are deleted), so it is read whole rather than
    # searched inside JSON, which SQLite and PostgreSQL query differently.
    for mail in OutgoingMail.objects.select_for_update():
        if email not in (*mail.to, *mail.cc, *mail.bcc):
            continue
        changed += 1
        mail.to, mail.cc, mail.bcc = (
            [address for address in field if address != email]
            for field in (mail.to, mail.cc, mail.bcc)
        )
        mail.last_error = ""  # a server's refusal may quote the address
        if mail.to or mail.cc or mail.bcc:
            mail.save(update_fields=["to", "cc", "bcc", "last_error"])
        else:
            mail.delete()
    return changed
