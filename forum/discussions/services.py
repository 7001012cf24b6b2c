"""Actions on discussions (questions, good practices, materials, training needs, partner
searches), their replies and helpful marks. Each checks permission first, writes in one
transaction, leaves one audit record and schedules notifications, as the issue actions do."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search.index import insert_or_update_object

from forum.core.audit import log
from forum.core.markdown import render_markdown
from forum.core.models import AgeGroup, County, Municipality, Theme
from forum.discussions import permissions
from forum.discussions.models import (
    Discussion,
    DiscussionFollow,
    DiscussionRevision,
    HelpfulMark,
    Reply,
    ReplyRevision,
)
from forum.members.models import Organization
from forum.members.permissions import check_moderate, member_organizations
from forum.notifications.models import Notification
from forum.notifications.services import notify
from forum.threads.models import Flag
from forum.threads.services import RESUBMISSION_WINDOW, _resolve_flags, changes, describe

# Every kind's own fields; a kind's form leaves the others empty.
KIND_SPECIFIC = (
    "results",
    "material_type",
    "participants",
    "partner_countries",
    "programme",
    "deadline",
)


def _locked(discussion: Discussion) -> Discussion:
    """The discussion re-read under a row lock: call inside a transaction before a read decides
    a write (counters, the accepted answer)."""
    return Discussion.objects.select_for_update().get(pk=discussion.pk)


def _follow(user, discussion: Discussion) -> None:
    DiscussionFollow.objects.get_or_create(user=user, discussion=discussion)


def _kind_values(kind: str, details: dict) -> dict:
    """The kind-specific fields as stored: those of this kind from `details`, the rest empty."""
    own = Discussion.KIND_FIELDS[Discussion.Kind(kind)]
    empty = {"participants": None, "deadline": None}
    return {
        name: details.get(name, empty.get(name, "")) if name in own else empty.get(name, "")
        for name in KIND_SPECIFIC
    }


@transaction.atomic
def post_discussion(
    *,
    author,
    organization: Organization,
    kind: str,
    title: str,
    body: str,
    theme: Theme | None = None,
    county: County | None = None,
    municipality: Municipality | None = None,
    age_groups: list[AgeGroup] = (),
    tags: list[str] = (),
    details: dict | None = None,
    files: list = (),
) -> Discussion:
    """Start a discussion for the author's organisation. `details` holds the kind's own fields
    (Discussion.KIND_FIELDS); `files` are uploads already checked by forum.core.documents, stored
    in the forum's private collection in this same transaction."""
    permissions.check_post_discussion(author, organization)
    if Discussion.objects.filter(
        author=author, title=title, body=body, created__gte=timezone.now() - RESUBMISSION_WINDOW
    ).exists():
        raise ValidationError(_("You have just published this; it is not added twice."))
    if municipality is not None:
        county = municipality.county
    discussion = Discussion.objects.create(
        kind=kind,
        title=title,
        body=body,
        body_html=render_markdown(body),
        author=author,
        organization=organization,
        theme=theme,
        county=county,
        municipality=municipality,
        **_kind_values(kind, details or {}),
    )
    discussion.age_groups.set(age_groups)
    discussion.tags.set(list(tags))
    if files:
        from forum.discussions.attachments import attach_documents

        attach_documents(discussion=discussion, files=files, user=author)
    insert_or_update_object(discussion)  # again: the index reads the tags set after saving
    _follow(author, discussion)
    log(discussion, "forum.discussion.post", user=author)
    return discussion


@transaction.atomic
def edit_discussion(
    *,
    editor,
    discussion: Discussion,
    title: str,
    body: str,
    theme: Theme | None = None,
    county: County | None = None,
    municipality: Municipality | None = None,
    age_groups: list[AgeGroup] = (),
    tags: list[str] = (),
    details: dict | None = None,
    files: list = (),
) -> Discussion:
    """Change a discussion (its kind stays); new `files` are added to its attachments."""
    discussion = _locked(discussion)
    permissions.check_edit_discussion(editor, discussion)
    before = describe(discussion, KIND_SPECIFIC)
    if municipality is not None:
        county = municipality.county
    discussion.title, discussion.body = title, body
    discussion.body_html = render_markdown(body)
    discussion.theme, discussion.county, discussion.municipality = theme, county, municipality
    for name, value in _kind_values(discussion.kind, details or {}).items():
        setattr(discussion, name, value)
    discussion.save(
        update_fields=[
            "title",
            "body",
            "body_html",
            "theme",
            "county",
            "municipality",
            "updated",
            *KIND_SPECIFIC,
        ]
    )
    discussion.age_groups.set(age_groups)
    discussion.tags.set(list(tags))
    if files:
        from forum.discussions.attachments import attach_documents

        attach_documents(discussion=discussion, files=files, user=editor)
    insert_or_update_object(discussion)
    changed = changes(before, describe(discussion, KIND_SPECIFIC))
    if changed:
        DiscussionRevision.objects.create(discussion=discussion, editor=editor, changes=changed)
    log(discussion, "forum.discussion.edit", user=editor, data={"fields": sorted(changed)})
    return discussion


@transaction.atomic
def add_reply(*, author, discussion: Discussion, body: str) -> Reply:
    permissions.check_reply_discussion(author, discussion)
    if discussion.replies.filter(
        author=author, body=body, created__gte=timezone.now() - RESUBMISSION_WINDOW
    ).exists():
        raise ValidationError(_("You have just added this reply; it is not added twice."))
    organizations = member_organizations(author)
    reply = Reply.objects.create(
        discussion=discussion,
        author=author,
        organization=organizations[0] if organizations else None,
        body=body,
        body_html=render_markdown(body),
    )
    Discussion.objects.filter(pk=discussion.pk).update(
        reply_count=F("reply_count") + 1, last_activity=reply.created
    )
    _follow(author, discussion)
    log(reply, "forum.reply.add", user=author)
    notify(discussion, Notification.Kind.REPLY, actor=author, actor_organization=reply.organization)
    return reply


@transaction.atomic
def edit_reply(*, editor, reply: Reply, body: str) -> Reply:
    permissions.check_edit_reply(editor, reply)
    ReplyRevision.objects.create(reply=reply, editor=editor, body=reply.body)
    reply.body, reply.body_html, reply.edited = body, render_markdown(body), timezone.now()
    reply.save(update_fields=["body", "body_html", "edited"])
    log(reply, "forum.reply.edit", user=editor)
    return reply


@transaction.atomic
def delete_reply(*, user, reply: Reply) -> None:
    """The author withdraws a reply: it stays for the audit and shows as deleted; an accepted
    answer that is withdrawn is no longer the accepted one."""
    discussion = _locked(reply.discussion)
    permissions.check_edit_reply(user, reply)
    reply.deleted = timezone.now()
    reply.save(update_fields=["deleted"])
    changes = {"reply_count": F("reply_count") - 1}
    if discussion.accepted_reply_id == reply.pk:
        changes.update(accepted_reply=None, accepted_at=None)
    Discussion.objects.filter(pk=discussion.pk).update(**changes)
    log(reply, "forum.reply.delete", user=user)


@transaction.atomic
def accept_answer(*, user, discussion: Discussion, reply: Reply | None) -> Discussion:
    """Mark `reply` as the answer that solved the question (None takes the mark back)."""
    discussion = _locked(discussion)
    permissions.check_accept_answer(user, discussion)
    if reply is not None:
        reply = Reply.objects.get(pk=reply.pk)
        if reply.discussion_id != discussion.pk or reply.deleted or reply.hidden:
            raise ValidationError(_("This reply cannot be accepted: it is not in this question."))
    if discussion.accepted_reply_id == getattr(reply, "pk", None):
        return discussion
    discussion.accepted_reply = reply
    discussion.accepted_at = timezone.now() if reply else None
    discussion.last_activity = discussion.accepted_at or discussion.last_activity
    discussion.save(update_fields=["accepted_reply", "accepted_at", "last_activity", "updated"])
    log(
        discussion,
        "forum.discussion.accept" if reply else "forum.discussion.unaccept",
        user=user,
        data={"reply": getattr(reply, "pk", None)},
    )
    if reply is not None:
        notify(discussion, Notification.Kind.ACCEPTED, actor=user)
    return discussion


@transaction.atomic
def mark_helpful(
    *, user, discussion: Discussion, reply: Reply | None = None, helpful: bool = True
) -> int:
    """Mark a reply, or a good practice itself, as helpful (once per person), or take the
    mark back. Returns the new count."""
    discussion = _locked(discussion)
    permissions.check_mark_helpful(user, discussion, reply)
    if reply is not None and reply.discussion_id != discussion.pk:
        raise ValidationError(_("This reply is not in this discussion."))
    target = (
        Reply.objects.filter(pk=reply.pk) if reply else Discussion.objects.filter(pk=discussion.pk)
    )
    if helpful:
        try:
            with transaction.atomic():
                HelpfulMark.objects.create(user=user, discussion=discussion, reply=reply)
        except IntegrityError:
            raise ValidationError(_("You have already marked this as helpful.")) from None
        target.update(helpful_count=F("helpful_count") + 1)
    else:
        deleted, _details = HelpfulMark.objects.filter(
            user=user, discussion=discussion, reply=reply
        ).delete()
        if deleted:
            target.update(helpful_count=F("helpful_count") - 1)
    log(reply or discussion, "forum.helpful" if helpful else "forum.helpful.withdraw", user=user)
    return target.values_list("helpful_count", flat=True).get()


@transaction.atomic
def follow_discussion(*, user, discussion: Discussion, follow: bool = True) -> None:
    permissions.check_view_discussion(user, discussion)
    if follow:
        _follow(user, discussion)
    else:
        DiscussionFollow.objects.filter(user=user, discussion=discussion).delete()


@transaction.atomic
def flag_discussion(
    *, reporter, discussion: Discussion, reply: Reply | None = None, reason: str
) -> Flag:
    permissions.check_view_discussion(reporter, discussion)
    flag = Flag.objects.create(reporter=reporter, discussion=discussion, reply=reply, reason=reason)
    log(reply or discussion, "forum.flag", user=reporter, data={"flag": flag.pk})
    return flag


@transaction.atomic
def hide_discussion(*, moderator, discussion: Discussion, reason: str, hidden: bool = True) -> None:
    check_moderate(moderator)
    discussion = _locked(discussion)
    discussion.hidden, discussion.hidden_reason = hidden, reason if hidden else ""
    discussion.save(update_fields=["hidden", "hidden_reason", "updated"])
    insert_or_update_object(discussion)
    _resolve_flags(moderator, discussion=discussion, reply__isnull=True)
    log(
        discussion,
        "forum.discussion.hide" if hidden else "forum.discussion.unhide",
        user=moderator,
        data={"reason": reason},
    )


@transaction.atomic
def hide_reply(*, moderator, reply: Reply, reason: str, hidden: bool = True) -> None:
    check_moderate(moderator)
    discussion = _locked(reply.discussion)
    reply = Reply.objects.get(pk=reply.pk)
    changes = {}
    if reply.hidden != hidden and not reply.deleted:
        changes["reply_count"] = F("reply_count") + (-1 if hidden else 1)
    if hidden and discussion.accepted_reply_id == reply.pk:
        changes.update(accepted_reply=None, accepted_at=None)
    if changes:
        Discussion.objects.filter(pk=discussion.pk).update(**changes)
    reply.hidden, reply.hidden_reason = hidden, reason if hidden else ""
    reply.save(update_fields=["hidden", "hidden_reason"])
    insert_or_update_object(reply)
    _resolve_flags(moderator, reply=reply)
    log(
        reply,
        "forum.reply.hide" if hidden else "forum.reply.unhide",
        user=moderator,
        data={"reason": reason},
    )


@transaction.atomic
def lock_discussion(*, moderator, discussion: Discussion, locked: bool, reason: str = "") -> None:
    check_moderate(moderator)
    Discussion.objects.filter(pk=discussion.pk).update(locked=locked)
    log(
        discussion,
        "forum.discussion.lock" if locked else "forum.discussion.unlock",
        user=moderator,
        data={"reason": reason},
    )
