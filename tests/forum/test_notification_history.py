"""A notification says what happened at its time (issue 17): a later status change or
escalation does not rewrite the member's list or the e-mail sent for an earlier event."""

import pytest
from django.core import mail
from django.urls import reverse

from forum import services
from forum.models import AdvocacyTopic, Issue

pytestmark = pytest.mark.django_db


def test_a_status_notice_keeps_the_status_it_announced(
    client, make_issue, coordinator, django_capture_on_commit_callbacks
):
    issue = make_issue("Koolibussid hilinevad")
    with django_capture_on_commit_callbacks(execute=True):
        services.change_issue_status(
            moderator=coordinator, issue=issue, status=Issue.Status.IN_REVIEW
        )
        services.escalate_issues(
            coordinator=coordinator,
            issues=[issue],
            reason="Sama mure mitmes vallas.",
            title="Koolitransport",
            summary="Bussid ei sobi koolipäevaga.",
            problem="Lapsed ootavad tund aega.",
        )
    client.force_login(issue.author)
    page = client.get(reverse("forum:notifications")).content.decode()
    in_review = Issue.Status.IN_REVIEW.label
    escalated = Issue.Status.ESCALATED.label
    assert f"„Koolibussid hilinevad“ on nüüd {in_review}." in page
    assert f"on nüüd {escalated}" not in page
    assert "tõsteti huvikaitseteemaks „Koolitransport“" in page
    # …and the e-mails said the same, each about its own event.
    bodies = [m.body for m in mail.outbox if m.to == [issue.author.email]]
    assert any(f"on nüüd {in_review}." in body for body in bodies)
    assert not any(f"on nüüd {escalated}" in body for body in bodies)


def test_an_escalation_notice_keeps_its_topic_after_the_issue_leaves_it(
    client, make_issue, coordinator
):
    issue = make_issue("Huviringid on kallid")
    topic = services.escalate_issues(
        coordinator=coordinator,
        issues=[issue],
        reason="Mitu organisatsiooni näeb sama.",
        title="Huvihariduse hind",
        summary="Pered ei jõua maksta.",
        problem="Ringitasud tõusid.",
    )
    topic.links.all().delete()
    client.force_login(issue.author)
    page = client.get(reverse("forum:notifications")).content.decode()
    assert "„Huvihariduse hind“" in page


def _escalate_into_a_topic_for_coordinators(issue, coordinator):
    return services.escalate_issues(
        coordinator=coordinator,
        issues=[issue],
        reason="Tundlik teema.",
        title="Salajane pealkiri",
        summary="Ainult koordinaatoritele.",
        problem="Kirjeldus.",
        visibility=AdvocacyTopic.Visibility.COORDINATORS,
    )


def test_an_escalation_into_a_topic_for_coordinators_does_not_name_it_to_members(
    client, make_issue, coordinator, django_capture_on_commit_callbacks
):
    """Issue 18: a notification shows only what its reader may open."""
    issue = make_issue("Turvaline koolitee")
    with django_capture_on_commit_callbacks(execute=True):
        _escalate_into_a_topic_for_coordinators(issue, coordinator)
    client.force_login(issue.author)
    page = client.get(reverse("forum:notifications")).content.decode()
    assert "„Turvaline koolitee“ tõsteti huvikaitseteemaks." in page
    assert "Salajane pealkiri" not in page
    assert not any("Salajane pealkiri" in m.body for m in mail.outbox)


def test_a_topic_made_coordinators_only_later_is_no_longer_named(client, make_issue, coordinator):
    issue = make_issue("Huviringid on kallid")
    topic = services.escalate_issues(
        coordinator=coordinator,
        issues=[issue],
        reason="Mitu organisatsiooni näeb sama.",
        title="Huvihariduse hind",
        summary="Pered ei jõua maksta.",
        problem="Ringitasud tõusid.",
    )
    client.force_login(issue.author)
    assert "„Huvihariduse hind“" in client.get(reverse("forum:notifications")).content.decode()
    AdvocacyTopic.objects.filter(pk=topic.pk).update(
        visibility=AdvocacyTopic.Visibility.COORDINATORS
    )
    page = client.get(reverse("forum:notifications")).content.decode()
    assert "Huvihariduse hind" not in page and "tõsteti huvikaitseteemaks." in page
