"""A member's own data, for the right of access (GDPR art. 15 and 20): built once as a dict and
written as JSON (for machines) or as a standalone HTML page (for people).

Only what the person gave or what was recorded about them: their account and settings, their
memberships, what they wrote (issues, comments, discussions, replies, topic comments, flags),
what they did (supports, helpful marks, follows, subscriptions) and what they were told
(notifications). Other people's text is never included; a thread's title is, as the place their
own text belongs to. A fixed number of queries, however much the person wrote."""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.discussions.models import Discussion, DiscussionFollow, HelpfulMark, Reply
from forum.inbox.subscriptions import subject_label
from forum.issues.models import Comment, Follow, Issue, Support
from forum.members.models import Membership, Profile
from forum.notifications.models import Notification, Subscription
from forum.threads.models import Flag
from forum.topics.models import TopicComment

FILENAME = "koda-minu-andmed"

# The sections in the order they are shown, with their headings.
SECTIONS = {
    "account": _("Account"),
    "memberships": _("Organisations"),
    "issues": _("Issues I raised"),
    "comments": _("My comments"),
    "supports": _("“We see this too” I gave"),
    "discussions": _("Discussions I started"),
    "replies": _("My replies"),
    "topic_comments": _("My comments on advocacy topics"),
    "helpful_marks": _("What I marked as helpful"),
    "flags": _("What I flagged to the moderators"),
    "follows": _("Issues and discussions I follow"),
    "subscriptions": _("Tags, counties, themes and kinds I follow"),
    "notifications": _("My notifications"),
}

# Column headings of the readable page, for every key used below.
LABELS = {
    "username": _("Username"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "email": _("E-mail"),
    "date_joined": _("Account created"),
    "last_login": _("Last signed in"),
    "email_delivery": _("E-mail notifications"),
    "organization": _("Organisation"),
    "role": _("Role"),
    "active": _("Active"),
    "id": _("Number"),
    "title": _("Title"),
    "body": _("Text"),
    "kind": _("Kind"),
    "status": _("Status"),
    "place": _("Place"),
    "theme": _("Theme"),
    "age_groups": _("Age groups"),
    "tags": _("Tags"),
    "hidden": _("Hidden by a coordinator"),
    "created": _("Time"),
    "edited": _("Edited"),
    "deleted": _("Deleted"),
    "issue": _("Issue"),
    "discussion": _("Discussion"),
    "topic": _("Advocacy topic"),
    "comment": _("Comment"),
    "reply": _("Reply"),
    "note": _("Local note"),
    "county": _("County"),
    "reason": _("Reason"),
    "followed": _("Followed"),
    "read": _("Read"),
    "emailed": _("E-mailed"),
    "about": _("About"),
    "from_organization": _("From"),
}


def _thread(thread) -> dict | None:
    return {"id": thread.pk, "title": thread.title} if thread else None


def _names(items) -> list[str]:
    return sorted(str(item) for item in items)


def collect_personal_data(user) -> dict:
    """Everything the forum holds about `user`, as plain values (dates stay datetimes)."""
    # Without a row of their own, a person has the default settings.
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    issues = (
        Issue.objects.filter(author=user)
        .select_related("organization", "county", "municipality__county", "theme")
        .prefetch_related("tags", "age_groups")
        .order_by("created", "pk")
    )
    discussions = (
        Discussion.objects.filter(author=user)
        .select_related("organization", "county", "municipality__county", "theme")
        .prefetch_related("tags", "age_groups")
        .order_by("created", "pk")
    )
    return {
        "exported": timezone.now(),
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_delivery": profile.get_email_delivery_display(),
        },
        "memberships": [
            {
                "organization": m.organization.name,
                "role": m.get_role_display(),
                "active": m.active,
                "created": m.created,
            }
            for m in Membership.objects.filter(user=user)
            .select_related("organization")
            .order_by("created", "pk")
        ],
        "issues": [
            {
                "id": i.pk,
                "title": i.title,
                "body": i.body,
                "organization": i.organization.name,
                "place": i.place,
                "theme": str(i.theme),
                "age_groups": _names(i.age_groups.all()),
                "tags": _names(i.tags.all()),
                "status": i.get_status_display(),
                "hidden": i.hidden,
                "created": i.created,
            }
            for i in issues
        ],
        "comments": [
            {
                "id": c.pk,
                "issue": _thread(c.issue),
                "body": c.body,
                "created": c.created,
                "edited": c.edited,
                "deleted": c.deleted,
                "hidden": c.hidden,
            }
            for c in Comment.objects.filter(author=user)
            .select_related("issue")
            .order_by("created", "pk")
        ],
        "supports": [
            {
                "issue": _thread(s.issue),
                "organization": s.organization.name,
                "note": s.note,
                "county": str(s.county or ""),
                "created": s.created,
            }
            for s in Support.objects.filter(user=user)
            .select_related("issue", "organization", "county")
            .order_by("created", "pk")
        ],
        "discussions": [
            {
                "id": d.pk,
                "kind": d.get_kind_display(),
                "title": d.title,
                "body": d.body,
                "organization": d.organization.name,
                "place": d.place,
                "theme": str(d.theme or ""),
                "age_groups": _names(d.age_groups.all()),
                "tags": _names(d.tags.all()),
                "hidden": d.hidden,
                "created": d.created,
            }
            for d in discussions
        ],
        "replies": [
            {
                "id": r.pk,
                "discussion": _thread(r.discussion),
                "body": r.body,
                "created": r.created,
                "edited": r.edited,
                "deleted": r.deleted,
                "hidden": r.hidden,
            }
            for r in Reply.objects.filter(author=user)
            .select_related("discussion")
            .order_by("created", "pk")
        ],
        "topic_comments": [
            {"topic": _thread(c.topic), "body": c.body, "created": c.created}
            for c in TopicComment.objects.filter(author=user)
            .select_related("topic")
            .order_by("created", "pk")
        ],
        "helpful_marks": [
            {
                "discussion": _thread(m.discussion),
                "reply": m.reply_id,
                "created": m.created,
            }
            for m in HelpfulMark.objects.filter(user=user)
            .select_related("discussion")
            .order_by("created", "pk")
        ],
        "flags": [
            {
                "about": _thread(f.thread),
                "comment": f.comment_id,
                "reply": f.reply_id,
                "reason": f.reason,
                "created": f.created,
            }
            for f in Flag.objects.filter(reporter=user)
            .select_related("issue", "discussion")
            .order_by("created", "pk")
        ],
        "follows": [
            {"issue": _thread(f.issue), "created": f.created}
            for f in Follow.objects.filter(user=user).select_related("issue").order_by("created")
        ]
        + [
            {"discussion": _thread(f.discussion), "created": f.created}
            for f in DiscussionFollow.objects.filter(user=user)
            .select_related("discussion")
            .order_by("created")
        ],
        "subscriptions": [
            {"followed": str(subject_label(s)), "created": s.created}
            for s in Subscription.objects.filter(user=user)
            .select_related("tag", "county", "theme")
            .order_by("created", "pk")
        ],
        "notifications": [
            {
                "kind": n.get_kind_display(),
                "about": _thread(n.thread),
                "from_organization": str(n.actor_organization or ""),
                "created": n.created,
                "read": n.read,
                "emailed": n.emailed,
            }
            for n in Notification.objects.filter(recipient=user)
            .select_related("issue", "discussion", "actor_organization")
            .order_by("created", "pk")
        ],
    }


def as_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def readable_sections(data: dict) -> list[dict]:
    """The sections as tables for the HTML page: heading, column headings, rows of cells. The
    account is one row; a thread is shown by its title."""

    def cell(value):
        if isinstance(value, dict):  # a thread
            return value["title"]
        if isinstance(value, list):
            return ", ".join(value)
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "j. F Y H:i")
        return "" if value is None else value

    sections = []
    for key, heading in SECTIONS.items():
        rows = data[key] if isinstance(data[key], list) else [data[key]]
        columns = list(dict.fromkeys(name for row in rows for name in row))
        sections.append(
            {
                "key": key,
                "heading": heading,
                "columns": [LABELS[name] for name in columns],
                "rows": [[cell(row.get(name)) for name in columns] for row in rows],
            }
        )
    return sections
