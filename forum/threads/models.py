from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.core.privacy import shorten


class EditRevision(models.Model):
    """A post as it was before an edit (who edited, when); coordinators read the history. A
    thread keeps the fields that changed, a comment or reply its text."""

    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created"]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M}"


class Flag(models.Model):
    """A member's note to the moderators about an issue or a comment."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What is flagged: an issue (or one of its comments), or a discussion (or one of its replies).
    issue = models.ForeignKey(
        "Issue", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        "Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    discussion = models.ForeignKey(
        "Discussion", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reply = models.ForeignKey(
        "Reply", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.TextField(_("reason"))
    created = models.DateTimeField(default=timezone.now)
    resolved = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["resolved", "-created"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issue__isnull=False, discussion__isnull=True)
                | models.Q(issue__isnull=True, discussion__isnull=False),
                name="forum_flag_issue_or_discussion",
            )
        ]

    def __str__(self):
        return f"{self.thread}: {shorten(self.reason, 40)}"

    @property
    def thread(self):
        """The issue or discussion the flagged text belongs to."""
        return self.issue or self.discussion

    @property
    def target(self):
        """What exactly was flagged."""
        return self.comment or self.reply or self.thread
