"""Signed unsubscribe links for the forum's e-mails.

A token carries a person's id and one preference to change: "email" (no more e-mail from the
forum) or "subscription:<pk>" (stop following that one subject). It is signed with the site's
secret under its own salt, so it cannot be forged or altered, and it does not expire: a link in
an old e-mail must still work (RFC 8058 mail clients may use it at any time). It only ever
turns something off, so a leaked link can do no more than its owner's click would.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

# Unchanged since the first links were mailed (the module moved): old links must keep working.
SALT = "forum.unsubscribe"
EMAIL = "email"
SUBSCRIPTION = "subscription"


@dataclass(frozen=True)
class Unsubscribe:
    user: object
    preference: str  # "email" or "subscription:<pk>"

    @property
    def subscription_id(self) -> int | None:
        kind, _sep, pk = self.preference.partition(":")
        return int(pk) if kind == SUBSCRIPTION else None


def make_token(user, preference: str = EMAIL) -> str:
    return signing.dumps({"u": user.pk, "p": preference}, salt=SALT, compress=True)


def subscription_preference(subscription) -> str:
    return f"{SUBSCRIPTION}:{subscription.pk}"


def unsubscribe_path(user, preference: str = EMAIL) -> str:
    """The path of the link (the e-mail adds the site's address)."""
    return reverse("forum:unsubscribe", args=[make_token(user, preference)])


def read_token(token: str) -> Unsubscribe | None:
    """The person and preference a token names; None when it was altered, is not ours, names
    a preference we do not know, or its person no longer exists."""
    try:
        data = signing.loads(token, salt=SALT)
        user_id, preference = int(data["u"]), str(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    kind, _sep, pk = preference.partition(":")
    if not (preference == EMAIL or (kind == SUBSCRIPTION and pk.isdigit())):
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    return Unsubscribe(user=user, preference=preference)
