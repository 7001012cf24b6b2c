"""Tag curation: renaming a tag, or merging it into another, everywhere it is used (issues,
discussions, subscriptions), in one transaction with one audit record."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.search.index import insert_or_update_object

from forum.core.audit import log
from forum.core.models import ForumTag
from forum.core.tags import normalize_tags
from forum.discussions.models import Discussion, DiscussionTag
from forum.issues.models import Issue, IssueTag
from forum.members import permissions
from forum.notifications.models import Subscription


def _free_slug(tag: ForumTag, name: str) -> str:
    slug, n = tag.slugify(name), 1
    while ForumTag.objects.filter(slug=slug).exclude(pk=tag.pk).exists():
        n += 1
        slug = tag.slugify(name, n)
    return slug


# Every use of a tag in the forum, with the field that says whose use it is: a merge moves
# each to the tag merged into, none twice (tests/forum/test_tag_curation.py proves these are
# all the relations to ForumTag).
TAG_USES = ((IssueTag, "content_object"), (DiscussionTag, "content_object"), (Subscription, "user"))


def _reindex_tagged(tag: ForumTag) -> None:
    for thread in [*Issue.objects.filter(tags=tag), *Discussion.objects.filter(tags=tag)]:
        insert_or_update_object(thread)


@transaction.atomic
def rename_tag(*, moderator, tag: ForumTag, new_name: str) -> ForumTag:
    """Rename a tag; if the new name is already a tag, merge into it (every issue, discussion
    and subscription keeps its tag, none gets it twice)."""
    permissions.check_moderate(moderator)
    (name,) = normalize_tags([new_name]) or [""]
    if not name:
        raise ValidationError(_("Give the tag a name."))
    target = ForumTag.objects.filter(name__iexact=name).exclude(pk=tag.pk).first()
    if target is None:
        old = tag.name
        tag.name, tag.slug = name, _free_slug(tag, name)
        tag.save(update_fields=["name", "slug"])
        _reindex_tagged(tag)
        log(tag, "forum.tag.rename", user=moderator, data={"from": old, "to": name})
        return tag
    for model, owner in TAG_USES:
        already = model.objects.filter(tag=target).values(owner)
        model.objects.filter(tag=tag, **{f"{owner}__in": already}).delete()
        model.objects.filter(tag=tag).update(tag=target)
    _reindex_tagged(target)
    log(target, "forum.tag.merge", user=moderator, data={"from": tag.name, "into": target.name})
    tag.delete()
    return target
