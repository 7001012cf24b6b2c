"""A topic's reach: the organisations that raised its issues or said "we see this too", and
the counties they named (an issue of all of Estonia names none; an organisation's own county is
not a claim that the problem is seen there). One definition for the topic's public page, its
forum page, the overview and the exports."""

from collections import defaultdict
from dataclasses import dataclass, field

from forum.issues.models import Support
from forum.topics.models import TopicIssue


@dataclass
class Reach:
    organizations: set[int] = field(default_factory=set)
    counties: set[int] = field(default_factory=set)
    # Who named each county (by its id): the topic's map counts organisations per county.
    county_organizations: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    issues: int = 0
    nationwide: int = 0  # issues of all of Estonia


def topic_reach(topic_ids, *, issues=None) -> dict[int, Reach]:
    """Each topic's reach by its id, over its issues (those in the queryset `issues` only,
    when given: the ones the reader may read). Two queries for any number of topics."""
    reach: dict[int, Reach] = defaultdict(Reach)
    links = TopicIssue.objects.filter(topic_id__in=topic_ids)
    supports = Support.objects.filter(issue__topic_link__topic_id__in=topic_ids)
    if issues is not None:
        links, supports = links.filter(issue__in=issues), supports.filter(issue__in=issues)
    for topic_id, organization_id, county_id in links.values_list(
        "topic_id", "issue__organization_id", "issue__county_id"
    ):
        counted = reach[topic_id]
        counted.issues += 1
        counted.organizations.add(organization_id)
        if county_id:
            counted.counties.add(county_id)
            counted.county_organizations[county_id].add(organization_id)
        else:
            counted.nationwide += 1
    for topic_id, organization_id, county_id in supports.values_list(
        "issue__topic_link__topic_id", "organization_id", "county_id"
    ):
        counted = reach[topic_id]
        counted.organizations.add(organization_id)
        if county_id:
            counted.counties.add(county_id)
            counted.county_organizations[county_id].add(organization_id)
    return reach
