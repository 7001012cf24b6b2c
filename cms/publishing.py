"""How the forum's knowledge reaches the public site: the forum's way to a published topic's
page, and drafts of a training (from a training need) or an article (from a good practice),
saved as unpublished revisions for an editor to review. Registered with the forum when the site
starts (cms.apps, forum.core.public_site)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Locale
from wagtail.rich_text import RichText

from forum.core.privacy import shorten
from forum.discussions.knowledge import asking_organizations

from .models import ArticleIndexPage, ArticlePage, EventIndexPage, EventPage, TopicIndexPage

# A placeholder the editor replaces: a month ahead, at ten in the morning, three hours long.
DRAFT_DAYS_AHEAD = 30
DRAFT_START = datetime.time(10, 0)
DRAFT_LENGTH = datetime.timedelta(hours=3)
LEAD_LENGTH = 300


def _default_locale() -> Locale:
    return Locale.get_default()


def _index(model, message: str):
    index = model.objects.filter(locale=_default_locale()).order_by("path").first()
    if index is None:
        raise ValidationError(message)
    return index


def _slug(index, title: str, fallback: str) -> str:
    """A slug from the title, never empty, free among the index's children: a second practice
    of the same title gets "-2" (Wagtail refuses a slug a sibling has)."""
    base = shorten(slugify(title, allow_unicode=True), 200, ellipsis="").strip("-") or fallback
    taken = set(index.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _lead_from_html(html: str) -> str:
    """The first paragraph's text of sanitised HTML, shortened for lists."""
    match = re.search(r"<p[^>]*>(.*?)</p>", html, re.S)
    text = strip_tags(match.group(1) if match else html)
    return shorten(" ".join(text.split()), LEAD_LENGTH)


def _save_draft(index, page, coordinator):
    """The page under the index as an unpublished revision: live only after an editor
    publishes it. Where a moderation workflow covers the page (Wagtail's default one covers the
    whole tree), the draft is submitted to it, so it waits on the reviewers' dashboard."""
    page.live = False
    page.owner = coordinator
    index.add_child(instance=page)
    page.save_revision(user=coordinator, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None and workflow.active:
        workflow.start(page, coordinator)
    return page


def _rich_text(html: str) -> RichText:
    # Wagtail's editor reads a void <br> as an element left open ("Unmatched tags: expected br,
    # got p", a 500 on opening the draft); written self-closed, it is a line break there too.
    return RichText(html.replace("<br>", "<br/>"))


class PublicSite:
    """forum.core.public_site.PublicSite on Wagtail's pages."""

    def topic_url(self, topic, request) -> str | None:
        index = TopicIndexPage.for_active_language()
        return None if index is None else index.topic_url(topic, request)

    def draft_event(self, *, discussion, coordinator):
        """An EventPage under the events page of the default language, with a placeholder date
        for the editor to change."""
        index = _index(
            EventIndexPage,
            _(
                "The public site has no events page in the default language yet: ask an editor to "
                "add one, then try again."
            ),
        )
        organizations, people = asking_organizations(discussion)
        with translation.override(index.locale.language_code):
            lead = ngettext(
                "%(count)d member organisation asked for a training on this.",
                "%(count)d member organisations asked for a training on this.",
                organizations,
            ) % {"count": organizations}
            if people:
                lead += " " + ngettext(
                    "About %(count)d person would take part.",
                    "About %(count)d people would take part.",
                    people,
                ) % {"count": people}
        start = timezone.make_aware(
            datetime.datetime.combine(
                timezone.localdate() + datetime.timedelta(days=DRAFT_DAYS_AHEAD), DRAFT_START
            )
        )
        # An Estonia-wide need has no venue yet: the draft says online until the editor decides.
        located = bool(discussion.county_id or discussion.municipality_id)
        page = EventPage(
            title=discussion.title,
            slug=_slug(index, discussion.title, f"koolitus-{discussion.pk}"),
            locale=index.locale,
            start=start,
            end=start + DRAFT_LENGTH,
            location=discussion.place if located else "",
            online=not located,
            lead=lead,
            search_description=lead,
            body=[("paragraph", _rich_text(discussion.body_html))],
        )
        return _save_draft(index, page, coordinator)

    def draft_article(self, *, discussion, coordinator):
        """An ArticlePage under the news page of the default language: the text and the results
        copied, the organisation credited (never the person who wrote it), the tags kept."""
        index = _index(
            ArticleIndexPage,
            _(
                "The public site has no news page in the default language yet: ask an editor to "
                "add one, then try again."
            ),
        )
        results = discussion.results.strip()
        lead = _lead_from_html(discussion.body_html) or shorten(
            " ".join(results.split()), LEAD_LENGTH
        )
        lead = lead or discussion.title
        with translation.override(index.locale.language_code):
            results_heading = _("Results")
            credit = _("Good practice: %(organization)s") % {
                "organization": discussion.organization.name
            }
        body = [("paragraph", _rich_text(discussion.body_html))]
        if results:
            body += [
                ("heading", {"text": results_heading, "level": "h2"}),
                ("paragraph", _rich_text(linebreaks(results, autoescape=True))),
            ]
        body.append(("paragraph", RichText(f"<p><i>{escape(credit)}</i></p>")))
        page = ArticlePage(
            title=discussion.title,
            slug=_slug(index, discussion.title, f"hea-praktika-{discussion.pk}"),
            locale=index.locale,
            date=timezone.localdate(),
            kind=ArticlePage.Kind.NEWS,
            lead=lead,
            search_description=lead,
            body=body,
        )
        tags = [tag.name for tag in discussion.tags.all()]
        if tags:
            page.tags.add(*tags)
        return _save_draft(index, page, coordinator)
