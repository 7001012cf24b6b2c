"""Coordinators rename and merge tags (issue 17): every use of the tag in the forum follows it,
issues', discussions' and members' subscriptions alike, and none is lost or doubled."""

import pytest
from django.db.models import ForeignKey
from taggit.models import Tag

from forum import services
from forum.models import ForumTag, Subscription
from forum.moderation.services import TAG_USES

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(make_issue, make_discussion, make_member):
    """An issue and a discussion tagged 'kiusamine', a member following it, another following
    both it and 'koolikiusamine' (the tag it is merged into)."""
    issue = make_issue(tags=["kiusamine"])
    discussion = make_discussion(tags=["kiusamine"])
    follower = make_member("jalgija")
    both = make_member("molemad", organization="emajoe-noored")
    make_issue("Teine", tags=["koolikiusamine"])
    for user, name in [(follower, "kiusamine"), (both, "kiusamine"), (both, "koolikiusamine")]:
        services.follow_subject(user=user, tag=ForumTag.objects.get(name=name))
    return issue, discussion, follower, both


def _followed(user):
    return sorted(s.tag.name for s in Subscription.objects.filter(user=user, tag__isnull=False))


def test_merging_a_tag_keeps_every_discussion_and_subscription(tagged, coordinator):
    issue, discussion, follower, both = tagged
    old = ForumTag.objects.get(name="kiusamine")
    services.rename_tag(moderator=coordinator, tag=old, new_name="Koolikiusamine")
    assert list(issue.tags.names()) == ["koolikiusamine"]
    assert list(discussion.tags.names()) == ["koolikiusamine"]
    assert _followed(follower) == ["koolikiusamine"]
    assert _followed(both) == ["koolikiusamine"]  # one subscription, not two
    assert not ForumTag.objects.filter(pk=old.pk).exists()


def test_renaming_a_tag_keeps_every_use(tagged, coordinator):
    issue, discussion, follower, _both = tagged
    services.rename_tag(
        moderator=coordinator,
        tag=ForumTag.objects.get(name="kiusamine"),
        new_name="kiusamine koolis",
    )
    assert list(discussion.tags.names()) == ["kiusamine koolis"]
    assert _followed(follower) == ["kiusamine koolis"]


def test_renaming_a_tag_shared_with_articles_moves_every_forum_use(
    tagged, make_article, coordinator
):
    issue, discussion, follower, _both = tagged
    article = make_article("Avalik lugu", tags=["kiusamine"])
    services.rename_tag(
        moderator=coordinator,
        tag=ForumTag.objects.get(name="kiusamine"),
        new_name="kiusamine koolis",
    )
    assert list(article.tags.names()) == ["kiusamine"]
    assert list(issue.tags.names()) == ["kiusamine koolis"]
    assert list(discussion.tags.names()) == ["kiusamine koolis"]
    assert _followed(follower) == ["kiusamine koolis"]


def test_every_model_that_uses_a_forum_tag_is_moved_by_a_merge():
    users = {
        field.model._meta.label
        for field in (
            f.remote_field
            for f in ForumTag._meta.get_fields(include_hidden=True)
            if f.auto_created and not f.concrete
        )
        if isinstance(field, ForeignKey)
    }
    moved = {model._meta.label for model, _owner in TAG_USES}
    assert users, "no relation to ForumTag was found"
    assert users == moved


def test_the_forums_tags_are_not_the_public_sites(tagged, make_article):
    """A word the forum uses is a ForumTag; the same word on a public article is taggit's own
    tag, and neither table knows the other's."""
    assert not Tag.objects.filter(name="kiusamine").exists()
    article = make_article("Avalik lugu", tags=["kiusamine"])
    assert Tag.objects.get(name="kiusamine").pk == article.tags.get().pk
    issue, discussion, _follower, _both = tagged
    assert list(issue.tags.all()) == [ForumTag.objects.get(name="kiusamine")]
