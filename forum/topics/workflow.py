"""The advocacy topic's state machine: every allowed transition, each with a note. Services
consult it; templates draw their buttons from it. Nothing else decides what may follow what."""

from django.utils.translation import gettext_lazy as _

from forum.core.workflow import Transition
from forum.topics.models import AdvocacyTopic

T = AdvocacyTopic.Status


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
# The position is written while the working group works; adopting it freezes it.
POSITION_EDITABLE = {T.PROPOSED, T.WORKING_GROUP}
# Organisations answer the position while the working group prepares it for adoption.
SIGNING_OPEN = {T.WORKING_GROUP}


def signing_open(topic: AdvocacyTopic) -> bool:
    """Whether organisations may sign the topic's position (or object to it) now."""
    return topic.status in SIGNING_OPEN and bool(topic.position.strip())


def find_topic_transition(source: str, target: str) -> Transition | None:
    return next((t for t in TOPIC_TRANSITIONS if t.source == source and t.target == target), None)


def topic_transitions(topic: AdvocacyTopic) -> list[Transition]:
    """The transitions a coordinator may make now (buttons on the topic page)."""
    return [t for t in TOPIC_TRANSITIONS if t.source == topic.status]
