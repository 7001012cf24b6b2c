"""Actions on issues, comments and "we see this too". Each checks permission first, writes in
one transaction and leaves one audit record; what issues share with discussions is done by
the thread core (forum.threads.services)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.audit import log
from forum.core.models import AgeGroup, County, Municipality, Theme
from forum.issues import permissions, workflow
from forum.issues.models import Comment, Follow, Issue, Support
from forum.members.models import Organization
from forum.members.permissions import check_moderate, member_organizations
from forum.notifications.models import Notification
from forum.notifications.services import notify
from forum.threads import services as threads
from forum.threads.models import Flag


@transaction.atomic
def post_issue(
    *,
    author,
    organization: Organization,
    title: str,
    body: str,
    theme: Theme,
    county: County | None = None,
    municipality: Municipality | None = None,
    age_groups: list[AgeGroup] = (),
    tags: list[str] = (),
) -> Issue:
    permissions.check_post_issue(author, organization)
    return threads.post_thread(
        Issue,
        author=author,
        organization=organization,
        title=title,
        body=body,
        theme=theme,
        county=county,
        municipality=municipality,
        age_groups=age_groups,
        tags=tags,
        resubmitted=_("You have just published this issue; it is not added twice."),
    )


@transaction.atomic
def edit_issue(
    *,
    editor,
    issue: Issue,
    title: str,
    body: str,
    theme: Theme,
    county: County | None = None,
    municipality: Municipality | None = None,
    age_groups: list[AgeGroup] = (),
    tags: list[str] = (),
) -> Issue:
    """Change the issue and keep what it was as a revision (who, when, what changed)."""
    issue = threads.locked_row(issue)
    permissions.check_edit_issue(editor, issue)
    return threads.edit_thread(
        issue,
        editor=editor,
        title=title,
        body=body,
        theme=theme,
        county=county,
        municipality=municipality,
        age_groups=age_groups,
        tags=tags,
    )


@transaction.atomic
def add_support(
    *, user, issue: Issue, organization: Organization, note: str = "", county=None
) -> Support:
    """ "We see this too" for the user's organisation; one per organisation, whoever of its
    people says it first."""
    # Decide on the current row: it may just have been merged or locked.
    issue = threads.locked_row(issue)
    permissions.check_support_issue(user, issue, organization)
    try:
        with transaction.atomic():
            support = Support.objects.create(
                issue=issue, organization=organization, user=user, note=note, county=county
            )
    except IntegrityError:
        raise ValidationError(
            _("%(organization)s already sees this too.") % {"organization": organization}
        ) from None
    Issue.objects.filter(pk=issue.pk).update(
        support_count=F("support_count") + 1, last_activity=timezone.now()
    )
    threads.follow(user, issue)
    log(
        issue,
        "forum.support.add",
        user=user,
        data={"organization": organization.pk, "organization_name": organization.name},
    )
    notify(issue, Notification.Kind.SUPPORT, actor=user, actor_organization=organization)
    return support


@transaction.atomic
def withdraw_support(*, user, issue: Issue, organization: Organization) -> None:
    if organization not in member_organizations(user):
        check_moderate(user)
    issue = threads.locked_row(issue)
    deleted, _details = Support.objects.filter(issue=issue, organization=organization).delete()
    if deleted:
        Issue.objects.filter(pk=issue.pk).update(support_count=F("support_count") - 1)
        log(
            issue,
            "forum.support.withdraw",
            user=user,
            data={"organization": organization.pk, "organization_name": organization.name},
        )


@transaction.atomic
def add_comment(*, author, issue: Issue, body: str) -> Comment:
    permissions.check_comment_issue(author, issue)
    return threads.add_post(
        issue,
        author=author,
        body=body,
        notice=Notification.Kind.COMMENT,
        resubmitted=_("You have just added this comment; it is not added twice."),
    )


@transaction.atomic
def edit_comment(*, editor, comment: Comment, body: str) -> Comment:
    permissions.check_edit_comment(editor, comment)
    return threads.edit_post(comment, editor=editor, body=body)


@transaction.atomic
def delete_comment(*, user, comment: Comment) -> None:
    """The author withdraws a comment: it stays for the audit and shows as deleted."""
    permissions.check_edit_comment(user, comment)
    threads.delete_post(comment, user=user)


@transaction.atomic
def follow_issue(*, user, issue: Issue, follow: bool = True) -> None:
    permissions.check_view_issue(user, issue)
    threads.set_following(user=user, thread=issue, following=follow)


@transaction.atomic
def flag_content(*, reporter, issue: Issue, comment: Comment | None = None, reason: str) -> Flag:
    permissions.check_view_issue(reporter, issue)
    return threads.flag(issue, comment, reporter=reporter, reason=reason)


@transaction.atomic
def hide_comment(*, moderator, comment: Comment, reason: str, hidden: bool = True) -> None:
    threads.hide_post(comment, moderator=moderator, reason=reason, hidden=hidden)


@transaction.atomic
def hide_issue(*, moderator, issue: Issue, reason: str, hidden: bool = True) -> None:
    threads.hide_thread(issue, moderator=moderator, reason=reason, hidden=hidden)


@transaction.atomic
def lock_issue(*, moderator, issue: Issue, locked: bool, reason: str = "") -> None:
    threads.lock_thread(issue, moderator=moderator, locked=locked, reason=reason)


@transaction.atomic
def change_issue_status(*, moderator, issue: Issue, status: str, reason: str = "") -> Issue:
    """A plain status change along forum.issues.workflow; escalation and merging have their own."""
    check_moderate(moderator)
    issue = threads.locked_row(issue)
    transition = workflow.find_transition(issue.status, status)
    if transition is None or transition.by_action:
        raise ValidationError(
            _("An issue that is “%(source)s” cannot become “%(target)s”.")
            % {"source": issue.get_status_display(), "target": Issue.Status(status).label}
            if status in Issue.Status.values
            else _("Unknown status.")
        )
    source = issue.status
    issue.status, issue.last_activity = status, timezone.now()
    if source == Issue.Status.DUPLICATE:
        issue.duplicate_of = None
    issue.save(update_fields=["status", "last_activity", "duplicate_of", "updated"])
    log(
        issue,
        "forum.issue.status",
        user=moderator,
        data={"from": source, "to": status, "reason": reason},
    )
    notify(issue, Notification.Kind.STATUS, actor=moderator)
    return issue


@transaction.atomic
def merge_issue_into(*, moderator, duplicate: Issue, original: Issue, reason: str = "") -> Issue:
    """Close `duplicate` as a duplicate of `original`. Its organisation, its supporters, its
    followers and its tags all move to the original: nothing is lost."""
    check_moderate(moderator)
    if duplicate.pk == original.pk:
        raise ValidationError(_("An issue cannot be a duplicate of itself."))
    # Lock both rows in a fixed order so two merges cannot deadlock.
    locked = {
        i.pk: i
        for i in Issue.objects.select_for_update()
        .filter(pk__in=[duplicate.pk, original.pk])
        .order_by("pk")
    }
    duplicate, original = locked[duplicate.pk], locked[original.pk]
    if workflow.find_transition(duplicate.status, Issue.Status.DUPLICATE) is None:
        raise ValidationError(
            _("An issue that is “%(source)s” cannot be closed as a duplicate.")
            % {"source": duplicate.get_status_display()}
        )
    if original.status == Issue.Status.DUPLICATE:
        raise ValidationError(_("Choose the original issue, not another duplicate."))
    if original.hidden:
        raise ValidationError(_("The original issue is hidden; show it again first."))
    # Tell the duplicate's author, supporters and followers before they move to the original.
    notify(duplicate, Notification.Kind.DUPLICATE, actor=moderator)

    counted = set(original.supports.values_list("organization_id", flat=True))
    counted.add(original.organization_id)
    # The duplicate's own organisation sees the original too.
    if duplicate.organization_id not in counted:
        Support.objects.create(
            issue=original,
            organization=duplicate.organization,
            user=duplicate.author,
            note=_("Raised separately as “%(title)s”.") % {"title": duplicate.title},
            county=duplicate.county,
        )
        counted.add(duplicate.organization_id)
    for support in duplicate.supports.all():
        if support.organization_id in counted:
            # Already counted on the original: keep its local note there too.
            if support.note:
                Support.objects.filter(
                    issue=original, organization_id=support.organization_id
                ).update(note=Concat(F("note"), Value("\n\n"), Value(support.note)))
            support.delete()
        else:
            support.issue = original
            support.save(update_fields=["issue"])
            counted.add(support.organization_id)
    already = set(original.follows.values_list("user_id", flat=True))
    Follow.objects.filter(issue=duplicate).exclude(user_id__in=already).update(issue=original)
    original.tags.add(*duplicate.tags.names())

    original.support_count = original.supports.count()
    original.last_activity = timezone.now()
    original.save(update_fields=["support_count", "last_activity", "updated"])
    duplicate.status, duplicate.duplicate_of = Issue.Status.DUPLICATE, original
    duplicate.support_count = 0
    duplicate.save(update_fields=["status", "duplicate_of", "support_count", "updated"])
    log(
        duplicate, "forum.issue.merge", user=moderator, data={"into": original.pk, "reason": reason}
    )
    # The original's history says what it took in.
    log(
        original,
        "forum.issue.merged_in",
        user=moderator,
        data={"merged": duplicate.pk, "reason": reason},
    )
    return original


# Bulk triage: what a coordinator does to several ticked issues at once.
BULK_ACTIONS = ("status", "hide", "merge")


@transaction.atomic
def triage_issues(
    *, moderator, issues: list[Issue], action: str, reason: str, status="", original=None
) -> list[Issue]:
    """Change the status of `issues`, hide them, or merge them into `original` (one of them),
    each through its own service: all of them, or, if one is refused, none."""
    check_moderate(moderator)
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Choose what to do with the ticked issues."))
    if not issues:
        raise ValidationError(_("Choose at least one issue."))
    for issue in sorted(issues, key=lambda i: i.pk):  # a fixed order: no deadlock between two
        if action == "status":
            change_issue_status(moderator=moderator, issue=issue, status=status, reason=reason)
        elif action == "hide":
            hide_issue(moderator=moderator, issue=issue, reason=reason)
        elif issue.pk != original.pk:
            merge_issue_into(moderator=moderator, duplicate=issue, original=original, reason=reason)
    return issues
