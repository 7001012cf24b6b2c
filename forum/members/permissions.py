"""Who is a member, a representative or a coordinator, and what that alone decides: using the
forum, moderating, managing an organisation, inviting, erasing an account.

`check_*` functions raise PermissionDenied with a sentence the user can act on (or Http404
where even the existence of the thing is not theirs to know); `can_*` wrap them for templates."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from forum.members.generation import personal
from forum.members.models import Membership, Organization
from forum.members.roles import COORDINATORS


def _cached(user, name, compute):
    # Per-request memo on the user object: the same answers are asked many times per page;
    # across requests, from the person's cached facts (forum.members.generation).
    key = f"_koda_{name}"
    if not hasattr(user, key):
        setattr(user, key, personal(user, name, compute))
    return getattr(user, key)


def is_coordinator(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return _cached(
        user,
        "coordinator",
        lambda: user.is_superuser or user.groups.filter(name=COORDINATORS).exists(),
    )


def _memberships(user) -> list[Membership]:
    """The user's active memberships of member organisations, by organisation name; one query
    per request answers both questions below."""
    if not (user.is_authenticated and user.is_active):
        return []
    return _cached(
        user,
        "memberships",
        lambda: list(
            Membership.objects.filter(
                user=user, active=True, organization__status=Organization.Status.MEMBER
            )
            .select_related("organization")
            .order_by("organization__name", "organization_id")
        ),
    )


def member_organizations(user) -> list[Organization]:
    """The member organisations the user acts for (active memberships only)."""
    return [m.organization for m in _memberships(user)]


def represented_organizations(user) -> list[Organization]:
    """The member organisations the user answers for as their representative."""
    return [m.organization for m in _memberships(user) if m.role == Membership.Role.REPRESENTATIVE]


def representations():
    """Memberships that let their person answer for a member organisation."""
    return Membership.objects.filter(
        role=Membership.Role.REPRESENTATIVE,
        active=True,
        user__is_active=True,
        organization__status=Organization.Status.MEMBER,
    )


def representative_of(user, organization) -> bool:
    return (
        user.is_authenticated
        and representations().filter(user=user, organization=organization).exists()
    )


def is_member(user) -> bool:
    """May read the network's issues: people of member organisations, and coordinators."""
    return is_coordinator(user) or bool(member_organizations(user))


# Checks --------------------------------------------------------------------------------------


def check_use_forum(user):
    if not is_member(user):
        raise PermissionDenied(
            _(
                "The forum is for the people of the Koda's member organisations. If your "
                "organisation is a member, ask its representative to invite you."
            )
        )


def check_moderate(user):
    if not is_coordinator(user):
        raise PermissionDenied(_("Only coordinators can do this."))


def check_manage_organization(user, organization: Organization):
    if not (is_coordinator(user) or representative_of(user, organization)):
        raise PermissionDenied(
            _("Only the organisation's representative or a coordinator can do this.")
        )


def roles_to_invite(user) -> list[str]:
    """The roles the user may invite people into: a representative invites members, a
    coordinator representatives too."""
    if is_coordinator(user):
        return [Membership.Role.REPRESENTATIVE, Membership.Role.MEMBER]
    return [Membership.Role.MEMBER]


def check_invite(user, organization: Organization, role: str):
    check_manage_organization(user, organization)
    if role not in roles_to_invite(user):
        raise PermissionDenied(_("Only a coordinator can invite a representative."))


def check_erase_member(user, member):
    """A person erases their own account; an administrator anyone's. `user` None is the
    server's operator (the erase_member command)."""
    if user is not None and user.pk != member.pk and not user.is_superuser:
        raise PermissionDenied(_("Only an administrator can erase another person's account."))


def _can(check, *args, **kwargs) -> bool:
    try:
        check(*args, **kwargs)
    except (PermissionDenied, Http404):
        return False
    return True
