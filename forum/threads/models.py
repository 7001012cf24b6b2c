"""The thread core: what issues and discussions share, written once. A thread is a titled text
by a member organisation, placed in Estonia, tagged, followed, flagged, hidden or locked by the
coordinators and revised when edited; its posts (comments, replies) are edited, deleted and
hidden the same way. What differs (supports and status; kinds, answers and helpful marks) stays
in the issues' and the discussions' rooms."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from forum.core.models import AgeGroup, County, Municipality
from forum.core.privacy import shorten
from forum.members.models import Organization


class Thread(index.Indexed, models.Model):
    """An issue or a discussion. Related names take the kind's plural (organization.issues,
    organization.discussions); each kind adds its theme, tags and what is its own, and names its
    posts: `posts_name` (their related name) and `post_kind` (their model's name, which also
    names the thread's count of them, "comment_count")."""

    # Titles and texts that may tell about a child: the audit log never quotes them.
    written_by_members = True
    posts_name: str
    post_kind: str

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown"))
    body_html = models.TextField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
        verbose_name=_("author"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("organisation"),
    )
    county = models.ForeignKey(
        County,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("county"),
        help_text=_("Empty means all of Estonia."),
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("municipality"),
    )
    age_groups = models.ManyToManyField(
        AgeGroup, related_name="%(class)ss", blank=True, verbose_name=_("age groups")
    )
    locked = models.BooleanField(_("locked"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # When its author or a coordinator last changed what it says (shown as "edited").
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    last_activity = models.DateTimeField(_("latest activity"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def place(self) -> str:
        if self.municipality:
            return f"{self.municipality}, {self.municipality.county}"
        return str(self.county or gettext("All of Estonia"))


class Post(index.Indexed, models.Model):
    """A comment on an issue or a reply in a discussion. `thread_field` names the foreign key
    to its thread; each kind adds its author and organisation (their related names differ)."""

    written_by_members = True
    thread_field: str

    body_html = models.TextField(editable=False)
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)
    deleted = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.thread}: {shorten(self.body, 40)}"

    @property
    def thread(self) -> Thread:
        return getattr(self, self.thread_field)


class ThreadFollow(models.Model):
    """A person follows a thread: they are told of what happens in it. Each kind adds the foreign
    key to its thread with related_name "follows"."""

    created = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.user} → {self.thread}"

    @property
    def thread(self) -> Thread:
        return getattr(self, self.thread_field)


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


class ThreadRevision(EditRevision):
    """An issue or discussion before an edit: the fields that changed."""

    changes = models.JSONField(help_text="{field: [old, new]} for each changed field")

    class Meta(EditRevision.Meta):
        abstract = True


class PostRevision(EditRevision):
    """A comment or reply before an edit: its text."""

    body = models.TextField()

    class Meta(EditRevision.Meta):
        abstract = True


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
