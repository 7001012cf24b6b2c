"""The issue's state machine: every allowed transition. Services consult it; templates draw
their buttons from it. Nothing else decides what may follow what."""

from django.utils.translation import gettext_lazy as _

from forum.core.workflow import Transition
from forum.issues.models import Issue

S = Issue.Status


ISSUE_TRANSITIONS = [
    Transition(S.OPEN, S.IN_REVIEW, _("Take into review")),
    Transition(S.OPEN, S.RESOLVED, _("Mark resolved")),
    Transition(S.OPEN, S.CLOSED, _("Close")),
    Transition(S.OPEN, S.DUPLICATE, _("Close as a duplicate"), by_action=True),
    Transition(S.OPEN, S.ESCALATED, _("Escalate into a topic"), by_action=True),
    Transition(S.IN_REVIEW, S.ESCALATED, _("Escalate into a topic"), by_action=True),
    Transition(S.IN_REVIEW, S.RESOLVED, _("Mark resolved")),
    Transition(S.IN_REVIEW, S.CLOSED, _("Close")),
    Transition(S.IN_REVIEW, S.DUPLICATE, _("Close as a duplicate"), by_action=True),
    Transition(S.IN_REVIEW, S.OPEN, _("Reopen")),
    Transition(S.ESCALATED, S.IN_REVIEW, _("Unlink from the topic"), by_action=True),
    Transition(S.ESCALATED, S.RESOLVED, _("Mark resolved")),
    Transition(S.ESCALATED, S.CLOSED, _("Close")),
    Transition(S.RESOLVED, S.OPEN, _("Reopen")),
    Transition(S.CLOSED, S.OPEN, _("Reopen")),
    Transition(S.DUPLICATE, S.OPEN, _("Reopen")),
]


def find_transition(source: str, target: str) -> Transition | None:
    return next((t for t in ISSUE_TRANSITIONS if t.source == source and t.target == target), None)


def status_changes(issue: Issue) -> list[Transition]:
    """The plain status changes a coordinator may make now (buttons on the issue page)."""
    return [t for t in ISSUE_TRANSITIONS if t.source == issue.status and not t.by_action]
