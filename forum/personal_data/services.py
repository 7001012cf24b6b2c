"""A member's own data, for the right of access (GDPR art. 15 and 20): built once as a dict and
written as JSON (for machines) or as a standalone HTML page (for people).

Only what the person gave or what was recorded about them: their account and settings, their
memberships, what they wrote (issues, comments, discussions, replies, topic comments, positions,
flags, and the earlier versions of each), what they uploaded (the files come in the ZIP), what
they did (supports, helpful marks, follows, subscriptions, working groups, signatures,
invitations, and the audit trail of their acts) and what they were told (notifications, mail
still waiting to be sent). Other people's text is never included; a thread's title is, as the
place their own text belongs to. A fixed number of queries, however much the person wrote.
tests/forum/test_personal_data.py enumerates every model related to a person and fails on one
neither exported here nor exempted there with a reason."""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.log_actions import registry as log_actions
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from forum.discussions.models import (
    Discussion,
    DiscussionFollow,
    DiscussionRevision,
    HelpfulMark,
    Reply,
    ReplyRevision,
)
from forum.discussions.permissions import visible_discussions
from forum.inbox.subscriptions import subject_label
from forum.issues.models import Comment, CommentRevision, Follow, Issue, IssueRevision, Support
from forum.issues.permissions import visible_issues
from forum.members.models import Invitation, Membership, Profile
from forum.notifications.models import Notification, OutgoingMail, Subscription
from forum.threads.models import Flag
from forum.topics.models import (
    AdvocacyTopic,
    TopicComment,
    TopicEvent,
    TopicMember,
    TopicPosition,
    TopicSignature,
)
from forum.topics.permissions import visible_topics

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
    "revisions": _("Earlier versions of what I wrote"),
    "documents": _("Files I uploaded"),
    "topics": _("Advocacy topics I created or lead"),
    "working_groups": _("Working groups I am in"),
    "positions": _("Position texts I wrote"),
    "signatures": _("Positions I signed or objected to"),
    "invitations": _("Invitations I sent or accepted"),
    "helpful_marks": _("What I marked as helpful"),
    "flags": _("What I flagged to the coordinators"),
    "follows": _("Issues and discussions I follow"),
    "subscriptions": _("Tags, counties, themes and kinds I follow"),
    "notifications": _("My notifications"),
    "queued_mail": _("E-mail to me not sent yet"),
    "audit": _("What the audit trail records about my actions"),
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
    "groups": _("Roles"),
    "admin_language": _("Language of the administration pages"),
    "time_zone": _("Time zone"),
    "before": _("Before the change"),
    "file": _("File"),
    "role_in_topic": _("My part"),
    "joined": _("Joined"),
    "text": _("Text"),
    "stance": _("Stance"),
    "email_address": _("E-mail address"),
    "direction": _("Sent or accepted"),
    "accepted": _("Accepted"),
    "subject": _("Subject"),
    "attempts": _("Delivery attempts"),
    "action": _("Action"),
    # The fields a kind of discussion asks for (results, material type, ...).
    **{
        name: Discussion._meta.get_field(name).verbose_name
        for names in Discussion.KIND_FIELDS.values()
        for name in names
    },
}


def _changes(changes: dict) -> str:
    """A thread revision's {field: [old, new]} as the earlier values, field by field."""
    return "; ".join(f"{field}: {old}" for field, (old, _new) in sorted(changes.items()))


def _kind_value(discussion, name):
    field = Discussion._meta.get_field(name)
    value = getattr(discussion, name)
    if field.choices:
        return getattr(discussion, f"get_{name}_display")()
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return value


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
    # A thread or topic is named by its title only while the person may read it (a title is
    # the place their own text belongs; one hidden since, or a topic made coordinators-only,
    # is no longer theirs to read) or wrote it. Otherwise by its number alone.
    readable = {
        Issue: set(visible_issues(user).values_list("pk", flat=True)),
        Discussion: set(visible_discussions(user).values_list("pk", flat=True)),
        AdvocacyTopic: set(visible_topics(user).values_list("pk", flat=True)),
    }

    def place(thread) -> dict | None:
        if thread is None:
            return None
        own = getattr(thread, "author_id", None) == user.pk
        title = thread.title if own or thread.pk in readable[type(thread)] else None
        return {"id": thread.pk, "title": title}

    admin_profile = UserProfile.objects.filter(user=user).first()
    email = user.email.strip().lower()
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
            "groups": _names(user.groups.all()),
            "admin_language": admin_profile.preferred_language if admin_profile else "",
            "time_zone": admin_profile.current_time_zone if admin_profile else "",
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
                "issue": place(c.issue),
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
                "issue": place(s.issue),
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
                **{name: _kind_value(d, name) for name in d.kind_fields},
                "hidden": d.hidden,
                "created": d.created,
            }
            for d in discussions
        ],
        "replies": [
            {
                "id": r.pk,
                "discussion": place(r.discussion),
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
            {"topic": place(c.topic), "body": c.body, "created": c.created}
            for c in TopicComment.objects.filter(author=user)
            .select_related("topic")
            .order_by("created", "pk")
        ],
        "revisions": [
            *(
                {"issue": place(r.issue), "before": _changes(r.changes), "created": r.created}
                for r in IssueRevision.objects.filter(editor=user).select_related("issue")
            ),
            *(
                {
                    "comment": r.comment_id,
                    "issue": place(r.comment.issue),
                    "before": r.body,
                    "created": r.created,
                }  # fmt: skip
                for r in CommentRevision.objects.filter(editor=user).select_related(
                    "comment__issue"
                )
            ),
            *(
                {
                    "discussion": place(r.discussion),
                    "before": _changes(r.changes),
                    "created": r.created,
                }  # fmt: skip
                for r in DiscussionRevision.objects.filter(editor=user).select_related("discussion")
            ),
            *(
                {
                    "reply": r.reply_id,
                    "discussion": place(r.reply.discussion),
                    "before": r.body,
                    "created": r.created,
                }  # fmt: skip
                for r in ReplyRevision.objects.filter(editor=user).select_related(
                    "reply__discussion"
                )
            ),
        ],
        "documents": [
            {
                "id": d.pk,
                "title": d.title,
                "file": document_path(d),
                "discussion": place(
                    getattr(getattr(d, "forum_attachment", None), "discussion", None)
                ),
                "created": d.created_at,
            }
            for d in uploaded_documents(user).select_related("forum_attachment__discussion")
        ],
        "topics": [
            {
                "topic": place(t),
                "role_in_topic": (
                    pgettext("part in a topic", "lead")
                    if t.lead_id == user.pk
                    else pgettext("part in a topic", "creator")
                ),
                "created": t.created,
            }
            for t in AdvocacyTopic.objects.filter(Q(lead=user) | Q(created_by=user)).order_by(
                "created", "pk"
            )
        ],
        "working_groups": [
            {"topic": place(m.topic), "joined": m.joined}
            for m in TopicMember.objects.filter(user=user)
            .select_related("topic")
            .order_by("joined", "pk")
        ],
        "positions": [
            {"topic": place(p.topic), "text": p.text, "created": p.created}
            for p in TopicPosition.objects.filter(author=user)
            .select_related("topic")
            .order_by("created", "pk")
        ],
        "signatures": [
            {
                "topic": place(s.topic),
                "organization": s.organization.name,
                "stance": s.get_stance_display(),
                "note": s.note,
                "created": s.created,
            }
            for s in TopicSignature.objects.filter(user=user)
            .select_related("topic", "organization")
            .order_by("created", "pk")
        ],
        "invitations": [
            {
                "direction": gettext("sent") if i.invited_by_id == user.pk else gettext("accepted"),
                "email_address": i.email if i.invited_by_id == user.pk else "",
                "organization": i.organization.name,
                "created": i.created,
                "accepted": i.accepted,
            }
            for i in Invitation.objects.filter(Q(invited_by=user) | Q(user=user))
            .select_related("organization")
            .order_by("created", "pk")
        ],
        "helpful_marks": [
            {
                "discussion": place(m.discussion),
                "reply": m.reply_id,
                "created": m.created,
            }
            for m in HelpfulMark.objects.filter(user=user)
            .select_related("discussion")
            .order_by("created", "pk")
        ],
        "flags": [
            {
                "about": place(f.thread),
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
            {"issue": place(f.issue), "created": f.created}
            for f in Follow.objects.filter(user=user).select_related("issue").order_by("created")
        ]
        + [
            {"discussion": place(f.discussion), "created": f.created}
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
                "about": place(n.subject),
                "from_organization": str(n.actor_organization or ""),
                "created": n.created,
                "read": n.read,
                "emailed": n.emailed,
            }
            for n in Notification.objects.filter(recipient=user)
            .select_related("issue", "discussion", "topic", "actor_organization")
            .order_by("created", "pk")
        ],
        "queued_mail": [
            {"subject": m.subject, "created": m.created, "attempts": m.attempts}
            # The addresses are stored in lower case; the text match is checked exactly.
            for m in OutgoingMail.objects.filter(to__icontains=email).order_by("created", "pk")
            if email and email in m.to
        ],
        "audit": [
            *(
                {"action": _action_label(e.action), "about": e.label, "created": e.timestamp}
                for e in ModelLogEntry.objects.filter(user=user).order_by("timestamp", "pk")
            ),
            *(
                {"action": e.get_action_display(), "topic": place(e.topic), "created": e.created}
                for e in TopicEvent.objects.filter(actor=user)
                .select_related("topic")
                .order_by("created", "pk")
            ),
        ],
    }


def _action_label(action: str) -> str:
    return (
        str(log_actions.get_action_label(action)) if log_actions.action_exists(action) else action
    )


def uploaded_documents(user):
    return get_document_model().objects.filter(uploaded_by_user=user).order_by("created_at", "pk")


def document_path(document) -> str:
    """Where the document's file is in the ZIP export."""
    return f"files/{document.pk}-{document.filename}"


def as_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def readable_sections(data: dict) -> list[dict]:
    """The sections as tables for the HTML page: heading, column headings, rows of cells. The
    account is one row; a thread is shown by its title."""

    def cell(value):
        if isinstance(value, dict):  # a thread, by its title or (no longer readable) number
            return value["title"] or f"#{value['id']}"
        if isinstance(value, list):
            return ", ".join(value)
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
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
