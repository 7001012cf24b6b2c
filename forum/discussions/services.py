"""Actions on discussions (questions, good practices, materials, training needs, partner
searches), their replies and helpful marks. Each checks permission first, writes in one
transaction, leaves one audit record and schedules notifications, as the issue actions do."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.audit import log
from forum.core.models import AgeGroup, County, Municipality, Theme
from forum.discussions import permissions
from forum.discussions.attachments import attach_documents
from forum.discussions.models import (
    Discussion,
    HelpfulMark,
    Reply,
)
from forum.members.models import Organization
from forum.notifications.models import Notification
from forum.notifications.services import notify
from forum.threads import services as threads
from forum.threads.models import Flag

# Every kind's own fields; a kind's form leaves the others empty.
KIND_SPECIFIC = (
    "results",
    "material_type",
    "participants",
    "partner_countries",
    "programme",
    "deadline",
)


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
    discussion = threads.post_thread(
        Discussion,
        author=author,
        organization=organization,
        kind=kind,
        title=title,
        body=body,
        theme=theme,
        county=county,
        municipality=municipality,
        age_groups=age_groups,
        tags=tags,
        resubmitted=_("You have just published this; it is not added twice."),
        **_kind_values(kind, details or {}),
    )
    attach_documents(discussion=discussion, files=files, user=author)
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
    discussion = threads.locked_row(discussion)
    permissions.check_edit_discussion(editor, discussion)
    discussion = threads.edit_thread(
        discussion,
        editor=editor,
        title=title,
        body=body,
        theme=theme,
        county=county,
        municipality=municipality,
        age_groups=age_groups,
        tags=tags,
        own_fields=KIND_SPECIFIC,
        attached=len(files),
        **_kind_values(discussion.kind, details or {}),
    )
    attach_documents(discussion=discussion, files=files, user=editor)
    return discussion


@transaction.atomic
def add_reply(*, author, discussion: Discussion, body: str) -> Reply:
    permissions.check_reply_discussion(author, discussion)
    return threads.add_post(
        discussion,
        author=author,
        body=body,
        notice=Notification.Kind.REPLY,
        resubmitted=_("You have just added this reply; it is not added twice."),
    )


@transaction.atomic
def edit_reply(*, editor, reply: Reply, body: str) -> Reply:
    permissions.check_edit_reply(editor, reply)
    return threads.edit_post(reply, editor=editor, body=body)


@transaction.atomic
def delete_reply(*, user, reply: Reply) -> None:
    """The author withdraws a reply: it stays for the audit and shows as deleted; an accepted
    answer that is withdrawn is no longer the accepted one."""
    permissions.check_edit_reply(user, reply)
    _unaccept(threads.delete_post(reply, user=user), reply)


def _unaccept(discussion: Discussion, reply: Reply) -> None:
    """A reply withdrawn or hidden is no longer the accepted answer (`discussion` locked)."""
    if discussion.accepted_reply_id == reply.pk:
        Discussion.objects.filter(pk=discussion.pk).update(accepted_reply=None, accepted_at=None)


@transaction.atomic
def accept_answer(*, user, discussion: Discussion, reply: Reply | None) -> Discussion:
    """Mark `reply` as the answer that solved the question (None takes the mark back)."""
    discussion = threads.locked_row(discussion)
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
    discussion = threads.locked_row(discussion)
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
    threads.set_following(user=user, thread=discussion, following=follow)


@transaction.atomic
def flag_discussion(
    *, reporter, discussion: Discussion, reply: Reply | None = None, reason: str
) -> Flag:
    permissions.check_view_discussion(reporter, discussion)
    return threads.flag(discussion, reply, reporter=reporter, reason=reason)


@transaction.atomic
def hide_discussion(*, moderator, discussion: Discussion, reason: str, hidden: bool = True) -> None:
    threads.hide_thread(discussion, moderator=moderator, reason=reason, hidden=hidden)


@transaction.atomic
def hide_reply(*, moderator, reply: Reply, reason: str, hidden: bool = True) -> None:
    """Hide a reply or show it again; a hidden answer is no longer the accepted one."""
    discussion = threads.hide_post(reply, moderator=moderator, reason=reason, hidden=hidden)
    if hidden:
        _unaccept(discussion, reply)


@transaction.atomic
def lock_discussion(*, moderator, discussion: Discussion, locked: bool, reason: str = "") -> None:
    threads.lock_thread(discussion, moderator=moderator, locked=locked, reason=reason)
