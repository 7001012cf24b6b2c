from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from forum.core.models import DiscussionKind, ForumTag, Theme
from forum.members.models import Organization
from forum.threads.models import Post, PostRevision, Thread, ThreadFollow, ThreadRevision

# Discussions: the network's knowledge beside its issues ----------------------------------------


class DiscussionQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class DiscussionTag(TaggedItemBase):
    tag = models.ForeignKey(
        ForumTag, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_items"
    )
    content_object = models.ForeignKey(
        "Discussion", on_delete=models.CASCADE, related_name="tagged"
    )


class Discussion(Thread):
    """A question, good practice, material, training need or partner search (arutelu): what
    members know and need, beside the problems they report as issues."""

    Kind = DiscussionKind
    posts_name, post_kind = "replies", "reply"

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
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discussions",
        verbose_name=_("theme"),
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

    # Kept in the same transaction as the rows they count.
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    helpful_count = models.PositiveIntegerField(_("marked helpful"), default=0)

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

    def get_absolute_url(self):
        return reverse("forum:discussion_detail", args=[self.pk])

    @property
    def kind_fields(self) -> tuple[str, ...]:
        return self.KIND_FIELDS[self.Kind(self.kind)]


class Reply(Post):
    """An answer in a discussion (vastus)."""

    thread_field = "discussion"

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="replies"
    )
    organization = models.ForeignKey(
        Organization, null=True, on_delete=models.SET_NULL, related_name="replies"
    )
    body = models.TextField(_("reply"), help_text=_("Markdown"))
    helpful_count = models.PositiveIntegerField(_("marked helpful"), default=0)

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


class DiscussionRevision(ThreadRevision):
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="revisions")


class ReplyRevision(PostRevision):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="revisions")


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


class DiscussionFollow(ThreadFollow):
    thread_field = "discussion"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_follows"
    )
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "discussion"], name="forum_discussion_follow_unique"
            )
        ]
