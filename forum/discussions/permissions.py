"""Who may read, start, edit and reply to discussions, accept answers and mark them helpful:
the thread rules (forum.threads.permissions) in the discussions' words, and their own."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from forum.discussions.models import Discussion, Reply
from forum.members.models import Organization
from forum.members.permissions import (
    _can,
    is_coordinator,
    member_organizations,
)
from forum.threads.permissions import (
    check_add_post,
    check_edit_post,
    check_edit_thread,
    check_post_thread,
    check_view_thread,
    visible_posts,
    visible_threads,
)


def visible_discussions(user, queryset=None):
    return visible_threads(user, Discussion.objects.all() if queryset is None else queryset)


def visible_replies(user, queryset=None):
    return visible_posts(user, Reply.objects.all() if queryset is None else queryset)


def check_view_discussion(user, discussion: Discussion):
    check_view_thread(user, discussion)


def check_post_discussion(user, organization: Organization | None = None):
    check_post_thread(
        user,
        organization,
        nobody=_(
            "Discussions are started on behalf of a member organisation, and you belong to none."
        ),
        not_yours=_("You can start discussions only for your own organisation."),
    )


def check_edit_discussion(user, discussion: Discussion):
    check_edit_thread(
        user,
        discussion,
        not_author=_("Only the author or a coordinator can edit this discussion."),
        locked=_("This discussion is locked; ask a coordinator to change it."),
    )


def check_reply_discussion(user, discussion: Discussion):
    check_add_post(
        user,
        discussion,
        locked=_("This discussion is locked: new replies are not accepted."),
        nobody=_("Replies are written on behalf of a member organisation."),
    )


def check_edit_reply(user, reply: Reply):
    check_edit_post(
        user,
        reply,
        not_yours=_("You can edit only your own replies."),
        locked=_("This discussion is locked; ask a coordinator to change it."),
    )


def check_accept_answer(user, discussion: Discussion):
    """The one who asked, or a coordinator, marks the answer that solved a question."""
    check_view_discussion(user, discussion)
    if discussion.kind != Discussion.Kind.QUESTION:
        raise PermissionDenied(_("Only a question can have an accepted answer."))
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
