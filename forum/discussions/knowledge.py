"""Knowledge that travels: the coordinators' roll-up of training needs, and drafts on the public
site made from a training need (an EventPage) or a good practice (an ArticlePage). Drafts are
saved as unpublished revisions; an editor reviews and publishes them in Wagtail's admin."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Locale
from wagtail.rich_text import RichText

from forum.core.audit import log
from forum.core.privacy import shorten
from forum.discussions.models import Discussion
from forum.members import permissions

# A placeholder the editor replaces: a month ahead, at ten in the morning, three hours long.
DRAFT_DAYS_AHEAD = 30
DRAFT_START = datetime.time(10, 0)
DRAFT_LENGTH = datetime.timedelta(hours=3)
LEAD_LENGTH = 300


# The roll-up -------------------------------------------------------------------------------


def _tag_key(name: str) -> str:
    """Tags as the forum stores them (forum.core.tags.normalize_tags), for tags made elsewhere
    too."""
    return " ".join(name.split()).lower()


@dataclass
class TrainingTopic:
    """One topic of the roll-up: a tag, or for needs without tags their theme (or "other")."""

    key: str
    name: str
    is_tag: bool
    needs: list = field(default_factory=list)

    @property
    def organization_count(self) -> int:
        return len({need.organization_id for need in self.needs})

    @property
    def need_count(self) -> int:
        return len(self.needs)

    @property
    def participants(self) -> int:
        return sum(need.participants or 0 for need in self.needs)

    @property
    def latest(self):
        return max(need.created for need in self.needs)

    @property
    def drafted_count(self) -> int:
        return sum(1 for need in self.needs if need.event_page_id)


def open_training_needs():
    """The training needs the roll-up counts: every need not hidden by a coordinator."""
    return Discussion.objects.filter(kind=Discussion.Kind.TRAINING, hidden=False)


def training_need_rollup() -> list[TrainingTopic]:
    """Open training needs grouped by topic, the topics most organisations asked for first.
    A need with several tags counts under each of them. Three queries whatever the size."""
    needs = (
        open_training_needs()
        .select_related("organization", "theme", "event_page")
        .prefetch_related("tags")
        .order_by("-created", "-pk")
    )
    topics: dict[str, TrainingTopic] = {}
    for need in needs:
        tags = {_tag_key(tag.name): tag.name for tag in need.tags.all()}
        if tags:
            groups = [(f"tag:{key}", key, True) for key in sorted(tags)]
        elif need.theme_id:
            groups = [(f"theme:{need.theme_id}", str(need.theme), False)]
        else:
            groups = [("other", _("other"), False)]
        for key, name, is_tag in groups:
            topic = topics.setdefault(key, TrainingTopic(key=key, name=name, is_tag=is_tag))
            topic.needs.append(need)
    return sorted(
        topics.values(),
        key=lambda t: (-t.organization_count, -t.need_count, -t.latest.timestamp(), t.name),
    )


def _asking_organizations(discussion: Discussion) -> tuple[int, int]:
    """How many organisations asked for training on this need's topics (by its tags; the need
    alone when it has none), and how many people they would send."""
    tag_ids = list(discussion.tags.values_list("pk", flat=True))
    related = Q(tags__in=tag_ids) if tag_ids else Q(pk=discussion.pk)
    rows = {
        pk: (organization, people)
        for pk, organization, people in open_training_needs()
        .filter(related)
        .values_list("pk", "organization_id", "participants")
    }
    organizations = {organization for organization, _people in rows.values()}
    organizations.add(discussion.organization_id)
    return len(organizations), sum(people or 0 for _organization, people in rows.values())


# Drafts on the public site -----------------------------------------------------------------


def _default_locale() -> Locale:
    return Locale.get_default()


def _index(model, message: str):
    index = model.objects.filter(locale=_default_locale()).order_by("path").first()
    if index is None:
        raise ValidationError(message)
    return index


def _locked_for_draft(discussion: Discussion, kind: str, message: str) -> Discussion:
    discussion = Discussion.objects.select_for_update().get(pk=discussion.pk)
    if discussion.kind != kind:
        raise ValidationError(message)
    if discussion.hidden:
        raise ValidationError(
            _("A hidden discussion does not go to the public site: show it again first.")
        )
    return discussion


def _slug(title: str, fallback: str) -> str:
    """Wagtail makes the slug unique among the siblings; this only keeps it from being empty."""
    return shorten(slugify(title, allow_unicode=True), 200, ellipsis="").strip("-") or fallback


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


@transaction.atomic
def create_event_draft(*, coordinator, discussion: Discussion):
    """A training on the public site drafted from a training need: an EventPage not yet live
    under the events page of the default language, with a placeholder date for the editor
    to change. A need with a draft keeps it: pressing twice makes no second page."""
    from cms.models import EventIndexPage, EventPage

    permissions.check_moderate(coordinator)
    discussion = _locked_for_draft(
        discussion,
        Discussion.Kind.TRAINING,
        _("Only a training need can become a training on the public site."),
    )
    if discussion.event_page_id:
        return discussion.event_page.specific
    index = _index(
        EventIndexPage,
        _(
            "The public site has no events page in the default language yet: ask an editor to "
            "add one, then try again."
        ),
    )
    organizations, people = _asking_organizations(discussion)
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
        slug=_slug(discussion.title, f"koolitus-{discussion.pk}"),
        locale=index.locale,
        start=start,
        end=start + DRAFT_LENGTH,
        location=discussion.place if located else "",
        online=not located,
        lead=lead,
        search_description=lead,
        body=[("paragraph", RichText(discussion.body_html))],
    )
    page = _save_draft(index, page, coordinator)
    discussion.event_page = page
    discussion.save(update_fields=["event_page", "updated"])
    log(discussion, "forum.discussion.event_draft", user=coordinator, data={"page": page.pk})
    return page


@transaction.atomic
def create_article_draft(*, coordinator, discussion: Discussion):
    """An article on the public site drafted from a good practice: the text and the results
    copied, the organisation credited (never the person who wrote it), the tags kept. Not
    live until an editor publishes it; pressing twice makes no second page."""
    from cms.models import ArticleIndexPage, ArticlePage

    permissions.check_moderate(coordinator)
    discussion = _locked_for_draft(
        discussion,
        Discussion.Kind.PRACTICE,
        _("Only a good practice can become an article on the public site."),
    )
    if discussion.article_page_id:
        return discussion.article_page.specific
    index = _index(
        ArticleIndexPage,
        _(
            "The public site has no news page in the default language yet: ask an editor to "
            "add one, then try again."
        ),
    )
    results = discussion.results.strip()
    lead = _lead_from_html(discussion.body_html) or shorten(" ".join(results.split()), LEAD_LENGTH)
    lead = lead or discussion.title
    with translation.override(index.locale.language_code):
        results_heading = _("Results")
        credit = _("Good practice: %(organization)s") % {
            "organization": discussion.organization.name
        }
    body = [("paragraph", RichText(discussion.body_html))]
    if results:
        body += [
            ("heading", {"text": results_heading, "level": "h2"}),
            ("paragraph", RichText(linebreaks(results, autoescape=True))),
        ]
    body.append(("paragraph", RichText(f"<p><i>{escape(credit)}</i></p>")))
    page = ArticlePage(
        title=discussion.title,
        slug=_slug(discussion.title, f"hea-praktika-{discussion.pk}"),
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
    page = _save_draft(index, page, coordinator)
    discussion.article_page = page
    discussion.save(update_fields=["article_page", "updated"])
    log(discussion, "forum.discussion.article_draft", user=coordinator, data={"page": page.pk})
    return page
