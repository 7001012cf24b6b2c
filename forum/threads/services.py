"""Actions on issues, comments and "we see this too". Each checks permission first, writes in
one transaction, leaves one audit record (Wagtail's log) and schedules notifications."""

import datetime

from django.db import transaction
from django.utils import timezone

from forum.core.audit import log
from forum.members import permissions
from forum.threads.models import Flag

# The same text from the same person this soon is a double submission, not a new post.
RESUBMISSION_WINDOW = datetime.timedelta(minutes=10)


def describe(thread, fields=()) -> dict:
    """An issue or a discussion as its history shows it (its kind's own `fields` too)."""
    return {
        "title": thread.title,
        "body": thread.body,
        "theme": str(thread.theme or ""),
        "place": str(thread.place),
        "age_groups": ", ".join(sorted(str(a) for a in thread.age_groups.all())),
        "tags": ", ".join(sorted(thread.tags.names())),
        **{name: str(getattr(thread, name) or "") for name in fields},
    }


def changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for each field that changed."""
    return {key: [before[key], after[key]] for key in before if before[key] != after[key]}


def _resolve_flags(moderator, **lookup) -> None:
    Flag.objects.filter(resolved__isnull=True, **lookup).update(
        resolved=timezone.now(), resolved_by=moderator
    )


@transaction.atomic
def dismiss_flag(*, moderator, flag: Flag) -> None:
    permissions.check_moderate(moderator)
    _resolve_flags(moderator, pk=flag.pk)
    log(flag.target, "forum.flag.dismiss", user=moderator)
