"""Who may read advocacy topics, take part in them, write their position and sign it.

`check_*` functions raise PermissionDenied with a sentence the user can act on (or Http404
where even the existence of the thing is not theirs to know); `can_*` wrap them for templates;
`visible_topics` is the one visibility rule of topics."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils.translation import gettext as _

from forum.members.models import Organization
from forum.members.permissions import (
    _can,
    is_coordinator,
    is_member,
    member_organizations,
    representative_of,
    represented_organizations,
)
from forum.topics.models import AdvocacyTopic
from forum.topics.workflow import SIGNING_OPEN


def visible_topics(user, queryset=None):
    """Topics the user may read in the forum: coordinators all; members those meant for the
    network or the public (the public sees published ones on the public site)."""
    queryset = AdvocacyTopic.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset
    if is_member(user):
        return queryset.exclude(visibility=AdvocacyTopic.Visibility.COORDINATORS)
    return queryset.none()


def awaiting_answer(user):
    """Topics whose position waits for an answer (a signature or an objection) from an
    organisation the user represents, the nearest deadline first; no query for someone who
    represents none."""
    organizations = represented_organizations(user)
    if not organizations:
        return AdvocacyTopic.objects.none()
    return (
        visible_topics(user)
        .filter(status__in=SIGNING_OPEN)
        .exclude(position="")
        .annotate(
            answered=Count("signatures", filter=Q(signatures__organization__in=organizations))
        )
        .filter(answered__lt=len(organizations))
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )


def check_view_topic(user, topic: AdvocacyTopic):
    if not visible_topics(user, AdvocacyTopic.objects.filter(pk=topic.pk)).exists():
        raise Http404


def check_take_part(user, topic: AdvocacyTopic):
    """Join the working group or comment: members of member organisations and coordinators."""
    check_view_topic(user, topic)
    if not member_organizations(user) and not is_coordinator(user):
        raise PermissionDenied(_("Topics are worked on by the people of member organisations."))
    if topic.status == AdvocacyTopic.Status.ARCHIVED:
        raise PermissionDenied(_("This topic is archived."))


def check_write_position(user, topic: AdvocacyTopic, *, in_group: bool | None = None):
    """Write the position: coordinators and the working group's members. `in_group`, where
    the caller has read the group already, saves a query."""
    check_take_part(user, topic)
    if in_group is None:
        in_group = topic.members.filter(user=user).exists()
    if not (in_group or is_coordinator(user)):
        raise PermissionDenied(_("Join the working group to write the position."))


def check_sign_topic(user, topic: AdvocacyTopic, organization: Organization):
    check_view_topic(user, topic)
    if not representative_of(user, organization):
        raise PermissionDenied(
            _("An organisation signs through its representative; ask yours to answer.")
        )


def can_take_part(user, topic):
    return _can(check_take_part, user, topic)


def can_write_position(user, topic, *, in_group: bool | None = None):
    return _can(check_write_position, user, topic, in_group=in_group)


def can_view_topic(user, topic):
    return _can(check_view_topic, user, topic)
