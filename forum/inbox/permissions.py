"""Who may do what in the forum: the one place that decides.

`check_*` functions raise PermissionDenied with a sentence the user can act on (or Http404
where even the existence of the thing is not theirs to know); `can_*` wrap them for templates.
`visible_issues` is the one visibility rule every list, page, feed, search and export uses.
"""

from django.db.models import Exists, OuterRef

from forum.discussions.permissions import visible_discussions
from forum.issues.permissions import visible_issues
from forum.members.permissions import is_member
from forum.notifications.models import Notification


def visible_notifications(user):
    """The user's notifications about issues and discussions they may still read."""
    if not is_member(user):
        return Notification.objects.none()
    # Correlated EXISTS: each of the user's notifications probes its own issue or discussion by
    # key. `issue__in=<subquery>` made SQLite read every visible issue on every page (the
    # header counts unread notifications), growing with the forum.
    return Notification.objects.filter(recipient=user).filter(
        Exists(visible_issues(user).filter(pk=OuterRef("issue_id")))
        | Exists(visible_discussions(user).filter(pk=OuterRef("discussion_id")))
    )
