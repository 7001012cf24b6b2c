"""Erasing a member (GDPR right to erasure), by themselves or by an administrator: their posts
stay under their organisation's name, their own name is nowhere (pages, search, audit log,
revisions), what was only about them is gone, and the account cannot sign in again."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from forum import services
from forum.inbox.subscriptions import follow_subject
from forum.models import (
    Comment,
    Discussion,
    DiscussionFollow,
    Follow,
    Invitation,
    Issue,
    Membership,
    Notification,
    Reply,
    Subscription,
    Support,
)
from forum.personal_data.erasure import erase_member

pytestmark = pytest.mark.django_db

NAMES = ("Kasemägi", "Mari", "mari@example.org", '"mari"', ">mari<")


@pytest.fixture
def mari(make_member):
    return make_member("mari", first_name="Mari", last_name="Kasemägi")


@pytest.fixture
def jaan(make_member):
    return make_member("jaan", organization="emajoe-noored", first_name="Jaan", last_name="Tamm")


@pytest.fixture
def posts(mari, jaan, make_issue, organizations, home):
    """Mari writes in every place she can; Jaan answers, so she is notified and followed."""
    issue = make_issue("Koolibuss sõidab liiga vara", author=mari, body="Lapsed ootavad pimedas.")
    services.edit_issue(
        editor=mari,
        issue=issue,
        title=issue.title,
        body="Lapsed ootavad pimedas tund aega.",
        theme=issue.theme,
    )
    theirs = make_issue("Huviringid on kallid", author=jaan, body="Pered ei jaksa maksta.")
    comment = services.add_comment(author=mari, issue=theirs, body="Meil samuti Kuusalus.")
    services.add_comment(author=jaan, issue=issue, body="Meil on sama mure.")
    support = services.add_support(
        user=mari, issue=theirs, organization=organizations["paikesekiir"], note="Ka Kuusalus."
    )
    question = services.post_discussion(
        author=mari,
        organization=organizations["paikesekiir"],
        kind=Discussion.Kind.QUESTION,
        title="Kuidas vanemaid kaasata?",
        body="Otsime häid võtteid.",
    )
    reply = services.add_reply(author=mari, discussion=question, body="Proovisime kohvihommikuid.")
    practice = services.post_discussion(
        author=jaan,
        organization=organizations["emajoe-noored"],
        kind=Discussion.Kind.PRACTICE,
        title="Isade õhtud",
        body="Kord kuus.",
    )
    services.mark_helpful(user=mari, discussion=practice)
    services.add_reply(author=jaan, discussion=question, body="Meil toimisid isade õhtud.")
    follow_subject(user=mari, kind=Discussion.Kind.TRAINING)
    Invitation.objects.create(
        email="mari@example.org",
        organization=organizations["emajoe-noored"],
        token="kutse-marile",
        expires="2100-01-01T00:00:00Z",
    )
    # Mari edited a public page once, as an editor would.
    home.save_revision(user=mari, log_action=True)
    return {
        "issue": issue,
        "theirs": theirs,
        "comment": comment,
        "support": support,
        "question": question,
        "reply": reply,
        "practice": practice,
    }


def _erase(client, mari, password="demo"):
    client.force_login(mari)
    return client.post(reverse("forum:account_erase"), {"password": password})


def test_a_member_erases_their_account_with_their_password(client, mari, posts):
    client.force_login(mari)
    assert client.get(reverse("forum:account_erase")).status_code == 200
    refused = client.post(reverse("forum:account_erase"), {"password": "vale"})
    assert refused.status_code == 200
    assert "password" in refused.context["form"].errors
    assert get_user_model().objects.get(pk=mari.pk).username == "mari"  # nothing erased

    response = client.post(reverse("forum:account_erase"), {"password": "demo"})
    assert response.status_code == 302
    erased = get_user_model().objects.get(pk=mari.pk)
    assert erased.username == f"kustutatud-{mari.pk}"
    assert (erased.first_name, erased.last_name, erased.email) == ("", "", "")
    assert not erased.is_active and not erased.has_usable_password()
    # Signed out: the forum sends the browser to sign in.
    assert client.get(reverse("forum:issue_list")).url.startswith("/konto/sisene/")


def test_the_erased_account_cannot_sign_in(client, mari, posts):
    _erase(client, mari)
    client.logout()
    for username in ("mari", f"kustutatud-{mari.pk}"):
        response = client.post("/konto/sisene/", {"username": username, "password": "demo"})
        assert response.status_code == 200  # the form again, with an error
        assert not response.wsgi_request.user.is_authenticated


def test_posts_stay_under_the_organisation_without_the_name(client, mari, jaan, posts):
    _erase(client, mari)
    issue = Issue.objects.get(pk=posts["issue"].pk)
    assert issue.author is None
    assert issue.organization.slug == "paikesekiir"
    comment = Comment.objects.get(pk=posts["comment"].pk)
    assert (comment.author, comment.organization.slug) == (None, "paikesekiir")
    assert comment.body == "Meil samuti Kuusalus."
    assert Reply.objects.get(pk=posts["reply"].pk).author is None
    assert Discussion.objects.get(pk=posts["question"].pk).author is None

    client.force_login(jaan)
    for url in (
        reverse("forum:issue_detail", args=[posts["theirs"].pk]),
        reverse("forum:issue_detail", args=[posts["issue"].pk]),
        reverse("forum:discussion_detail", args=[posts["question"].pk]),
    ):
        page = client.get(url).content.decode()
        assert posts["issue"].organization.name in page
        assert f"kustutatud-{mari.pk}" not in page  # nor the account's new name
        for name in NAMES:
            assert name not in page, (url, name)


@pytest.mark.search
def test_the_name_is_in_no_page_search_log_or_revision(client, mari, posts, coordinator):
    # The control: before the erasure, the history page names her.
    client.force_login(coordinator)
    history = reverse("forum:issue_history", args=[posts["issue"].pk])
    assert "Kasemägi" in client.get(history).content.decode()

    _erase(client, mari)
    client.force_login(coordinator)
    page = client.get(history).content.decode()
    for name in NAMES:
        assert name not in page
    for query in ("Kasemägi", "mari"):
        response = client.get("/otsing/", {"q": query})
        assert response.context["results"].paginator.count == 0
    # Wagtail's revisions and page log no longer point at her; the forum's audit entries still
    # say that one (erased) person did it, without a name.
    assert not Revision.objects.filter(user_id=mari.pk).exists()
    page_entries = list(PageLogEntry.objects.filter(user_id=mari.pk))
    assert page_entries
    assert {e.user_display_name for e in page_entries} == {f"kustutatud-{mari.pk}"}
    entries = list(ModelLogEntry.objects.filter(user_id=mari.pk))
    assert {e.action for e in entries} >= {"forum.issue.post", "forum.comment.add"}
    for entry in entries:
        assert entry.user_display_name == f"kustutatud-{mari.pk}"
        text = f"{entry.label} {entry.data}"
        for name in NAMES:
            assert name not in text


def test_the_audit_log_does_not_quote_what_was_written(mari, posts):
    entries = ModelLogEntry.objects.filter(action__in=["forum.comment.add", "forum.reply.add"])
    assert entries.count() == 4
    for entry in entries:
        for text in ("Meil samuti", "Proovisime", "Meil toimisid", "Meil on sama"):
            assert text not in entry.label


def test_what_was_only_about_her_is_gone(client, mari, posts):
    helpful_before = Discussion.objects.get(pk=posts["practice"].pk).helpful_count
    support_count_before = Issue.objects.get(pk=posts["theirs"].pk).support_count
    assert Notification.objects.filter(recipient=mari).exists()  # the control
    _erase(client, mari)
    for model, lookup in (
        (Notification, "recipient"),
        (Follow, "user"),
        (DiscussionFollow, "user"),
        (Subscription, "user"),
        (Membership, "user"),
    ):
        assert not model.objects.filter(**{lookup: mari}).exists(), model
    assert not Invitation.objects.filter(email__iexact="mari@example.org").exists()
    # What the network counts stays: her organisation still sees it too, her mark still counts.
    support = Support.objects.get(pk=posts["support"].pk)
    assert (support.user, support.organization.slug) == (None, "paikesekiir")
    assert Issue.objects.get(pk=posts["theirs"].pk).support_count == support_count_before
    assert Discussion.objects.get(pk=posts["practice"].pk).helpful_count == helpful_before


def test_new_activity_tells_the_erased_person_nothing(client, mari, jaan, posts):
    _erase(client, mari)
    services.add_comment(author=jaan, issue=Issue.objects.get(pk=posts["issue"].pk), body="Veel.")
    assert not Notification.objects.filter(recipient_id=mari.pk).exists()


def test_an_administrator_erases_by_command(mari, posts):
    out = io.StringIO()
    call_command("erase_member", "MARI@example.org", stdout=out)
    assert f"Erased account {mari.pk}" in out.getvalue()
    erased = get_user_model().objects.get(pk=mari.pk)
    assert erased.username == f"kustutatud-{mari.pk}" and not erased.is_active
    (entry,) = ModelLogEntry.objects.filter(action="forum.member.erase")
    assert (entry.object_id, entry.label, entry.user_id) == (
        str(mari.pk),
        f"kustutatud-{mari.pk}",
        None,
    )
    # Again: nothing more to do, and said so.
    out = io.StringIO()
    call_command("erase_member", f"kustutatud-{mari.pk}", stdout=out)
    assert "already erased" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("erase_member", "mari")


def test_nobody_else_erases_a_member(mari, jaan, coordinator, roles):
    for actor in (jaan, coordinator):
        with pytest.raises(PermissionDenied):
            erase_member(member=mari, actor=actor)
    assert get_user_model().objects.get(pk=mari.pk).is_active
    erase_member(member=mari, actor=roles["admin"])
    assert not get_user_model().objects.get(pk=mari.pk).is_active


def test_the_only_administrator_is_not_erased(roles):
    admin = roles["admin"]
    get_user_model().objects.filter(is_superuser=True).exclude(pk=admin.pk).update(is_active=False)
    with pytest.raises(ValidationError):
        erase_member(member=admin, actor=admin)
    assert get_user_model().objects.get(pk=admin.pk).is_active


def test_wrong_passwords_on_the_erase_form_count_towards_the_sign_in_lockout(
    client, mari, posts, settings
):
    """Issue 18: the erase form took unlimited guesses without the lockout noticing."""
    client.force_login(mari)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("forum:account_erase"), {"password": "vale"})
    refused = client.post(reverse("forum:account_erase"), {"password": "demo"})
    assert refused.status_code == 429  # the locked-out page, even for the right password
    assert get_user_model().objects.get(pk=mari.pk).username == "mari"  # nothing erased
    client.logout()
    signed_in = client.post(reverse("login"), {"username": "mari", "password": "demo"})
    assert signed_in.status_code == 429  # locked out of signing in as well
