import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.models import AgeGroup, County, Issue, Municipality, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, roles):
    client.force_login(roles["liige"])
    return client


def titles(response):
    return [issue.title for issue in response.context["issues"]]


def test_issue_list_filters_by_every_facet(member_client, make_issue, make_member):
    tartu_member = make_member(organization="emajoe-noored")
    a = make_issue(
        "Harju kool",
        county=County.objects.get(slug="harjumaa"),
        tags=["kool"],
        age_groups=list(AgeGroup.objects.filter(slug="7-12")),
    )
    b = make_issue(
        "Tartu linna mure",
        author=tartu_member,
        municipality=Municipality.objects.get(name="Tartu linn"),
        theme=Theme.objects.get(slug="vaimne-tervis"),
    )
    url = reverse("forum:issue_list")
    assert titles(member_client.get(url, {"county": "harjumaa"})) == [a.title]
    assert titles(member_client.get(url, {"municipality": "tartu-linn"})) == [b.title]
    assert titles(member_client.get(url, {"theme": "vaimne-tervis"})) == [b.title]
    assert titles(member_client.get(url, {"age_group": "7-12"})) == [a.title]
    assert titles(member_client.get(url, {"organization": "emajoe-noored"})) == [b.title]
    assert titles(member_client.get(url, {"q": "linna"})) == [b.title]
    assert titles(member_client.get(reverse("forum:tag", args=["kool"]))) == [a.title]
    services.change_issue_status(moderator=_coordinator(), issue=b, status="in_review")
    assert titles(member_client.get(url, {"status": "in_review"})) == [b.title]
    # Unknown values are ignored rather than answered with an error page.
    assert (
        member_client.get(url, {"county": "atlantis", "status": "x", "page": "zz"}).status_code
        == 200
    )


def _coordinator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="koordinaator-test")


def test_my_organisations_issues(member_client, make_issue, make_member, roles):
    mine = make_issue("Meie mure", author=roles["liige"])
    make_issue("Nende mure", author=make_member(organization="emajoe-noored"))
    assert titles(member_client.get(reverse("forum:issue_list"), {"mine": "1"})) == [mine.title]


def test_issue_list_sorts_by_newest_activity_and_most_organisations(
    member_client, make_issue, make_member
):
    old = make_issue("Vana")
    popular = make_issue("Populaarne")
    new = make_issue("Uus")
    for slug in ("emajoe-noored", "vorumaa-lapsed"):
        supporter = make_member(organization=slug)
        services.add_support(
            user=supporter, issue=popular, organization=supporter.memberships.get().organization
        )
    services.add_comment(
        author=make_member(organization="narva-pered"), issue=old, body="Elav arutelu"
    )
    url = reverse("forum:issue_list")
    assert titles(member_client.get(url, {"sort": "new"}))[:3] == ["Uus", "Populaarne", "Vana"]
    assert titles(member_client.get(url, {"sort": "activity"}))[0] == "Vana"
    assert titles(member_client.get(url, {"sort": "organizations"}))[0] == "Populaarne"
    del new


def test_issue_list_paginates(member_client, make_issue, make_member):
    author = make_member()
    for n in range(25):
        make_issue(f"Mure {n:02d}", author=author)
    first = member_client.get(reverse("forum:issue_list"))
    second = member_client.get(reverse("forum:issue_list"), {"page": 2})
    assert len(first.context["issues"]) == 20 and len(second.context["issues"]) == 5
    assert "Mure 24" in titles(first) and "Mure 00" in titles(second)


def test_create_previews_shows_similar_issues_and_publishes(member_client, make_issue, make_member):
    make_issue(
        "Koolibussid hilinevad Kose vallas", author=make_member(organization="emajoe-noored")
    )
    data = {
        "title": "Koolibussid ei sõida õigel ajal",
        "body": "Bussid **hilinevad**.",
        "theme": Theme.objects.get(slug="haridus").pk,
        "county": County.objects.get(slug="harjumaa").pk,
        "tags": "Koolitransport, buss",
        "preview": "1",
    }
    preview = member_client.post(reverse("forum:issue_create"), data)
    assert preview.status_code == 200
    assert "<strong>hilinevad</strong>" in preview.content.decode()
    assert [i.title for i in preview.context["similar"]] == ["Koolibussid hilinevad Kose vallas"]
    assert not Issue.objects.filter(title=data["title"]).exists()
    del data["preview"]
    # Publishing first shows the similar issue once more; nothing is stored until confirmed.
    check = member_client.post(reverse("forum:issue_create"), data)
    assert check.status_code == 200 and check.context["check_similar"]
    assert 'name="seen_similar"' in check.content.decode()
    assert not Issue.objects.filter(title=data["title"]).exists()
    response = member_client.post(reverse("forum:issue_create"), {**data, "seen_similar": "1"})
    issue = Issue.objects.get(title=data["title"])
    assert response.status_code == 302 and response.url == issue.get_absolute_url()
    assert sorted(issue.tags.names()) == ["buss", "koolitransport"]


def test_an_isikukood_is_refused_naming_the_field_and_keeping_the_text(member_client):
    data = {
        "title": "Laps vajab abi",
        "body": "Lapse isikukood on 37605030299 ja ta vajab abi.",
        "theme": Theme.objects.get(slug="haridus").pk,
    }
    response = member_client.post(reverse("forum:issue_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["body"]
    html = response.content.decode()
    assert "Väljal „Kirjeldus“ on isikukood" in html  # names the field, in the user's language
    assert "Lapse isikukood on 37605030299 ja ta vajab abi." in html
    assert not Issue.objects.filter(title="Laps vajab abi").exists()


def test_the_form_shows_privacy_guidance_and_help_numbers(member_client):
    html = member_client.get(reverse("forum:issue_create")).content.decode()
    assert "116 111" in html and "112" in html


def test_detail_shows_place_tags_supporters_and_counts(member_client, make_issue, make_member):
    issue = make_issue("Näidis", county=County.objects.get(slug="harjumaa"), tags=["kool"])
    supporter = make_member(organization="vorumaa-lapsed")
    services.add_support(
        user=supporter,
        issue=issue,
        organization=supporter.memberships.get().organization,
        note="Võrus ka.",
        county=County.objects.get(slug="vorumaa"),
    )
    html = member_client.get(issue.get_absolute_url()).content.decode()
    assert "Võrumaa Laste Tugiühing" in html and "Võrus ka." in html
    assert "#kool" in html and "Harju maakond" in html
    response = member_client.get(issue.get_absolute_url())
    assert response.context["county_count"] == 2


def test_support_through_the_page_and_the_second_click_is_answered(client, make_issue, make_member):
    issue = make_issue()
    supporter = make_member(organization="emajoe-noored")
    client.force_login(supporter)
    url = reverse("forum:issue_support", args=[issue.pk])
    organization = supporter.memberships.get().organization.pk
    assert client.post(url, {"organization": organization, "note": "Ka meil."}).status_code == 302
    second = client.post(url, {"organization": organization, "note": "Uuesti"})
    assert second.status_code == 400
    assert "juba" in second.content.decode() or "already" in second.content.decode()
    issue.refresh_from_db()
    assert issue.support_count == 1


def test_reading_an_issue_marks_its_notifications_read(client, make_issue, make_member):
    from forum.models import Notification

    issue = make_issue()
    services.add_comment(author=make_member(organization="emajoe-noored"), issue=issue, body="x")
    client.force_login(issue.author)
    assert client.get(reverse("forum:notifications")).status_code == 200
    assert Notification.objects.filter(recipient=issue.author, read__isnull=True).count() == 1
    client.get(issue.get_absolute_url())
    assert Notification.objects.filter(recipient=issue.author, read__isnull=True).count() == 0


def test_coordinator_merges_through_the_page(client, make_issue, make_member, coordinator):
    original = make_issue("Originaal")
    duplicate = make_issue("Koopia", author=make_member(organization="emajoe-noored"))
    client.force_login(coordinator)
    url = reverse("forum:issue_merge", args=[duplicate.pk])
    assert client.post(url, {"original": 999999}).status_code == 200  # unknown number: a message
    response = client.post(url, {"original": original.pk, "reason": "Sama"})
    assert response.status_code == 302 and response.url == original.get_absolute_url()
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original


def test_history_shows_revisions_and_audit_to_coordinators(client, make_issue, coordinator):
    issue = make_issue("Enne")
    services.edit_issue(
        editor=issue.author, issue=issue, title="Pärast", body=issue.body, theme=issue.theme
    )
    client.force_login(coordinator)
    html = client.get(reverse("forum:issue_history", args=[issue.pk])).content.decode()
    assert "Enne" in html and "Pärast" in html


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(make_issue, make_member, issue_count, extra_per_issue):
    authors = [make_member(organization=slug) for slug in ("paikesekiir", "emajoe-noored")]
    supporters = [
        make_member(organization=slug)
        for slug in ("vorumaa-lapsed", "narva-pered", "saarte-lapsed", "parnu-tugi")
    ]
    issues = []
    for n in range(issue_count):
        issue = make_issue(
            f"Mure {n}",
            author=authors[n % 2],
            tags=[f"silt{n}", "ühine"],
            age_groups=list(AgeGroup.objects.all()[:2]),
        )
        for supporter in supporters[:extra_per_issue]:
            services.add_support(
                user=supporter,
                issue=issue,
                organization=supporter.memberships.get().organization,
                note="x",
            )
        for k in range(extra_per_issue):
            services.add_comment(
                author=supporters[k % len(supporters)], issue=issue, body=f"Kommentaar {k}"
            )
        issues.append(issue)
    return issues


# The list as the load benchmark reads it (tests/bench/load): whole, by county, by tag, sorted.
LIST_VIEWS = [
    ("forum:issue_list", [], ""),
    ("forum:issue_list", [], "?county=harjumaa&sort=organizations"),
    ("forum:tag", ["ühine"], ""),
    ("forum:issue_list", [], "?q=mure&theme=haridus&sort=activity"),
]


@pytest.mark.parametrize(("name", "args", "query"), LIST_VIEWS)
def test_issue_list_runs_a_fixed_number_of_queries(
    member_client, make_issue, make_member, name, args, query
):
    url = reverse(name, args=args) + query
    _grow(make_issue, make_member, 2, 1)
    small = _queries(member_client, url)
    _grow(make_issue, make_member, 12, 3)
    large = _queries(member_client, url)
    assert small == large
    assert small <= 25


def test_issue_detail_runs_a_fixed_number_of_queries(member_client, make_issue, make_member):
    small_issue = _grow(make_issue, make_member, 1, 1)[0]
    large_issue = _grow(make_issue, make_member, 1, 4)[0]
    for n in range(12):
        services.add_comment(author=large_issue.author, issue=large_issue, body=f"Lisa {n}")
    small = _queries(member_client, small_issue.get_absolute_url())
    large = _queries(member_client, large_issue.get_absolute_url())
    assert small == large
    assert small <= 30


def test_hide_and_lock_twice_stay_hidden_and_locked(client, make_issue, coordinator):
    issue = make_issue()
    client.force_login(coordinator)
    for _ in range(2):  # a double submit must not undo itself
        client.post(reverse("forum:issue_lock", args=[issue.pk]), {"lock": "1"})
        client.post(reverse("forum:issue_hide", args=[issue.pk]), {"hide": "1", "reason": "Miks"})
    issue.refresh_from_db()
    assert issue.locked and issue.hidden and issue.hidden_reason == "Miks"
    client.post(reverse("forum:issue_hide", args=[issue.pk]), {"hide": "0"})
    issue.refresh_from_db()
    assert not issue.hidden


def test_a_personal_code_in_the_tags_is_refused(member_client):
    data = {
        "title": "Pealkiri",
        "body": "Tekst",
        "theme": Theme.objects.get(slug="haridus").pk,
        "tags": "kool, 37605030299",
    }
    response = member_client.post(reverse("forum:issue_create"), data)
    assert response.status_code == 200 and "tags" in response.context["form"].errors
    assert not Issue.objects.filter(title="Pealkiri").exists()
