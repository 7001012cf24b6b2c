"""What the site search looks through, for whom. Each source hands the backend a queryset that
is already limited by the reader's permissions (forum.permissions), so the backend applies
them inside the search query: counts, facets, pages and snippets only ever see what the
reader may read."""

from dataclasses import dataclass, field, replace

from django.db.models import QuerySet
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from cms.models import TopicIndexPage
from forum import permissions
from forum.models import AdvocacyTopic, Issue


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter
    field: str  # the index's filter field
    label: str


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    facets: tuple[Facet, ...] = field(default=())

    def queryset(self, user) -> QuerySet | None:
        raise NotImplementedError

    def title(self, obj) -> str:
        return obj.title

    def text(self, obj) -> str:
        raise NotImplementedError

    def url(self, obj) -> str:
        return obj.get_absolute_url()

    def language(self, obj) -> str:
        return "et"

    def for_request(self) -> "Source | None":
        """This source as searched in the current request; None leaves it out."""
        return self


class PageSource(Source):
    def queryset(self, user):
        return Page.objects.live().public().filter(locale=Locale.get_active()).specific()

    def text(self, page):
        parts = [
            getattr(page, name, "")
            for name in ("search_description", "lead", "intro", "introduction")
        ]
        body = getattr(page, "body", None)
        if body is not None:
            parts.extend(page._meta.get_field("body").get_searchable_content(body))
        # dict.fromkeys: a description that repeats the lead is shown once
        return "\n".join(dict.fromkeys(strip_tags(str(p)) for p in parts if p))

    def url(self, page):
        return page.get_url()

    def language(self, page):
        # The pages searched are those of the active language.
        return "en" if get_language().startswith("en") else "et"


class IssueSource(Source):
    def queryset(self, user):
        if not permissions.is_member(user) and not permissions.is_coordinator(user):
            return None
        return Issue.objects.visible_to(user)

    def text(self, issue):
        return strip_tags(issue.body_html)


class CommentSource(Source):
    def queryset(self, user):
        if not permissions.is_member(user) and not permissions.is_coordinator(user):
            return None
        return permissions.visible_comments(user).select_related("issue", "organization")

    def title(self, comment):
        return comment.issue.title

    def text(self, comment):
        return strip_tags(comment.body_html)

    def url(self, comment):
        return f"{comment.issue.get_absolute_url()}#comment-{comment.pk}"


@dataclass(frozen=True)
class TopicSource(Source):
    """Published advocacy topics, for everyone, found at their pages on the public site."""

    # The topics page of the active language and its URL, looked up once per request.
    index: TopicIndexPage | None = None
    index_url: str = ""

    def for_request(self):
        index = TopicIndexPage.for_active_language()
        return replace(self, index=index, index_url=index.get_url()) if index else None

    def queryset(self, user):
        return AdvocacyTopic.objects.published()

    def text(self, topic):
        return f"{topic.summary}\n{strip_tags(topic.position_html)}"

    def url(self, topic):
        return self.index_url + self.index.topic_path(topic)


SOURCES = (
    PageSource("page", _("Pages")),
    TopicSource("topic", _("Advocacy topics")),
    IssueSource(
        "issue",
        _("Issues"),
        facets=(
            Facet("county", "county_id", _("County")),
            Facet("theme", "theme_id", _("Theme")),
            Facet("tag", "tags", _("Tag")),
        ),
    ),
    CommentSource("comment", _("Comments")),
)


def sources_for(user) -> list[tuple[Source, QuerySet]]:
    """The sources the user may search, each with its permission-limited queryset."""
    found = []
    for source in SOURCES:
        source = source.for_request()
        if source is None:
            continue
        queryset = source.queryset(user)
        if queryset is not None:
            found.append((source, queryset))
    return found
