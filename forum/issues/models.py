from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from forum.core.models import County, ForumTag, IssueStatus, Theme
from forum.members.models import Organization
from forum.threads.models import Post, PostRevision, Thread, ThreadFollow, ThreadRevision


class IssueQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class IssueTag(TaggedItemBase):
    tag = models.ForeignKey(
        ForumTag, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_items"
    )
    content_object = models.ForeignKey("Issue", on_delete=models.CASCADE, related_name="tagged")


class Issue(Thread):
    """A local problem affecting children, raised by a member organisation (mure)."""

    Status = IssueStatus
    posts_name, post_kind = "comments", "comment"

    body = models.TextField(_("description"), help_text=_("Markdown"))
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="issues", verbose_name=_("theme")
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
    # Kept in the same transaction as the rows they count, so lists need no count per row.
    support_count = models.PositiveIntegerField(_("organisations that see it"), default=0)
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

    def get_absolute_url(self):
        return reverse("forum:issue_detail", args=[self.pk])

    @property
    def organization_count(self):
        """The reporting organisation and those who see it too."""
        return self.support_count + 1


class IssueRevision(ThreadRevision):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="revisions")


class Comment(Post):
    thread_field = "issue"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    organization = models.ForeignKey(
        Organization, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField(_("comment"))

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

    def get_absolute_url(self):
        return f"{self.issue.get_absolute_url()}#comment-{self.pk}"


class CommentRevision(PostRevision):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")


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


class Follow(ThreadFollow):
    thread_field = "issue"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "issue"], name="forum_follow_unique")
        ]
