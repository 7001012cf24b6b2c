"""Who may do what in the forum: the one place that decides.

`check_*` functions raise PermissionDenied with a sentence the user can act on (or Http404
where even the existence of the thing is not theirs to know); `can_*` wrap them for templates.
`visible_issues` is the one visibility rule every list, page, feed, search and export uses.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext as _

from .models import (
    AdvocacyTopic,
    Comment,
    Discussion,
    Issue,
    Membership,
    Notification,
    Organization,
    Reply,
)
from .roles import COORDINATORS


def _cached(user, name, compute):
    # Per-request memo on the user object: the same answers are asked many times per page.
    key = f"_koda_{name}"
    if not hasattr(user, key):
        setattr(user, key, compute())
    return getattr(user, key)


def is_coordinator(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return _cached(
        user,
        "coordinator",
        lambda: user.is_superuser or user.groups.filter(name=COORDINATORS).exists(),
    )


def member_organizations(user) -> list[Organization]:
    """The member organisations the user acts for (active memberships only)."""
    if not (user.is_authenticated and user.is_active):
        return []
    return _cached(
        user,
        "organizations",
        lambda: list(
            Organization.objects.filter(
                memberships__user=user,
                memberships__active=True,
                status=Organization.Status.MEMBER,
            ).order_by("name")
        ),
    )


def representative_of(user, organization) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and Membership.objects.filter(
            user=user,
            organization=organization,
            role=Membership.Role.REPRESENTATIVE,
            active=True,
            organization__status=Organization.Status.MEMBER,
        ).exists()
    )


def is_member(user) -> bool:
    """May read the network's issues: people of member organisations, and coordinators."""
    return is_coordinator(user) or bool(member_organizations(user))


def visible_issues(user, queryset=None):
    queryset = Issue.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset
    if is_member(user):
        return queryset.filter(hidden=False)
    return queryset.none()


def visible_comments(user, queryset=None):
    """Comments the user may read: not deleted, and for members not hidden, on issues they
    may read. Written as filters the search index can apply too."""
    queryset = Comment.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset.filter(deleted__isnull=True)
    if is_member(user):
        return queryset.filter(deleted__isnull=True, hidden=False).exclude(
            issue__in=Issue.objects.filter(hidden=True)
        )
    return queryset.none()


def visible_topics(user, queryset=None):
    """Topics the user may read in the forum: coordinators all; members those meant for the
    network or the public (the public sees published ones on the public site)."""
    queryset = AdvocacyTopic.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset
    if is_member(user):
        return queryset.exclude(visibility=AdvocacyTopic.Visibility.COORDINATORS)
    return queryset.none()


def visible_discussions(user, queryset=None):
    """Discussions are network-internal like issues: coordinators read all, members those not
    hidden, everyone else none."""
    queryset = Discussion.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset
    if is_member(user):
        return queryset.filter(hidden=False)
    return queryset.none()


def visible_replies(user, queryset=None):
    """Replies the user may read, by the same rule as comments on issues."""
    queryset = Reply.objects.all() if queryset is None else queryset
    if is_coordinator(user):
        return queryset.filter(deleted__isnull=True)
    if is_member(user):
        return queryset.filter(deleted__isnull=True, hidden=False).exclude(
            discussion__in=Discussion.objects.filter(hidden=True)
        )
    return queryset.none()


def visible_notifications(user):
    """The user's notifications about issues and discussions they may still read."""
    if not is_member(user):
        return Notification.objects.none()
    # Correlated EXISTS: each of the user's notifications probes its own issue or discussion by
    # key. `issue__in=<subquery>` made SQLite read every visible issue on every page (the
    # header counts unread notifications), growing with the forum.
    return Notification.objects.filter(recipient=user).filter(
        Exists(visible_issues(user).filter(pk=OuterRef("issue_id")))
        | Exists(visible_discussions(user).filter(pk=OuterRef("discussion_id")))
    )


# Checks --------------------------------------------------------------------------------------


def check_use_forum(user):
    if not is_member(user):
        raise PermissionDenied(
            _(
                "The forum is for the people of the Koda's member organisations. If your "
                "organisation is a member, ask its representative to invite you."
            )
        )


def check_view_issue(user, issue: Issue):
    if not visible_issues(user, Issue.objects.filter(pk=issue.pk)).exists():
        raise Http404


def check_post_issue(user, organization: Organization | None = None):
    check_use_forum(user)
    organizations = member_organizations(user)
    if not organizations:
        raise PermissionDenied(
            _("Issues are raised on behalf of a member organisation, and you belong to none.")
        )
    if organization is not None and organization not in organizations:
        raise PermissionDenied(_("You can raise issues only for your own organisation."))


def check_edit_issue(user, issue: Issue):
    check_view_issue(user, issue)
    if is_coordinator(user):
        return
    if issue.author_id != user.pk:
        raise PermissionDenied(_("Only the author or a coordinator can edit this issue."))
    if issue.locked:
        raise PermissionDenied(_("This issue is locked; ask a coordinator to change it."))


def check_support_issue(user, issue: Issue, organization: Organization):
    check_view_issue(user, issue)
    if organization not in member_organizations(user):
        raise PermissionDenied(_("You can speak only for your own organisation."))
    if issue.organization_id == organization.pk:
        raise PermissionDenied(_("Your organisation raised this issue, so it is already counted."))
    if issue.locked or issue.status == Issue.Status.DUPLICATE:
        raise PermissionDenied(_("This issue no longer takes “we see this too”."))


def check_comment_issue(user, issue: Issue):
    check_view_issue(user, issue)
    if issue.locked and not is_coordinator(user):
        raise PermissionDenied(_("This issue is locked: new comments are not accepted."))
    if not member_organizations(user) and not is_coordinator(user):
        raise PermissionDenied(_("Comments are written on behalf of a member organisation."))


def check_edit_comment(user, comment: Comment):
    check_view_issue(user, comment.issue)
    if comment.author_id != user.pk or comment.deleted or comment.hidden:
        raise PermissionDenied(_("You can edit only your own comments."))
    if comment.issue.locked and not is_coordinator(user):
        raise PermissionDenied(_("This issue is locked; ask a coordinator to change it."))


def check_moderate(user):
    if not is_coordinator(user):
        raise PermissionDenied(_("Only coordinators can do this."))


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


def check_sign_topic(user, topic: AdvocacyTopic, organization: Organization):
    check_view_topic(user, topic)
    if not representative_of(user, organization):
        raise PermissionDenied(
            _("An organisation signs through its representative; ask yours to answer.")
        )


def check_view_discussion(user, discussion: Discussion):
    if not visible_discussions(user, Discussion.objects.filter(pk=discussion.pk)).exists():
        raise Http404


def check_post_discussion(user, organization: Organization | None = None):
    check_use_forum(user)
    organizations = member_organizations(user)
    if not organizations:
        raise PermissionDenied(
            _("Discussions are started on behalf of a member organisation, and you belong to none.")
        )
    if organization is not None and organization not in organizations:
        raise PermissionDenied(_("You can start discussions only for your own organisation."))


def check_edit_discussion(user, discussion: Discussion):
    check_view_discussion(user, discussion)
    if is_coordinator(user):
        return
    if discussion.author_id != user.pk:
        raise PermissionDenied(_("Only the author or a coordinator can edit this discussion."))
    if discussion.locked:
        raise PermissionDenied(_("This discussion is locked; ask a coordinator to change it."))


def check_reply_discussion(user, discussion: Discussion):
    check_view_discussion(user, discussion)
    if discussion.locked and not is_coordinator(user):
        raise PermissionDenied(_("This discussion is locked: new replies are not accepted."))
    if not member_organizations(user) and not is_coordinator(user):
        raise PermissionDenied(_("Replies are written on behalf of a member organisation."))


def check_edit_reply(user, reply: Reply):
    check_view_discussion(user, reply.discussion)
    if reply.author_id != user.pk or reply.deleted or reply.hidden:
        raise PermissionDenied(_("You can edit only your own replies."))
    if reply.discussion.locked and not is_coordinator(user):
        raise PermissionDenied(_("This discussion is locked; ask a coordinator to change it."))


def check_accept_answer(user, discussion: Discussion):
    """The one who asked, or a coordinator, marks the answer that solved a question."""
    check_view_discussion(user, discussion)
    if discussion.kind != Discussion.Kind.QUESTION:
        raise PermissionDenied(_("Only a question has an accepted answer."))
    if discussion.author_id != user.pk and not is_coordinator(user):
        raise PermissionDenied(_("Only the one who asked or a coordinator can accept an answer."))


def check_mark_helpful(user, discussion: Discussion, reply: Reply | None = None):
    """Members mark replies, and good practices themselves, as helpful; never their own."""
    check_view_discussion(user, discussion)
    if not member_organizations(user) and not is_coordinator(user):
        raise PermissionDenied(_("Only members can mark something as helpful."))
    if reply is None and discussion.kind != Discussion.Kind.PRACTICE:
        raise PermissionDenied(_("Only a good practice or a reply can be marked as helpful."))
    if (reply or discussion).author_id == user.pk:
        raise PermissionDenied(_("You cannot mark your own text as helpful."))


def check_manage_organization(user, organization: Organization):
    if not (is_coordinator(user) or representative_of(user, organization)):
        raise PermissionDenied(
            _("Only the organisation's representative or a coordinator can do this.")
        )


def check_erase_member(user, member):
    """A person erases their own account; an administrator anyone's. `user` None is the
    server's operator (the erase_member command)."""
    if user is not None and user.pk != member.pk and not user.is_superuser:
        raise PermissionDenied(_("Only an administrator can erase another person's account."))


def _can(check, *args) -> bool:
    try:
        check(*args)
    except (PermissionDenied, Http404):
        return False
    return True


def can_edit_issue(user, issue):
    return _can(check_edit_issue, user, issue)


def can_comment_issue(user, issue):
    return _can(check_comment_issue, user, issue)


def can_edit_comment(user, comment):
    return _can(check_edit_comment, user, comment)


def can_take_part(user, topic):
    return _can(check_take_part, user, topic)


def can_edit_discussion(user, discussion):
    return _can(check_edit_discussion, user, discussion)


def can_reply_discussion(user, discussion):
    return _can(check_reply_discussion, user, discussion)


def can_edit_reply(user, reply):
    return _can(check_edit_reply, user, reply)


def can_accept_answer(user, discussion):
    return _can(check_accept_answer, user, discussion)


def can_moderate(user):
    return is_coordinator(user)
