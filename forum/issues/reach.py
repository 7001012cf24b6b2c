"""A topic's reach: the organisations that raised its issues or said "we see this too", and
the counties they named (an issue of all of Estonia names none; an organisation's own county is
not a claim that the problem is seen there). One definition for the topic's public page, its
forum page, the overview and the exports."""


def issue_counties(issue, supports) -> set[int]:
    """The counties named by an issue and its supports, by the same rule."""
    return {c for c in [issue.county_id, *(s.county_id for s in supports)] if c}
