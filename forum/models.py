from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from .privacy import shorten


class County(models.Model):
    """One of Estonia's 15 counties (maakond); loaded from data/omavalitsused.csv."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name

    @property
    def everyday_name(self) -> str:
        """ "Võrumaa" for "Võru maakond": how people write the county, and search for it."""
        return self.name.replace(" maakond", "maa")


class Municipality(models.Model):
    """A local government (omavalitsus) after the 2017 reform: a town (linn) or rural
    municipality (vald)."""

    class Kind(models.TextChoices):
        TOWN = "linn", _("town")
        RURAL = "vald", _("rural municipality")

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    name = models.CharField(_("name"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


registry_code_validator = RegexValidator(
    r"^\d{8}\Z", _("A registry code has exactly 8 digits, for example 80012345.")
)


class OrganizationQuerySet(models.QuerySet):
    def members(self):
        return self.filter(status=Organization.Status.MEMBER)


class Organization(models.Model):
    """A member organisation of the network (or one applying to become one).

    The organisation is the member of the Koda; its people sign in personally and are linked
    to it through Membership.
    """

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        MEMBER = "member", _("member")
        DECLINED = "declined", _("declined")
        FORMER = "former", _("former member")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    registry_code = models.CharField(
        _("registry code"), max_length=8, unique=True, validators=[registry_code_validator]
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("county"),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    field_of_work = models.CharField(_("field of work"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLICANT
    )
    joined = models.DateField(_("joined"), null=True, blank=True)
    # The application as it arrived through the join page.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        indexes = [
            models.Index(fields=["status", "name"]),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's link to their organisation; representatives manage the organisation."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("representative")
        MEMBER = "member", _("member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="forum_membership_unique_user_org"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organization}"


class Profile(models.Model):
    """A person's settings: how they want to hear about what they follow."""

    class Delivery(models.TextChoices):
        IMMEDIATELY = "immediately", _("immediately")
        DAILY = "daily", _("daily digest")
        WEEKLY = "weekly", _("weekly digest")
        NONE = "none", _("no e-mail")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_profile"
    )
    email_delivery = models.CharField(
        _("e-mail notifications"),
        max_length=16,
        choices=Delivery.choices,
        default=Delivery.IMMEDIATELY,
    )
    last_digest_sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)


class Invitation(models.Model):
    """A single-use link that lets a person set a password and join an organisation."""

    email = models.EmailField(_("e-mail"))
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    accepted = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return self.email


class BilingualName(models.Model):
    """A name kept in Estonian with its English translation, shown in the reader's language."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        if self.name_en and get_language() == "en":
            return self.name_en
        return self.name


class Theme(BilingualName):
    """A field of child welfare (valdkond) that issues are filed under; coordinators keep the
    list."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class AgeGroup(BilingualName):
    slug = models.SlugField(max_length=32, unique=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")


class IssueQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class IssueTag(TaggedItemBase):
    content_object = models.ForeignKey("Issue", on_delete=models.CASCADE, related_name="tagged")


class Issue(index.Indexed, models.Model):
    """A local problem affecting children, raised by a member organisation (mure)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_REVIEW = "in_review", _("in review")
        ESCALATED = "escalated", _("escalated")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")
        DUPLICATE = "duplicate", _("duplicate")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("description"), help_text=_("Markdown"))
    body_html = models.TextField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="issues",
        verbose_name=_("author"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="issues",
        verbose_name=_("organisation"),
    )
    county = models.ForeignKey(
        County,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
        verbose_name=_("county"),
        help_text=_("Empty means all of Estonia."),
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
        verbose_name=_("municipality"),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="issues", verbose_name=_("theme")
    )
    age_groups = models.ManyToManyField(
        AgeGroup, related_name="issues", blank=True, verbose_name=_("age groups")
    )
    tags = TaggableManager(through=IssueTag, blank=True, verbose_name=_("tags"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    locked = models.BooleanField(_("locked"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    last_activity = models.DateTimeField(_("latest activity"), default=timezone.now)
    # Kept in the same transaction as the rows they count, so lists need no count per row.
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    objects = IssueQuerySet.as_manager()

    # The site search finds issues by their words, tags and place; the filters are what
    # permissions and the search page's facets ask of the index.
    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.RelatedFields(
            "county", [index.SearchField("name"), index.SearchField("everyday_name")]
        ),
        index.RelatedFields("municipality", [index.SearchField("name")]),
        index.FilterField("hidden"),
        index.FilterField("status"),
        index.FilterField("county"),
        index.FilterField("theme"),
        index.FilterField("tags"),
        index.FilterField("organization"),
        index.FilterField("created"),
    ]

    class Meta:
        ordering = ["-created"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        indexes = [
            models.Index(fields=["-created"]),
            models.Index(fields=["-last_activity"]),
            models.Index(fields=["-support_count", "-created"]),
            models.Index(fields=["status", "-created"]),
            models.Index(fields=["county", "-created"]),
            models.Index(fields=["municipality", "-created"]),
            models.Index(fields=["theme", "-created"]),
            models.Index(fields=["organization", "-created"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:issue_detail", args=[self.pk])

    @property
    def place(self) -> str:
        if self.municipality:
            return f"{self.municipality}, {self.municipality.county}"
        return str(self.county or gettext("All of Estonia"))

    @property
    def organization_count(self):
        """The reporting organisation and those who see it too."""
        return self.support_count + 1


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


class IssueRevision(EditRevision):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="revisions")
    changes = models.JSONField(help_text="{field: [old, new]} for each changed field")


class Comment(index.Indexed, models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    organization = models.ForeignKey(
        Organization, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)
    deleted = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)

    search_fields = [
        index.SearchField("body"),
        index.FilterField("issue"),
        index.FilterField("hidden"),
        index.FilterField("deleted"),
        index.FilterField("created"),
    ]

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["issue", "created"])]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.issue}: {shorten(self.body, 40)}"


class CommentRevision(EditRevision):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()


class Support(models.Model):
    """ "We see this too" (meil ka): one per organisation per issue."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="supports")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="supports"
    )
    note = models.TextField(_("local note"), blank=True)
    county = models.ForeignKey(
        County,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county"),
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "organization"], name="forum_support_one_per_organization"
            )
        ]
        verbose_name = _("“we see this too”")
        verbose_name_plural = _("“we see this too”")

    def __str__(self):
        return f"{self.organization} → {self.issue}"


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="follows")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "issue"], name="forum_follow_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.issue}"


class Flag(models.Model):
    """A member's note to the moderators about an issue or a comment."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What is flagged: an issue (or one of its comments), or a discussion (or one of its replies).
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
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


class Notification(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("new comment")
        SUPPORT = "support", _("“we see this too”")
        STATUS = "status", _("status change")
        DUPLICATE = "duplicate", _("closed as a duplicate")
        ESCALATED = "escalated", _("escalated into an advocacy topic")
        REPLY = "reply", _("new reply")
        ACCEPTED = "accepted", _("answer accepted")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # About an issue or a discussion.
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    discussion = models.ForeignKey(
        "Discussion", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor_organization = models.ForeignKey(
        Organization, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What happened, as it was at the time: the status a status change set, the topic an
    # escalation linked. A later change of the issue must not rewrite an earlier notice.
    status = models.CharField(max_length=16, choices=Issue.Status.choices, blank=True)
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
                | models.Q(issue__isnull=True, discussion__isnull=False),
                name="forum_notification_issue_or_discussion",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.thread}"

    @property
    def thread(self):
        return self.issue or self.discussion


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
        _("what the deadline is"),
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


# From "position adopted" on, a topic may be published (forum.workflow's transitions lead there).
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


# Discussions: the network's knowledge beside its issues ----------------------------------------


class DiscussionQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class DiscussionTag(TaggedItemBase):
    content_object = models.ForeignKey(
        "Discussion", on_delete=models.CASCADE, related_name="tagged"
    )


class Discussion(index.Indexed, models.Model):
    """A question, good practice, material, training need or partner search (arutelu): what
    members know and need, beside the problems they report as issues."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("question")
        PRACTICE = "practice", _("good practice")
        MATERIAL = "material", _("material")
        TRAINING = "training", _("training need")
        PARTNERS = "partners", _("partner search")

    class MaterialType(models.TextChoices):
        GUIDE = "guide", _("guide")
        STUDY = "study", _("study")
        TEMPLATE = "template", _("template")
        OTHER = "other", _("other")

    # The fields each kind asks for beyond the shared ones (title, text, place, theme, age
    # groups, tags); forms and pages show these, services store them, nothing else decides.
    KIND_FIELDS = {
        Kind.QUESTION: (),
        Kind.PRACTICE: ("results",),
        Kind.MATERIAL: ("material_type",),
        Kind.TRAINING: ("participants",),
        Kind.PARTNERS: ("partner_countries", "programme", "deadline"),
    }

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown"))
    body_html = models.TextField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="discussions",
        verbose_name=_("author"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="discussions",
        verbose_name=_("organisation"),
    )
    county = models.ForeignKey(
        County,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discussions",
        verbose_name=_("county"),
        help_text=_("Empty means all of Estonia."),
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discussions",
        verbose_name=_("municipality"),
    )
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discussions",
        verbose_name=_("theme"),
    )
    age_groups = models.ManyToManyField(
        AgeGroup, related_name="discussions", blank=True, verbose_name=_("age groups")
    )
    tags = TaggableManager(through=DiscussionTag, blank=True, verbose_name=_("tags"))

    results = models.TextField(
        _("results"), blank=True, help_text=_("What changed, for whom, and how you know.")
    )
    material_type = models.CharField(
        _("type of material"), max_length=16, choices=MaterialType.choices, blank=True
    )
    participants = models.PositiveSmallIntegerField(
        _("people who would take part"), null=True, blank=True
    )
    partner_countries = models.CharField(_("partner countries"), max_length=200, blank=True)
    programme = models.CharField(
        _("programme or call"), max_length=200, blank=True, help_text=_("For example Erasmus+.")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    accepted_reply = models.ForeignKey(
        "Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Drafts made from this discussion on the public site (a training, an article).
    event_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    locked = models.BooleanField(_("locked"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    last_activity = models.DateTimeField(_("latest activity"), default=timezone.now)
    # Kept in the same transaction as the rows they count.
    reply_count = models.PositiveIntegerField(default=0)
    helpful_count = models.PositiveIntegerField(default=0)

    objects = DiscussionQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("body"),
        index.SearchField("results"),
        index.SearchField("partner_countries"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.RelatedFields(
            "county", [index.SearchField("name"), index.SearchField("everyday_name")]
        ),
        index.FilterField("kind"),
        index.FilterField("hidden"),
        index.FilterField("county"),
        index.FilterField("theme"),
        index.FilterField("tags"),
        index.FilterField("organization"),
        index.FilterField("created"),
    ]

    class Meta:
        ordering = ["-last_activity", "-pk"]
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        indexes = [
            models.Index(fields=["-last_activity", "-id"]),
            models.Index(fields=["-created"]),
            models.Index(fields=["kind", "-last_activity"]),
            models.Index(fields=["county", "-last_activity"]),
            models.Index(fields=["theme", "-last_activity"]),
            models.Index(fields=["organization", "-last_activity"]),
            models.Index(fields=["-helpful_count", "-created"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:discussion_detail", args=[self.pk])

    @property
    def place(self) -> str:
        if self.municipality:
            return f"{self.municipality}, {self.municipality.county}"
        return str(self.county or gettext("All of Estonia"))

    @property
    def kind_fields(self) -> tuple[str, ...]:
        return self.KIND_FIELDS[self.Kind(self.kind)]


class Reply(index.Indexed, models.Model):
    """An answer in a discussion (vastus)."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="replies"
    )
    organization = models.ForeignKey(
        Organization, null=True, on_delete=models.SET_NULL, related_name="replies"
    )
    body = models.TextField(_("reply"), help_text=_("Markdown"))
    body_html = models.TextField(editable=False)
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)
    deleted = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    helpful_count = models.PositiveIntegerField(default=0)

    search_fields = [
        index.SearchField("body"),
        index.FilterField("discussion"),
        index.FilterField("hidden"),
        index.FilterField("deleted"),
        index.FilterField("created"),
    ]

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["discussion", "created"])]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self):
        return f"{self.discussion}: {shorten(self.body, 40)}"

    def get_absolute_url(self):
        return f"{self.discussion.get_absolute_url()}#vastus-{self.pk}"


class HelpfulMark(models.Model):
    """A member found a reply, or a good practice itself, helpful: once per person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "reply"],
                condition=models.Q(reply__isnull=False),
                name="forum_helpful_reply_once",
            ),
            models.UniqueConstraint(
                fields=["user", "discussion"],
                condition=models.Q(reply__isnull=True),
                name="forum_helpful_discussion_once",
            ),
        ]
        indexes = [models.Index(fields=["discussion", "-created"])]

    def __str__(self):
        return f"{self.user} → {self.reply or self.discussion}"


class DiscussionRevision(EditRevision):
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="revisions")
    changes = models.JSONField(help_text="{field: [old, new]} for each changed field")


class ReplyRevision(EditRevision):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()


class DiscussionDocument(models.Model):
    """A document attached to a discussion. The file is a Wagtail document in the forum's
    private collection, served to members only through Wagtail's serve view."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="attachments")
    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="forum_attachment"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.discussion}: {self.document}"


class DiscussionFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_follows"
    )
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="follows")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "discussion"], name="forum_discussion_follow_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.discussion}"


class Subscription(models.Model):
    """A member follows a tag, a county, a theme or a kind of discussion: what is new there
    comes in their digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    tag = models.ForeignKey(
        "taggit.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    county = models.ForeignKey(
        County, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Discussion.Kind.choices, blank=True)
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
        return self.tag or self.county or self.theme or Discussion.Kind(self.kind).label


class OutgoingMail(models.Model):
    """An e-mail on its way out (forum.outbox). Every message the site sends is stored here
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
