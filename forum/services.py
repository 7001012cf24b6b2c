"""Actions that change the forum's state. Each is one transaction with one audit record, and
schedules its e-mails for after the commit. Views, the admin and the demo loader call these."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .models import County, Organization
from .roles import COORDINATORS


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "organisatsioon"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def coordinator_emails() -> list[str]:
    User = get_user_model()
    return list(
        User.objects.filter(groups__name=COORDINATORS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


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

    language = translation.get_language()
    transaction.on_commit(lambda: _send_application_mails(organization, language))
    return organization


def _send_application_mails(organization: Organization, language: str) -> None:
    review_path = reverse("wagtailsnippets_forum_organization:edit", args=[organization.pk])
    context = {
        "organization": organization,
        "review_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + review_path,
    }
    if recipients := coordinator_emails():
        with translation.override("et"):
            send_mail(
                subject=_("New membership application: %(name)s") % {"name": organization.name},
                message=render_to_string("forum/email/application_received.txt", context),
                from_email=None,
                recipient_list=recipients,
            )
    with translation.override(language):
        send_mail(
            subject=_("We received your application to join Lapse Huvikaitse Koda"),
            message=render_to_string("forum/email/application_confirmation.txt", context),
            from_email=None,
            recipient_list=[organization.contact_email],
        )
