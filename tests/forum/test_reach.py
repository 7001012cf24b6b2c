"""A topic's reach is one definition (forum.topics.reach): the public topic page, the forum's topic
page, the topic list and the coordinators' overview and exports give the same numbers."""

import pytest
from django.urls import reverse

from cms.models import add_reach, reach_text
from forum import services
from forum.models import County
from forum.moderation.overview import topic_table
from forum.topics.reach import topic_reach

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(make_issue, make_member, coordinator, organizations):
    """Two issues: one in Harjumaa, one of all of Estonia; two organisations see them too, one
    naming Võrumaa, one naming no county (its own county must not count)."""
    harju, voru = County.objects.get(slug="harjumaa"), County.objects.get(slug="vorumaa")
    local = make_issue("Mänguväljak on lõhutud", county=harju)
    nationwide = make_issue(
        "Koolibussid hilinevad", author=make_member(organization="emajoe-noored")
    )
    for slug, issue, county in [("vorumaa-lapsed", local, voru), ("emajoe-noored", local, None)]:
        supporter = make_member(organization=slug)
        services.add_support(
            user=supporter, issue=issue, organization=organizations[slug], county=county
        )
    return services.escalate_issues(
        coordinator=coordinator,
        issues=[local, nationwide],
        reason="Sama mure.",
        title="Laste turvalisus",
        summary="Kokkuvõte.",
        problem="Mure.",
    )


def test_every_place_gives_the_same_reach(client, topic, coordinator):
    organizations, counties = 3, 2  # paikesekiir, emajoe-noored, vorumaa-lapsed; Harju, Võru

    add_reach([topic])  # the public topic page
    assert topic.reach == reach_text(organizations, counties)

    client.force_login(coordinator)  # the forum's topic page
    page = client.get(reverse("forum:topic_detail", args=[topic.pk]))
    assert (page.context["organization_count"], page.context["county_count"]) == (
        organizations,
        counties,
    )
    assert page.context["nationwide_count"] == 1

    listed = client.get(reverse("forum:topic_list")).context["topics"]  # the topic list
    assert [t.organization_count for t in listed if t.pk == topic.pk] == [organizations]

    table = topic_table()  # the overview and every export
    row = next(row for row in table.rows if row[0] == topic.pk)
    assert row[8:10] == [organizations, "Harju maakond, Võru maakond"]  # organisations, counties


def test_the_reach_counts_each_organisation_once_per_county_it_named(topic, organizations):
    """The public map's numbers: Harjumaa named by the issue's organisation, Võrumaa by one that
    sees it too; an organisation naming no county adds no county."""
    counted = topic_reach([topic.pk])[topic.pk]
    by_county = {
        County.objects.get(pk=county).slug: organizations
        for county, organizations in counted.county_organizations.items()
    }
    assert by_county == {
        "harjumaa": {organizations["paikesekiir"].pk},
        "vorumaa": {organizations["vorumaa-lapsed"].pk},
    }
