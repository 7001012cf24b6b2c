import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forum import services
from forum.models import (
    County,
    Follow,
    Issue,
    IssueRevision,
    Notification,
    Profile,
    Support,
    Theme,
)

pytestmark = pytest.mark.django_db


def test_posting_an_issue_stores_rendered_text_tags_follow_and_audit(make_member):
    author = make_member()
    issue = services.post_issue(
        author=author,
        organization=author.memberships.get().organization,
        title="Pealkiri",
        body="**Tähtis**",
        theme=Theme.objects.get(slug="haridus"),
        tags=["kool", "vaimne tervis"],
    )
    assert issue.body_html.strip() == "<p><strong>Tähtis</strong></p>"
    assert sorted(issue.tags.names()) == ["kool", "vaimne tervis"]
    assert Follow.objects.filter(user=author, issue=issue).exists()
    assert ModelLogEntry.objects.filter(object_id=str(issue.pk), action="forum.issue.post").exists()
    assert issue.place == "All of Estonia" or str(issue.place)


def test_a_municipality_sets_its_county(make_issue):
    from forum.models import Municipality

    issue = make_issue(municipality=Municipality.objects.get(name="Rae vald"))
    assert issue.county.slug == "harjumaa"


def test_only_members_post_and_only_for_their_own_organisation(make_member, organizations, roles):
    theme = Theme.objects.get(slug="haridus")
    with pytest.raises(PermissionDenied):
        services.post_issue(
            author=roles["toimetaja"],
            organization=organizations["paikesekiir"],
            title="x",
            body="y",
            theme=theme,
        )
    with pytest.raises(PermissionDenied):
        services.post_issue(
            author=roles["liige"],
            organization=organizations["emajoe-noored"],
            title="x",
            body="y",
            theme=theme,
        )
    with pytest.raises(PermissionDenied):
        services.post_issue(
            author=roles["former"],
            organization=organizations["laanemaa-pere"],
            title="x",
            body="y",
            theme=theme,
        )
    assert not Issue.objects.filter(title="x").exists()


def test_editing_keeps_a_revision_of_what_changed(make_issue):
    issue = make_issue("Vana pealkiri", body="Vana tekst")
    services.edit_issue(
        editor=issue.author,
        issue=issue,
        title="Uus pealkiri",
        body="Vana tekst",
        theme=issue.theme,
        tags=["uus"],
    )
    revision = IssueRevision.objects.get(issue=issue)
    assert revision.editor == issue.author
    assert revision.changes["title"] == ["Vana pealkiri", "Uus pealkiri"]
    assert revision.changes["tags"] == ["", "uus"]
    assert "body" not in revision.changes


def test_someone_else_cannot_edit_but_a_coordinator_can(make_issue, make_member, coordinator):
    issue = make_issue()
    other = make_member(organization="emajoe-noored")
    with pytest.raises(PermissionDenied):
        services.edit_issue(editor=other, issue=issue, title="Häkitud", body="x", theme=issue.theme)
    services.edit_issue(
        editor=coordinator, issue=issue, title="Parandatud", body="x", theme=issue.theme
    )
    assert Issue.objects.get(pk=issue.pk).title == "Parandatud"


def test_we_see_this_too_once_per_organisation_with_a_kept_count(make_issue, make_member):
    issue = make_issue()
    first = make_member(organization="emajoe-noored")
    second = make_member(organization="emajoe-noored")
    organization = first.memberships.get().organization
    services.add_support(user=first, issue=issue, organization=organization, note="Meil ka.")
    with pytest.raises(ValidationError):
        services.add_support(user=second, issue=issue, organization=organization)
    issue.refresh_from_db()
    assert issue.support_count == 1 == Support.objects.filter(issue=issue).count()
    assert issue.organization_count == 2
    services.withdraw_support(user=second, issue=issue, organization=organization)
    issue.refresh_from_db()
    assert issue.support_count == 0 and not Support.objects.filter(issue=issue).exists()


def test_an_organisation_cannot_support_its_own_issue(make_issue):
    issue = make_issue()
    with pytest.raises(PermissionDenied):
        services.add_support(user=issue.author, issue=issue, organization=issue.organization)


def test_comments_are_counted_edited_with_revisions_and_deleted_for_audit(make_issue, make_member):
    issue = make_issue()
    commenter = make_member(organization="emajoe-noored")
    comment = services.add_comment(author=commenter, issue=issue, body="Esimene")
    services.edit_comment(editor=commenter, comment=comment, body="Parandatud")
    services.delete_comment(user=commenter, comment=comment)
    comment.refresh_from_db()
    issue.refresh_from_db()
    assert issue.comment_count == 0  # a deleted comment leaves only a placeholder
    assert comment.body == "Parandatud" and comment.edited and comment.deleted
    assert comment.revisions.get().body == "Esimene"
    with pytest.raises(PermissionDenied):
        services.edit_comment(editor=issue.author, comment=comment, body="võõras")


def test_a_locked_issue_takes_no_comments_from_members(make_issue, make_member, coordinator):
    issue = make_issue()
    services.lock_issue(moderator=coordinator, issue=issue, locked=True)
    issue.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.add_comment(author=make_member(), issue=issue, body="x")
    services.add_comment(author=coordinator, issue=issue, body="Koordinaator võib.")


def test_status_changes_follow_the_workflow(make_issue, coordinator, make_member):
    issue = make_issue()
    with pytest.raises(PermissionDenied):
        services.change_issue_status(moderator=make_member(), issue=issue, status="in_review")
    services.change_issue_status(
        moderator=coordinator, issue=issue, status="in_review", reason="Vaatame"
    )
    with pytest.raises(ValidationError):  # escalation has its own action
        services.change_issue_status(moderator=coordinator, issue=issue, status="escalated")
    services.change_issue_status(moderator=coordinator, issue=issue, status="closed")
    with pytest.raises(ValidationError):
        services.change_issue_status(moderator=coordinator, issue=issue, status="resolved")
    services.change_issue_status(moderator=coordinator, issue=issue, status="open")  # reopen
    with pytest.raises(ValidationError):
        services.change_issue_status(moderator=coordinator, issue=issue, status="nonsense")
    entries = ModelLogEntry.objects.filter(object_id=str(issue.pk), action="forum.issue.status")
    assert [e.data["to"] for e in entries.order_by("timestamp")] == ["in_review", "closed", "open"]
    assert entries.first().user == coordinator


def test_merging_a_duplicate_keeps_every_supporter_follower_and_tag(
    make_issue, make_member, coordinator
):
    original = make_issue("Bussid hilinevad", tags=["koolitransport"])
    duplicate = make_issue(
        "Koolibussid jäävad hiljaks",
        author=make_member(organization="emajoe-noored"),
        tags=["buss"],
    )
    both = make_member(organization="vorumaa-lapsed")
    only_dup = make_member(organization="narva-pered")
    services.add_support(
        user=both, issue=original, organization=both.memberships.get().organization
    )
    services.add_support(
        user=both, issue=duplicate, organization=both.memberships.get().organization
    )
    services.add_support(
        user=only_dup, issue=duplicate, organization=only_dup.memberships.get().organization
    )
    follower = make_member(organization="saarte-lapsed")
    services.follow_issue(user=follower, issue=duplicate)

    services.merge_issue_into(
        moderator=coordinator, duplicate=duplicate, original=original, reason="Sama mure"
    )

    original.refresh_from_db()
    duplicate.refresh_from_db()
    supporters = set(original.supports.values_list("organization__slug", flat=True))
    assert supporters == {"emajoe-noored", "vorumaa-lapsed", "narva-pered"}
    assert original.support_count == 3
    assert duplicate.status == Issue.Status.DUPLICATE and duplicate.duplicate_of == original
    assert (
        Follow.objects.filter(
            issue=original, user__in=[follower, duplicate.author, only_dup]
        ).count()
        == 3
    )
    assert sorted(original.tags.names()) == ["buss", "koolitransport"]
    assert Notification.objects.filter(recipient=duplicate.author, kind="duplicate").exists()
    with pytest.raises(ValidationError):
        services.merge_issue_into(moderator=coordinator, duplicate=original, original=original)


def test_hiding_resolves_flags_and_hides_from_members(make_issue, make_member, coordinator):
    from forum.issues.permissions import visible_issues

    issue = make_issue()
    reader = make_member(organization="emajoe-noored")
    flag = services.flag_content(reporter=reader, issue=issue, reason="Tuvastatav laps")
    services.hide_issue(moderator=coordinator, issue=issue, reason="Lapse andmed")
    flag.refresh_from_db()
    assert flag.resolved and flag.resolved_by == coordinator
    assert not visible_issues(reader).filter(pk=issue.pk).exists()
    assert visible_issues(coordinator).filter(pk=issue.pk).exists()
    entry = ModelLogEntry.objects.get(object_id=str(issue.pk), action="forum.issue.hide")
    assert entry.data["reason"] == "Lapse andmed" and entry.user == coordinator


def test_notifications_go_to_author_and_followers_not_the_actor(
    make_issue, make_member, django_capture_on_commit_callbacks
):
    issue = make_issue()
    follower = make_member(organization="saarte-lapsed")
    services.follow_issue(user=follower, issue=issue)
    commenter = make_member(organization="emajoe-noored")
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(author=commenter, issue=issue, body="Meil ka nii.")
    recipients = set(
        Notification.objects.filter(issue=issue).values_list("recipient__username", flat=True)
    )
    assert recipients == {issue.author.username, follower.username}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([issue.author.email, follower.email])
    assert "MTÜ Emajõe Noortekeskus" in mail.outbox[0].body


def test_former_members_are_told_nothing(make_issue, roles):
    issue = make_issue()
    services.follow_issue(user=roles["liige"], issue=issue)
    Follow.objects.create(user=roles["former"], issue=issue)
    services.add_comment(author=roles["liige2"], issue=issue, body="x")
    assert not Notification.objects.filter(recipient=roles["former"]).exists()


def test_digests_collect_what_was_not_mailed_and_respect_the_period(make_issue, make_member):
    issue = make_issue()
    daily = make_member(organization="saarte-lapsed")
    Profile.objects.create(user=daily, email_delivery=Profile.Delivery.DAILY)
    services.follow_issue(user=daily, issue=issue)
    for n in range(2):
        services.add_comment(
            author=make_member(organization="emajoe-noored"), issue=issue, body=f"Kommentaar {n}"
        )
    assert [m for m in mail.outbox if m.to == [daily.email]] == []  # not immediately
    now = timezone.now()
    assert services.send_digests(Profile.Delivery.DAILY, now=now) == 1
    digest = [m for m in mail.outbox if m.to == [daily.email]]
    assert len(digest) == 1 and issue.title in digest[0].body
    assert not Notification.objects.filter(recipient=daily, emailed__isnull=True).exists()
    services.add_comment(author=make_member(organization="emajoe-noored"), issue=issue, body="Veel")
    assert services.send_digests(Profile.Delivery.DAILY, now=now + datetime.timedelta(hours=2)) == 0
    assert services.send_digests(Profile.Delivery.DAILY, now=now + datetime.timedelta(days=1)) == 1


def test_digest_command_runs_for_a_scheduler(capsys):
    from django.core.management import call_command

    call_command("send_digests", "weekly")
    assert "weekly digest(s) sent." in capsys.readouterr().out


def test_counties_for_the_support_default_to_none(make_issue, make_member):
    issue = make_issue()
    supporter = make_member(organization="vorumaa-lapsed")
    support = services.add_support(
        user=supporter,
        issue=issue,
        organization=supporter.memberships.get().organization,
        county=County.objects.get(slug="vorumaa"),
    )
    assert support.county.slug == "vorumaa"


def test_coordinator_renames_and_merges_tags(client, make_issue, coordinator):
    from django.urls import reverse

    from forum.models import ForumTag as Tag

    first = make_issue("Üks", tags=["kiusamine", "kool"])
    second = make_issue("Kaks", tags=["koolikiusamine"])
    client.force_login(coordinator)
    kiusamine = Tag.objects.get(name="kiusamine")
    response = client.post(reverse("forum:tags"), {"tag": kiusamine.pk, "name": "Koolikiusamine"})
    assert response.status_code == 302
    assert sorted(first.tags.names()) == ["kool", "koolikiusamine"]
    assert list(second.tags.names()) == ["koolikiusamine"]
    assert not Tag.objects.filter(name="kiusamine").exists()
    kool = Tag.objects.get(name="kool")
    services.rename_tag(moderator=coordinator, tag=kool, new_name="  Kool  ja  haridus ")
    kool.refresh_from_db()
    assert kool.name == "kool ja haridus" and kool.slug == "kool-ja-haridus"
    with pytest.raises(PermissionDenied):
        services.rename_tag(moderator=first.author, tag=kool, new_name="x")


def test_comments_on_a_locked_issue_stay_as_they_are(make_issue, make_member, coordinator):
    issue = make_issue()
    commenter = make_member(organization="emajoe-noored")
    comment = services.add_comment(author=commenter, issue=issue, body="Enne lukustamist")
    services.lock_issue(moderator=coordinator, issue=issue, locked=True)
    comment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.edit_comment(editor=commenter, comment=comment, body="Pärast")


def test_a_former_organisations_representative_manages_nothing(roles, organizations):
    from forum.models import Membership

    Membership.objects.filter(user=roles["former"]).update(role=Membership.Role.REPRESENTATIVE)
    with pytest.raises(PermissionDenied):
        services.invite_person(
            inviter=roles["former"],
            organization=organizations["laanemaa-pere"],
            email="x@example.org",
        )


def test_a_double_submission_posts_once(make_issue, make_member):
    issue = make_issue("Kaks korda", body="Sama tekst")
    with pytest.raises(ValidationError):
        make_issue("Kaks korda", body="Sama tekst", author=issue.author)
    commenter = make_member(organization="emajoe-noored")
    services.add_comment(author=commenter, issue=issue, body="Üks kord")
    with pytest.raises(ValidationError):
        services.add_comment(author=commenter, issue=issue, body="Üks kord")
    issue.refresh_from_db()
    assert Issue.objects.filter(title="Kaks korda").count() == 1 and issue.comment_count == 1


def test_hiding_and_showing_a_comment_keeps_the_count_right(make_issue, make_member, coordinator):
    issue = make_issue()
    comment = services.add_comment(
        author=make_member(organization="emajoe-noored"), issue=issue, body="Üks"
    )
    services.hide_comment(moderator=coordinator, comment=comment, reason="Isikuandmed")
    services.hide_comment(moderator=coordinator, comment=comment, reason="Uuesti")  # no change
    issue.refresh_from_db()
    assert issue.comment_count == 0
    services.hide_comment(moderator=coordinator, comment=comment, reason="", hidden=False)
    issue.refresh_from_db()
    assert issue.comment_count == 1


def test_a_merge_tells_the_duplicates_followers_and_keeps_notes(
    make_issue, make_member, coordinator
):
    original = make_issue("Originaal")
    duplicate = make_issue("Koopia", author=make_member(organization="emajoe-noored"))
    follower = make_member(organization="saarte-lapsed")
    services.follow_issue(user=follower, issue=duplicate)
    both = make_member(organization="vorumaa-lapsed")
    org = both.memberships.get().organization
    services.add_support(user=both, issue=original, organization=org, note="Võrus ka.")
    services.add_support(user=both, issue=duplicate, organization=org, note="Ka Antslas.")
    services.merge_issue_into(moderator=coordinator, duplicate=duplicate, original=original)
    assert Notification.objects.filter(recipient=follower, kind="duplicate").exists()
    note = Support.objects.get(issue=original, organization=org).note
    assert "Võrus ka." in note and "Ka Antslas." in note


def test_nothing_merges_into_a_hidden_issue(make_issue, make_member, coordinator):
    original = make_issue("Peidetud")
    duplicate = make_issue("Koopia", author=make_member(organization="emajoe-noored"))
    services.hide_issue(moderator=coordinator, issue=original, reason="Lapse andmed")
    with pytest.raises(ValidationError):
        services.merge_issue_into(moderator=coordinator, duplicate=duplicate, original=original)


def test_hidden_issues_notify_coordinators_only(make_issue, make_member, coordinator):
    from forum.inbox.permissions import visible_notifications

    issue = make_issue()
    follower = make_member(organization="emajoe-noored")
    services.follow_issue(user=follower, issue=issue)
    services.add_comment(author=follower, issue=issue, body="Enne peitmist")
    services.hide_issue(moderator=coordinator, issue=issue, reason="Lapse andmed")
    services.change_issue_status(moderator=coordinator, issue=issue, status="closed")
    assert not Notification.objects.filter(issue=issue, kind="status").exists()
    # The earlier notification about it disappears from the author's list and count.
    assert Notification.objects.filter(recipient=issue.author, issue=issue).exists()
    assert not visible_notifications(issue.author).filter(issue=issue).exists()


def test_an_invitation_never_opens_an_existing_account(client, roles, organizations):
    from django.urls import reverse

    invitation = services.invite_person(
        inviter=roles["esindaja"],
        organization=organizations["paikesekiir"],
        email=roles["koordinaator"].email,
    )
    url = reverse("forum:accept_invitation", args=[invitation.token])
    response = client.post(
        url,
        {
            "username": "x",
            "first_name": "X",
            "last_name": "Y",
            "password1": "Lapsekesksus-2026",
            "password2": "Lapsekesksus-2026",
        },
    )
    assert response.status_code == 302 and response.url.startswith("/konto/sisene/")
    assert "_auth_user_id" not in client.session
    invitation.refresh_from_db()
    assert invitation.accepted is None
    # Signed in as the invited account, its owner joins.
    client.force_login(roles["koordinaator"])
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepted and invitation.user == roles["koordinaator"]


def test_renaming_a_tag_shared_with_articles_leaves_the_articles_alone(
    make_issue, make_article, coordinator
):
    from forum.models import ForumTag

    article = make_article("Avalik lugu", tags=["perepoliitika"])
    issue = make_issue(tags=["perepoliitika"])
    shared = ForumTag.objects.get(name="perepoliitika")
    services.rename_tag(moderator=coordinator, tag=shared, new_name="pered")
    assert list(article.tags.names()) == ["perepoliitika"]
    assert list(issue.tags.names()) == ["pered"]


class BrokenMailServer:
    """An e-mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server is down")


def test_a_mail_server_failure_never_fails_the_action(
    client, settings, make_issue, make_member, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    settings.EMAIL_BACKEND = "tests.forum.test_services.BrokenMailServer"
    issue = make_issue()
    commenter = make_member(organization="emajoe-noored")
    client.force_login(commenter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forum:issue_comment", args=[issue.pk]), {"body": "Server maas"}
        )
    assert response.status_code == 302
    assert issue.comments.filter(body="Server maas").exists()
    notification = Notification.objects.get(recipient=issue.author, issue=issue)
    assert notification.emailed is None  # left for a later digest or retry
