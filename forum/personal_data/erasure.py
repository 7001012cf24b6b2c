"""Erasing a member (GDPR art. 17), by themselves or by an administrator.

The account row stays, anonymised, instead of being deleted: audit log entries point at it
(Wagtail's log keeps a bare user id), and the "helpful" marks it gave stay counted. What the
person wrote stays too, attributed to their organisation only; coordinators remove it through
moderation if it must go. Everything else about them goes: name, e-mail, password, memberships,
settings, follows, subscriptions, notifications, the e-mail waiting in the outbox for them,
invitations to their address, sign-in records."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry
from wagtail.search.index import insert_or_update_object

from forum.core.audit import log, relabel_log_entries, written_by_members
from forum.discussions.models import DiscussionFollow
from forum.issues.models import Follow
from forum.members import cache as forum_cache
from forum.members import permissions
from forum.members.models import Invitation, Membership, Organization, Profile
from forum.notifications import outbox
from forum.notifications.models import Notification, Subscription
from forum.topics.models import TopicMember

ERASED_USERNAME = "kustutatud-{pk}"


def is_erased(user) -> bool:
    return user.username == ERASED_USERNAME.format(pk=user.pk) and not user.is_active


def _check_not_last_administrator(member) -> None:
    """The only active administrator is not erased: the site would be left without one."""
    if (
        member.is_superuser
        and not get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ValidationError(
            _("This is the only administrator's account; make someone else an administrator first.")
        )


def _nullable_references_to_users():
    """Every foreign key to the user model that deleting the user would set to NULL: authors,
    editors, reporters, Wagtail's revisions, page owners, uploaders. Setting them now does what
    a deletion would, while the row itself stays."""
    User = get_user_model()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                field.model is model  # once per table, not again for each subclass
                and field.is_relation
                and field.related_model is User
                and field.null
                and field.remote_field.on_delete is models.SET_NULL
            ):
                yield model, field.name


@transaction.atomic
def erase_member(*, member, actor=None) -> dict:
    """Erase `member`; returns how many of their posts were kept without their name. Idempotent:
    an erased account erased again changes nothing."""
    User = get_user_model()
    member = User.objects.select_for_update().get(pk=member.pk)
    permissions.check_erase_member(actor, member)
    _check_not_last_administrator(member)
    if is_erased(member):
        return {}
    old_username, old_email = member.get_username(), member.email

    written = {
        model: list(model.objects.filter(author=member).values_list("pk", flat=True))
        for model in written_by_members()
    }
    for model, field in _nullable_references_to_users():
        model._base_manager.filter(**{field: member}).update(**{field: None})

    Notification.objects.filter(recipient=member).delete()
    Follow.objects.filter(user=member).delete()
    DiscussionFollow.objects.filter(user=member).delete()
    Subscription.objects.filter(user=member).delete()
    TopicMember.objects.filter(user=member).delete()
    Membership.objects.filter(user=member).delete()
    Profile.objects.filter(user=member).delete()
    if old_email:
        outbox.forget_recipient(old_email)
        Invitation.objects.filter(email__iexact=old_email).delete()
        Organization.objects.filter(contact_email__iexact=old_email).update(
            contact_name="", contact_email=""
        )
    _delete_personal_rows(member, old_username)

    member.username = ERASED_USERNAME.format(pk=member.pk)
    member.first_name = member.last_name = member.email = ""
    member.set_unusable_password()
    member.is_active = member.is_staff = member.is_superuser = False
    member.last_login = None
    member.save(
        update_fields=[
            "username",
            "first_name",
            "last_name",
            "email",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "last_login",
        ]
    )
    member.groups.clear()
    member.user_permissions.clear()

    # Entries about the account itself were labelled with its username.
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(member.pk)
    ).update(label=member.username)
    for model, pks in written.items():
        relabel_log_entries(model, pks)
    by = "self" if actor is not None and actor.pk == member.pk else "administrator"
    log(member, "forum.member.erase", user=actor, data={"by": by})
    _reindex(written)
    transaction.on_commit(forum_cache.generation.bump)  # the name leaves cached pages too
    return {model._meta.model_name: len(pks) for model, pks in written.items()}


def _delete_personal_rows(member, old_username: str) -> None:
    """Rows of other apps that hold the person: Wagtail's admin profile, sign-in records."""
    if apps.is_installed("wagtail.users"):
        from wagtail.users.models import UserProfile

        UserProfile.objects.filter(user=member).delete()
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=old_username).delete()


def _reindex(written: dict) -> None:
    """Their posts as the index should have them: with no author. (The index holds no names
    today; this keeps erasure right when a document gains one.)"""
    for model, pks in written.items():
        for obj in model.objects.filter(pk__in=pks):
            insert_or_update_object(obj)
