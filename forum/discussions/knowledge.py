"""Knowledge that travels: the coordinators' roll-up of training needs, and drafts on the public
site made from a training need (a training) or a good practice (an article). The public site
writes the drafts (forum.core.public_site); an editor reviews and publishes them there."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from forum.core.audit import log
from forum.core.public_site import public_site
from forum.discussions.models import Discussion
from forum.members import permissions

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


def asking_organizations(discussion: Discussion) -> tuple[int, int]:
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


def _locked_for_draft(discussion: Discussion, kind: str, message: str) -> Discussion:
    discussion = Discussion.objects.select_for_update().get(pk=discussion.pk)
    if discussion.kind != kind:
        raise ValidationError(message)
    if discussion.hidden:
        raise ValidationError(
            _("A hidden discussion does not go to the public site: show it again first.")
        )
    return discussion


@transaction.atomic
def create_event_draft(*, coordinator, discussion: Discussion):
    """A training on the public site drafted from a training need, not yet live. A need with a
    draft keeps it: pressing twice makes no second page."""
    permissions.check_moderate(coordinator)
    discussion = _locked_for_draft(
        discussion,
        Discussion.Kind.TRAINING,
        _("Only a training need can become a training on the public site."),
    )
    if discussion.event_page_id:
        return discussion.event_page.specific
    page = public_site().draft_event(discussion=discussion, coordinator=coordinator)
    discussion.event_page = page
    discussion.save(update_fields=["event_page", "updated"])
    log(discussion, "forum.discussion.event_draft", user=coordinator, data={"page": page.pk})
    return page


@transaction.atomic
def create_article_draft(*, coordinator, discussion: Discussion):
    """An article on the public site drafted from a good practice, not yet live. Pressing twice
    makes no second page."""
    permissions.check_moderate(coordinator)
    discussion = _locked_for_draft(
        discussion,
        Discussion.Kind.PRACTICE,
        _("Only a good practice can become an article on the public site."),
    )
    if discussion.article_page_id:
        return discussion.article_page.specific
    page = public_site().draft_article(discussion=discussion, coordinator=coordinator)
    discussion.article_page = page
    discussion.save(update_fields=["article_page", "updated"])
    log(discussion, "forum.discussion.article_draft", user=coordinator, data={"page": page.pk})
    return page
