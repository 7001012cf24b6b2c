"""What the site search looks through, for whom. Each source hands the backend a queryset that
is already limited by the reader's permissions (forum.issues.permissions and
forum.discussions.permissions), so the backend applies
them inside the search query: counts, facets, pages and snippets only ever see what the
reader may read."""

from dataclasses import dataclass, field, replace

from django.db.models import Choices, Q, QuerySet
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from cms import page_cache
from cms.models import MemberDirectoryPage, TopicIndexPage
from forum.discussions.permissions import visible_discussions, visible_replies
from forum.issues.permissions import visible_comments, visible_issues
from forum.members.cache import key_text
from forum.members.generation import personal
from forum.members.permissions import is_coordinator, is_member
from forum.models import AdvocacyTopic, Discussion, Organization


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter
    field: str  # the index's filter field
    label: str
    # A field with choices is faceted by its values and their labels; any other by the ids of
    # the objects it points to (the search view knows their models).
    choices: type[Choices] | None = None

    def clean(self, value) -> int | str | None:
        """The selected value from the query string; None if it cannot be one."""
        if self.choices is not None:
            return value if value in self.choices.values else None
        try:
            return int(value)
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    # One result's kind, beside its title in the list of every kind.
    noun: str = ""
    facets: tuple[Facet, ...] = field(default=())
    # Whether the search box offers the titles of this source as the reader types.
    autocomplete: bool = True

    def queryset(self, user) -> QuerySet | None:
        raise NotImplementedError

    def title(self, obj) -> str:
        return obj.title

    def kind(self, obj) -> str:
        """What the result is, beside its title, where the tab does not already say it."""
        return ""

    def organization(self, obj) -> str:
        """The member organisation that wrote it, for the network's own posts."""
        return ""

    def text(self, obj) -> str:
        raise NotImplementedError

    def url(self, obj) -> str:
        return obj.get_absolute_url()

    def language(self, obj) -> str:
        return "et"

    def for_request(self, site: dict) -> "Source | None":
        """This source as searched in the current request, given the site's facts (`_site`);
        None leaves it out."""
        return self


@dataclass(frozen=True)
class PageSource(Source):
    # The site's private sections (a Q) and the active language's locale.
    private: Q | None = None
    locale: Locale | None = None

    def for_request(self, site):
        return replace(self, private=site["private"], locale=site["locale"])

    def queryset(self, user):
        return Page.objects.live().exclude(self.private).filter(locale=self.locale).specific()

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
        if not is_member(user) and not is_coordinator(user):
            return None
        return visible_issues(user).select_related("organization")

    def text(self, issue):
        return strip_tags(issue.body_html)

    def organization(self, issue):
        return issue.organization.name


class CommentSource(Source):
    def queryset(self, user):
        if not is_member(user) and not is_coordinator(user):
            return None
        return visible_comments(user).select_related("issue", "organization")

    def title(self, comment):
        return comment.issue.title

    def text(self, comment):
        return strip_tags(comment.body_html)

    def url(self, comment):
        return f"{comment.issue.get_absolute_url()}#comment-{comment.pk}"

    def organization(self, comment):
        return comment.organization.name if comment.organization else ""


class DiscussionSource(Source):
    """Questions, good practices, materials, training needs and partner searches: network-
    internal like issues."""

    def queryset(self, user):
        if not is_member(user) and not is_coordinator(user):
            return None
        return visible_discussions(user).select_related("organization")

    def text(self, discussion):
        parts = [strip_tags(discussion.body_html), discussion.results]
        if discussion.partner_countries:
            parts.append(discussion.partner_countries)
        return "\n".join(p for p in parts if p)

    def kind(self, discussion):
        return discussion.get_kind_display()

    def organization(self, discussion):
        return discussion.organization.name


class ReplySource(Source):
    """Replies in the discussions the reader may read, found at their place in the thread."""

    def queryset(self, user):
        if not is_member(user) and not is_coordinator(user):
            return None
        return visible_replies(user).select_related("discussion", "organization")

    def title(self, reply):
        return reply.discussion.title

    def text(self, reply):
        return strip_tags(reply.body_html)

    def kind(self, reply):
        return reply.discussion.get_kind_display()

    def organization(self, reply):
        return reply.organization.name if reply.organization else ""


@dataclass(frozen=True)
class TopicSource(Source):
    """Published advocacy topics, for everyone, found at their pages on the public site."""

    # The topics page of the active language and its URL, looked up once per request.
    index: TopicIndexPage | None = None
    index_url: str = ""

    def for_request(self, site):
        index, index_url = site["topics"]
        return replace(self, index=index, index_url=index_url) if index else None

    def queryset(self, user):
        return AdvocacyTopic.objects.published()

    def text(self, topic):
        return f"{topic.summary}\n{strip_tags(topic.position_html)}"

    def url(self, topic):
        return self.index_url + self.index.topic_path(topic)


@dataclass(frozen=True)
class OrganizationSource(Source):
    """Member organisations, for everyone, found at their pages in the member directory."""

    directory: MemberDirectoryPage | None = None
    directory_url: str = ""

    def for_request(self, site):
        directory, directory_url = site["directory"]
        if directory is None:
            return None
        return replace(self, directory=directory, directory_url=directory_url)

    def queryset(self, user):
        return Organization.objects.members().select_related("county")

    def title(self, organization):
        return organization.name

    def text(self, organization):
        return "\n".join(p for p in (organization.field_of_work, organization.description) if p)

    def kind(self, organization):
        return str(organization.county)

    def url(self, organization):
        return self.directory_url + self.directory.organization_path(organization)


SOURCES = (
    PageSource("page", _("Pages"), _("page")),
    TopicSource("topic", _("Advocacy topics"), _("advocacy topic")),
    OrganizationSource(
        "organization",
        _("Member organisations"),
        _("member organisation"),
        facets=(Facet("county", "county_id", _("County")),),
    ),
    IssueSource(
        "issue",
        _("Issues"),
        _("issue"),
        facets=(
            Facet("county", "county_id", _("County")),
            Facet("theme", "theme_id", _("Theme")),
            Facet("tag", "tags", _("Tag")),
        ),
    ),
    CommentSource("comment", _("Comments"), _("comment"), autocomplete=False),
    DiscussionSource(
        "discussion",
        _("Discussions"),
        _("discussion"),
        facets=(
            Facet("kind", "kind", _("Kind"), choices=Discussion.Kind),
            Facet("county", "county_id", _("County")),
            Facet("theme", "theme_id", _("Theme")),
            Facet("tag", "tags", _("Tag")),
        ),
    ),
    ReplySource("reply", _("Replies"), _("reply"), autocomplete=False),
)


def _site() -> dict:
    """What the public sources need of the site: its private sections, the active language's
    locale, topics page and member directory. Looked up once per process (one read of the
    generation per request) until a page changes (cms.page_cache)."""

    def with_url(page_class):
        page = page_class.for_active_language()
        return page, page.get_url() if page else ""

    def compute():
        return {
            "private": Page.objects.all().private_q(),
            "locale": Locale.get_active(),
            "topics": with_url(TopicIndexPage),
            "directory": with_url(MemberDirectoryPage),
        }

    return page_cache.generation.remember(("search sources", get_language()), compute)


def sources_for(user) -> list[tuple[Source, QuerySet]]:
    """The sources the user may search, each with its permission-limited queryset."""
    found, site = [], _site()
    for source in SOURCES:
        source = source.for_request(site)
        if source is None:
            continue
        queryset = source.queryset(user)
        if queryset is not None:
            found.append((source, queryset))
    return found


def scope(user, pages: int) -> list[str]:
    """What `user` may search, named by each source's permission-limited queryset (its SQL):
    readers with the same scope get the same results. Worked out once per person, language and
    `pages` (the public pages' generation), and kept with the person's facts until the forum
    changes (forum.members.generation); a visitor's once per process until the pages change."""

    def compute():
        return [f"{source.key}:{key_text(queryset)}" for source, queryset in sources_for(user)]

    name = ("search scope", get_language())
    if not user.is_authenticated:
        return page_cache.generation.remember(name, compute)
    return personal(user, f"search scope {get_language()} {pages}", compute)
