"""The coordinators' history of a thread in people's words (issue 20, defect 3): statuses by
their names, topics by their titles, organisations by their names, which fields changed, a
word-level diff of each edit, and a merge seen from the original too."""

import re

import pytest
from django.urls import reverse

from forum.models import Issue
from forum.services import (
    add_support,
    change_issue_status,
    edit_issue,
    escalate_issues,
    merge_issue_into,
    unlink_issue,
)
from forum.templatetags.forum_tags import word_diff

pytestmark = pytest.mark.django_db

# What the page showed before: keys and codes of the entries' data.
INTERNALS = re.compile(r"\b(from|to|topic|organization|fields|into|page|reply): |\['|in_review")


def _history(client, coordinator, issue) -> str:
    client.force_login(coordinator)
    response = client.get(reverse("forum:issue_history", args=[issue.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert not INTERNALS.search(html), INTERNALS.search(html)
    return html


def test_statuses_topics_and_organisations_are_named(client, roles, make_issue, make_member):
    coordinator = roles["koordinaator"]
    issue = make_issue("Koolibuss ei sobi koolipäevaga")
    change_issue_status(moderator=coordinator, issue=issue, status="in_review", reason="Vaatame.")
    supporter = make_member(organization="emajoe-noored")
    add_support(user=supporter, issue=issue, organization=supporter.memberships.get().organization)
    topic = escalate_issues(
        coordinator=coordinator,
        issues=[issue],
        reason="Sama mure mitmel pool.",
        title="Koolitransport maapiirkondades",
        summary="Kokkuvõte.",
        problem="Probleem.",
    )
    unlink_issue(coordinator=coordinator, topic=topic, issue=issue, reason="Eksitus.")
    html = _history(client, coordinator, issue)
    assert "„avatud“ → „läbivaatamisel“" in html
    assert "Vaatame." in html  # the reason, in its own column
    assert "MTÜ Emajõe Noortekeskus" in html
    assert html.count("teema „Koolitransport maapiirkondades“") == 2  # escalated, unlinked


def test_an_edit_names_its_fields_and_shows_the_words_that_changed(client, roles, make_issue):
    issue = make_issue("Koolibuss hilineb", body="Buss tuleb hommikul alati hiljem kui tund.")
    edit_issue(
        editor=issue.author,
        issue=issue,
        title="Koolibuss hilineb talvel",
        body="Buss tuleb hommikul alati hiljem kui esimene tund.",
        theme=issue.theme,
    )
    html = _history(client, roles["koordinaator"], issue)
    assert "Muutis muret: kirjeldus, pealkiri" in html
    assert "<ins>esimene</ins>" in html and "<ins>talvel</ins>" in html
    assert "<del>" not in html  # nothing removed: the old text is not struck through whole


def test_a_merge_shows_on_the_original_too(client, roles, make_issue):
    original, duplicate = make_issue("Koolibuss hilineb"), make_issue("Buss hilineb jälle")
    merge_issue_into(
        moderator=roles["koordinaator"], duplicate=duplicate, original=original, reason="Sama."
    )
    html = _history(client, roles["koordinaator"], original)
    assert f"mure nr {duplicate.pk}" in html and "Sama." in html
    assert Issue.objects.get(pk=duplicate.pk).duplicate_of == original
    assert f"mure nr {original.pk}" in _history(client, roles["koordinaator"], duplicate)


def test_word_diff_escapes_and_shortens_long_unchanged_stretches():
    old = " ".join(f"sõna{n}" for n in range(60)) + " <b>vana</b>"
    new = " ".join(f"sõna{n}" for n in range(60)) + " <b>uus</b>"
    html = word_diff(old, new)
    assert (
        "<del>&lt;b&gt;vana&lt;/b&gt;</del>" in html and "<ins>&lt;b&gt;uus&lt;/b&gt;</ins>" in html
    )
    assert "sõna0 " not in html and "…" in html and "sõna59" in html
    assert word_diff("üks kaks", "üks kolm") == "üks <del>kaks</del> <ins>kolm</ins>"
