"""What a member may read in their inbox: their notifications, and in them only what they may
open now."""

from django.db.models import Exists, OuterRef, Q

from forum.discussions.permissions import visible_discussions
from forum.issues.permissions import visible_issues
from forum.members.permissions import is_member
from forum.notifications.models import Notification
from forum.topics.permissions import visible_topics


def visible_notifications(user):
    """The user's notifications about issues, discussions and topics they may still read."""
    if not is_member(user):
        return Notification.objects.none()
    # Correlated EXISTS: each of the user's notifications probes its own issue or discussion by
    # key. `issue__in=<subquery>` made SQLite read every visible issue on every page (the
    # header counts unread notifications), growing with the forum.
    return Notification.objects.filter(recipient=user).filter(
        Exists(visible_issues(user).filter(pk=OuterRef("issue_id")))
        | Exists(visible_discussions(user).filter(pk=OuterRef("discussion_id")))
        | Q(kind=Notification.Kind.SIGNATURE)
        & Exists(visible_topics(user).filter(pk=OuterRef("topic_id")))
    )


def name_only_readable_topics(user, notifications) -> list:
    """The notifications, naming only the topics `user` may open now: an escalation into a
    topic since meant for coordinators only no longer shows its title (one query)."""
    notifications = list(notifications)
    named = {n.topic_id for n in notifications if n.topic_id}
    readable = set(
        visible_topics(user).filter(pk__in=named).values_list("pk", flat=True) if named else ()
    )
    for notification in notifications:
        if notification.topic_id and notification.topic_id not in readable:
            notification.topic = None
    return notifications
