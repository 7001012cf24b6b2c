"""Who may do what in the forum: the one place that decides.

`check_*` functions raise PermissionDenied with a sentence the user can act on (or Http404
where even the existence of the thing is not theirs to know); `can_*` wrap them for templates.
`visible_issues` is the one visibility rule every list, page, feed, search and export uses.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from forum.issues.models import Comment, Issue
from forum.members.models import Organization
from forum.members.permissions import (
    _can,
    check_use_forum,
    is_coordinator,
    is_member,
    member_organizations,
)


def visible_issues(user, queryset=None):
    queryset = Issue.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset
    if is_member(user):
        return queryset.filter(hidden=False)
    return queryset.none()


def visible_comments(user, queryset=None):
    """Comments the user may read: not deleted, and for members not hidden, on issues they
    may read. Written as filters the search index can apply too."""
    queryset = Comment.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset.filter(deleted__isnull=True)
    if is_member(user):
        return queryset.filter(deleted__isnull=True, hidden=False).exclude(
            issue__in=Issue.objects.filter(hidden=True)
        )
    return queryset.none()


def check_view_issue(user, issue: Issue):
    if not visible_issues(user, Issue.objects.filter(pk=issue.pk)).exists():
        raise Http404


def check_post_issue(user, organization: Organization | None = None):
    check_use_forum(user)
    organizations = member_organizations(user)
    if not organizations:
        raise PermissionDenied(
            _("Issues are raised on behalf of a member organisation, and you belong to none.")
        )
    if organization is not None and organization not in organizations:
        raise PermissionDenied(_("You can raise issues only for your own organisation."))


def check_edit_issue(user, issue: Issue):
    check_view_issue(user, issue)
    if is_coordinator(user):
        return
    if issue.author_id != user.pk:
        raise PermissionDenied(_("Only the author or a coordinator can edit this issue."))
    if issue.locked:
        raise PermissionDenied(_("This issue is locked; ask a coordinator to change it."))


def check_support_issue(user, issue: Issue, organization: Organization):
    check_view_issue(user, issue)
    if organization not in member_organizations(user):
        raise PermissionDenied(_("You can speak only for your own organisation."))
    if issue.organization_id == organization.pk:
        raise PermissionDenied(_("Your organisation raised this issue, so it is already counted."))
    if issue.locked or issue.status == Issue.Status.DUPLICATE:
        raise PermissionDenied(_("This issue no longer takes “we see this too”."))


def check_comment_issue(user, issue: Issue):
    check_view_issue(user, issue)
    if issue.locked and not is_coordinator(user):
        raise PermissionDenied(_("This issue is locked: new comments are not accepted."))
    if not member_organizations(user) and not is_coordinator(user):
        raise PermissionDenied(_("Comments are written on behalf of a member organisation."))


def check_edit_comment(user, comment: Comment):
    check_view_issue(user, comment.issue)
    if comment.author_id != user.pk or comment.deleted or comment.hidden:
        raise PermissionDenied(_("You can edit only your own comments."))
    if comment.issue.locked and not is_coordinator(user):
        raise PermissionDenied(_("This issue is locked; ask a coordinator to change it."))


def can_edit_issue(user, issue):
    return _can(check_edit_issue, user, issue)


def can_comment_issue(user, issue):
    return _can(check_comment_issue, user, issue)


def can_edit_comment(user, comment):
    return _can(check_edit_comment, user, comment)
