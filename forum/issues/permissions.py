"""Who may read, raise, edit, support and comment on issues: the thread rules
(forum.threads.permissions) in the issues' words, and what only issues have."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from forum.issues.models import Comment, Issue
from forum.members.models import Organization
from forum.members.permissions import (
    _can,
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


def visible_issues(user, queryset=None):
    return visible_threads(user, Issue.objects.all() if queryset is None else queryset)


def visible_comments(user, queryset=None):
    return visible_posts(user, Comment.objects.all() if queryset is None else queryset)


def check_view_issue(user, issue: Issue):
    check_view_thread(user, issue)


def check_post_issue(user, organization: Organization | None = None):
    check_post_thread(
        user,
        organization,
        nobody=_("Issues are raised on behalf of a member organisation, and you belong to none."),
        not_yours=_("You can raise issues only for your own organisation."),
    )


def check_edit_issue(user, issue: Issue):
    check_edit_thread(
        user,
        issue,
        not_author=_("Only the author or a coordinator can edit this issue."),
        locked=_("This issue is locked; ask a coordinator to change it."),
    )


def check_support_issue(user, issue: Issue, organization: Organization):
    check_view_issue(user, issue)
    if organization not in member_organizations(user):
        raise PermissionDenied(_("You can speak only for your own organisation."))
    if issue.organization_id == organization.pk:
        raise PermissionDenied(_("Your organisation raised this issue, so it is already counted."))
    if issue.locked or issue.status == Issue.Status.DUPLICATE:
        raise PermissionDenied(_("This issue no longer accepts “we see this too”."))


def check_comment_issue(user, issue: Issue):
    check_add_post(
        user,
        issue,
        locked=_("This issue is locked: new comments are not accepted."),
        nobody=_("Comments are written on behalf of a member organisation."),
    )


def check_edit_comment(user, comment: Comment):
    check_edit_post(
        user,
        comment,
        not_yours=_("You can edit only your own comments."),
        locked=_("This issue is locked; ask a coordinator to change it."),
    )


def can_edit_issue(user, issue):
    return _can(check_edit_issue, user, issue)


def can_comment_issue(user, issue):
    return _can(check_comment_issue, user, issue)


def can_edit_comment(user, comment):
    return _can(check_edit_comment, user, comment)
