"""Retention: `manage.py apply_retention`, run by a scheduler, removes the text of issues that
ended (closed, resolved, merged, escalated) more than KODA_RETENTION_DAYS ago, and their
comments' text, from the database, the revisions and the search index; the issue and what the
network counts stay. Recent and open issues are untouched; --dry-run changes nothing."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forum import services
from forum.models import Comment, CommentRevision, Issue, IssueRevision, Support
from forum.personal_data.retention import PLACEHOLDER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.KODA_RETENTION_DAYS = 365


def _end(issue, coordinator, status="closed", *, days_ago):
    """End `issue` with `status` as a coordinator would, `days_ago` days back."""
    services.change_issue_status(moderator=coordinator, issue=issue, status=status)
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Issue.objects.filter(pk=issue.pk).update(last_activity=moment, created=moment)
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Issue), object_id=str(issue.pk)
    ).update(timestamp=moment)
    return Issue.objects.get(pk=issue.pk)


@pytest.fixture
def old(make_issue, make_member, organizations, coordinator):
    """An issue closed 400 days ago, with an edit, a comment edited once and a local note."""
    author = make_member("vana")
    issue = make_issue("Bussipeatus on ohtlik", author=author, body="Kaugevalla bussipeatus.")
    services.edit_issue(
        editor=author,
        issue=issue,
        title=issue.title,
        body="Kaugevalla bussipeatus on pime.",
        theme=issue.theme,
    )
    other = make_member("teine", organization="emajoe-noored")
    comment = services.add_comment(author=other, issue=issue, body="Nõmmejärve peatus samuti.")
    services.edit_comment(editor=other, comment=comment, body="Nõmmejärve peatus on pime.")
    services.add_support(
        user=other, issue=issue, organization=organizations["emajoe-noored"], note="Ka Tartus."
    )
    return _end(issue, coordinator, days_ago=400)


def _search(client, word, kind="issue"):
    return client.get("/otsing/", {"q": word, "type": kind}).context["results"].paginator.count


def _retain(*args):
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_old_text_is_replaced_and_the_counts_stay(old):
    # An entry from before the log stopped quoting the text.
    comment = Comment.objects.get(issue=old)
    ModelLogEntry.objects.filter(action="forum.comment.add").update(label=str(comment))
    out = _retain()
    assert f"issue {old.pk}" in out
    issue = Issue.objects.get(pk=old.pk)
    assert issue.body == PLACEHOLDER
    assert PLACEHOLDER in issue.body_html and "Kaugevalla" not in issue.body_html
    assert issue.title == "Bussipeatus on ohtlik"
    assert (issue.support_count, issue.comment_count, issue.status) == (1, 1, "closed")
    (comment,) = Comment.objects.filter(issue=issue)
    assert (comment.body, comment.organization.slug) == (PLACEHOLDER, "emajoe-noored")
    assert "Nõmmejärve" not in comment.body_html
    (support,) = Support.objects.filter(issue=issue)
    assert (support.note, support.organization.slug) == ("", "emajoe-noored")
    assert not IssueRevision.objects.filter(issue=issue).exists()
    assert not CommentRevision.objects.filter(comment__issue=issue).exists()
    for entry in ModelLogEntry.objects.filter(action__startswith="forum.comment"):
        assert "Nõmmejärve" not in entry.label, entry.action


@pytest.mark.search
def test_old_text_is_gone_from_search_and_pages(client, old, coordinator):
    client.force_login(coordinator)
    assert _search(client, "Kaugevalla") == 1  # the control
    assert _search(client, "Nõmmejärve", "comment") == 1
    _retain()
    assert _search(client, "Kaugevalla") == 0
    assert _search(client, "Nõmmejärve", "comment") == 0
    assert _search(client, "Bussipeatus") == 1  # the title stays
    for name in ("issue_detail", "issue_history"):
        page = client.get(reverse(f"forum:{name}", args=[old.pk])).content.decode()
        assert "Kaugevalla" not in page and "Nõmmejärve" not in page
    entries = ModelLogEntry.objects.filter(object_id__in=[str(old.pk)])
    assert entries.filter(action="forum.issue.retention").count() == 1


def test_recent_open_and_escalated_recently_issues_are_untouched(
    make_issue, coordinator, old, make_member
):
    recent = _end(make_issue("Hiljuti suletud", body="Värske tekst."), coordinator, days_ago=30)
    still_open = make_issue("Ammu avatud", body="Avatud tekst.")
    Issue.objects.filter(pk=still_open.pk).update(
        last_activity=timezone.now() - datetime.timedelta(days=900)
    )
    # Ended long ago, but talked about since: kept until a year after the last comment.
    lively = _end(make_issue("Elav arutelu", body="Elav tekst."), coordinator, days_ago=400)
    Issue.objects.filter(pk=lively.pk).update(
        last_activity=timezone.now() - datetime.timedelta(days=10)
    )
    _retain()
    assert Issue.objects.get(pk=recent.pk).body == "Värske tekst."
    assert Issue.objects.get(pk=still_open.pk).body == "Avatud tekst."
    assert Issue.objects.get(pk=lively.pk).body == "Elav tekst."
    assert Issue.objects.get(pk=old.pk).body == PLACEHOLDER


def test_escalated_and_merged_issues_count_from_when_they_ended(
    make_issue, coordinator, organizations
):
    escalated = make_issue("Eskaleeritud", body="Eskaleeritud tekst.")
    services.escalate_issues(
        coordinator=coordinator,
        issues=[escalated],
        reason="Ühine teema.",
        title="Teema",
        summary="Kokkuvõte.",
        problem="Probleem.",
    )
    original = make_issue("Algne", body="Algne tekst.")
    duplicate = make_issue("Duplikaat", body="Duplikaadi tekst.")
    services.merge_issue_into(moderator=coordinator, duplicate=duplicate, original=original)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Issue.objects.update(created=long_ago, last_activity=long_ago)
    _retain()  # they ended just now
    assert Issue.objects.get(pk=escalated.pk).body == "Eskaleeritud tekst."
    assert Issue.objects.get(pk=duplicate.pk).body == "Duplikaadi tekst."

    ModelLogEntry.objects.filter(action__startswith="forum.issue").update(timestamp=long_ago)
    _retain()
    assert Issue.objects.get(pk=escalated.pk).body == PLACEHOLDER
    assert Issue.objects.get(pk=duplicate.pk).body == PLACEHOLDER
    assert Issue.objects.get(pk=original.pk).body == "Algne tekst."  # still open


@pytest.mark.search
def test_a_dry_run_changes_nothing(client, old, coordinator):
    out = _retain("--dry-run")
    assert f"Would replace the text of issue {old.pk}" in out
    issue = Issue.objects.get(pk=old.pk)
    assert issue.body == "Kaugevalla bussipeatus on pime."
    assert Comment.objects.get(issue=issue).body == "Nõmmejärve peatus on pime."
    assert Support.objects.get(issue=issue).note == "Ka Tartus."
    assert IssueRevision.objects.filter(issue=issue).exists()
    client.force_login(coordinator)
    assert _search(client, "Kaugevalla") == 1


def test_a_second_run_finds_nothing_to_do(old):
    _retain()
    changed = Issue.objects.get(pk=old.pk).updated
    out = _retain()
    assert "0 issue(s)" in out and "0 comment(s)" in out
    assert Issue.objects.get(pk=old.pk).updated == changed
    assert ModelLogEntry.objects.filter(action="forum.issue.retention").count() == 1


def test_a_comment_added_after_retention_is_retained_in_its_turn(old, make_member, coordinator):
    _retain()
    services.change_issue_status(moderator=coordinator, issue=old, status="open")
    late = services.add_comment(author=make_member(), issue=old, body="Hiline kommentaar.")
    _end(old, coordinator, days_ago=400)
    _retain()
    assert Comment.objects.get(pk=late.pk).body == PLACEHOLDER


def test_the_retention_period_is_a_setting(old, settings):
    settings.KODA_RETENTION_DAYS = 500
    _retain()
    assert Issue.objects.get(pk=old.pk).body != PLACEHOLDER
