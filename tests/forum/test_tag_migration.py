"""Migration 0014 moves the forum's tags out of taggit's shared table: every issue,
discussion and subscription keeps its words, and the shared table keeps only the words public
pages (or documents, or pictures) use."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("forum", "0013_thread_core")]
AFTER = [("forum", "0014_forum_tags")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    # The state of every app as migrated now (cms too, which forum's migrations do not need).
    return executor._create_project_state(with_applied_migrations=True).apps


@pytest.fixture(autouse=True)
def latest_schema_after():
    """Later tests on this worker's database need every migration since 0014 applied again."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_forum_tags_move_to_their_own_table_and_leave_the_shared_one(make_issue):
    make_issue()
    old = _migrate(BEFORE)
    try:
        Tag = old.get_model("taggit", "Tag")
        Issue, IssueTag = old.get_model("forum", "Issue"), old.get_model("forum", "IssueTag")
        Subscription = old.get_model("forum", "Subscription")
        TaggedItem = old.get_model("taggit", "TaggedItem")
        ContentType = old.get_model("contenttypes", "ContentType")
        issue = Issue.objects.order_by("pk").first()
        only_forum = Tag.objects.create(name="ainult foorumis", slug="ainult-foorumis")
        shared = Tag.objects.create(name="ühine", slug="uhine")
        IssueTag.objects.create(content_object=issue, tag=only_forum)
        IssueTag.objects.create(content_object=issue, tag=shared)
        # A public use of the word (taggit's generic items tag Wagtail's documents and pictures).
        picture, _ = ContentType.objects.get_or_create(app_label="wagtailimages", model="image")
        TaggedItem.objects.create(content_type=picture, object_id=1, tag=shared)
        follower = old.get_model("auth", "User").objects.order_by("pk").first()
        Subscription.objects.create(user=follower, tag=only_forum)
    finally:
        new = _migrate(AFTER)

    ForumTag, Tag = new.get_model("forum", "ForumTag"), new.get_model("taggit", "Tag")
    IssueTag = new.get_model("forum", "IssueTag")
    assert sorted(IssueTag.objects.filter(content_object_id=issue.pk).values_list(
        "tag__name", flat=True
    )) == ["ainult foorumis", "ühine"]  # fmt: skip
    subscription = new.get_model("forum", "Subscription").objects.get(user_id=follower.pk)
    assert ForumTag.objects.get(pk=subscription.tag_id).name == "ainult foorumis"
    assert not Tag.objects.filter(name="ainult foorumis").exists()
    assert Tag.objects.filter(name="ühine").exists()  # the picture keeps its tag
    # New forum tags take ids after the moved ones.
    assert ForumTag.objects.create(name="uus", slug="uus").pk > only_forum.pk
