"""The map of Estonia (issue 20): the issues a reader may read, counted per county, each county
a link into the list filtered by it, the same numbers in a table; constant queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.core.county_map import TILES
from forum.models import County

pytestmark = pytest.mark.django_db
MAP = reverse("forum:issue_map")


def _row(html, county):
    match = re.search(rf'<th scope="row"><a href="[^"]*">{county}</a></th><td>(\d+)</td>', html)
    return int(match.group(1))


def test_every_county_has_its_tile():
    assert set(TILES) == set(County.objects.values_list("slug", flat=True))
    assert len(set(TILES.values())) == len(TILES)  # no two on one square


def test_the_map_counts_what_the_reader_may_read(client, roles, make_issue, harjumaa):
    make_issue("Koolibuss hilineb", county=harjumaa)
    hidden = make_issue("Peidetud mure", county=harjumaa)
    from forum.services import hide_issue

    hide_issue(moderator=roles["koordinaator"], issue=hidden, reason="Kontroll")
    client.force_login(roles["liige"])
    html = client.get(MAP).content.decode()
    assert _row(html, "Harju maakond") == 1 and _row(html, "Tartu maakond") == 0
    assert f'href="{reverse("forum:issue_list")}?county=harjumaa"' in html
    assert 'aria-label="Harju maakond, mured: 1"' in html
    client.force_login(roles["koordinaator"])
    assert _row(client.get(MAP).content.decode(), "Harju maakond") == 2  # hidden, for coordinators


def test_the_map_costs_the_same_queries_for_more_issues(client, roles, make_issue, harjumaa):
    client.force_login(roles["liige"])
    client.get(MAP)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MAP).status_code == 200
        return len(captured)

    few = queries()
    for n in range(8):
        make_issue(f"Mure {n}", county=harjumaa if n % 2 else County.objects.get(slug="tartumaa"))
    assert queries() == few
