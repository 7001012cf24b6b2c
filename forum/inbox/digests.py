"""Digests: a daily or weekly e-mail of what is new in the subjects a member follows and of the
notifications not yet e-mailed, for those who chose it in their profile."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.discussions.models import Discussion, DiscussionFollow
from forum.discussions.permissions import visible_discussions
from forum.inbox import permissions
from forum.inbox.subscriptions import subject_label
from forum.issues.models import Issue
from forum.issues.permissions import visible_issues
from forum.members import unsubscribe
from forum.members.mail import forum_email, site_url
from forum.members.models import Profile
from forum.members.permissions import is_member
from forum.notifications.models import Notification, Subscription

DIGEST_PERIODS = {
    Profile.Delivery.DAILY: datetime.timedelta(days=1),
    Profile.Delivery.WEEKLY: datetime.timedelta(days=7),
}
# A scheduler running a little early still sends.
SLACK = datetime.timedelta(hours=1)


# Digests --------------------------------------------------------------------------------------

# At most this many items per section; the rest are a click away in the forum.
DIGEST_SECTION_LIMIT = 20


@dataclass
class DigestGroup:
    """Items of one digest section found through one subscription (or, with none, through
    the discussions the person follows), with the link that stops following it."""

    label: str
    items: list = field(default_factory=list)
    unsubscribe_url: str = ""


@dataclass
class DigestSection:
    groups: list[DigestGroup]
    more: bool = False

    @property
    def count(self) -> int:
        return sum(len(group.items) for group in self.groups)


@dataclass
class Digest:
    notifications: list[Notification]
    discussions: DigestSection | None = None
    accepted: DigestSection | None = None
    helpful: DigestSection | None = None
    issues: DigestSection | None = None

    @property
    def count(self) -> int:
        sections = (self.discussions, self.accepted, self.helpful, self.issues)
        return len(self.notifications) + sum(s.count for s in sections if s)


def _subject_q(subscriptions, *, kinds: bool = True) -> Q | None:
    """What matches any of the subscriptions, as one filter (None when nothing can)."""
    q = Q()
    tags = [s.tag_id for s in subscriptions if s.tag_id]
    counties = [s.county_id for s in subscriptions if s.county_id]
    themes = [s.theme_id for s in subscriptions if s.theme_id]
    chosen_kinds = [s.kind for s in subscriptions if s.kind] if kinds else []
    if tags:
        q |= Q(tags__in=tags)
    if counties:
        q |= Q(county_id__in=counties)
    if themes:
        q |= Q(theme_id__in=themes)
    if chosen_kinds:
        q |= Q(kind__in=chosen_kinds)
    return q or None


def _matches(subscription: Subscription, item) -> bool:
    """Whether `item` (with its tags prefetched) is in what `subscription` follows."""
    if subscription.tag_id:
        return any(tag.pk == subscription.tag_id for tag in item.tags.all())
    if subscription.county_id:
        return item.county_id == subscription.county_id
    if subscription.theme_id:
        return item.theme_id == subscription.theme_id
    return getattr(item, "kind", None) == subscription.kind


def _section(queryset, subscriptions, user) -> DigestSection | None:
    """One query (and one for the tags): the items, grouped under the first subscription each
    matches, in the order the person subscribed; the rest under "discussions you follow"."""
    items = list(queryset[: DIGEST_SECTION_LIMIT + 1])
    if not items:
        return None
    more = len(items) > DIGEST_SECTION_LIMIT
    groups = {
        s.pk: DigestGroup(
            label=subject_label(s),
            unsubscribe_url=site_url(
                unsubscribe.unsubscribe_path(user, unsubscribe.subscription_preference(s))
            ),
        )
        for s in subscriptions
    }
    followed = DigestGroup(label=_("discussions you follow"))
    for item in items[:DIGEST_SECTION_LIMIT]:
        match = next((s for s in subscriptions if _matches(s, item)), None)
        (groups[match.pk] if match else followed).items.append(item)
    return DigestSection(groups=[g for g in [*groups.values(), followed] if g.items], more=more)


def collect_digest(user, *, since, now) -> Digest:
    """What the digest tells `user` about (since, now]: a bounded number of queries whatever
    the number of items (a few per section). Everything goes through the visibility rules, so
    a former member is told nothing, and hidden things only reach coordinators."""
    notifications = permissions.name_only_readable_topics(
        user,
        permissions.visible_notifications(user)
        .filter(emailed__isnull=True)
        .select_related("issue", "topic", "discussion", "actor_organization")
        .order_by("created"),
    )
    digest = Digest(notifications=notifications)
    if not is_member(user):
        return digest
    subscriptions = list(
        Subscription.objects.filter(user=user)
        .select_related("tag", "county", "theme")
        .order_by("created", "pk")
    )
    period = {"created__gt": since, "created__lte": now}
    discussions = visible_discussions(user).select_related(
        "organization", "county", "municipality__county"
    )
    matching = _subject_q(subscriptions)
    if matching is not None:
        digest.discussions = _section(
            discussions.filter(**period)
            .exclude(author=user)
            .filter(pk__in=Discussion.objects.filter(matching).values("pk"))
            .prefetch_related("tags")
            .order_by("-created", "-pk"),
            subscriptions,
            user,
        )
    # Questions and practices in a followed subject or in a discussion the person follows.
    followed = Q(pk__in=DiscussionFollow.objects.filter(user=user).values("discussion_id"))
    if matching is not None:
        followed |= Q(pk__in=Discussion.objects.filter(matching).values("pk"))
    # An accepted answer already told through a notification is not told twice.
    told = [n.discussion_id for n in notifications if n.kind == Notification.Kind.ACCEPTED]
    digest.accepted = _section(
        discussions.filter(followed)
        .filter(
            kind=Discussion.Kind.QUESTION,
            accepted_reply__isnull=False,
            accepted_at__gt=since,
            accepted_at__lte=now,
        )
        .exclude(author=user)
        .exclude(pk__in=told)
        .select_related("accepted_reply__organization")
        .prefetch_related("tags")
        .order_by("-accepted_at", "-pk"),
        subscriptions,
        user,
    )
    new_marks = Count(
        "helpful_marks",
        filter=Q(
            helpful_marks__reply__isnull=True,
            helpful_marks__created__gt=since,
            helpful_marks__created__lte=now,
        )
        & ~Q(helpful_marks__user_id=user.pk),
    )
    digest.helpful = _section(
        discussions.filter(followed)
        .filter(kind=Discussion.Kind.PRACTICE)
        .annotate(new_helpful=new_marks)
        .filter(new_helpful__gt=0)
        .prefetch_related("tags")
        .order_by("-new_helpful", "-helpful_count", "-pk"),
        subscriptions,
        user,
    )
    issue_matching = _subject_q(subscriptions, kinds=False)
    if issue_matching is not None:
        digest.issues = _section(
            visible_issues(user)
            .filter(**period)
            .exclude(author=user)
            .filter(pk__in=Issue.objects.filter(issue_matching).values("pk"))
            .select_related("organization", "county", "municipality__county", "theme")
            .prefetch_related("tags")
            .order_by("-created", "-pk"),
            subscriptions,
            user,
        )
    return digest


def send_digests(delivery: str, *, now=None) -> int:
    """E-mail each person whose preference is `delivery` (daily or weekly) what is new for them
    since their previous digest (or one period back); returns how many digests went out. Meant
    for a scheduler. Nothing is sent to a person with nothing new."""
    now = now or timezone.now()
    period = DIGEST_PERIODS[delivery]
    sent = 0
    profiles = Profile.objects.filter(email_delivery=delivery).select_related("user")
    for profile in profiles:
        if profile.last_digest_sent and now - profile.last_digest_sent < period - SLACK:
            continue
        user = profile.user
        if user.email and user.is_active:
            digest = collect_digest(user, since=profile.last_digest_sent or now - period, now=now)
            if digest.count:
                _send_digest(user, digest, delivery)
                Notification.objects.filter(pk__in=[n.pk for n in digest.notifications]).update(
                    emailed=now
                )
                sent += 1
        profile.last_digest_sent = now
        profile.save(update_fields=["last_digest_sent"])
    return sent


def _send_digest(user, digest: Digest, delivery: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            ngettext(
                "Koda daily digest: %(count)d new item in what you follow",
                "Koda daily digest: %(count)d new items in what you follow",
                digest.count,
            )
            if delivery == Profile.Delivery.DAILY
            else ngettext(
                "Koda weekly digest: %(count)d new item in what you follow",
                "Koda weekly digest: %(count)d new items in what you follow",
                digest.count,
            )
        )
        forum_email(
            user=user,
            subject=subject % {"count": digest.count},
            template="forum/email/digest",
            context={"digest": digest, "delivery": delivery, "user": user},
        ).send()
