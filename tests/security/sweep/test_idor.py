"""Insecure direct object references: every URL that takes an object's id, slug, path or token,
tried by every role with objects that role may not see or change, answers 403 or 404 (or sends
the person to sign in) and changes nothing: not one row of the database, and no e-mail.

The URLs come from Django's resolver, not from a list written here: a new URL with an argument
fails `test_every_url_with_an_object_reference_has_targets` until it is given targets below (or
a reason to be left out). Each URL lists its targets: objects behind it, each with the roles
that may not see or change it; the roles a URL leaves nothing off-limits to are named too, so
every role is thought about for every URL. A target is tried with GET and, for a view that
changes things, with a POST carrying data that would succeed if the permission check were
missing; `test_the_same_request_succeeds_for_a_permitted_role` proves that for each target: a
role that may, with the same payload (on the same object, or on a sibling where nobody may
touch this one), gets the page or changes the table the view writes. Without that, a refused
POST with broken data would prove nothing.

"Nothing changed" is the whole database: the database's own count of written rows must not
move, and where it moves, every table's rows are hashed after the requests and again after
they are rolled back, and must be the same (`written_by`). The objects are made once for the
package (`world`, in world.py, which the permission matrix reads too), inside a
transaction every test's own savepoint rolls back to.
"""

import contextlib
import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock
from urllib.parse import urlencode, urlsplit

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail, signing
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.urls import URLResolver, get_resolver, reverse
from wagtail.permission_policies import ModelPermissionPolicy

from forum.members import unsubscribe
from forum.models import AdvocacyTopic, Discussion, Organization, Theme
from forum.wagtail_hooks import InspectOnlyPolicy

from .world import NEW_PASSWORD, ROLES

pytestmark = pytest.mark.django_db

# Role groups (the roles are world.py's: the demo accounts plus a deactivated
# account and a member of a former organisation).
OUTSIDERS = ("visitor", "deactivated", "toimetaja", "former")
MEMBERS = ("liige", "liige2", "esindaja")
COORDINATORS = ("koordinaator", "admin")
NOT_COORDINATORS = OUTSIDERS + MEMBERS
EVERYONE = tuple(ROLES)


def but(*roles) -> tuple[str, ...]:
    return tuple(role for role in EVERYONE if role not in roles)


# The database as a fingerprint -----------------------------------------------------------------


@functools.cache
def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def snapshot() -> dict[str, tuple]:
    """(row count, order-free hash of the rows) of every table. Sessions are included: a
    refused request must not even write one (force_login writes its row before this is taken).
    Nothing is left out."""
    tables = _tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip: each table hashed by the server.
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s, count(*), sum(hashtextextended(t::text, 0)) FROM {q} t"
                    for q in map(connection.ops.quote_name, tables)
                ),
                tables,
            )
            return {name: (count, total) for name, count, total in cursor.fetchall()}
        fingerprint = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = cursor.fetchall()
            fingerprint[table] = (len(rows), sum(map(hash, rows)))
        return fingerprint


def changed(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def rows_written() -> int:
    """The rows inserted, updated or deleted so far: on SQLite by this connection, on
    PostgreSQL in this transaction; rolled back or not. While it stands still, no table can
    differ from what it was."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                " FROM pg_stat_xact_user_tables"
            )
        else:
            cursor.execute("SELECT total_changes()")
        return int(cursor.fetchone()[0])


def written_by(requests: Callable[[], None]) -> list[str]:
    """The tables whose rows `requests` left changed. Usually nothing was written at all, and
    the count of written rows says so without fingerprinting every table; otherwise the
    database is fingerprinted after the requests, put back to before them and fingerprinted
    again (a write undone by the code itself, or one that changed nothing, leaves no table
    changed)."""
    count, before_requests = rows_written(), transaction.savepoint()
    requests()
    if rows_written() == count:
        return []
    after = snapshot()
    transaction.savepoint_rollback(before_requests)
    return changed(snapshot(), after)


# Answers ---------------------------------------------------------------------------------------


def _sign_in_paths() -> set[str]:
    return {reverse("login"), reverse("wagtailadmin_login"), reverse("wagtailcore_login")}


def answer(response) -> str:
    """What a response means: "login" (sent to a sign-in page with the way back), "admin-denied"
    (Wagtail's refusal: back to the admin's dashboard), "redirect" (elsewhere),
    "invalid-link" (Django's page for a password link that is not valid), or the status."""
    if response.status_code in (301, 302):
        location = urlsplit(response["Location"])
        if location.path in _sign_in_paths() and "next=" in location.query:
            return "login"
        if location.path == reverse("wagtailadmin_home"):
            return "admin-denied"
        return "redirect"
    context = getattr(response, "context", None)
    if response.status_code == 200 and context is not None and context.get("validlink") is False:
        return "invalid-link"
    return str(response.status_code)


REFUSED = frozenset({"403", "404", "login", "admin-denied"})


# Targets ---------------------------------------------------------------------------------------


def A(*names):
    """URL arguments: attributes of the world (a tuple attribute gives several)."""

    def arguments(w):
        values = []
        for name in names:
            value = getattr(w, name)
            values.extend(value if isinstance(value, tuple) else [value])
        return values

    return arguments


def C(*values):
    """URL arguments that are constants."""
    return lambda w: list(values)


def D(**data):
    """A fixed POST payload."""
    return lambda w: data


@dataclass(frozen=True)
class Control:
    """A role that may do what the target's roles may not; `args` point at a sibling object
    where nobody may touch the target itself (or `lift` a check nobody passes). A POST must
    change `touches` (a table); with `mails`, it also sends e-mail."""

    role: str
    touches: str = ""
    args: Callable | None = None
    data: Callable | None = None
    get: str = "200"
    query: dict | None = None  # None: the target's
    lift: Callable | None = None
    prepare: Callable | None = None
    mails: bool = False


@dataclass(frozen=True)
class Target:
    label: str
    roles: tuple[str, ...]
    args: Callable
    control: Control
    data: Callable | None = None  # the POST payload; None: the view is only read
    get: bool = True  # False: the roles may read the page, only the POST is refused
    query: dict = field(default_factory=dict)
    also: frozenset = frozenset()  # further answers that refuse, for this target only


@dataclass(frozen=True)
class Url:
    targets: tuple[Target, ...]
    free: tuple[str, ...] = ()  # roles nothing behind this URL is off-limits to
    post_only: bool = False


# Payloads built from the objects, as the forms would submit them unchanged, with a change.


def _value(value):
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple)) or hasattr(value, "all"):
        return [_value(v) for v in (value.all() if hasattr(value, "all") else value)]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _form_data(initial: dict, **changes) -> dict:
    return {name: _value(value) for name, value in {**initial, **changes}.items()}


def issue_form(attribute, **changes):
    def data(w):
        from forum.issues.forms import IssueForm
        from forum.models import Issue

        issue = Issue.objects.get(pk=getattr(w, attribute))
        initial = {"organization": issue.organization, **IssueForm.initial_for(issue)}
        return _form_data(initial, title="Ülevõetud", **changes)

    return data


def discussion_form(attribute):
    def data(w):
        from forum.discussions.forms import DiscussionForm

        discussion = Discussion.objects.get(pk=getattr(w, attribute))
        return _form_data(DiscussionForm.initial_for(discussion), title="Ülevõetud")

    return data


def topic_form(attribute):
    def data(w):
        from forum.topics.forms import TopicForm

        topic = AdvocacyTopic.objects.get(pk=getattr(w, attribute))
        return _form_data(TopicForm.initial_for(topic), title="Ülevõetud")

    return data


def organization_form(slug_attribute=None, slug=None):
    def data(w):
        organization = Organization.objects.get(slug=slug or getattr(w, slug_attribute))
        fields = ("name", "county", "website", "field_of_work", "description")
        return _form_data({f: getattr(organization, f) for f in fields}, name="Ülevõetud")

    return data


def admin_form(model, attribute, **changes):
    """The Wagtail admin's edit form for the object, submitted as shown, with `changes`."""

    def data(w):
        from wagtail.snippets.models import get_snippet_models

        snippet = next(m for m in get_snippet_models() if m._meta.model_name == model)
        form_class = snippet.snippet_viewset.get_form_class(for_update=True)
        instance = snippet.objects.get(pk=getattr(w, attribute))
        form = form_class(instance=instance, for_user=w.users["admin"])
        values = {}
        for bound in form:
            value = bound.value()
            if isinstance(bound.field, forms.JSONField):
                value = bound.field.prepare_value(value)  # as the widget shows it: JSON text
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, (list, tuple)):
                value = [str(v) for v in value]
            values[bound.html_name] = value
        return {**values, **changes}

    return data


def document_form(prefix=""):
    def data(w):
        return {
            f"{prefix}title": "Ülevõetud",
            f"{prefix}collection": w.forum_collection,
            f"{prefix}tags": "",
        }

    return data


@contextlib.contextmanager
def inspect_only_lifted():
    """Issues, discussions and outgoing mail are inspect-only in the admin, for the
    administrator too: the control shows what the same request would do without that policy."""
    with mock.patch.object(
        InspectOnlyPolicy, "user_has_permission", ModelPermissionPolicy.user_has_permission
    ):
        yield


def _any_document_extension():
    return override_settings(WAGTAILDOCS_EXTENSIONS=None)


def start_password_reset(client, w):
    """The owner's own way in: the link from the e-mail, which puts the token in the session."""
    user = get_user_model().objects.get(pk=w.users["liige2"].pk)
    token = default_token_generator.make_token(user)
    response = client.get(reverse("password_reset_confirm", args=[w.liige2_uid, token]))
    assert answer(response) == "redirect"


REASON = D(reason="Ülevõetud.")
HIDE = D(hide="1", reason="Ülevõetud.")


def hidden_issue_target(data=None, **control):
    """The issue hidden by a coordinator, raised by liige: gone for everyone but coordinators,
    even for its author and the organisation that supports it."""
    control.setdefault("role", "koordinaator")
    return Target(
        "hidden issue", NOT_COORDINATORS, A("hidden_issue"), Control(**control), data=data
    )


def visible_issue_target(data=None, **control):
    """Coordinators' work on a visible issue: not for members."""
    return Target(
        "visible issue", MEMBERS, A("issue"), Control("koordinaator", **control), data=data
    )


def secret_topic_target(data=None, target=None, **control):
    """A topic for coordinators only: members do not even learn that it exists."""
    control.setdefault("role", "koordinaator")
    target = target or A("secret_topic")
    return Target("coordinators' topic", NOT_COORDINATORS, target, Control(**control), data=data)


def network_topic_target(data=None, target=None, **control):
    """Coordinators' work on a topic every member reads."""
    target = target or A("topic")
    return Target("network topic", MEMBERS, target, Control("koordinaator", **control), data=data)


def hidden_discussion_target(attribute="hidden_question", data=None, **control):
    """A discussion hidden by a coordinator, started by liige: gone for everyone else."""
    control.setdefault("role", "koordinaator")
    return Target(
        "hidden discussion", NOT_COORDINATORS, A(attribute), Control(**control), data=data
    )


def coordinators_only(attribute, data=None, label=None, **control):
    """A coordinators' view of an object every member may read."""
    return Target(
        label or attribute.replace("_", " "),
        NOT_COORDINATORS,
        A(attribute),
        Control("koordinaator", **control),
        data=data,
    )


URLS: dict[str, Url] = {
    # Issues -----------------------------------------------------------------------------------
    # A tag's page lists only the issues the reader may see; the tag's name is in the URL
    # already, so members get nothing they did not have.
    "forum:tag": Url(
        (Target("tag", OUTSIDERS, A("tag"), Control("liige")),),
        free=MEMBERS + COORDINATORS,
    ),
    "forum:issue_detail": Url((hidden_issue_target(),), free=COORDINATORS),
    "forum:issue_edit": Url(
        (
            hidden_issue_target(issue_form("hidden_issue"), touches="forum_issue"),
            Target(
                "another member's issue",
                ("liige2", "esindaja", *OUTSIDERS),
                A("issue"),
                Control("liige", touches="forum_issue"),
                data=issue_form("issue"),
            ),
        ),
        free=COORDINATORS,
    ),
    "forum:issue_support": Url(
        (
            hidden_issue_target(
                lambda w: {"organization": w.orgs["vorumaa-lapsed"].pk, "note": "Meil ka."},
                role="kolmas",
                args=A("issue"),
                touches="forum_support",
            ),
            # "We see this too" in the name of an organisation one does not belong to: the
            # form offers only one's own, so the choice is refused as invalid (400).
            Target(
                "another organisation's voice",
                EVERYONE,
                A("issue"),
                Control("kolmas", touches="forum_support"),
                data=lambda w: {"organization": w.orgs["vorumaa-lapsed"].pk, "note": "Meil ka."},
                also=frozenset({"400"}),
            ),
        ),
        post_only=True,
    ),
    "forum:issue_support_withdraw": Url(
        (
            Target(
                "hidden issue",
                NOT_COORDINATORS,
                lambda w: [w.hidden_issue, "emajoe-noored"],
                Control("koordinaator", touches="forum_support"),
                data=D(),
            ),
            Target(
                "another organisation's support",
                ("liige", "esindaja", *OUTSIDERS),
                lambda w: [w.issue, "emajoe-noored"],
                Control("liige2", touches="forum_support"),
                data=D(),
            ),
        ),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:issue_comment": Url(
        (hidden_issue_target(D(body="Meil on sama mure."), touches="forum_comment"),),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:issue_follow": Url(
        (hidden_issue_target(D(follow="1"), touches="forum_follow"),),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:issue_flag": Url(
        (
            hidden_issue_target(REASON, touches="forum_flag"),
            # A comment of another (hidden) issue, named beside a visible one.
            Target(
                "another issue's comment",
                EVERYONE,
                A("issue"),
                Control("liige", touches="forum_flag", query={"comment": "liige2_comment"}),
                data=REASON,
                query={"comment": "hidden_comment"},
            ),
        ),
    ),
    "forum:issue_status": Url(
        (
            hidden_issue_target(D(status="in_review", reason="Ülevõetud."), touches="forum_issue"),
            visible_issue_target(D(status="in_review", reason="Ülevõetud."), touches="forum_issue"),
        ),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:issue_merge": Url(
        (
            hidden_issue_target(
                lambda w: {"original": w.other_issue, "reason": "Sama mure."},
                touches="forum_issue",
            ),
            visible_issue_target(
                lambda w: {"original": w.other_issue, "reason": "Sama mure."},
                touches="forum_issue",
            ),
        ),
        free=COORDINATORS,
    ),
    "forum:issue_hide": Url(
        (
            # Hidden already: the payload shows it again.
            hidden_issue_target(D(hide="0"), touches="forum_issue"),
            visible_issue_target(HIDE, touches="forum_issue"),
        ),
        free=COORDINATORS,
    ),
    "forum:issue_lock": Url(
        (
            hidden_issue_target(D(lock="1"), touches="forum_issue"),
            visible_issue_target(D(lock="1"), touches="forum_issue"),
        ),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:issue_history": Url((hidden_issue_target(), visible_issue_target()), free=COORDINATORS),
    "forum:issue_escalate": Url(
        (
            # A hidden issue is not escalated even by a coordinator: the control escalates
            # the visible one with the same payload.
            hidden_issue_target(
                lambda w: {"topic": w.topic, "reason": "Kuulub siia."},
                args=A("issue"),
                touches="forum_topicissue",
            ),
            visible_issue_target(
                lambda w: {"topic": w.topic, "reason": "Kuulub siia."}, touches="forum_topicissue"
            ),
        ),
        free=COORDINATORS,
    ),
    # Comments: only the author edits or deletes one (coordinators hide it instead).
    "forum:comment_edit": Url(
        (
            Target(
                "another person's comment",
                but("liige2"),
                A("liige2_comment"),
                Control("liige2", touches="forum_comment"),
                data=D(body="Ülevõetud."),
            ),
            Target(
                "own comment on a hidden issue",
                EVERYONE,
                A("hidden_comment"),
                Control("liige", touches="forum_comment", args=A("comment")),
                data=D(body="Ülevõetud."),
            ),
        ),
    ),
    "forum:comment_delete": Url(
        (
            Target(
                "another person's comment",
                but("liige2"),
                A("liige2_comment"),
                Control("liige2", touches="forum_comment"),
                data=D(),
            ),
            Target(
                "own comment on a hidden issue",
                EVERYONE,
                A("hidden_comment"),
                Control("liige", touches="forum_comment", args=A("comment")),
                data=D(),
            ),
        ),
        post_only=True,
    ),
    "forum:comment_hide": Url(
        (coordinators_only("liige2_comment", HIDE, label="comment", touches="forum_comment"),),
        free=COORDINATORS,
    ),
    # Topics -----------------------------------------------------------------------------------
    "forum:topic_detail": Url((secret_topic_target(),), free=COORDINATORS),
    "forum:topic_publish": Url(
        (
            secret_topic_target(D(action="publish"), touches="forum_advocacytopic"),
            network_topic_target(
                D(action="publish"), target=A("adopted_topic"), touches="forum_advocacytopic"
            ),
        ),
        free=COORDINATORS,
        post_only=True,
    ),
    # Not published: not found by anyone; the control opens a published one (a redirect to
    # its page on the public site).
    "forum:topic_public": Url(
        (
            Target(
                "unpublished topic",
                EVERYONE,
                A("topic"),
                Control("liige", args=A("published_topic"), get="redirect"),
            ),
        ),
    ),
    "forum:topic_edit": Url(
        (
            secret_topic_target(topic_form("secret_topic"), touches="forum_advocacytopic"),
            network_topic_target(topic_form("topic"), touches="forum_advocacytopic"),
        ),
        free=COORDINATORS,
    ),
    "forum:topic_transition": Url(
        (
            secret_topic_target(
                D(status="submitted", note="Ülevõetud."), touches="forum_advocacytopic"
            ),
            network_topic_target(
                D(status="position_adopted", note="Ülevõetud."), touches="forum_advocacytopic"
            ),
        ),
        free=COORDINATORS,
        post_only=True,
    ),
    # Members read the network topic's position; only its working group writes it.
    "forum:topic_position": Url(
        (
            secret_topic_target(
                D(text="Ülevõetud seisukoht."),
                args=A("topic"),
                touches="forum_topicposition",
            ),
            Target(
                "a position outside one's working group",
                MEMBERS,
                A("topic"),
                Control("koordinaator", touches="forum_topicposition"),
                data=D(text="Ülevõetud seisukoht."),
                get=False,
            ),
        ),
        free=COORDINATORS,
    ),
    "forum:topic_join": Url(
        (secret_topic_target(D(join="1"), touches="forum_topicmember"),),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:topic_comment": Url(
        (secret_topic_target(D(body="Toetame."), touches="forum_topiccomment"),),
        free=COORDINATORS,
        post_only=True,
    ),
    # Answering in the name of liige2's organisation: esindaja's form offers only their own
    # (400); nobody else represents any organisation (403).
    "forum:topic_sign": Url(
        (
            Target(
                "another organisation's answer",
                EVERYONE,
                A("topic"),
                Control("esindaja2", touches="forum_topicsignature"),
                data=lambda w: {"organization": w.orgs["emajoe-noored"].pk, "stance": "sign"},
                also=frozenset({"400"}),
            ),
            secret_topic_target(
                lambda w: {"organization": w.orgs["emajoe-noored"].pk, "stance": "sign"},
                role="esindaja2",
                args=A("topic"),
                touches="forum_topicsignature",
            ),
        ),
        post_only=True,
    ),
    "forum:topic_unlink": Url(
        (
            secret_topic_target(
                REASON, target=A("secret_topic", "secret_linked_issue"), touches="forum_topicissue"
            ),
            network_topic_target(
                REASON, target=A("topic", "linked_issue"), touches="forum_topicissue"
            ),
            Target(
                "an issue of another topic",
                COORDINATORS,
                A("topic", "secret_linked_issue"),
                Control(
                    "koordinaator", touches="forum_topicissue", args=A("topic", "linked_issue")
                ),
                data=REASON,
            ),
        ),
        post_only=True,
    ),
    # Discussions -------------------------------------------------------------------------------
    "forum:discussion_detail": Url((hidden_discussion_target(),), free=COORDINATORS),
    "forum:discussion_edit": Url(
        (
            hidden_discussion_target(
                data=discussion_form("hidden_question"), touches="forum_discussion"
            ),
            Target(
                "another member's discussion",
                ("liige2", "esindaja", *OUTSIDERS),
                A("question"),
                Control("liige", touches="forum_discussion"),
                data=discussion_form("question"),
            ),
        ),
        free=COORDINATORS,
    ),
    "forum:discussion_reply": Url(
        (hidden_discussion_target(data=D(body="Meil toimis nii."), touches="forum_reply"),),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:discussion_accept": Url(
        (
            hidden_discussion_target(
                data=lambda w: {"reply": w.hidden_reply}, touches="forum_discussion"
            ),
            Target(
                "someone else's question",
                ("liige2", "esindaja", *OUTSIDERS),
                A("question"),
                Control("liige", touches="forum_discussion"),
                data=lambda w: {"reply": w.reply},
            ),
            # The asker (and coordinators) naming a reply of another discussion.
            Target(
                "a reply of another discussion",
                ("liige", *COORDINATORS),
                A("question"),
                Control("liige", touches="forum_discussion", data=lambda w: {"reply": w.reply}),
                data=lambda w: {"reply": w.other_reply},
            ),
        ),
        post_only=True,
    ),
    "forum:discussion_helpful": Url(
        (
            hidden_discussion_target(
                "hidden_practice", data=D(helpful="1"), touches="forum_helpfulmark"
            ),
            Target(
                "own good practice",
                ("liige2", *OUTSIDERS),
                A("practice"),
                Control("liige", touches="forum_helpfulmark"),
                data=D(helpful="1"),
            ),
        ),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:discussion_follow": Url(
        (hidden_discussion_target(data=D(follow="1"), touches="forum_discussionfollow"),),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:discussion_flag": Url(
        (hidden_discussion_target(data=REASON, touches="forum_flag"),), free=COORDINATORS
    ),
    "forum:discussion_hide": Url(
        (coordinators_only("question", HIDE, touches="forum_discussion"),), free=COORDINATORS
    ),
    "forum:discussion_history": Url(
        (hidden_discussion_target(), coordinators_only("question")), free=COORDINATORS
    ),
    "forum:discussion_lock": Url(
        (coordinators_only("question", D(lock="1"), touches="forum_discussion"),),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:reply_edit": Url(
        (
            Target(
                "another person's reply",
                but("liige2"),
                A("reply"),
                Control("liige2", touches="forum_reply"),
                data=D(body="Ülevõetud."),
            ),
            Target(
                "own reply in a hidden discussion",
                EVERYONE,
                A("hidden_reply"),
                Control("liige2", touches="forum_reply", args=A("reply")),
                data=D(body="Ülevõetud."),
            ),
        ),
    ),
    "forum:reply_delete": Url(
        (
            Target(
                "another person's reply",
                but("liige2"),
                A("reply"),
                Control("liige2", touches="forum_reply"),
                data=D(),
            ),
            Target(
                "own reply in a hidden discussion",
                EVERYONE,
                A("hidden_reply"),
                Control("liige2", touches="forum_reply", args=A("reply")),
                data=D(),
            ),
        ),
        post_only=True,
    ),
    "forum:reply_helpful": Url(
        (
            Target(
                "reply in a hidden discussion",
                NOT_COORDINATORS,
                A("hidden_reply"),
                Control("koordinaator", touches="forum_helpfulmark"),
                data=D(helpful="1"),
            ),
            Target(
                "own reply",
                ("liige2", *OUTSIDERS),
                A("reply"),
                Control("liige", touches="forum_helpfulmark"),
                data=D(helpful="1"),
            ),
        ),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:reply_flag": Url(
        (
            Target(
                "reply in a hidden discussion",
                NOT_COORDINATORS,
                A("hidden_reply"),
                Control("koordinaator", touches="forum_flag"),
                data=REASON,
            ),
        ),
        free=COORDINATORS,
    ),
    "forum:reply_hide": Url(
        (coordinators_only("reply", HIDE, touches="forum_reply"),), free=COORDINATORS
    ),
    "forum:discussion_event_draft": Url(
        (coordinators_only("training", D(), touches="wagtailcore_page"),),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:discussion_article_draft": Url(
        (coordinators_only("practice", D(), touches="wagtailcore_page"),),
        free=COORDINATORS,
        post_only=True,
    ),
    # Coordinators' tools ------------------------------------------------------------------------
    "forum:overview_export": Url(
        (Target("issues", NOT_COORDINATORS, C("issues", "csv"), Control("koordinaator")),),
        free=COORDINATORS,
    ),
    "forum:flag_dismiss": Url(
        (coordinators_only("flag", D(), touches="forum_flag"),),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:application_decide": Url(
        (
            coordinators_only(
                "applicant",
                D(decision="approve"),
                label="application",
                touches="forum_organization",
                mails=True,
            ),
            Target(
                "a member organisation",
                COORDINATORS,
                lambda w: [w.orgs["emajoe-noored"].pk],
                Control(
                    "koordinaator", touches="forum_organization", args=A("applicant"), mails=True
                ),
                data=D(decision="approve"),
            ),
        ),
        post_only=True,
    ),
    # People and organisations -------------------------------------------------------------------
    # Someone else's subscription is answered as one already gone (back to the profile with a
    # message): nobody learns whether it exists.
    "forum:subject_unfollow": Url(
        (
            Target(
                "another person's subscription",
                but("liige"),
                A("subscription"),
                Control("liige", touches="forum_subscription"),
                data=D(),
                also=frozenset({"redirect"}),
            ),
            Target(
                "liige2's subscription",
                ("liige",),
                A("liige2_subscription"),
                Control("liige2", touches="forum_subscription"),
                data=D(),
                also=frozenset({"redirect"}),
            ),
        ),
        post_only=True,
    ),
    # The signed link is its own credential (it works signed out): a link altered to name
    # another person, or signed for something else, is refused as invalid (400). The POST is
    # the mail clients' one-click unsubscribe, which needs no CSRF token.
    "forum:unsubscribe": Url(
        tuple(
            Target(
                label,
                EVERYONE,
                token,
                Control(
                    "visitor",
                    touches="forum_profile",
                    args=A("unsubscribe_token"),
                ),
                data=D(**{"List-Unsubscribe": "One-Click"}),
                also=frozenset({"400"}),
            )
            for label, token in (
                (
                    "a link altered to name another person",
                    lambda w: [
                        unsubscribe.make_token(w.users["liige2"]).rsplit(":", 1)[0]
                        + ":"
                        + w.unsubscribe_token.rsplit(":", 1)[1]
                    ],
                ),
                (
                    "a link signed for something else",
                    lambda w: [signing.dumps({"u": w.users["liige2"].pk, "p": "email"})],
                ),
            )
        ),
    ),
    # An invitation to an address with an account: only its owner, signed in, joins; anyone
    # else is sent to sign in. A spent or expired link is gone (410) for everyone.
    "forum:accept_invitation": Url(
        (
            Target(
                "an invitation to another person's account",
                but("liige"),
                A("to_liige"),
                Control("liige", touches="forum_membership"),
                data=lambda w: SIGN_UP,
            ),
            *(
                Target(
                    label,
                    EVERYONE,
                    A(attribute),
                    Control("visitor", touches="auth_user", args=A("fresh_invitation")),
                    data=lambda w: SIGN_UP,
                    also=frozenset({"410"}),
                )
                for label, attribute in (
                    ("a used invitation", "used_invitation"),
                    ("an expired invitation", "expired_invitation"),
                )
            ),
        ),
    ),
    "forum:organization_manage": Url(
        (
            Target(
                "another organisation",
                ("liige", "liige2", "esindaja", *OUTSIDERS),
                C("emajoe-noored"),
                Control("esindaja2", touches="forum_organization"),
                data=organization_form(slug="emajoe-noored"),
            ),
            Target(
                "an applicant organisation",
                NOT_COORDINATORS,
                A("applicant_slug"),
                Control("koordinaator", touches="forum_organization"),
                data=organization_form("applicant_slug"),
            ),
        ),
        free=COORDINATORS,
    ),
    "forum:organization_invite": Url(
        (
            Target(
                "another organisation",
                ("liige", "liige2", "esindaja", *OUTSIDERS),
                C("emajoe-noored"),
                Control("esindaja2", touches="forum_invitation", mails=True),
                data=D(email="kutsutu@example.org", role="member"),
            ),
            Target(
                "an applicant organisation",
                NOT_COORDINATORS,
                A("applicant_slug"),
                Control("koordinaator", touches="forum_invitation", mails=True),
                data=D(email="kutsutu@example.org", role="member"),
            ),
        ),
        free=COORDINATORS,
        post_only=True,
    ),
    "forum:membership_toggle": Url(
        (
            Target(
                "a person of another organisation",
                ("liige", "liige2", "esindaja", *OUTSIDERS),
                lambda w: ["emajoe-noored", w.liige2_membership],
                Control("esindaja2", touches="forum_membership"),
                data=D(),
            ),
            # One's own organisation in the URL, another organisation's person after it.
            Target(
                "another organisation's person under one's own",
                ("esindaja", *COORDINATORS),
                lambda w: ["paikesekiir", w.liige2_membership],
                Control(
                    "esindaja",
                    touches="forum_membership",
                    args=lambda w: ["paikesekiir", w.liige_membership],
                ),
                data=D(),
            ),
        ),
        post_only=True,
    ),
    # Documents: a discussion's attachment is served to those who may read the discussion.
    "wagtaildocs_serve": Url(
        (
            Target(
                "attachment of a hidden discussion",
                NOT_COORDINATORS,
                A("hidden_document"),
                Control("koordinaator"),
            ),
            Target("attachment of a discussion", OUTSIDERS, A("document"), Control("liige")),
        ),
        free=COORDINATORS,
    ),
    # Someone else's account, without the token from the e-mail: Django's page for an invalid
    # link, for GET and POST alike. The control is the owner's own way: the link from the
    # e-mail first, then the same new password.
    "password_reset_confirm": Url(
        (
            Target(
                "another person's account",
                EVERYONE,
                lambda w: [w.liige2_uid, "set-password"],
                Control("visitor", touches="auth_user", prepare=start_password_reset),
                data=D(new_password1=NEW_PASSWORD, new_password2=NEW_PASSWORD),
                also=frozenset({"invalid-link"}),
            ),
        ),
    ),
    # A draft is not served at its address, to anyone (editors preview it in the admin).
    "wagtail_serve": Url(
        (
            Target(
                "unpublished page",
                EVERYONE,
                A("draft_path"),
                Control("visitor", args=A("news_path")),
            ),
        ),
    ),
}

SIGN_UP = {
    "username": "uustulija",
    "first_name": "Uus",
    "last_name": "Tulija",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
}


# Wagtail's admin: the forum's models (Foorum in the menu) and documents -----------------------

# Coordinators add, change and view organisations, memberships and themes (deleting is the
# administrator's). Issues and discussions they only inspect, and the outgoing mail only the
# administrator does: nobody edits, copies or deletes those there, nor sees their usage or
# history (which ask for the right to change them); they change through the forum's services.
MANAGED = {
    "organization": ("applicant", {"name": "Ülevõetud"}),
    "membership": ("liige2_membership", {"role": "representative"}),
    "theme": ("spare_theme", {"name": "Ülevõetud"}),
}
INSPECT_ONLY = {
    # model: (object, who may inspect it, the field the edit changes)
    "issue": ("hidden_issue", COORDINATORS, "title"),
    "discussion": ("hidden_question", COORDINATORS, "title"),
    "outgoingmail": ("outgoing_mail", ("admin",), "subject"),
}


def _snippet_urls() -> dict[str, Url]:
    urls = {}
    for model, (attribute, changes) in MANAGED.items():
        ns = f"wagtailsnippets_forum_{model}"
        table = f"forum_{model}"
        read = Target(model, NOT_COORDINATORS, A(attribute), Control("koordinaator"))
        urls[f"{ns}:edit"] = Url(
            (
                Target(
                    model,
                    NOT_COORDINATORS,
                    A(attribute),
                    Control("koordinaator", touches=table),
                    data=admin_form(model, attribute, **changes),
                ),
            ),
            free=COORDINATORS,
        )
        urls[f"{ns}:delete"] = Url(
            (Target(model, but("admin"), A(attribute), Control("admin", touches=table), data=D()),),
            free=("admin",),
        )
        for view in ("usage", "history", "history_results", "copy"):
            urls[f"{ns}:{view}"] = Url((read,), free=COORDINATORS)
        urls[f"wagtailsnippetchoosers_forum_{model}:chosen"] = Url((read,), free=COORDINATORS)
    for model, (attribute, readers, text) in INSPECT_ONLY.items():
        ns = f"wagtailsnippets_forum_{model}"
        table = f"forum_{model}"
        read = Target(model, but(*readers), A(attribute), Control(readers[0]))
        lifted = {"role": "admin", "lift": inspect_only_lifted}
        urls[f"{ns}:edit"] = Url(
            (
                Target(
                    model,
                    EVERYONE,
                    A(attribute),
                    Control(touches=table, **lifted),
                    data=admin_form(model, attribute, **{text: "Ülevõetud"}),
                ),
            )
        )
        urls[f"{ns}:delete"] = Url(
            (Target(model, EVERYONE, A(attribute), Control(touches=table, **lifted), data=D()),)
        )
        for view in ("copy", "usage", "history", "history_results"):
            urls[f"{ns}:{view}"] = Url((Target(model, EVERYONE, A(attribute), Control(**lifted)),))
        urls[f"{ns}:inspect"] = Url((read,), free=readers)
        urls[f"wagtailsnippetchoosers_forum_{model}:chosen"] = Url((read,), free=readers)
    return urls


def _document_urls() -> dict[str, Url]:
    """A forum attachment in the admin: the administrator's alone (coordinators have no rights
    on documents, editors none on the forum's collection)."""
    DOC = "wagtaildocs_document"

    def attachment(data=None, **control):
        return Url(
            (
                Target(
                    "forum attachment",
                    but("admin"),
                    lambda w: [w.document[0]],
                    Control("admin", **control),
                    data=data,
                ),
            ),
            free=("admin",),
        )

    multiple = lambda w: f"doc-{w.document[0]}-"  # noqa: E731
    upload = {"role": "toimetaja"}
    return {
        "wagtaildocs:edit": attachment(document_form(), touches=DOC),
        "wagtaildocs:delete": attachment(D(), touches=DOC),
        "wagtaildocs:document_usage": attachment(),
        "wagtaildocs:edit_multiple": Url(
            (
                Target(
                    "forum attachment",
                    but("admin"),
                    lambda w: [w.document[0]],
                    Control("admin", touches=DOC),
                    data=lambda w: document_form(multiple(w))(w),
                ),
            ),
            free=("admin",),
            post_only=True,
        ),
        "wagtaildocs:delete_multiple": Url(
            (
                Target(
                    "forum attachment",
                    but("admin"),
                    lambda w: [w.document[0]],
                    Control("admin", touches=DOC),
                    data=D(),
                ),
            ),
            free=("admin",),
            post_only=True,
        ),
        "wagtaildocs_chooser:chosen": attachment(),
        # The admin API describes documents to coordinators too (they read every discussion
        # and download its files anyway), never to editors.
        "wagtailadmin_api:documents:detail": Url(
            (
                Target(
                    "forum attachment",
                    NOT_COORDINATORS,
                    lambda w: [w.document[0]],
                    Control("koordinaator"),
                ),
            ),
            free=COORDINATORS,
        ),
        # An upload waiting for its details is its uploader's alone (here the editor's).
        "wagtaildocs:create_multiple_from_uploaded_document": Url(
            (
                Target(
                    "another person's upload",
                    but("toimetaja"),
                    A("upload"),
                    # Wagtail validates the new document's extension before it attaches the
                    # file, so with WAGTAILDOCS_EXTENSIONS set this step fails for everyone (a
                    # server error, not the forum's doing); the control passes it by.
                    Control(
                        touches=DOC,
                        lift=lambda: override_settings(WAGTAILDOCS_EXTENSIONS=None),
                        **upload,
                    ),
                    data=lambda w: {
                        f"uploaded-document-{w.upload}-title": "Ülevõetud",
                        f"uploaded-document-{w.upload}-collection": w.root_collection,
                        f"uploaded-document-{w.upload}-tags": "",
                    },
                ),
            ),
            free=("toimetaja",),
            post_only=True,
        ),
        "wagtaildocs:delete_upload_multiple": Url(
            (
                Target(
                    "another person's upload",
                    but("toimetaja"),
                    A("upload"),
                    Control(touches="wagtailcore_uploadedfile", **upload),
                    data=D(),
                ),
            ),
            free=("toimetaja",),
            post_only=True,
        ),
    }


URLS.update(_snippet_urls())
URLS.update(_document_urls())

# URLs with arguments that are not object references of the forum, and why.
LEFT_OUT = {
    # Password forms of Wagtail's view restrictions: they write only the session, and no page
    # or collection of the site has a password (the forum's collection is for signed-in people,
    # which no password passes).
    "wagtaildocs_authenticate_with_password": "a password restriction's form; none exist",
    "wagtailcore_authenticate_with_password": "a password restriction's form; none exist",
}


def _is_in_scope(name: str | None, route: str) -> bool:
    """Everything outside Wagtail's admin; in the admin, the forum's models and documents (the
    forum's attachments are Wagtail documents). The rest of the admin (pages, images, users,
    workflows) is Wagtail's own permission system over the public site, which forum data never
    enters."""
    if not route.startswith("admin/"):
        return True
    return name is not None and name.startswith(
        (
            "wagtailsnippets_forum_",
            "wagtailsnippetchoosers_forum_",
            "wagtaildocs:",
            "wagtaildocs_chooser:",
            "wagtailadmin_api:documents:",
        )
    )


def url_patterns():
    """(name with namespaces, route, number of arguments) of every URL the site serves."""

    def walk(patterns, route="", namespace="", groups=0):
        for pattern in patterns:
            regex_groups = pattern.pattern.regex.groups
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(
                    pattern.url_patterns, route + str(pattern.pattern), ns, groups + regex_groups
                )
            else:
                name = f"{namespace}{pattern.name}" if pattern.name else None
                yield name, route + str(pattern.pattern), groups + regex_groups

    return list(walk(get_resolver().url_patterns))


# The cases -------------------------------------------------------------------------------------


def _methods(url: Url, target: Target) -> list[str]:
    methods = ["GET"] if target.get and not url.post_only else []
    return methods + (["POST"] if target.data else [])


def _cases():
    for name, url in URLS.items():
        for target in url.targets:
            for role in target.roles:
                yield pytest.param(name, target.label, role, id=f"{name}|{target.label}|{role}")


def _target(name, label) -> tuple[Url, Target]:
    url = URLS[name]
    return url, next(t for t in url.targets if t.label == label)


def _path(name, args, w, query=None) -> str:
    path = reverse(name, args=args(w))
    if query:
        path += "?" + urlencode({key: getattr(w, attribute) for key, attribute in query.items()})
    return path


def _login(client, w, role):
    if role != "visitor":
        client.force_login(w.users[role])


def _assert_acted_as(response, w, role):
    """The request was the role's: were the session or the world lost, every request would be
    refused for want of its person, and every case pass for the wrong reason."""
    user = response.wsgi_request.user
    if role == "deactivated":
        assert user.is_anonymous
    elif role != "visitor":
        assert user.pk == w.users[role].pk, f"{role} was not signed in"


def _send(client, method, path, data):
    """One request; what it leaves to run after the commit (e-mail, tasks) runs too."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        if method == "GET":
            return client.get(path)
        return client.post(path, data)


@pytest.mark.parametrize(("name", "label", "role"), list(_cases()))
def test_a_role_cannot_reach_what_it_may_not_see_or_change(client, world, name, label, role):
    url, target = _target(name, label)
    _login(client, world, role)
    path = _path(name, target.args, world, target.query)
    accepted = REFUSED | target.also
    methods = _methods(url, target)

    def requests():
        for method in methods:
            data = target.data(world) if method == "POST" else None
            response = _send(client, method, path, data)
            _assert_acted_as(response, world, role)
            got = answer(response)
            location = response.get("Location", "")
            assert got in accepted, f"{method} {path} answered {got} ({location})"

    written = written_by(requests)
    assert not written, f"{' and '.join(methods)} {path} changed {written}"
    assert mail.outbox == []


def _form_errors(response) -> str:
    """The form's complaints, when a control's payload was refused as invalid."""
    context = getattr(response, "context", None)
    form = context.get("form") if context is not None else None
    return form.errors.as_text() if form is not None and hasattr(form, "errors") else ""


def _control_cases():
    for name, url in URLS.items():
        for target in url.targets:
            yield pytest.param(name, target.label, id=f"{name}|{target.label}")


@pytest.mark.parametrize(("name", "label"), list(_control_cases()))
def test_the_same_request_succeeds_for_a_permitted_role(client, world, name, label):
    """The control of each target: the same request by a role that may (on a sibling object
    where nobody may touch the target) is answered, and its POST changes the table it writes."""
    url, target = _target(name, label)
    control = target.control
    _login(client, world, control.role)
    query = target.query if control.query is None else control.query
    path = _path(name, control.args or target.args, world, query)
    lift = control.lift() if control.lift else contextlib.nullcontext()
    with lift:
        if control.prepare:
            control.prepare(client, world)
        methods = _methods(url, target)
        if "GET" in methods:
            response = _send(client, "GET", path, None)
            _assert_acted_as(response, world, control.role)
            got = answer(response)
            assert got == control.get, f"GET {path} answered {got}"
        if "POST" in methods:
            data = (control.data or target.data)(world)
            before = snapshot()
            response = _send(client, "POST", path, data)
            _assert_acted_as(response, world, control.role)
            got = answer(response)
            assert got in ("200", "redirect"), f"POST {path} answered {got}"
            written = changed(before, snapshot())
            assert control.touches in written, (
                f"POST {path} wrote {written}, not {control.touches} {_form_errors(response)}"
            )
            if control.mails:
                assert mail.outbox, f"POST {path} sent no e-mail"


def test_what_requests_write_is_found_even_when_undone(world):
    """The refusal test trusts an unmoved count of written rows to mean an unchanged database:
    a write must move it even when rolled back; a write that stays is found table by table,
    and one undone leaves nothing changed."""
    count = rows_written()
    with contextlib.suppress(RuntimeError), transaction.atomic():
        Theme.objects.filter(slug="test").update(name="Ülevõetud")
        raise RuntimeError("roll back")
    assert rows_written() == count + 1
    assert Theme.objects.get(slug="test").name == "Testivaldkond"

    assert written_by(lambda: None) == []
    theme = Theme._meta.db_table
    rename = Theme.objects.filter(slug="test").update
    assert written_by(lambda: rename(name="Ülevõetud")) == [theme]
    assert written_by(lambda: (rename(name="Vahepealne"), rename(name="Testivaldkond"))) == []


# Completeness ----------------------------------------------------------------------------------


def test_every_url_with_an_object_reference_has_targets():
    """Walks the resolver: a URL that takes an argument has targets here or a reason above."""
    missing, unnamed = [], []
    for name, route, arguments in url_patterns():
        if not arguments or not _is_in_scope(name, route):
            continue
        if name is None:
            # Django serves uploaded images itself in DEBUG only (the documents folder never).
            if not route.startswith("^media/"):
                unnamed.append(route)
            continue
        if name not in URLS and name not in LEFT_OUT:
            missing.append(f"{name} ({route})")
    assert not unnamed, f"URLs without a name cannot be given targets: {unnamed}"
    assert not missing, "URLs taking an object reference without targets:\n" + "\n".join(missing)
    names = {name for name, _route, _arguments in url_patterns()}
    stale = sorted(set(URLS) - names)
    assert not stale, f"targets for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", list(URLS))
def test_every_role_is_thought_of_for_every_url(name):
    url = URLS[name]
    covered = {role for target in url.targets for role in target.roles} | set(url.free)
    assert covered == set(EVERYONE), f"{name}: no target or freedom for {set(EVERYONE) - covered}"
    for target in url.targets:
        if target.data:
            assert target.control.touches, f"{name} {target.label}: the control writes nothing"


# The listings beside those URLs ----------------------------------------------------------------


@pytest.mark.parametrize("model", [*MANAGED, *INSPECT_ONLY])
def test_the_forums_choosers_list_nothing_to_an_editor(client, world, model):
    """The same check as the choosers' `chosen` above guards their lists, which take no id."""
    url = reverse(f"wagtailsnippetchoosers_forum_{model}:choose")
    client.force_login(world.users["toimetaja"])
    assert answer(client.get(url)) in REFUSED
    reader = INSPECT_ONLY[model][1][0] if model in INSPECT_ONLY else "koordinaator"
    client.force_login(world.users[reader])
    assert answer(client.get(url)) == "200"


@pytest.mark.parametrize(("role", "listed"), [("toimetaja", False), ("koordinaator", True)])
def test_the_admin_api_lists_forum_attachments_to_coordinators_only(client, world, role, listed):
    client.force_login(world.users[role])
    response = client.get(reverse("wagtailadmin_api:documents:listing"))
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert (world.document[0] in ids) is listed
    assert (world.hidden_document[0] in ids) is listed
