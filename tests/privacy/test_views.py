"""Through the real views, as each role posts: a disguised code in any text field is refused,
the page comes back with the reason and everything typed, and not one row changes anywhere.
(tests/privacy/test_disguises.py runs every disguise through every form field; this runs a
sample through every view that stores text, to prove the views use the guarded forms.)"""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from forum import services
from forum.models import Membership, Theme

from .test_disguises import RED_TEAM, REFUSE

# Every tenth disguise: spaces, dots, scripts, invisible characters, markup, references.
SAMPLE = REFUSE[::10] + RED_TEAM[::3]


@pytest.fixture
def world(db, make_member, make_issue, make_discussion, coordinator, organizations, harjumaa):
    representative = make_member("esindaja", role=Membership.Role.REPRESENTATIVE)
    other = make_member("teine", organization="emajoe-noored")
    issue = make_issue(author=representative)
    comment = services.add_comment(author=representative, issue=issue, body="Meil ka nii.")
    discussion = make_discussion(author=representative)
    reply = services.add_reply(author=representative, discussion=discussion, body="Vastus.")
    topic = services.create_topic(
        coordinator=coordinator, title="Koolitransport", summary="Kokku.", problem="Mure."
    )
    organization = representative.memberships.get().organization
    return SimpleNamespace(
        representative=representative,
        coordinator=coordinator,
        organization=organization,
        issue=issue,
        other_issue=make_issue(author=other),
        comment=comment,
        discussion=discussion,
        reply=reply,
        topic=topic,
        theme=str(Theme.objects.get(slug="turvalisus").pk),
        county=str(harjumaa.pk),
    )


def _tag(w):
    issue = w.other_issue
    issue.tags.add("mänguväljak")
    return str(issue.tags.get(name="mänguväljak").pk)


# who posts, where, what else the form needs, and the text fields to attack
VIEWS = {
    "issue": (
        "representative",
        lambda w: reverse("forum:issue_create"),
        lambda w: {
            "organization": w.organization.pk,
            "title": "Pealkiri",
            "body": "Tekst",
            "theme": w.theme,
            "seen_similar": "1",
        },
        ["title", "body", "tags"],
    ),
    "issue edit": (
        "representative",
        lambda w: reverse("forum:issue_edit", args=[w.issue.pk]),
        lambda w: {
            "organization": w.organization.pk,
            "title": "Pealkiri",
            "body": "Tekst",
            "theme": w.theme,
        },
        ["title", "body"],
    ),
    "comment": (
        "representative",
        lambda w: reverse("forum:issue_comment", args=[w.other_issue.pk]),
        lambda w: {},
        ["body"],
    ),
    "comment edit": (
        "representative",
        lambda w: reverse("forum:comment_edit", args=[w.comment.pk]),
        lambda w: {},
        ["body"],
    ),
    "we see this too": (
        "representative",
        lambda w: reverse("forum:issue_support", args=[w.other_issue.pk]),
        lambda w: {"organization": w.organization.pk},
        ["note"],
    ),
    "flag": (
        "representative",
        lambda w: reverse("forum:issue_flag", args=[w.other_issue.pk]),
        lambda w: {},
        ["reason"],
    ),
    "discussion": (
        "representative",
        lambda w: reverse("forum:discussion_create"),
        lambda w: {"kind": "question", "title": "Pealkiri", "body": "Tekst"},
        ["title", "body", "tags", "files"],
    ),
    "discussion edit": (
        "representative",
        lambda w: reverse("forum:discussion_edit", args=[w.discussion.pk]),
        lambda w: {"title": "Pealkiri", "body": "Tekst"},
        ["title", "body", "files"],
    ),
    "reply": (
        "representative",
        lambda w: reverse("forum:discussion_reply", args=[w.discussion.pk]),
        lambda w: {},
        ["body"],
    ),
    "reply edit": (
        "representative",
        lambda w: reverse("forum:reply_edit", args=[w.reply.pk]),
        lambda w: {},
        ["body"],
    ),
    "profile": (
        "representative",
        lambda w: reverse("forum:profile"),
        lambda w: {"first_name": "Mari", "last_name": "Maasikas", "email_delivery": "immediately"},
        ["first_name", "last_name"],
    ),
    "organisation": (
        "representative",
        lambda w: reverse("forum:organization_manage", args=[w.organization.slug]),
        lambda w: {
            "name": w.organization.name,
            "county": w.county,
            "field_of_work": "noorsootöö",
            "description": "Tekst",
        },
        ["name", "field_of_work", "description"],
    ),
    "hide": (
        "coordinator",
        lambda w: reverse("forum:issue_hide", args=[w.other_issue.pk]),
        lambda w: {"hide": "1"},
        ["reason"],
    ),
    "status": (
        "coordinator",
        lambda w: reverse("forum:issue_status", args=[w.other_issue.pk]),
        lambda w: {"status": "in_review"},
        ["reason"],
    ),
    "tag rename": (
        "coordinator",
        lambda w: reverse("forum:tags"),
        lambda w: {"tag": _tag(w)},
        ["name"],
    ),
    "topic": (
        "coordinator",
        lambda w: reverse("forum:topic_create"),
        lambda w: {
            "title": "Teema",
            "summary": "Kokku.",
            "problem": "Mure.",
            "visibility": "network",
        },
        ["title", "summary", "problem"],
    ),
    "topic comment": (
        "coordinator",
        lambda w: reverse("forum:topic_comment", args=[w.topic.pk]),
        lambda w: {},
        ["body"],
    ),
    "position": (
        "coordinator",
        lambda w: reverse("forum:topic_position", args=[w.topic.pk]),
        lambda w: {},
        ["text"],
    ),
}


def _rows() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _typed(name, text):
    if name == "files":
        return SimpleUploadedFile(f"{text}.txt", b"Tavaline kiri.", "text/plain")
    return text


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_a_disguised_code_is_refused_in_every_view_and_nothing_is_stored(world, view):
    who, url, base, fields = VIEWS[view]
    client = _client(getattr(world, who))
    client.get(url(world))  # a first visit may make what a page needs (a profile)
    for name in fields:
        for disguise in SAMPLE:
            text = disguise["text"]
            if name == "files" and ("/" in text or "\\" in text):
                continue  # not a name a file can have (test_disguises.py)
            data = {**base(world), name: _typed(name, text)}
            before = _rows()
            response = client.post(url(world), data)
            where = f"{view}.{name}: {disguise['name']}"
            assert response.status_code in (200, 400), where  # the form again, or its page
            html = response.content.decode()
            assert "error-summary" in html or "errorlist" in html, where
            if len(text) <= 50:  # no field here is too short for it: the guard's own words
                assert "isikukood" in html or "ühele reale" in html, where
            if name != "files":
                assert escape(text.strip()) in html or "ühele reale" in html, where
            assert _rows() == before, where


def test_the_public_join_form_refuses_a_disguised_code_and_keeps_what_was_typed(
    client, join_page, harjumaa
):
    valid = {
        "name": "MTÜ Testküla Pered",
        "registry_code": "80123456",
        "contact_name": "Mari Maasikas",
        "contact_email": "mari@example.org",
        "county": str(harjumaa.pk),
        "field_of_work": "perenõustamine",
        "motivation": "Tahame jagada kogemusi.",
    }
    for name in ("name", "contact_name", "field_of_work", "motivation"):
        for disguise in SAMPLE:
            before = _rows()
            response = client.post(join_page.url, {**valid, name: disguise["text"]})
            assert response.status_code == 200, (name, disguise["name"])
            assert _rows() == before, (name, disguise["name"])
