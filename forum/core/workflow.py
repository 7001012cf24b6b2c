"""The state machines of issues and advocacy topics: every allowed transition. Services consult
them; templates draw their buttons from them. Nothing else decides what may follow what."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str
    # Made by a dedicated action (escalation, merging) rather than a plain status change.
    by_action: bool = False
