"""The thread core (forum.threads): issues and discussions, comments and replies behave the same
where they share a rule, because it is written once. Each test runs on both kinds."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from forum import services
from forum.core.documents import check_attachment
from forum.models import Flag, Membership, Notification, Organization

pytestmark = pytest.mark.django_db


def _logged(obj, action: str) -> bool:
    return ModelLogEntry.objects.filter(
        content_type__model=obj._meta.model_name, object_id=str(obj.pk), action=action
    ).exists()


# A kind: how to start a thread, add a post, and name each in the services.
KINDS = {
    "issue": {
        "post": lambda thread, author: services.add_comment(
            author=author, issue=thread, body="Meil ka nii."
        ),
        "edit_post": lambda post, editor, body: services.edit_comment(
            editor=editor, comment=post, body=body
        ),
        "hide": lambda thread, moderator, hidden: services.hide_issue(
            moderator=moderator, issue=thread, reason="Põhjus.", hidden=hidden
        ),
        "hide_post": lambda post, moderator: services.hide_comment(
            moderator=moderator, comment=post, reason="Põhjus."
        ),
        "lock": lambda thread, moderator, locked: services.lock_issue(
            moderator=moderator, issue=thread, locked=locked
        ),
        "flag": lambda thread, reporter, post=None: services.flag_content(
            reporter=reporter, issue=thread, comment=post, reason="Vaata palun."
        ),
        "count": "comment_count",
        "history": "forum:issue_history",
    },
    "discussion": {
        "post": lambda thread, author: services.add_reply(
            author=author, discussion=thread, body="Meil ka nii."
        ),
        "edit_post": lambda post, editor, body: services.edit_reply(
            editor=editor, reply=post, body=body
        ),
        "hide": lambda thread, moderator, hidden: services.hide_discussion(
            moderator=moderator, discussion=thread, reason="Põhjus.", hidden=hidden
        ),
        "hide_post": lambda post, moderator: services.hide_reply(
            moderator=moderator, reply=post, reason="Põhjus."
        ),
        "lock": lambda thread, moderator, locked: services.lock_discussion(
            moderator=moderator, discussion=thread, locked=locked
        ),
        "flag": lambda thread, reporter, post=None: services.flag_discussion(
            reporter=reporter, discussion=thread, reply=post, reason="Vaata palun."
        ),
        "count": "reply_count",
        "history": "forum:discussion_history",
    },
}


@pytest.fixture(params=sorted(KINDS))
def kind(request):
    return request.param


@pytest.fixture
def thread(kind, make_issue, make_discussion, make_member):
    author = make_member("algataja")
    return (make_issue if kind == "issue" else make_discussion)("Ühine teema", author=author)


def test_a_post_counts_follows_and_tells_the_author(kind, thread, make_member):
    other = make_member("teine", organization="emajoe-noored")
    post = KINDS[kind]["post"](thread, other)
    thread.refresh_from_db()
    assert getattr(thread, KINDS[kind]["count"]) == 1
    assert thread.follows.filter(user=other).exists()
    about = {thread._meta.model_name: thread}
    assert Notification.objects.filter(recipient=thread.author, **about).exists()
    assert _logged(post, f"forum.{post._meta.model_name}.add")


def test_editing_a_post_keeps_the_old_text(kind, thread, make_member):
    other = make_member("teine", organization="emajoe-noored")
    post = KINDS[kind]["post"](thread, other)
    KINDS[kind]["edit_post"](post, other, "Parandatud tekst.")
    post.refresh_from_db()
    assert post.body == "Parandatud tekst." and post.edited
    assert list(post.revisions.values_list("body", flat=True)) == ["Meil ka nii."]


def test_hiding_resolves_the_threads_own_flags_and_showing_brings_it_back(
    kind, thread, make_member, coordinator
):
    reader = make_member("lugeja")
    post = KINDS[kind]["post"](thread, reader)
    on_thread = KINDS[kind]["flag"](thread, reader)
    on_post = KINDS[kind]["flag"](thread, reader, post)
    KINDS[kind]["hide"](thread, coordinator, True)
    thread.refresh_from_db()
    assert thread.hidden and thread.hidden_reason == "Põhjus."
    assert Flag.objects.get(pk=on_thread.pk).resolved
    assert not Flag.objects.get(pk=on_post.pk).resolved  # the post's flag waits for the post
    assert _logged(thread, f"forum.{thread._meta.model_name}.hide")
    KINDS[kind]["hide"](thread, coordinator, False)
    thread.refresh_from_db()
    assert not thread.hidden and thread.hidden_reason == ""


def test_hiding_a_post_takes_it_out_of_the_count_and_resolves_its_flags(
    kind, thread, make_member, coordinator
):
    reader = make_member("lugeja")
    post = KINDS[kind]["post"](thread, reader)
    flag = KINDS[kind]["flag"](thread, reader, post)
    KINDS[kind]["hide_post"](post, coordinator)
    thread.refresh_from_db()
    assert getattr(thread, KINDS[kind]["count"]) == 0
    assert Flag.objects.get(pk=flag.pk).resolved_by == coordinator


def test_only_coordinators_hide_and_lock(kind, thread):
    with pytest.raises(PermissionDenied):
        KINDS[kind]["hide"](thread, thread.author, True)
    with pytest.raises(PermissionDenied):
        KINDS[kind]["lock"](thread, thread.author, True)
    thread.refresh_from_db()
    assert not thread.hidden and not thread.locked


def test_a_locked_thread_offers_its_posts_authors_no_edit_button(
    kind, thread, make_member, coordinator, client
):
    writer = make_member("kirjutaja")
    post = KINDS[kind]["post"](thread, writer)
    edit = reverse(f"forum:{post._meta.model_name}_edit", args=[post.pk])
    client.force_login(writer)
    assert edit in client.get(thread.get_absolute_url()).content.decode()
    KINDS[kind]["lock"](thread, coordinator, True)
    assert edit not in client.get(thread.get_absolute_url()).content.decode()
    assert client.get(edit).status_code == 403


def _retitle(kind, thread):
    """The author gives the thread a new title, "Uus pealkiri"."""
    if kind == "issue":
        services.edit_issue(
            editor=thread.author,
            issue=thread,
            title="Uus pealkiri",
            body=thread.body,
            theme=thread.theme,
        )
    else:
        services.edit_discussion(
            editor=thread.author, discussion=thread, title="Uus pealkiri", body=thread.body
        )


def test_the_history_shows_coordinators_what_an_edit_changed(kind, thread, client, coordinator):
    _retitle(kind, thread)
    client.force_login(coordinator)
    page = client.get(reverse(KINDS[kind]["history"], args=[thread.pk])).content.decode()
    assert "Ühine teema" in page and "Uus pealkiri" in page
    client.force_login(thread.author)
    assert client.get(reverse(KINDS[kind]["history"], args=[thread.pk])).status_code == 403


def test_a_representative_invites_members_but_not_representatives(make_member):
    representative = make_member("esindaja-test", role=Membership.Role.REPRESENTATIVE)
    organization = Organization.objects.get(slug="paikesekiir")
    services.invite_person(
        inviter=representative, organization=organization, email="uus@example.org"
    )
    with pytest.raises(PermissionDenied):
        services.invite_person(
            inviter=representative,
            organization=organization,
            email="teine@example.org",
            role=Membership.Role.REPRESENTATIVE,
        )
    assert organization.invitations.count() == 1


def test_the_triage_page_reads_flags_on_posts_in_a_constant_number_of_queries(
    make_issue, make_discussion, make_member, coordinator, client, django_assert_max_num_queries
):
    reader = make_member("lugeja")

    def flag_posts(count):
        for n in range(count):
            issue = make_issue(f"Mure {n}")
            discussion = make_discussion(f"Arutelu {n}")
            KINDS["issue"]["flag"](issue, reader, KINDS["issue"]["post"](issue, reader))
            reply = KINDS["discussion"]["post"](discussion, reader)
            KINDS["discussion"]["flag"](discussion, reader, reply)

    client.force_login(coordinator)
    flag_posts(1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("forum:triage"))
    flag_posts(5)
    with django_assert_max_num_queries(len(few)):
        page = client.get(reverse("forum:triage")).content.decode()
    assert page.count("#comment-") == 6 and page.count("#vastus-") == 6


def test_an_edit_that_only_attaches_files_is_in_the_audit(make_discussion):
    discussion = make_discussion("Materjal")
    upload = SimpleUploadedFile("juhend.txt", b"Juhend vanematele.\n")
    check_attachment(upload)  # as the form does before the service stores it
    services.edit_discussion(
        editor=discussion.author,
        discussion=discussion,
        title=discussion.title,
        body=discussion.body,
        files=[upload],
    )
    entry = ModelLogEntry.objects.get(
        content_type__model="discussion",
        object_id=str(discussion.pk),
        action="forum.discussion.edit",
    )
    assert entry.data == {"fields": [], "files": 1}


def test_an_edited_thread_says_so_as_its_posts_do(kind, thread, client, coordinator):
    """Issue 20: an "edited" marker on issues and discussions, as on comments and replies; a
    coordinator's status change or lock is not an edit of what the author wrote."""
    client.force_login(thread.author)
    url = thread.get_absolute_url()

    def meta():
        return client.get(url).content.decode().split("</time>")[1].split("</p>")[0]

    KINDS[kind]["lock"](thread, coordinator, True)
    KINDS[kind]["lock"](thread, coordinator, False)
    assert "muudetud" not in meta()
    _retitle(kind, thread)
    assert "muudetud" in meta()
    assert type(thread).objects.get(pk=thread.pk).edited is not None
