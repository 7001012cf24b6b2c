"""A signed-in person's facts (coordinator or not, memberships, unread count) come from one cache
entry per person (forum/members/generation.py): a warm page reads none of them from the
database, and every change to them shows on the next page, whether made in a request, in a
command or in bulk. Run on the embedded local-memory cache and on Redis."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.context_processors import forum as header_facts
from forum.members.generation import WATCHED, generation, personal
from forum.members.roles import COORDINATORS
from forum.models import Membership, Organization, OutgoingMail
from tests.forum.test_forum_cache import cache_backend  # noqa: F401 (locmem and Redis, cache on)


def _header(client) -> str:
    page = client.get("/").content.decode()
    return page.split('class="account-nav"')[1].split("</nav>")[0]


def _unread(client) -> int:
    found = re.search(r'<span class="count">(\d+)', _header(client))
    return int(found.group(1)) if found else 0


def _is_member(client) -> bool:
    return f'href="{reverse("forum:issue_list")}"' in _header(client)


def _is_coordinator(client) -> bool:
    return client.get(reverse("forum:triage")).status_code == 200


# The tables a person's facts are read from besides the forum's own, and what orphans them when
# their rows change (every write to the forum's tables moves the generation).
INVALIDATED = {
    "auth_group": "a write to it moves the forum's generation (WATCHED)",
    "auth_user_groups": "a write to it moves the forum's generation (WATCHED)",
    "auth_user": "is_active and is_superuser are in the stamp; the row is read each request",
}


def _tables(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN) "?(\w+)"?', sql))


def test_every_table_the_facts_read_is_one_whose_changes_orphan_them(rf, roles, settings):
    """Computing the facts of each role touches only tables whose writes are seen; a fact that
    comes to depend on another table fails here until its invalidation is added."""
    settings.KODA_FORUM_CACHE_SECONDS = 0  # computed, not read
    read = set()
    for role in ("liige", "esindaja", "koordinaator", "admin", "former", "toimetaja"):
        request = rf.get("/")
        request.user = type(roles[role]).objects.get(pk=roles[role].pk)
        with CaptureQueriesContext(connection) as queries:
            facts = header_facts(request)
        read |= set().union(*(_tables(q["sql"]) for q in queries))
        assert "unread_notifications" in facts
    assert "forum_membership" in read and "forum_notification" in read
    assert {table for table in read if not table.startswith("forum_")} <= set(INVALIDATED)
    watched = {table for table in read if WATCHED.match(f'UPDATE "{table}" SET')}
    assert watched == read - {"auth_user"}  # the forum's tables and the groups


def test_a_warm_page_reads_no_fact_from_the_database(client, roles):
    client.force_login(roles["esindaja"])
    client.get("/")  # fills the person's entry
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    tables = set().union(*(_tables(q["sql"]) for q in queries))
    assert not tables & {"forum_membership", "forum_notification"}
    assert not [q for q in queries if '"auth_group"."name"' in q["sql"]]  # the coordinators


def test_a_membership_ended_or_begun_shows_on_the_next_page(
    client, roles, organizations, django_capture_on_commit_callbacks
):
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    membership = Membership.objects.get(user=member)
    with django_capture_on_commit_callbacks(execute=True):
        membership.active = False
        membership.save()
    assert not _is_member(client)
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.create(user=member, organization=organizations["emajoe-noored"])
    assert _is_member(client)


def test_an_organisation_that_leaves_takes_its_people_out_at_once(
    client, roles, django_capture_on_commit_callbacks
):
    client.force_login(roles["liige2"])
    assert _is_member(client)
    organization = Organization.objects.get(slug="emajoe-noored")
    with django_capture_on_commit_callbacks(execute=True):
        organization.status = Organization.Status.FORMER
        organization.save()
    assert not _is_member(client)


@pytest.mark.parametrize("side", ["user.groups", "group.user_set"])
def test_joining_and_leaving_the_coordinators_shows_on_the_next_page(
    client, roles, side, django_capture_on_commit_callbacks
):
    member, coordinators = roles["liige"], Group.objects.get(name=COORDINATORS)
    client.force_login(member)
    assert not _is_coordinator(client)
    with django_capture_on_commit_callbacks(execute=True):
        if side == "user.groups":
            member.groups.add(coordinators)
        else:
            coordinators.user_set.add(member)
    assert _is_coordinator(client)
    with django_capture_on_commit_callbacks(execute=True):
        if side == "user.groups":
            member.groups.remove(coordinators)
        else:
            coordinators.user_set.remove(member)
    assert not _is_coordinator(client)


def test_the_coordinators_emptied_at_once_are_no_longer_coordinators(
    client, roles, django_capture_on_commit_callbacks
):
    client.force_login(roles["koordinaator"])
    assert _is_coordinator(client)
    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.get(name=COORDINATORS).user_set.clear()
    assert not _is_coordinator(client)


def test_a_superuser_flag_taken_away_shows_on_the_next_page(
    client, roles, django_capture_on_commit_callbacks
):
    admin = roles["admin"]
    client.force_login(admin)
    assert _is_coordinator(client)
    admin.is_superuser = False
    admin.save()  # auth, not forum: the stamp carries the flag
    assert not _is_coordinator(client)


def test_the_unread_count_follows_notifications_made_in_bulk_and_read(
    client, roles, make_issue, django_capture_on_commit_callbacks
):
    issue = make_issue("Minu organisatsiooni mure", author=roles["liige"])
    client.force_login(roles["liige"])
    assert _unread(client) == 0
    with django_capture_on_commit_callbacks(execute=True):  # a notification, by bulk insert
        services.add_comment(author=roles["liige2"], issue=issue, body="Meil on sama mure.")
    assert _unread(client) == 1
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit
        client.get(issue.get_absolute_url())  # reading the issue marks it read (by an update)
    assert _unread(client) == 0


@pytest.mark.django_db(transaction=True)  # each statement commits, as in a request
def test_the_page_that_reads_a_notification_no_longer_counts_it(client, make_member, make_issue):
    author = make_member()
    issue = make_issue("Minu organisatsiooni mure", author=author)
    other = make_member(organization="emajoe-noored")
    services.add_comment(author=other, issue=issue, body="Meil on sama mure.")
    client.force_login(author)
    assert _unread(client) == 1  # and kept with the person's facts
    page = client.get(issue.get_absolute_url()).content.decode()
    header = page.split('class="account-nav"')[1].split("</nav>")[0]
    assert '<span class="count">' not in header


def test_facts_stored_by_a_reader_before_a_change_are_not_served_after_it(
    roles, django_capture_on_commit_callbacks
):
    """A reader who computed a person's facts before a change committed stores them under the
    stamp it read; the change moves the stamp on, so the next reader computes afresh."""
    member = roles["liige"]
    assert personal(member, "answer", lambda: "before") == "before"
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=member).first().save()
    fresh = type(member).objects.get(pk=member.pk)  # the next request's user object
    assert personal(fresh, "answer", lambda: "after") == "after"


def test_without_a_shared_cache_nothing_is_kept(client, roles, settings):
    settings.KODA_FORUM_CACHE_SECONDS = 0
    client.force_login(roles["liige"])
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert "forum_membership" in set().union(*(_tables(q["sql"]) for q in queries))


def test_a_transaction_moves_the_generation_once_and_reads_move_nothing(
    roles, django_capture_on_commit_callbacks
):
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            Membership.objects.filter(user=roles["liige"]).update(active=True)
        list(Membership.objects.all())
    assert generation.current() == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        list(Organization.objects.all())
        Membership.objects.filter(pk=0).update(active=False)  # no row: nothing changed
        with connection.cursor() as cursor:  # the outbox: no page shows it
            cursor.execute(f'DELETE FROM "{OutgoingMail._meta.db_table}" WHERE id = 0')
    assert generation.current() == before + 1


@pytest.mark.search
def test_a_members_page_reads_the_generations_and_their_facts_in_one_round_trip(
    client, roles, make_issue, monkeypatch
):
    """Every member page needs both generations (pages, forum) and the person's facts: one read
    of the cache brings them, before the view asks for any (WriteInvalidatesMiddleware)."""
    from django.core.cache import caches

    make_issue("Mure")
    client.force_login(roles["liige"])
    backend, reads, depth = caches["default"], [], [0]
    for method in ("get", "get_many", "get_or_set"):
        original = getattr(backend, method)

        def counted(key, *args, _original=original, **kwargs):
            keys = [key] if isinstance(key, str) else list(key)
            if not depth[0] and any("generation" in k or "koda:person" in k for k in keys):
                reads.append(keys)  # (a backend's get_many may call its own get: not counted)
            depth[0] += 1
            try:
                return _original(key, *args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(backend, method, counted)
    for url in ("/", reverse("forum:issue_list"), reverse("search") + "?q=mure"):
        client.get(url)  # warm
        reads.clear()
        assert client.get(url).status_code == 200
        assert len(reads) == 1, (url, reads)
