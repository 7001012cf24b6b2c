from forum.inbox.permissions import visible_notifications
from forum.members import permissions
from forum.members.generation import personal
from forum.threads.permissions import can_start_thread
from forum.topics.permissions import awaiting_answer


def forum(request):
    """What the header shows a signed-in person: the forum link and unread notifications; and,
    read only by the pages that show it, what waits for their organisation's answer. Visitors
    cost no query."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    member = permissions.is_member(user)
    return {
        "forum_member": member,
        "forum_coordinator": permissions.is_coordinator(user),
        # Raising an issue or starting a discussion needs an organisation: a coordinator
        # without one is not offered what would refuse them.
        "forum_may_start": member and can_start_thread(user),
        "unread_notifications": personal(
            user,
            "unread",
            lambda: visible_notifications(user).filter(read__isnull=True).count() if member else 0,
        ),
        # Asked by the pages that show it; the topics' rows, kept with the person's facts.
        "awaiting_answer": lambda: personal(user, "awaiting", lambda: list(awaiting_answer(user))),
    }
