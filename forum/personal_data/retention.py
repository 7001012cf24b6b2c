"""Retention (GDPR art. 5(1)(e)): an issue's text is kept only so long after the issue ends.

KODA_RETENTION_DAYS after an issue was closed, resolved, merged as a duplicate or escalated
(and with no activity since), its description and every comment's text are replaced by a short
placeholder, the local notes of "we see this too" are emptied, and the revisions that kept
earlier versions are deleted; the search index is rewritten to match. What the network counts
stays: the issue, its title, place, theme, tags and status, its supports (organisations,
counties) and its counts."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.search.index import insert_or_update_object

from forum.core.audit import log, relabel_log_entries, written_by_members
from forum.core.markdown import render_markdown
from forum.issues.models import Comment, CommentRevision, Issue, IssueRevision, Support
from forum.members import cache as forum_cache

# Stored in place of the text, so in the site's language as the rest of the stored text is.
PLACEHOLDER = "Tekst on säilitustähtaja möödudes eemaldatud."
DEFAULT_RETENTION_DAYS = 730

ENDED = [
    Issue.Status.ESCALATED,
    Issue.Status.RESOLVED,
    Issue.Status.CLOSED,
    Issue.Status.DUPLICATE,
]
# The audit actions that end an issue (a merge does not touch the duplicate's last activity).
ENDING_ACTIONS = ["forum.issue.status", "forum.issue.escalate", "forum.issue.merge"]


@dataclass
class RetentionReport:
    issues: list[Issue] = field(default_factory=list)
    comments: int = 0
    supports: int = 0
    revisions: int = 0
    log_entries: int = 0


def retention_cutoff(now=None) -> datetime.datetime:
    days = getattr(settings, "KODA_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    return (now or timezone.now()) - datetime.timedelta(days=days)


def issues_due(cutoff: datetime.datetime):
    """Ended issues, untouched since `cutoff`, whose text is still there."""
    ended_lately = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Issue),
        action__in=ENDING_ACTIONS,
        timestamp__gte=cutoff,
    ).values_list("object_id", flat=True)
    comments_left = Comment.objects.filter(issue=OuterRef("pk")).exclude(body=PLACEHOLDER)
    return (
        Issue.objects.filter(status__in=ENDED, last_activity__lt=cutoff)
        .exclude(pk__in=[int(pk) for pk in ended_lately])
        .filter(~Q(body=PLACEHOLDER) | Q(Exists(comments_left)))
        .order_by("pk")
    )


@transaction.atomic
def apply_retention(*, now=None, dry_run: bool = False) -> RetentionReport:
    """Remove the text of the issues that are due (see the module). With `dry_run`, report
    what would be done and change nothing. Idempotent: a second run finds nothing due."""
    issues = list(issues_due(retention_cutoff(now)).select_for_update())
    pks = [issue.pk for issue in issues]
    comments = Comment.objects.filter(issue__in=pks).exclude(body=PLACEHOLDER)
    supports = Support.objects.filter(issue__in=pks).exclude(note="")
    issue_revisions = IssueRevision.objects.filter(issue__in=pks)
    comment_revisions = CommentRevision.objects.filter(comment__issue__in=pks)
    report = RetentionReport(
        issues=issues,
        comments=comments.count(),
        supports=supports.count(),
        revisions=issue_revisions.count() + comment_revisions.count(),
    )
    if dry_run or not issues:
        return report

    placeholder_html = render_markdown(PLACEHOLDER)
    comment_pks = list(Comment.objects.filter(issue__in=pks).values_list("pk", flat=True))
    comments.update(body=PLACEHOLDER, body_html=placeholder_html)
    supports.update(note="")
    issue_revisions.delete()
    comment_revisions.delete()
    Issue.objects.filter(pk__in=pks).update(body=PLACEHOLDER, body_html=placeholder_html)
    # Entries written before the log stopped quoting members' writing.
    report.log_entries = relabel_log_entries(Issue, pks) + relabel_log_entries(Comment, comment_pks)

    for issue in Issue.objects.filter(pk__in=pks):
        insert_or_update_object(issue)
        log(issue, "forum.issue.retention", data={"comments": len(comment_pks)})
    for comment in Comment.objects.filter(pk__in=comment_pks):
        insert_or_update_object(comment)
    transaction.on_commit(forum_cache.generation.bump)  # updates send no signals
    return report


def relabel_old_log_entries() -> int:
    """Labels of entries written before the audit log stopped quoting members' writing."""
    return sum(relabel_log_entries(model) for model in written_by_members())
