"""The forum's cached fragments (forum/members/cache.py): a second reader costs no list queries, any
write shows at once, and nobody sees what belongs to another role or another person. Run on the
embedded local-memory cache and on Redis, the production cache (127.0.0.1:6379 here and in CI)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from tests.cms.test_page_cache import CACHES

NEAR = {"BACKEND": "koda.near_cache.NearCache", "LOCATION": "default"}
# As production has it: Redis, with the fragments a worker read kept in the worker too.
SETUPS = {name: {"default": backend} for name, backend in CACHES.items()}
SETUPS["redis+near"] = {"default": CACHES["redis"], "template_fragments": NEAR}


@pytest.fixture(params=sorted(SETUPS), autouse=True)
def cache_backend(request, settings):
    settings.CACHES = SETUPS[request.param]
    settings.KODA_FORUM_CACHE_SECONDS = 300
    cache.clear()
    yield request.param
    cache.clear()


def _issue_queries(client, url) -> list[str]:
    """The queries that read or count issues (not the header's notification count)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        q["sql"] for q in queries if q["sql"].split(" FROM ", 1)[-1].startswith('"forum_issue"')
    ]


def test_a_second_reader_of_the_list_runs_no_issue_query(client, roles, make_issue):
    for n in range(3):
        make_issue(f"Mure number {n}")
    client.force_login(roles["liige"])
    assert _issue_queries(client, reverse("forum:issue_list"))  # the first reader fills it
    client.force_login(roles["liige2"])  # another member, another organisation
    assert _issue_queries(client, reverse("forum:issue_list")) == []
    # The filters are part of the key: another filter is another list.
    assert _issue_queries(client, reverse("forum:issue_list") + "?q=number+1")


def test_a_comment_shows_at_once_in_the_thread_and_the_list(client, roles, make_issue):
    issue = make_issue("Kommenteeritav mure")
    client.force_login(roles["liige2"])
    assert "Esimene kommentaar" not in client.get(issue.get_absolute_url()).content.decode()
    assert "0 kommentaari" in client.get(reverse("forum:issue_list")).content.decode()
    response = client.post(
        reverse("forum:issue_comment", args=[issue.pk]), {"body": "Esimene kommentaar"}
    )
    assert response.status_code == 302
    assert "Esimene kommentaar" in client.get(issue.get_absolute_url()).content.decode()
    assert "1 kommentaar" in client.get(reverse("forum:issue_list")).content.decode()


def test_a_hidden_issue_leaves_the_members_list_at_once(client, roles, make_issue):
    issue = make_issue("Varsti peidetud mure")
    client.force_login(roles["liige"])
    assert "Varsti peidetud mure" in client.get(reverse("forum:issue_list")).content.decode()
    client.force_login(roles["koordinaator"])
    response = client.post(
        reverse("forum:issue_hide", args=[issue.pk]),
        {"hide": "1", "reason": "Sisaldab isikuandmeid."},
    )
    assert response.status_code == 302
    # The coordinator still sees it (their own fragment); members no longer do.
    assert "Varsti peidetud mure" in client.get(reverse("forum:issue_list")).content.decode()
    client.force_login(roles["liige"])
    assert "Varsti peidetud mure" not in client.get(reverse("forum:issue_list")).content.decode()


def test_a_change_outside_a_request_shows_once_committed(
    client, roles, make_issue, coordinator, django_capture_on_commit_callbacks
):
    """A command or the shell writes without a request: saves bump the generation on commit."""
    issue = make_issue("Käsuga peidetav mure")
    client.force_login(roles["liige"])
    assert "Käsuga peidetav mure" in client.get(reverse("forum:issue_list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.hide_issue(moderator=coordinator, issue=issue, reason="Proov.")
    assert "Käsuga peidetav mure" not in client.get(reverse("forum:issue_list")).content.decode()


def test_own_comment_buttons_stay_with_their_author(roles, make_issue):
    issue = make_issue("Mure kommentaaridega")
    comment = services.add_comment(author=roles["liige"], issue=issue, body="Minu kommentaar")
    edit_url = reverse("forum:comment_edit", args=[comment.pk])
    delete_url = reverse("forum:comment_delete", args=[comment.pk])
    author, reader = Client(), Client()
    author.force_login(roles["liige"])
    reader.force_login(roles["liige2"])
    assert edit_url not in reader.get(issue.get_absolute_url()).content.decode()
    page = author.get(issue.get_absolute_url()).content.decode()
    assert edit_url in page and delete_url in page
    # After the author filled their fragment, the reader still gets the shared one: the text,
    # without the author's edit and delete links.
    page = reader.get(issue.get_absolute_url()).content.decode()
    assert "Minu kommentaar" in page
    assert edit_url not in page and delete_url not in page
    # The author's delete link leads to its question, whose form carries a token of its own.
    assert f'<a href="{delete_url}">' in author.get(issue.get_absolute_url()).content.decode()
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = author.cookies
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', checked.get(delete_url).content.decode()
    ).group(1)
    assert checked.post(delete_url, {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_coordinators_hide_links_are_not_shown_to_members(client, roles, make_issue):
    issue = make_issue("Mure koordinaatori vaates")
    comment = services.add_comment(author=roles["liige"], issue=issue, body="Kommentaar")
    hide_url = reverse("forum:comment_hide", args=[comment.pk])
    client.force_login(roles["koordinaator"])
    assert hide_url in client.get(issue.get_absolute_url()).content.decode()
    client.force_login(roles["liige2"])
    assert hide_url not in client.get(issue.get_absolute_url()).content.decode()


def test_the_cache_is_off_without_a_shared_cache(client, roles, make_issue, settings):
    settings.KODA_FORUM_CACHE_SECONDS = 0
    make_issue("Mure ilma vahemäluta")
    client.force_login(roles["liige"])
    assert _issue_queries(client, reverse("forum:issue_list"))
    assert _issue_queries(client, reverse("forum:issue_list"))


def _search_body(client, q) -> str:
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode().split("</header>")[1].replace(f'value="{q}"', "")


@pytest.mark.search
def test_search_results_are_shared_only_by_those_who_may_read_them(client, roles, make_issue):
    issue = make_issue("Vahtramäe koolibuss hilineb")
    url = reverse("search") + "?q=Vahtram%C3%A4e"
    client.force_login(roles["liige"])
    assert "koolibuss hilineb" in _search_body(client, "Vahtramäe")
    client.force_login(roles["liige2"])
    assert _issue_queries(client, url) == []  # the same results, from the cache
    client.logout()
    assert "koolibuss hilineb" not in _search_body(client, "Vahtramäe")  # a visitor
    client.force_login(roles["koordinaator"])
    client.post(reverse("forum:issue_hide", args=[issue.pk]), {"hide": "1", "reason": "Proov."})
    assert "koolibuss hilineb" in _search_body(client, "Vahtramäe")  # coordinators see hidden
    client.force_login(roles["liige"])
    assert "koolibuss hilineb" not in _search_body(client, "Vahtramäe")


def _queries_on(client, url, table) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if f'"{table}"' in q["sql"]]


def test_an_issues_head_is_read_once_and_a_new_tag_shows_at_once(
    client, roles, make_issue, django_capture_on_commit_callbacks
):
    issue = make_issue("Siltidega mure", tags=["koolitee"])
    url = issue.get_absolute_url()
    client.force_login(roles["liige2"])
    assert "#koolitee" in client.get(url).content.decode()
    # Another reader of the role gets the head from the cache: no tag is read.
    client.force_login(roles["liige"])
    assert _queries_on(client, url, "forum_forumtag") == []
    assert "#koolitee" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        issue.tags.add("talvehooldus")
    page = client.get(url).content.decode()
    assert "#koolitee" in page and "#talvehooldus" in page


def test_each_organisation_gets_its_own_support_form(client, make_member, make_issue):
    """The form starts from the supporter's organisation's county, and one who speaks for
    several organisations chooses among them: cached fields never carry another's."""
    from forum.models import Membership, Organization

    issue = make_issue("Toetatav mure", author=make_member(organization="emajoe-noored"))

    def form(member):
        client.force_login(member)
        page = client.get(issue.get_absolute_url()).content.decode()
        fields = re.search(r'action="[^"]*/meil-ka/".*?</form>', page, re.S).group()
        county = re.search(r'<select name="county".*?</select>', fields, re.S).group()
        chosen = re.search(r'<option value="(\d+)" selected>', county)
        offered = re.search(r'<select name="organization".*?</select>', fields, re.S)
        return (
            chosen and int(chosen.group(1)),
            offered and sorted(map(int, re.findall(r'value="(\d+)"', offered.group()))),
        )

    paikesekiir, vorumaa = (
        Organization.objects.get(slug=slug) for slug in ("paikesekiir", "vorumaa-lapsed")
    )
    assert form(make_member("toetaja1", organization=paikesekiir)) == (
        paikesekiir.county_id,
        None,
    )
    # After the first one filled the cache, a member elsewhere starts from their own county.
    assert form(make_member("toetaja2", organization=vorumaa)) == (vorumaa.county_id, None)
    both = make_member("toetaja3", organization=paikesekiir)
    Membership.objects.create(user=both, organization=vorumaa)
    assert form(both) == (None, sorted([paikesekiir.pk, vorumaa.pk]))


def test_what_waits_for_a_signature_is_kept_and_leaves_once_answered(
    client, roles, django_capture_on_commit_callbacks
):
    from forum.topics.services import answer_position
    from tests.forum.test_signature_requests import _open_signing, _topic

    topic = _topic(roles)
    _open_signing(topic, roles["koordinaator"])
    representative = roles["esindaja"]
    client.force_login(representative)
    url = reverse("forum:issue_list")
    assert "Ootab sinu organisatsiooni allkirja" in client.get(url).content.decode()
    # The second page reads it from the person's cached facts.
    assert _queries_on(client, url, "forum_advocacytopic") == []
    with django_capture_on_commit_callbacks(execute=True):
        answer_position(
            user=representative,
            topic=topic,
            organization=representative.memberships.get().organization,
            stance="sign",
            note="",
        )
    assert "Ootab sinu organisatsiooni allkirja" not in client.get(url).content.decode()


@pytest.mark.search
def test_a_member_made_coordinator_searches_with_a_coordinators_scope_at_once(
    client, roles, make_issue, coordinator, django_capture_on_commit_callbacks
):
    """The reader's scope (what they may search) is kept with their facts: a new role is a new
    scope on the next search."""
    from django.contrib.auth.models import Group

    from forum.members.roles import COORDINATORS

    issue = make_issue("Varjatud Kaasiku lasteaia mure")
    with django_capture_on_commit_callbacks(execute=True):
        services.hide_issue(moderator=coordinator, issue=issue, reason="Proov.")
    member = roles["liige2"]
    client.force_login(member)
    assert "lasteaia mure" not in _search_body(client, "Kaasiku")
    with django_capture_on_commit_callbacks(execute=True):
        member.groups.add(Group.objects.get(name=COORDINATORS))
    assert "lasteaia mure" in _search_body(client, "Kaasiku")


def test_the_list_as_first_opened_builds_no_filter_form_for_a_second_reader(
    client, roles, make_issue, monkeypatch
):
    """The unfiltered list's filter fields are a cached fragment: the form (a deep copy of every
    field) is built only by the reader who renders them."""
    from forum.issues.forms import IssueFilterForm

    make_issue("Mure")
    built = []
    original = IssueFilterForm.__init__
    monkeypatch.setattr(
        IssueFilterForm,
        "__init__",
        lambda self, *a, **k: built.append(1) or original(self, *a, **k),
    )
    client.force_login(roles["liige"])
    first = client.get(reverse("forum:issue_list")).content.decode()
    assert built == [1] and 'name="county"' in first
    client.force_login(roles["liige2"])
    second = client.get(reverse("forum:issue_list")).content.decode()
    assert built == [1] and 'name="county"' in second
    filtered = client.get(reverse("forum:issue_list") + "?county=tartumaa").content.decode()
    assert built == [1, 1] and "Filtrid (1)" in filtered


def test_every_table_a_lists_key_is_read_from_is_one_whose_writes_move_the_generation(
    client, roles, make_issue, harjumaa, settings
):
    """The list's key (a digest of its SQL) is kept with the reader's facts for its address:
    sound only while everything the SQL is built from moves the forum's generation when it
    changes. Every filter in use, and the tag page."""
    from forum.core.models import AgeGroup
    from forum.members.generation import WATCHED

    issue = make_issue("Mure", county=harjumaa, tags=["koolitee"])
    municipality = harjumaa.municipalities.first()
    query = (
        f"?q=Mure&county=harjumaa&municipality={municipality.slug}&theme=haridus"
        f"&age_group={AgeGroup.objects.first().slug}&status=new"
        f"&organization={issue.organization.slug}&mine=1&sort=activity"
    )
    settings.KODA_PAGE_CACHE_SECONDS = 300  # the page's frame (menu, footer) kept
    client.force_login(roles["liige"])
    client.get(reverse("forum:issue_list"))  # the frame and the reader's facts, kept
    read = set()
    for url in (reverse("forum:issue_list") + query, reverse("forum:tag", args=["koolitee"])):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        read |= set().union(*(re.findall(r'(?:FROM|JOIN) "(\w+)"', q["sql"]) for q in queries))
    assert {"forum_county", "forum_municipality", "forum_forumtag"} <= read
    unwatched = {t for t in read if not WATCHED.match(f'UPDATE "{t}" SET')}
    assert unwatched <= {"auth_user", "django_session"}, unwatched


def test_an_organisation_joined_shows_its_issues_under_mine_at_once(
    client, make_member, make_issue, organizations, django_capture_on_commit_callbacks
):
    from forum.models import Membership

    make_issue("Emajõe mure", author=make_member(organization="emajoe-noored"))
    member = make_member()
    client.force_login(member)
    mine = reverse("forum:issue_list") + "?mine=1"
    assert "Emajõe mure" not in client.get(mine).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.create(user=member, organization=organizations["emajoe-noored"])
    assert "Emajõe mure" in client.get(mine).content.decode()
