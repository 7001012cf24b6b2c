"""Who may do what in the forum: the one place that decides.

`check_*` functions raise PermissionDenied with a sentence the user can act on (or Http404
where even the existence of the thing is not theirs to know); `can_*` wrap them for templates.
`visible_issues` is the one visibility rule every list, page, feed, search and export uses.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from forum.discussions.models import Discussion, Reply
from forum.members.models import Organization
from forum.members.permissions import (
    _can,
    check_use_forum,
    is_coordinator,
    is_member,
    member_organizations,
)


def visible_discussions(user, queryset=None):
    """Discussions are network-internal like issues: coordinators read all, members those not
    hidden, everyone else none."""
    queryset = Discussion.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset
    if is_member(user):
        return queryset.filter(hidden=False)
    return queryset.none()


def visible_replies(user, queryset=None):
    """Replies the user may read, by the same rule as comments on issues."""
    queryset = Reply.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset.filter(deleted__isnull=True)
    if is_member(user):
        return queryset.filter(deleted__isnull=True, hidden=False).exclude(
            discussion__in=Discussion.objects.filter(hidden=True)
        )
    return queryset.none()


def check_view_discussion(user, discussion: Discussion):
    if not visible_discussions(user, Discussion.objects.filter(pk=discussion.pk)).exists():
        raise Http404


def check_post_discussion(user, organization: Organization | None = None):
    check_use_forum(user)
    organizations = member_organizations(user)
    if not organizations:
        raise PermissionDenied(
            _("Discussions are started on behalf of a member organisation, and you belong to none.")
        )
    if organization is not None and organization not in organizations:
        raise PermissionDenied(_("You can start discussions only for your own organisation."))


def check_edit_discussion(user, discussion: Discussion):
    check_view_discussion(user, discussion)
    if is_coordinator(user):
        return
    if discussion.author_id != user.pk:
        raise PermissionDenied(_("Only the author or a coordinator can edit this discussion."))
    if discussion.locked:
        raise PermissionDenied(_("This discussion is locked; ask a coordinator to change it."))


def check_reply_discussion(user, discussion: Discussion):
    check_view_discussion(user, discussion)
    if discussion.locked and not is_coordinator(user):
        raise PermissionDenied(_("This discussion is locked: new replies are not accepted."))
    if not member_organizations(user) and not is_coordinator(user):
        raise PermissionDenied(_("Replies are written on behalf of a member organisation."))


def check_edit_reply(user, reply: Reply):
    check_view_discussion(user, reply.discussion)
    if reply.author_id != user.pk or reply.deleted or reply.hidden:
        raise PermissionDenied(_("You can edit only your own replies."))
    if reply.discussion.locked and not is_coordinator(user):
        raise PermissionDenied(_("This discussion is locked; ask a coordinator to change it."))


def check_accept_answer(user, discussion: Discussion):
    """The one who asked, or a coordinator, marks the answer that solved a question."""
    check_view_discussion(user, discussion)
    if discussion.kind != Discussion.Kind.QUESTION:
        raise PermissionDenied(_("Only a question has an accepted answer."))
    if discussion.author_id != user.pk and not is_coordinator(user):
        raise PermissionDenied(_("Only the one who asked or a coordinator can accept an answer."))


def check_mark_helpful(user, discussion: Discussion, reply: Reply | None = None):
    """Members mark replies, and good practices themselves, as helpful; never their own."""
    check_view_discussion(user, discussion)
    if not member_organizations(user) and not is_coordinator(user):
        raise PermissionDenied(_("Only members can mark something as helpful."))
    if reply is None and discussion.kind != Discussion.Kind.PRACTICE:
        raise PermissionDenied(_("Only a good practice or a reply can be marked as helpful."))
    if (reply or discussion).author_id == user.pk:
        raise PermissionDenied(_("You cannot mark your own text as helpful."))


def can_edit_discussion(user, discussion):
    return _can(check_edit_discussion, user, discussion)


def can_reply_discussion(user, discussion):
    return _can(check_reply_discussion, user, discussion)


def can_edit_reply(user, reply):
    return _can(check_edit_reply, user, reply)


def can_accept_answer(user, discussion):
    return _can(check_accept_answer, user, discussion)


def can_mark_helpful(user, discussion, reply=None):
    return _can(check_mark_helpful, user, discussion, reply)
