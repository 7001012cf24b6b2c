"""Who may use the coordinators' tools of moderation: the one place that decides."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from forum.members.permissions import is_coordinator


def check_see_overview(user):
    if not is_coordinator(user):
        raise PermissionDenied(
            _(
                "The overview and its exports are for the network's coordinators. If you need "
                "its numbers, ask a coordinator."
            )
        )
