"""Actions on issues, comments and "we see this too". Each checks permission first, writes in
one transaction, leaves one audit record (Wagtail's log) and schedules notifications."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search.index import insert_or_update_object

from forum.core.audit import log
from forum.core.markdown import render_markdown
from forum.core.models import AgeGroup, County, Municipality, Theme
from forum.issues import permissions, workflow
from forum.issues.models import Comment, CommentRevision, Follow, Issue, IssueRevision, Support
from forum.members.models import Organization
from forum.members.permissions import check_moderate, member_organizations
from forum.notifications.models import Notification
from forum.notifications.services import notify
from forum.threads.models import Flag
from forum.threads.services import RESUBMISSION_WINDOW, _resolve_flags, changes, describe


def _locked(issue: Issue) -> Issue:
    """The issue re-read under a row lock: call inside a transaction before a read decides a
    write (counters, status)."""
    return Issue.objects.select_for_update().get(pk=issue.pk)


def _follow(user, issue: Issue) -> None:
    Follow.objects.get_or_create(user=user, issue=issue)


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
    if Issue.objects.filter(
        author=author, title=title, body=body, created__gte=timezone.now() - RESUBMISSION_WINDOW
    ).exists():
        raise ValidationError(_("You have just published this issue; it is not added twice."))
    if municipality is not None:
        county = municipality.county
    issue = Issue.objects.create(
        title=title,
        body=body,
        body_html=render_markdown(body),
        author=author,
        organization=organization,
        theme=theme,
        county=county,
        municipality=municipality,
    )
    issue.age_groups.set(age_groups)
    issue.tags.set(list(tags))
    insert_or_update_object(issue)  # again: the search index reads the tags set after saving
    _follow(author, issue)
    log(issue, "forum.issue.post", user=author)
    return issue


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
    issue = _locked(issue)
    permissions.check_edit_issue(editor, issue)
    before = describe(issue)
    if municipality is not None:
        county = municipality.county
    issue.title, issue.body, issue.body_html = title, body, render_markdown(body)
    issue.theme, issue.county, issue.municipality = theme, county, municipality
    issue.save(
        update_fields=["title", "body", "body_html", "theme", "county", "municipality", "updated"]
    )
    issue.age_groups.set(age_groups)
    issue.tags.set(list(tags))
    insert_or_update_object(issue)
    changed = changes(before, describe(issue))
    if changed:
        IssueRevision.objects.create(issue=issue, editor=editor, changes=changed)
        log(issue, "forum.issue.edit", user=editor, data={"fields": sorted(changed)})
    return issue


@transaction.atomic
def add_support(
    *, user, issue: Issue, organization: Organization, note: str = "", county=None
) -> Support:
    """ "We see this too" for the user's organisation; one per organisation, whoever of its
    people says it first."""
    issue = _locked(issue)  # decide on the current row: it may just have been merged or locked
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
    _follow(user, issue)
    log(issue, "forum.support.add", user=user, data={"organization": organization.pk})
    notify(issue, Notification.Kind.SUPPORT, actor=user, actor_organization=organization)
    return support


@transaction.atomic
def withdraw_support(*, user, issue: Issue, organization: Organization) -> None:
    if organization not in member_organizations(user):
        check_moderate(user)
    issue = _locked(issue)
    deleted, _details = Support.objects.filter(issue=issue, organization=organization).delete()
    if deleted:
        Issue.objects.filter(pk=issue.pk).update(support_count=F("support_count") - 1)
        log(issue, "forum.support.withdraw", user=user, data={"organization": organization.pk})


@transaction.atomic
def add_comment(*, author, issue: Issue, body: str) -> Comment:
    permissions.check_comment_issue(author, issue)
    if issue.comments.filter(
        author=author, body=body, created__gte=timezone.now() - RESUBMISSION_WINDOW
    ).exists():
        raise ValidationError(_("You have just added this comment; it is not added twice."))
    organizations = member_organizations(author)
    comment = Comment.objects.create(
        issue=issue,
        author=author,
        organization=organizations[0] if organizations else None,
        body=body,
        body_html=render_markdown(body),
    )
    Issue.objects.filter(pk=issue.pk).update(
        comment_count=F("comment_count") + 1, last_activity=comment.created
    )
    _follow(author, issue)
    log(comment, "forum.comment.add", user=author)
    notify(issue, Notification.Kind.COMMENT, actor=author, actor_organization=comment.organization)
    return comment


@transaction.atomic
def edit_comment(*, editor, comment: Comment, body: str) -> Comment:
    permissions.check_edit_comment(editor, comment)
    CommentRevision.objects.create(comment=comment, editor=editor, body=comment.body)
    comment.body, comment.body_html, comment.edited = body, render_markdown(body), timezone.now()
    comment.save(update_fields=["body", "body_html", "edited"])
    log(comment, "forum.comment.edit", user=editor)
    return comment


@transaction.atomic
def delete_comment(*, user, comment: Comment) -> None:
    """The author withdraws a comment: it stays for the audit and shows as deleted."""
    _locked(comment.issue)
    permissions.check_edit_comment(user, comment)
    comment.deleted = timezone.now()
    comment.save(update_fields=["deleted"])
    # The count is of comments people can read; a deleted one leaves only a placeholder.
    Issue.objects.filter(pk=comment.issue_id).update(comment_count=F("comment_count") - 1)
    log(comment, "forum.comment.delete", user=user)


@transaction.atomic
def follow_issue(*, user, issue: Issue, follow: bool = True) -> None:
    permissions.check_view_issue(user, issue)
    if follow:
        _follow(user, issue)
    else:
        Follow.objects.filter(user=user, issue=issue).delete()


@transaction.atomic
def flag_content(*, reporter, issue: Issue, comment: Comment | None = None, reason: str) -> Flag:
    permissions.check_view_issue(reporter, issue)
    flag = Flag.objects.create(reporter=reporter, issue=issue, comment=comment, reason=reason)
    log(comment or issue, "forum.flag", user=reporter, data={"flag": flag.pk})
    return flag


@transaction.atomic
def hide_comment(*, moderator, comment: Comment, reason: str, hidden: bool = True) -> None:
    check_moderate(moderator)
    _locked(comment.issue)
    comment = Comment.objects.get(pk=comment.pk)
    if comment.hidden != hidden and not comment.deleted:
        change = -1 if hidden else 1
        Issue.objects.filter(pk=comment.issue_id).update(comment_count=F("comment_count") + change)
    comment.hidden, comment.hidden_reason = hidden, reason if hidden else ""
    comment.save(update_fields=["hidden", "hidden_reason"])
    _resolve_flags(moderator, comment=comment)
    log(
        comment,
        "forum.comment.hide" if hidden else "forum.comment.unhide",
        user=moderator,
        data={"reason": reason},
    )


@transaction.atomic
def hide_issue(*, moderator, issue: Issue, reason: str, hidden: bool = True) -> None:
    check_moderate(moderator)
    issue = _locked(issue)
    issue.hidden, issue.hidden_reason = hidden, reason if hidden else ""
    issue.save(update_fields=["hidden", "hidden_reason", "updated"])
    _resolve_flags(moderator, issue=issue, comment__isnull=True)
    log(
        issue,
        "forum.issue.hide" if hidden else "forum.issue.unhide",
        user=moderator,
        data={"reason": reason},
    )


@transaction.atomic
def lock_issue(*, moderator, issue: Issue, locked: bool, reason: str = "") -> None:
    check_moderate(moderator)
    Issue.objects.filter(pk=issue.pk).update(locked=locked)
    log(
        issue,
        "forum.issue.lock" if locked else "forum.issue.unlock",
        user=moderator,
        data={"reason": reason},
    )


@transaction.atomic
def change_issue_status(*, moderator, issue: Issue, status: str, reason: str = "") -> Issue:
    """A plain status change along forum.issues.workflow; escalation and merging have their own."""
    check_moderate(moderator)
    issue = _locked(issue)
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
    return original
