"""Notifications: who is told what happened in a thread, at its time, and their e-mail, written
to the outbox in the transaction of the change (the digests are forum.inbox.digests)."""

import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import Error as DatabaseFailure
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forum.members.mail import email_delivery, forum_email, site_url
from forum.members.models import Organization, Profile
from forum.members.roles import COORDINATORS
from forum.notifications.models import Notification

logger = logging.getLogger(__name__)

# "@liige2" as a word of its own (not the "@" of an e-mail address); at most this many are told.
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]*\w)")
MAX_MENTIONED = 20


def _readers(user_ids, thread):
    """Those of `user_ids` who may still read the issue or discussion (active, in a member
    organisation or a coordinator; only coordinators for a hidden one): a former member is told
    nothing more."""
    coordinators = Q(groups__name=COORDINATORS) | Q(is_superuser=True)
    members = Q(
        memberships__active=True,
        memberships__organization__status=Organization.Status.MEMBER,
    )
    return (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .filter(coordinators if thread.hidden else members | coordinators)
        .distinct()
    )


def notify(
    thread, kind: str, *, actor, actor_organization=None, topic=None, topic_readable=None
) -> list[Notification]:
    """Tell the author and followers of a thread, an issue or a discussion (never the actor).
    Call inside the transaction that made the change; e-mails go out after it commits. A
    `topic` (an escalation's) is named only to those `topic_readable(user)` lets read it."""
    ids = set(thread.follows.values_list("user_id", flat=True))
    if thread.author_id:
        ids.add(thread.author_id)
    ids.discard(getattr(actor, "pk", None))
    recipients = list(_readers(ids, thread).select_related("forum_profile"))
    # Notification.issue or Notification.discussion, by the thread's kind.
    about = {thread._meta.model_name: thread}
    if kind == Notification.Kind.STATUS:
        about["status"] = thread.status
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            actor_organization=actor_organization,
            topic=topic if topic is not None and topic_readable(user) else None,
            **about,
        )
        for user in recipients
    )
    _email_at_once(notifications, recipients)
    return notifications


def _email_at_once(notifications: list[Notification], recipients: list) -> None:
    """E-mail those who want each notification at once. Into the outbox in the caller's
    transaction: the change and its mail are kept together or not at all
    (forum.notifications.outbox delivers after the commit)."""
    send_immediately(
        [
            n.pk
            for n, user in zip(notifications, recipients, strict=True)
            if email_delivery(user) == Profile.Delivery.IMMEDIATELY and user.email
        ]
    )


def mentioned(text: str) -> set[str]:
    """The usernames `text` mentions, lower-cased."""
    return {name.lower() for name in MENTION.findall(text or "")}


def notify_mentioned(
    thread, text: str, *, actor, actor_organization=None, before: str = "", told=()
) -> list[Notification]:
    """Tell the people `text` mentions by username (and `before`, its earlier version, did
    not) who may read the thread; not the actor, nor those already `told` of the same change.
    Call inside the transaction that made the change."""
    names = sorted(mentioned(text) - mentioned(before))[:MAX_MENTIONED]
    if not names:
        return []
    named = Q()
    for name in names:
        named |= Q(username__iexact=name)
    ids = set(get_user_model().objects.filter(named).values_list("pk", flat=True))
    ids -= {getattr(actor, "pk", None), *(n.recipient_id for n in told)}
    recipients = list(_readers(ids, thread).select_related("forum_profile"))
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=Notification.Kind.MENTION,
            actor_organization=actor_organization,
            **{thread._meta.model_name: thread},
        )
        for user in recipients
    )
    _email_at_once(notifications, recipients)
    return notifications


def notify_signers(topic, users, *, actor) -> list[Notification]:
    """Tell `users` (the representatives who may read `topic`) that its position waits for
    their organisation's answer. Call inside the transaction that opened the signing."""
    recipients = [user for user in users if user.pk != getattr(actor, "pk", None)]
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, kind=Notification.Kind.SIGNATURE, topic=topic)
        for user in recipients
    )
    _email_at_once(notifications, recipients)
    return notifications


def mark_read(*, user, thread=None) -> int:
    """The person has seen their notifications (those about `thread` only, if given)."""
    unread = Notification.objects.filter(recipient=user, read__isnull=True)
    if thread is not None:
        unread = unread.filter(**{thread._meta.model_name: thread})
    return unread.update(read=timezone.now())


def send_immediately(notification_ids: list[int]) -> None:
    for notification in Notification.objects.filter(
        pk__in=notification_ids, emailed__isnull=True
    ).select_related("recipient", "issue", "topic", "discussion", "actor_organization"):
        try:
            with transaction.atomic():  # a failure takes back this one message alone
                _send_one(notification)
                Notification.objects.filter(pk=notification.pk).update(emailed=timezone.now())
        except DatabaseFailure:
            raise  # the database failing fails the whole change, its mail with it
        except Exception:  # a message failing for its own reasons stops neither the others
            logger.exception("Could not e-mail notification %s", notification.pk)


def _send_one(notification: Notification) -> None:
    subject = notification.subject
    with translation.override(settings.LANGUAGE_CODE):
        forum_email(
            user=notification.recipient,
            subject=_("Koda: %(title)s") % {"title": subject.title},
            template="forum/email/notification",
            context={
                "notification": notification,
                "url": site_url(subject.get_absolute_url()),
            },
        ).send()
