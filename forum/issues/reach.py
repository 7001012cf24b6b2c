"""The counties an issue names: its own and its supports' (an issue of all of Estonia names
none; an organisation's own county is no claim that the problem is seen there). The rule a
topic's reach (forum.topics.reach) counts by."""


def issue_counties(issue, supports) -> set[int]:
    """The counties named by an issue and its supports, by the same rule."""
    return {c for c in [issue.county_id, *(s.county_id for s in supports)] if c}
