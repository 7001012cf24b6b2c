"""The forum's e-mail to a member: how they want it (their profile's preference, which every
kind of mail asks) and the message itself, with the signed one-click link that stops it."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from forum.members import unsubscribe
from forum.members.models import Profile


def email_delivery(user) -> str:
    """How the person wants the forum's e-mail (Profile.Delivery); every kind of mail asks."""
    try:
        return user.forum_profile.email_delivery
    except Profile.DoesNotExist:
        return Profile.Delivery.IMMEDIATELY


def site_url(path: str) -> str:
    """The absolute address of a path on the site, for mail."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def forum_email(*, user, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """An e-mail to `user` from the forum, with a one-click link that stops all its e-mail
    (RFC 2369 and RFC 8058 headers; the same link stands in the text). Call with the site's
    language active, so the links carry no language prefix."""
    unsubscribe_url = site_url(unsubscribe.unsubscribe_path(user, unsubscribe.EMAIL))
    context = {
        **context,
        "site_url": site_url(""),
        "profile_url": site_url(reverse("forum:profile")),
        "unsubscribe_url": unsubscribe_url,
    }
    # EmailMultiAlternatives so that an HTML alternative can be attached later.
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return message
