"""A step of a state machine. The issues' and the topics' workflows (forum.issues.workflow,
forum.topics.workflow) list theirs; services consult them, templates draw buttons from them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str
    # Made by a dedicated action (escalation, merging) rather than a plain status change.
    by_action: bool = False
