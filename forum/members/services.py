"""Organisations and their people: applications, invitations, memberships."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forum.core.models import County
from forum.core.privacy import shorten
from forum.members import permissions
from forum.members.mail import email_delivery, forum_email
from forum.members.models import Invitation, Membership, Organization, Profile
from forum.members.roles import COORDINATORS


def _unique_slug(name: str) -> str:
    base = shorten(slugify(name), 180, ellipsis="").strip("-") or "organisatsioon"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _coordinators_to_tell():
    """The coordinators who take the forum's e-mail (a preference of "no e-mail" is kept)."""
    coordinators = (
        get_user_model()
        .objects.filter(groups__name=COORDINATORS, is_active=True)
        .exclude(email="")
        .select_related("forum_profile")
        .distinct()
    )
    return [user for user in coordinators if email_delivery(user) != Profile.Delivery.NONE]


@transaction.atomic
def apply_for_membership(
    *,
    name: str,
    registry_code: str,
    contact_name: str,
    contact_email: str,
    county: County,
    field_of_work: str,
    motivation: str,
) -> Organization:
    """Store an application from the join page as an applicant organisation, tell the
    coordinators and send the applicant a confirmation.

    Raises ValidationError when the registry code is already known (also when another
    application with the same code was stored a moment earlier)."""
    # The unique registry code decides, so two simultaneous applications store one.
    try:
        with transaction.atomic():
            organization = Organization.objects.create(
                name=name,
                slug=_unique_slug(name),
                registry_code=registry_code,
                county=county,
                field_of_work=field_of_work,
                contact_name=contact_name,
                contact_email=contact_email,
                motivation=motivation,
                status=Organization.Status.APPLICANT,
            )
    except IntegrityError:
        if not Organization.objects.filter(registry_code=registry_code).exists():
            raise
        raise ValidationError(
            {
                "registry_code": _(
                    "An organisation with this registry code has already applied or is a "
                    "member. Write to us if you think this is a mistake."
                )
            }
        ) from None
    log(organization, "forum.organization.apply", data={"registry_code": registry_code})

    # The mail is stored in the outbox in this transaction: the application and its mail are
    # kept together or not at all (forum.notifications.outbox delivers it after the commit).
    send_application_mails(organization, translation.get_language())
    return organization


def send_application_mails(organization: Organization, language: str) -> None:
    review_path = reverse("forum:applications")
    context = {
        "organization": organization,
        "review_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + review_path,
    }
    with translation.override(settings.LANGUAGE_CODE):
        for coordinator in _coordinators_to_tell():
            forum_email(
                user=coordinator,
                subject=_("New membership application: %(name)s") % {"name": organization.name},
                template="forum/email/application_received",
                context=context,
            ).send()
    with translation.override(language):
        send_mail(
            subject=_("We received your application to join Lapse Huvikaitse Koda"),
            message=render_to_string("forum/email/application_confirmation.txt", context),
            from_email=None,
            recipient_list=[organization.contact_email],
        )


INVITATION_VALID_FOR = datetime.timedelta(days=7)


@transaction.atomic
def invite_person(
    *, inviter, organization: Organization, email: str, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Send a single-use link that expires; the person sets a password and joins. An address
    already in the organisation is refused; one with an invitation waiting gets it again."""
    permissions.check_invite(inviter, organization, role)
    email = get_user_model().objects.normalize_email(email).lower()
    if organization.memberships.filter(active=True, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already in %(organization)s.")
            % {"email": email, "organization": organization.name}
        )
    waiting = pending_invitations(organization).filter(email=email).first()
    if waiting is not None:
        waiting.role = role
        return resend_invitation(manager=inviter, invitation=waiting)
    invitation = Invitation.objects.create(
        email=email,
        organization=organization,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=inviter,
        expires=timezone.now() + INVITATION_VALID_FOR,
    )
    log(organization, "forum.organization.invite", user=inviter, data={"role": role})
    send_invitation(invitation, translation.get_language())  # to the outbox, in this transaction
    return invitation


def pending_invitations(organization: Organization):
    """The organisation's invitations not yet used, nor expired or revoked."""
    return organization.invitations.filter(accepted__isnull=True, expires__gt=timezone.now())


@transaction.atomic
def resend_invitation(*, manager, invitation: Invitation) -> Invitation:
    """The invitation again, with a new link (the old one stops working) and a new week."""
    permissions.check_invite(manager, invitation.organization, invitation.role)
    invitation.token = secrets.token_urlsafe(32)
    invitation.expires = timezone.now() + INVITATION_VALID_FOR
    invitation.save(update_fields=["token", "expires", "role"])
    log(invitation.organization, "forum.organization.invite_resend", user=manager)
    send_invitation(invitation, translation.get_language())
    return invitation


@transaction.atomic
def revoke_invitation(*, manager, invitation: Invitation) -> None:
    """The link stops working at once."""
    permissions.check_manage_organization(manager, invitation.organization)
    invitation.expires = timezone.now()
    invitation.save(update_fields=["expires"])
    log(invitation.organization, "forum.organization.invite_revoke", user=manager)


@transaction.atomic
def update_profile(*, user, first_name: str, last_name: str, email_delivery: str) -> Profile:
    """The person's name and how they want the forum's e-mail."""
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    profile, _created = Profile.objects.update_or_create(
        user=user, defaults={"email_delivery": email_delivery}
    )
    return profile


@transaction.atomic
def update_organization(*, user, organization: Organization, **fields) -> Organization:
    """The organisation's public profile (OrganizationForm's fields), by its representative or
    a coordinator."""
    permissions.check_manage_organization(user, organization)
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.save(update_fields=list(fields))
    log(organization, "forum.organization.edit", user=user, data={"fields": sorted(fields)})
    return organization


def send_invitation(invitation: Invitation, language: str) -> None:
    path = reverse("forum:accept_invitation", args=[invitation.token])
    with translation.override(language):
        send_mail(
            subject=_("Invitation to the forum of Lapse Huvikaitse Koda"),
            message=render_to_string(
                "forum/email/invitation.txt",
                {
                    "invitation": invitation,
                    "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
                },
            ),
            from_email=None,
            recipient_list=[invitation.email],
        )


def open_invitation(token: str) -> Invitation | None:
    """The invitation for `token` if it can still be used."""
    return (
        Invitation.objects.filter(token=token, accepted__isnull=True, expires__gt=timezone.now())
        .select_related("organization")
        .first()
    )


@transaction.atomic
def account_for_invitation(invitation: Invitation):
    """The existing account with the invited address, if there is one."""
    return get_user_model().objects.filter(email__iexact=invitation.email).first()


def _spend_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token=token, accepted__isnull=True, expires__gt=timezone.now())
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation has expired or has already been used."))
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, username: str, first_name: str, last_name: str, password: str):
    """Create the invited person's account and membership; the link is spent. An address that
    already has an account must sign in to it instead (join_by_invitation): the link alone
    never opens an existing account."""
    invitation = _spend_invitation(token)
    User = get_user_model()
    if account_for_invitation(invitation):
        raise ValidationError(
            _("An account with this address exists. Sign in to it, then open the link again.")
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken; choose another.")})
    user = User.objects.create_user(
        username=username,
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    return _join(invitation, user)


@transaction.atomic
def join_by_invitation(*, token: str, user):
    """A signed-in person whose address was invited joins the organisation."""
    invitation = _spend_invitation(token)
    if not user.is_authenticated or user.email.lower() != invitation.email:
        raise PermissionDenied(_("This invitation was sent to another address."))
    return _join(invitation, user)


def _join(invitation: Invitation, user):
    Membership.objects.update_or_create(
        user=user,
        organization=invitation.organization,
        defaults={"role": invitation.role, "active": True},
    )
    invitation.accepted, invitation.user = timezone.now(), user
    invitation.save(update_fields=["accepted", "user"])
    log(invitation.organization, "forum.organization.join", user=user)
    return user


@transaction.atomic
def approve_application(*, coordinator, organization: Organization) -> Invitation:
    """Make the applicant a member and invite its contact person as representative."""
    permissions.check_moderate(coordinator)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status != Organization.Status.APPLICANT:
        raise ValidationError(_("Only an application can be approved."))
    organization.status, organization.joined = Organization.Status.MEMBER, timezone.localdate()
    organization.save(update_fields=["status", "joined"])
    log(organization, "forum.organization.approve", user=coordinator)
    return invite_person(
        inviter=coordinator,
        organization=organization,
        email=organization.contact_email,
        role=Membership.Role.REPRESENTATIVE,
    )


@transaction.atomic
def decline_application(*, coordinator, organization: Organization, reason: str) -> None:
    permissions.check_moderate(coordinator)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status != Organization.Status.APPLICANT:
        raise ValidationError(_("Only an application can be declined."))
    organization.status = Organization.Status.DECLINED
    organization.save(update_fields=["status"])
    log(organization, "forum.organization.decline", user=coordinator, data={"reason": reason})
    # The thank-you page promised a reply: the applicant hears the decision and the reason
    # (in the site's language: an application records no other).
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Your application to join Lapse Huvikaitse Koda"),
            message=render_to_string(
                "forum/email/application_declined.txt",
                {"organization": organization, "reason": reason},
            ),
            from_email=None,
            recipient_list=[organization.contact_email],
        )


@transaction.atomic
def set_membership_active(*, manager, membership: Membership, active: bool) -> None:
    """A representative removes (or restores) one of their organisation's people."""
    permissions.check_manage_organization(manager, membership.organization)
    membership.active = active
    membership.save(update_fields=["active"])
    log(
        membership.organization,
        "forum.organization.person",
        user=manager,
        data={"user": membership.user_id, "active": active},
    )
