"""In-app notifications and their e-mails: at once, in a daily or weekly digest, or never, as
each person chooses in their profile."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import permissions, tasks
from ..models import (
    Discussion,
    DiscussionFollow,
    Follow,
    Issue,
    Notification,
    Organization,
    Profile,
)
from ..roles import COORDINATORS

logger = logging.getLogger(__name__)

DIGEST_PERIODS = {
    Profile.Delivery.DAILY: datetime.timedelta(days=1),
    Profile.Delivery.WEEKLY: datetime.timedelta(days=7),
}


def _readers(user_ids, thread: Issue | Discussion):
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
    thread: Issue | Discussion, kind: str, *, actor, actor_organization=None
) -> list[Notification]:
    """Tell the author and followers of an issue or a discussion (never the actor). Call inside
    the transaction that made the change; e-mails go out after it commits."""
    follows = (
        DiscussionFollow.objects.filter(discussion=thread)
        if isinstance(thread, Discussion)
        else Follow.objects.filter(issue=thread)
    )
    ids = set(follows.values_list("user_id", flat=True))
    if thread.author_id:
        ids.add(thread.author_id)
    ids.discard(getattr(actor, "pk", None))
    recipients = list(_readers(ids, thread).select_related("forum_profile"))
    about = {"discussion" if isinstance(thread, Discussion) else "issue": thread}
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, actor_organization=actor_organization, **about)
        for user in recipients
    )
    immediate = [
        n.pk
        for n, user in zip(notifications, recipients, strict=True)
        if _delivery(user) == Profile.Delivery.IMMEDIATELY and user.email
    ]
    if immediate:
        transaction.on_commit(lambda: tasks.email_notifications.enqueue(immediate))
    return notifications


def _delivery(user) -> str:
    try:
        return user.forum_profile.email_delivery
    except Profile.DoesNotExist:
        return Profile.Delivery.IMMEDIATELY


def _site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_immediately(notification_ids: list[int]) -> None:
    for notification in Notification.objects.filter(
        pk__in=notification_ids, emailed__isnull=True
    ).select_related("recipient", "issue__topic_link__topic", "actor_organization"):
        try:
            _send_one(notification)
        except Exception:  # one failing address must not stop the others
            logger.exception("Could not e-mail notification %s", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed=timezone.now())


def _send_one(notification: Notification) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Koda: %(title)s") % {"title": notification.issue.title},
            message=render_to_string(
                "forum/email/notification.txt",
                {
                    "notification": notification,
                    "url": _site_url(notification.issue.get_absolute_url()),
                    "profile_url": _site_url("/foorum/profiil/"),
                },
            ),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )


def send_digests(delivery: str, *, now=None) -> int:
    """E-mail each person whose preference is `delivery` (daily or weekly) what they have not
    been e-mailed yet; returns how many digests went out. Meant for a scheduler."""
    now = now or timezone.now()
    sent = 0
    profiles = Profile.objects.filter(email_delivery=delivery).select_related("user")
    for profile in profiles:
        # An hour's slack so that a scheduler running a little early still sends.
        due = DIGEST_PERIODS[delivery] - datetime.timedelta(hours=1)
        if profile.last_digest_sent and now - profile.last_digest_sent < due:
            continue
        pending = list(
            permissions.visible_notifications(profile.user)
            .filter(emailed__isnull=True)
            .select_related("issue__topic_link__topic", "actor_organization")
            .order_by("created")
        )
        if pending and profile.user.email and profile.user.is_active:
            with translation.override(settings.LANGUAGE_CODE):
                send_mail(
                    subject=_("Koda: %(count)d new in what you follow") % {"count": len(pending)},
                    message=render_to_string(
                        "forum/email/digest.txt",
                        {
                            "notifications": pending,
                            "site_url": _site_url(""),
                            "profile_url": _site_url("/foorum/profiil/"),
                        },
                    ),
                    from_email=None,
                    recipient_list=[profile.user.email],
                )
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed=now)
            sent += 1
        profile.last_digest_sent = now
        profile.save(update_fields=["last_digest_sent"])
    return sent
