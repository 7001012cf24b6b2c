"""Deadline reminders for advocacy topics, e-mailed to each topic's working group and lead.

Meant for a scheduler, once a day. A topic not yet submitted gets a reminder when its deadline is
7 days away, 1 day away and on the day itself. Each reminder sent is recorded in the audit log
(action REMIND, with the deadline and the stage), and a stage already recorded for the same
deadline is never sent again: running the command twice a day sends nothing the second time,
a day the scheduler missed is caught up the next day (a 7-day reminder then says 6 days), and a
deadline moved to another date is reminded of afresh."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from forum.members.mail import email_delivery, forum_email
from forum.members.models import Profile
from forum.topics import permissions
from forum.topics.models import AdvocacyTopic

logger = logging.getLogger(__name__)

REMIND = "forum.topic.remind"
# Days before the deadline at which the working group hears of it, latest last.
STAGES = (7, 1, 0)
NOT_SUBMITTED = [
    AdvocacyTopic.Status.PROPOSED,
    AdvocacyTopic.Status.WORKING_GROUP,
    AdvocacyTopic.Status.POSITION_ADOPTED,
]


def _stage(days_left: int) -> int:
    """The reminder due with `days_left` (0 to 7) days to go: the last stage reached."""
    return min(stage for stage in STAGES if stage >= days_left)


def site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _recipients(topic: AdvocacyTopic) -> list:
    """The working group and the lead who may still read the topic, have an address and have
    not turned the forum's e-mail off."""
    people = (
        get_user_model()
        .objects.filter(Q(topic_memberships__topic=topic) | Q(pk=topic.lead_id), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return [
        user
        for user in people.select_related("forum_profile")
        if email_delivery(user) != Profile.Delivery.NONE
        and permissions.visible_topics(user).filter(pk=topic.pk).exists()
    ]


def _message(topic: AdvocacyTopic, days_left: int) -> tuple[str, str]:
    """Subject and text of the reminder, in the site's language."""
    values = {"title": topic.title, "date": date_format(topic.deadline), "days": days_left}
    if days_left == 0:
        subject = _("Koda: “%(title)s” is due today") % values
        opening = _("The deadline of the advocacy topic “%(title)s” is today, %(date)s.") % values
    elif days_left == 1:
        subject = _("Koda: “%(title)s” is due tomorrow") % values
        opening = (
            _("The deadline of the advocacy topic “%(title)s” is tomorrow, %(date)s.") % values
        )
    else:
        subject = (
            ngettext(
                "Koda: “%(title)s” is due in %(days)d day",
                "Koda: “%(title)s” is due in %(days)d days",
                days_left,
            )
            % values
        )
        opening = (
            ngettext(
                "The deadline of the advocacy topic “%(title)s” is in %(days)d day, on %(date)s.",
                "The deadline of the advocacy topic “%(title)s” is in %(days)d days, on %(date)s.",
                days_left,
            )
            % values
        )
    lines = [opening, ""]
    if topic.deadline_label:
        lines.append(_("Deadline for: %(label)s") % {"label": topic.deadline_label})
    if topic.deadline_url:
        lines.append(_("More about it: %(url)s") % {"url": topic.deadline_url})
    lines += [
        _("The topic in the forum: %(url)s") % {"url": site_url(topic.get_absolute_url())},
        "",
        _("You receive this because you are in the topic's working group or lead it."),
    ]
    return subject, "\n".join(lines) + "\n"


def _due(today: datetime.date):
    return AdvocacyTopic.objects.filter(
        status__in=NOT_SUBMITTED,
        deadline__gte=today,
        deadline__lte=today + datetime.timedelta(days=max(STAGES)),
    )


def _remind(pk: int, today: datetime.date) -> int:
    """Send the topic's due reminder unless it was sent; returns how many e-mails went out.
    The topic's row lock keeps two runs at once from both sending."""
    with transaction.atomic():
        topic = _due(today).select_for_update().filter(pk=pk).first()
        if topic is None:  # changed since it was listed
            return 0
        days_left = (topic.deadline - today).days
        record = {"deadline": topic.deadline.isoformat(), "stage": _stage(days_left)}
        already = ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(AdvocacyTopic),
            object_id=str(topic.pk),
            action=REMIND,
            data__deadline=record["deadline"],
            data__stage=record["stage"],
        ).exists()
        recipients = [] if already else _recipients(topic)
        if not recipients:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            subject, text = _message(topic, days_left)
            messages = [
                forum_email(
                    user=user,
                    subject=subject,
                    template="forum/email/topic_reminder",
                    context={"text": text},
                )
                for user in recipients
            ]
        # Recorded before sending, in the same transaction: if the mail server fails, the record
        # is rolled back and the next run tries again.
        log(topic, REMIND, data={**record, "recipients": [user.pk for user in recipients]})
        get_connection().send_messages(messages)
    return len(messages)


def send_topic_reminders(today: datetime.date | None = None) -> tuple[int, int]:
    """Remind the working groups of the topics due within a week; returns (topics, e-mails)."""
    today = today or timezone.localdate()
    reminded = sent = 0
    for pk in _due(today).order_by("deadline", "pk").values_list("pk", flat=True):
        try:
            count = _remind(pk, today)
        except Exception:  # one topic's failure must not stop the others' reminders
            logger.exception("Could not send the deadline reminder of topic %s", pk)
            continue
        reminded += bool(count)
        sent += count
    return reminded, sent


class Command(BaseCommand):
    help = (
        "E-mail the working group and lead of each advocacy topic not yet submitted when its "
        "deadline is 7 days away, 1 day away and due today. Meant for a scheduler, daily; "
        "running it again the same day sends nothing twice."
    )

    def handle(self, *args, **options):
        topics, emails = send_topic_reminders()
        self.stdout.write(f"{emails} deadline reminder(s) sent about {topics} topic(s).")
