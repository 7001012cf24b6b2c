"""Bulk triage (issue 20): a coordinator ticks several issues on the list and changes their
status, hides them or merges them into one, each through its own service, all or nothing."""

import pytest
from django.urls import reverse

from forum.models import Issue

pytestmark = pytest.mark.django_db
TRIAGE = reverse("forum:issues_triage")


@pytest.fixture
def three(make_issue):
    return [make_issue(f"Koolibuss hilineb {n}") for n in range(3)]


def _post(client, issues, **data):
    return client.post(TRIAGE, {"issues": [i.pk for i in issues], **data})


def test_the_list_offers_the_actions_to_coordinators_only(client, roles, three):
    client.force_login(roles["koordinaator"])
    page = client.get(reverse("forum:issue_list")).content.decode()
    assert f'formaction="{TRIAGE}"' in page and 'value="merge"' in page
    client.force_login(roles["liige"])
    assert TRIAGE not in client.get(reverse("forum:issue_list")).content.decode()
    assert _post(client, three, action="hide").status_code == 403


def test_a_status_for_all_after_a_page_that_lists_them(client, roles, three):
    client.force_login(roles["koordinaator"])
    page = _post(client, three, action="status")
    assert page.status_code == 200 and all(i.title in page.content.decode() for i in three)
    assert set(Issue.objects.values_list("status", flat=True)) == {"open"}  # asking changes nothing
    done = _post(client, three, apply=1, action="status", status="in_review", reason="Vaatame.")
    assert done.status_code == 302
    assert set(Issue.objects.values_list("status", flat=True)) == {"in_review"}


def test_merging_into_one_of_them(client, roles, three):
    client.force_login(roles["koordinaator"])
    original = three[1]
    _post(client, three, apply=1, action="merge", original=original.pk, reason="Sama mure.")
    merged = Issue.objects.exclude(pk=original.pk)
    assert {i.duplicate_of_id for i in merged} == {original.pk}
    assert Issue.objects.get(pk=original.pk).status == "open"


def test_one_refused_changes_none_and_the_page_says_why(client, roles, three):
    client.force_login(roles["koordinaator"])
    _post(client, three[:1], apply=1, action="status", status="in_review", reason="Esimene.")
    # "in review" → "in review" is no step: the first is refused, so none changes.
    response = _post(client, three, apply=1, action="status", status="in_review", reason="Kõik.")
    assert response.status_code == 200 and "ei saa" in response.content.decode()
    statuses = dict(Issue.objects.values_list("pk", "status"))
    assert statuses == {three[0].pk: "in_review", three[1].pk: "open", three[2].pk: "open"}


def test_bad_input_is_refused_with_what_was_chosen_kept(client, roles, three):
    client.force_login(roles["koordinaator"])
    assert _post(client, [], action="hide").status_code == 302  # nothing ticked: back
    response = _post(client, three, apply=1, action="merge", reason="x")
    assert response.status_code == 200 and "Vali mure, millega teised liidetakse" in (
        response.content.decode()
    )
    response = _post(client, three[:1], apply=1, action="merge", original=three[0].pk, reason="x")
    assert "vähemalt kaks" in response.content.decode()
    response = client.post(TRIAGE, {"issues": ["x", "99999999999999"], "action": "hide"})
    assert response.status_code == 302
    assert not Issue.objects.filter(hidden=True).exists()
