"""Following subjects (a tag, a county, a theme or a kind of discussion), and the changes an
unsubscribe link in an e-mail makes. What is new in a followed subject comes in the digest
(forum.inbox.digests.send_digests)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forum.core.models import County, ForumTag, Theme
from forum.discussions.models import Discussion
from forum.members import permissions
from forum.members.models import Profile
from forum.notifications.models import Subscription


def subject_label(subscription: Subscription) -> str:
    """What a subscription follows, as a phrase that reads on its own ("tag “kool”")."""
    if subscription.tag_id:
        return _("tag “%(name)s”") % {"name": subscription.tag.name}
    if subscription.county_id:
        return _("county %(name)s") % {"name": subscription.county.everyday_name}
    if subscription.theme_id:
        return _("theme %(name)s") % {"name": subscription.theme}
    return _("discussions of the kind “%(kind)s”") % {
        "kind": Discussion.Kind(subscription.kind).label
    }


@transaction.atomic
def follow_subject(
    *,
    user,
    tag: ForumTag | None = None,
    county: County | None = None,
    theme: Theme | None = None,
    kind: str = "",
) -> Subscription:
    """Follow exactly one subject; following it again changes nothing and returns the same
    subscription."""
    permissions.check_use_forum(user)
    given = {
        name: value
        for name, value in (("tag", tag), ("county", county), ("theme", theme), ("kind", kind))
        if value
    }
    if len(given) != 1:
        raise ValidationError(
            _("Choose one thing to follow: a tag, a county, a theme or a kind of discussion.")
        )
    if kind and kind not in Discussion.Kind.values:
        raise ValidationError(_("There is no such kind of discussion."))
    # get_or_create re-reads the row when a parallel request inserted it first (the unique
    # constraints per subject decide), so two clicks at once still leave one subscription.
    subscription, _created = Subscription.objects.get_or_create(user=user, **given)
    return subscription


@transaction.atomic
def unfollow_subject(*, user, subscription: Subscription) -> bool:
    """Stop following; returns whether anything was removed (nothing when it was already
    gone). Only the subscription's own person may remove it."""
    permissions.check_use_forum(user)
    if subscription.user_id != user.pk:
        raise PermissionDenied(_("You can change only what you follow yourself."))
    deleted, _details = Subscription.objects.filter(pk=subscription.pk, user=user).delete()
    return bool(deleted)


@transaction.atomic
def stop_emails(*, user) -> bool:
    """The "no e-mail" preference, set from an unsubscribe link (which works signed out: the
    signed token is the permission). Returns whether anything changed."""
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    if profile.email_delivery == Profile.Delivery.NONE:
        return False
    profile.email_delivery = Profile.Delivery.NONE
    profile.save(update_fields=["email_delivery"])
    return True


@transaction.atomic
def remove_subscription(*, user, subscription_id: int) -> bool:
    """Remove one of `user`'s subscriptions, from an unsubscribe link (signed out: the signed
    token carrying both ids is the permission). Someone else's subscription is never touched.
    Returns whether anything was removed."""
    deleted, _details = Subscription.objects.filter(pk=subscription_id, user=user).delete()
    return bool(deleted)
