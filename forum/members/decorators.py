"""Who may open the forum's pages at all: people of member organisations and coordinators
(member_required), or coordinators only (coordinator_required)."""

from functools import wraps

from django.contrib.auth.decorators import login_required

from forum.members import permissions


def member_required(view):
    """Signed-in people of member organisations (and coordinators) only."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        permissions.check_use_forum(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def coordinator_required(view):
    @wraps(view)
    @member_required
    def wrapper(request, *args, **kwargs):
        permissions.check_moderate(request.user)
        return view(request, *args, **kwargs)

    return wrapper
