from forum.inbox.permissions import visible_notifications
from forum.members import permissions


def forum(request):
    """What the header shows a signed-in person: the forum link and unread notifications.
    Visitors cost no query."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    member = permissions.is_member(user)
    return {
        "forum_member": member,
        "forum_coordinator": permissions.is_coordinator(user),
        "unread_notifications": (
            visible_notifications(user).filter(read__isnull=True).count() if member else 0
        ),
    }
