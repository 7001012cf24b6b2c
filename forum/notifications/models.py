from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.core.models import County, DiscussionKind, IssueStatus, Theme
from forum.members.models import Organization


class Notification(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("new comment")
        SUPPORT = "support", _("“we see this too”")
        STATUS = "status", _("status change")
        DUPLICATE = "duplicate", _("closed as a duplicate")
        ESCALATED = "escalated", _("escalated into an advocacy topic")
        REPLY = "reply", _("new reply")
        ACCEPTED = "accepted", _("answer accepted")
        MENTION = "mention", _("mentioned you")
        # About a topic, not a thread: its position waits for the organisation's answer.
        SIGNATURE = "signature", _("a position waits for your organisation's answer")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # About an issue or a discussion.
    issue = models.ForeignKey(
        "Issue", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    discussion = models.ForeignKey(
        "Discussion", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor_organization = models.ForeignKey(
        Organization, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What happened, as it was at the time: the status a status change set, the topic an
    # escalation linked. A later change of the issue must not rewrite an earlier notice.
    status = models.CharField(max_length=16, choices=IssueStatus.choices, blank=True)
    topic = models.ForeignKey(
        "AdvocacyTopic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    read = models.DateTimeField(null=True, blank=True)
    emailed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["recipient", "read"]),
            models.Index(fields=["emailed", "created"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issue__isnull=False, discussion__isnull=True)
                | models.Q(issue__isnull=True, discussion__isnull=False)
                # A topic's signing; the topic itself may since have been deleted.
                | models.Q(issue__isnull=True, discussion__isnull=True, kind="signature"),
                name="forum_notification_thread_or_signing",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def thread(self):
        return self.issue or self.discussion

    @property
    def subject(self):
        """What the notification is about and links to: its thread, or a topic's signing."""
        return self.thread or self.topic


class Subscription(models.Model):
    """A member follows a tag, a county, a theme or a kind of discussion: what is new there
    comes in their digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    tag = models.ForeignKey(
        "forum.ForumTag", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    county = models.ForeignKey(
        County, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=DiscussionKind.choices, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Exactly one thing is followed.
            models.CheckConstraint(
                condition=(
                    models.Q(tag__isnull=False, county__isnull=True, theme__isnull=True, kind="")
                    | models.Q(tag__isnull=True, county__isnull=False, theme__isnull=True, kind="")
                    | models.Q(tag__isnull=True, county__isnull=True, theme__isnull=False, kind="")
                    | (
                        models.Q(tag__isnull=True, county__isnull=True, theme__isnull=True)
                        & ~models.Q(kind="")
                    )
                ),
                name="forum_subscription_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "tag"],
                condition=models.Q(tag__isnull=False),
                name="forum_subscription_tag_once",
            ),
            models.UniqueConstraint(
                fields=["user", "county"],
                condition=models.Q(county__isnull=False),
                name="forum_subscription_county_once",
            ),
            models.UniqueConstraint(
                fields=["user", "theme"],
                condition=models.Q(theme__isnull=False),
                name="forum_subscription_theme_once",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=~models.Q(kind=""),
                name="forum_subscription_kind_once",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.followed}"

    @property
    def followed(self):
        return self.tag or self.county or self.theme or DiscussionKind(self.kind).label


class OutgoingMail(models.Model):
    """An e-mail on its way out (forum.notifications.outbox). Every message the site sends is
    stored here
    first, in the transaction of whatever caused it, and deleted once the mail server took it;
    a row that stays is one the server refused or could not be reached for, waiting for
    `next_attempt`. A null `next_attempt` means delivery was given up (see `last_error`)."""

    from_email = models.CharField(_("from"), max_length=320)
    # Lower-cased, so that erasing a person finds the mail queued for them.
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text"))
    alternatives = models.JSONField(default=list)  # [[content, mimetype], …]
    headers = models.JSONField(default=dict)
    created = models.DateTimeField(_("created"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    next_attempt = models.DateTimeField(_("next attempt"), null=True, default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["next_attempt"])]

    def __str__(self):
        return self.subject
