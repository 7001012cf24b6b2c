from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from forum.core.privacy import shorten
from forum.issues.models import Issue
from forum.members.models import Organization

# Advocacy topics -------------------------------------------------------------------------------


class AdvocacyTopicQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def published(self):
        """Topics on the public site: published, meant for the public, and with a position
        adopted (a published topic whose position is reopened is a draft again, off the site
        until it is adopted again)."""
        return self.filter(
            published_at__isnull=False,
            visibility=AdvocacyTopic.Visibility.PUBLIC,
            status__in=PUBLISHABLE,
        )


class AdvocacyTopic(index.Indexed, models.Model):
    """A network-wide advocacy topic (huvikaitseteema): what many organisations see locally,
    carried to one position and an outcome."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        WORKING_GROUP = "working_group", _("working group")
        POSITION_ADOPTED = "position_adopted", _("position adopted")
        SUBMITTED = "submitted", _("submitted")
        OUTCOME = "outcome", _("outcome")
        ARCHIVED = "archived", _("archived")

    class Outcome(models.TextChoices):
        ACHIEVED = "achieved", _("achieved")
        PARTLY_ACHIEVED = "partly_achieved", _("partly achieved")
        NOT_ACHIEVED = "not_achieved", _("not achieved")

    class Visibility(models.TextChoices):
        COORDINATORS = "coordinators", _("coordinators")
        NETWORK = "network", _("the network")
        PUBLIC = "public", _("the public")

    class Institution(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        RIIGIKOGU = "riigikogu", _("Riigikogu committee")
        LOCAL_GOVERNMENT = "local_government", _("local government")
        OTHER = "other", _("other")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"), help_text=_("In plain language; shown on the public site when published.")
    )
    problem = models.TextField(_("problem statement"), help_text=_("Markdown"))
    problem_html = models.TextField(editable=False)
    # The current position; every version is kept in TopicPosition.
    position = models.TextField(_("position"), blank=True, help_text=_("Markdown"))
    position_html = models.TextField(editable=False, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_topics",
        verbose_name=_("lead coordinator"),
    )
    working_group = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="TopicMember",
        related_name="topic_working_groups",
        blank=True,
        verbose_name=_("working group"),
    )
    issues = models.ManyToManyField(
        Issue, through="TopicIssue", related_name="topics", blank=True, verbose_name=_("issues")
    )
    institution_kind = models.CharField(
        _("target institution"), max_length=20, choices=Institution.choices, blank=True
    )
    institution = models.CharField(
        _("institution's name"),
        max_length=200,
        blank=True,
        help_text=_("Who the position goes to."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_label = models.CharField(
        _("what the deadline is for"),
        max_length=200,
        blank=True,
        help_text=_("For example: the public consultation closes."),
    )
    deadline_url = models.URLField(_("link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=16, choices=Visibility.choices, default=Visibility.NETWORK
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    # What a coordinator edits on the topic's form (edit_topic); the rest follows the workflow.
    EDITABLE_FIELDS = (
        "title",
        "summary",
        "problem",
        "lead",
        "institution_kind",
        "institution",
        "deadline",
        "deadline_label",
        "deadline_url",
        "visibility",
    )

    objects = AdvocacyTopicQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("summary", boost=2),
        index.SearchField("position"),
        index.FilterField("status"),
        index.FilterField("visibility"),
        index.FilterField("published_at"),
    ]

    class Meta:
        ordering = ["-updated"]
        verbose_name = _("advocacy topic")
        verbose_name_plural = _("advocacy topics")
        indexes = [
            models.Index(fields=["status", "-updated"]),
            models.Index(fields=["visibility", "published_at"]),
            models.Index(fields=["deadline"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:topic_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.visibility == self.Visibility.PUBLIC


# From "position adopted" on, a topic may be published (its workflow's transitions lead there).
PUBLISHABLE = frozenset(
    {
        AdvocacyTopic.Status.POSITION_ADOPTED,
        AdvocacyTopic.Status.SUBMITTED,
        AdvocacyTopic.Status.OUTCOME,
        AdvocacyTopic.Status.ARCHIVED,
    }
)


class TopicIssue(models.Model):
    """An issue escalated into a topic: who linked it, when and why. An issue belongs to one
    topic at most, so two coordinators escalating it at once cannot both succeed."""

    topic = models.ForeignKey(AdvocacyTopic, on_delete=models.CASCADE, related_name="links")
    issue = models.OneToOneField(Issue, on_delete=models.CASCADE, related_name="topic_link")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["linked_at"]

    def __str__(self):
        return f"{self.issue} → {self.topic}"


class TopicMember(models.Model):
    topic = models.ForeignKey(AdvocacyTopic, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_memberships"
    )
    joined = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="one_membership_per_topic")
        ]

    def __str__(self):
        return f"{self.user} in {self.topic}"


class TopicPosition(models.Model):
    """A version of the topic's position: every change is kept."""

    topic = models.ForeignKey(AdvocacyTopic, on_delete=models.CASCADE, related_name="positions")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.topic} ({self.created:%Y-%m-%d %H:%M})"


class TopicSignature(models.Model):
    """An organisation's answer to the proposed position: it signs, or states an objection.
    One per organisation, given by its representative."""

    class Stance(models.TextChoices):
        SIGN = "sign", _("signs")
        OBJECT = "object", _("objects")

    topic = models.ForeignKey(AdvocacyTopic, on_delete=models.CASCADE, related_name="signatures")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="topic_signatures"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    stance = models.CharField(max_length=8, choices=Stance.choices)
    # The version answered: a later change of the position shows which answers are older.
    position = models.ForeignKey(
        "TopicPosition", null=True, on_delete=models.SET_NULL, related_name="signatures"
    )
    note = models.TextField(_("objection"), blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "organization"], name="one_signature_per_organization"
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.get_stance_display()}: {self.topic}"


class TopicComment(models.Model):
    topic = models.ForeignKey(AdvocacyTopic, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    created = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["topic", "created"])]

    def __str__(self):
        return f"{self.topic}: {shorten(self.body, 40)}"


class TopicEvent(models.Model):
    """What happened to a topic: every transition, escalation, unlinking and publication, with
    its actor, time and note. Public milestones are read from here."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        TRANSITION = "transition", _("status changed")
        LINK = "link", _("issue escalated")
        UNLINK = "unlink", _("issue unlinked")
        POSITION = "position", _("position changed")
        PUBLISH = "publish", _("published")
        UNPUBLISH = "unpublish", _("unpublished")

    topic = models.ForeignKey(AdvocacyTopic, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["topic", "created"])]

    def __str__(self):
        return f"{self.topic}: {self.get_action_display()}"
