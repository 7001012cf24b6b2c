"""The state machines of issues and advocacy topics: every allowed transition. Services consult
them; templates draw their buttons from them. Nothing else decides what may follow what."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import AdvocacyTopic, Issue

S = Issue.Status
T = AdvocacyTopic.Status


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str
    # Made by a dedicated action (escalation, merging) rather than a plain status change.
    by_action: bool = False


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


# Advocacy topics: proposed → working group → position adopted → submitted → outcome → archived.
# Every transition needs a note; "outcome" also needs what the outcome was.
TOPIC_TRANSITIONS = [
    Transition(T.PROPOSED, T.WORKING_GROUP, _("Start the working group")),
    Transition(T.WORKING_GROUP, T.POSITION_ADOPTED, _("Adopt the position")),
    Transition(T.WORKING_GROUP, T.PROPOSED, _("Back to proposed")),
    Transition(T.POSITION_ADOPTED, T.SUBMITTED, _("Mark submitted")),
    Transition(T.POSITION_ADOPTED, T.WORKING_GROUP, _("Reopen the position")),
    Transition(T.SUBMITTED, T.OUTCOME, _("Record the outcome")),
    Transition(T.OUTCOME, T.ARCHIVED, _("Archive")),
    Transition(T.PROPOSED, T.ARCHIVED, _("Archive")),
]


def find_topic_transition(source: str, target: str) -> Transition | None:
    return next((t for t in TOPIC_TRANSITIONS if t.source == source and t.target == target), None)


def topic_transitions(topic: AdvocacyTopic) -> list[Transition]:
    """The transitions a coordinator may make now (buttons on the topic page)."""
    return [t for t in TOPIC_TRANSITIONS if t.source == topic.status]
