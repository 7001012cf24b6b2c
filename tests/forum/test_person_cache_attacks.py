"""Attacks on a signed-in person's cached facts (forum/members/generation.py): whether they
coordinate, their active memberships of member organisations and their unread count. The promise
is that any change to them, however it is made, shows on the person's very next request. Each
test warms the facts with a page, changes them the way an attacker or an ordinary administrator
would, and asks again. Run on the embedded local-memory cache and on Redis.

Written by a helper who had read only the rules (issue 21's red team). What it found served stale
facts (queryset and bulk updates of memberships, organisations and threads, rows of the groups'
table, a renamed group, an evicted per-person key) until the writes were watched where they
enter the database (forum.members.generation.WATCHED)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from forum import services
from forum.members.generation import generation
from forum.members.roles import COORDINATORS, EDITORS
from forum.models import Discussion, Issue, Membership, Notification, Organization
from forum.topics.models import AdvocacyTopic
from tests.forum.test_person_cache import (  # noqa: F401 (the fixture runs each test twice)
    _header,
    _is_coordinator,
    _unread,
    cache_backend,
)

User = get_user_model()


def _has_forum_link(client) -> bool:
    return f'href="{reverse("forum:issue_list")}"' in _header(client)


def _is_member(client) -> bool:
    """The header's link and the forum itself agree (each read through the cached facts)."""
    link = _has_forum_link(client)
    forum = client.get(reverse("forum:issue_list")).status_code
    assert link == (forum == 200), (link, forum)
    return link


def _member_with_notification(make_issue, roles, django_capture_on_commit_callbacks):
    """liige has one unread notification: a comment on their issue."""
    issue = make_issue("Minu organisatsiooni mure", author=roles["liige"])
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(author=roles["liige2"], issue=issue, body="Meil on sama mure.")
    return issue


# Memberships ---------------------------------------------------------------------------------


def test_a_representative_removing_a_person_through_the_page_takes_them_out(
    client, roles, django_capture_on_commit_callbacks
):
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    membership = Membership.objects.get(user=member)
    client.force_login(roles["esindaja"])
    url = reverse("forum:membership_toggle", args=[membership.organization.slug, membership.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not Membership.objects.get(pk=membership.pk).active
    client.force_login(member)
    assert not _is_member(client)


def test_a_membership_ended_by_the_service_from_a_shell_takes_the_person_out(
    client, roles, django_capture_on_commit_callbacks
):
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_membership_active(
            manager=roles["esindaja"], membership=Membership.objects.get(user=member), active=False
        )
    assert not _is_member(client)


def test_a_membership_ended_by_a_queryset_update_takes_the_person_out(
    client, roles, django_capture_on_commit_callbacks
):
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=member).update(active=False)
    assert not _is_member(client)


def test_a_person_removed_by_a_queryset_update_cannot_comment_in_the_forum(
    client, roles, make_issue, django_capture_on_commit_callbacks
):
    """The stale facts are read by the write request too (the middleware bumps only after it):
    the removed person still writes in the forum under their former organisation's name."""
    from forum.models import Comment

    issue = make_issue("Koolibuss", author=roles["esindaja"])
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=member).update(active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forum:issue_comment", args=[issue.pk]), {"body": "Ikka veel siin."}
        )
    assert response.status_code == 403
    assert not Comment.objects.filter(issue=issue, author=member).exists()


def test_a_membership_ended_by_bulk_update_takes_the_person_out(
    client, roles, django_capture_on_commit_callbacks
):
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    memberships = list(Membership.objects.filter(user=member))
    for membership in memberships:
        membership.active = False
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.bulk_update(memberships, ["active"])
    assert not _is_member(client)


def test_a_membership_deleted_by_a_queryset_delete_takes_the_person_out(
    client, roles, django_capture_on_commit_callbacks
):
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=member).delete()
    assert not _is_member(client)


def test_a_membership_moved_to_another_person_takes_the_first_one_out(
    client, roles, make_member, django_capture_on_commit_callbacks
):
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    outsider = User.objects.create_user("valine", email="valine@example.org", password="x")
    membership = Membership.objects.get(user=member)
    with django_capture_on_commit_callbacks(execute=True):
        membership.user = outsider
        membership.save()
    assert not _is_member(client)


def test_memberships_created_in_bulk_let_the_person_in(
    client, organizations, django_capture_on_commit_callbacks
):
    newcomer = User.objects.create_user("uustulnuk", email="uus@example.org", password="x")
    client.force_login(newcomer)
    assert not _is_member(client)
    with django_capture_on_commit_callbacks(execute=True):  # an import script
        Membership.objects.bulk_create(
            [Membership(user=newcomer, organization=organizations["paikesekiir"])]
        )
    assert _is_member(client)


def test_a_membership_unticked_in_the_wagtail_admin_takes_the_person_out(
    client, roles, django_capture_on_commit_callbacks
):
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    membership = Membership.objects.get(user=member)
    client.force_login(roles["admin"])
    url = reverse("wagtailsnippets_forum_membership:edit", args=[membership.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "user": member.pk,
                "organization": membership.organization_id,
                "role": membership.role,
                # "active" unticked
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Membership.objects.get(pk=membership.pk).active
    client.force_login(member)
    assert not _is_member(client)


# Organisations -------------------------------------------------------------------------------


def test_an_organisation_leaving_by_a_queryset_update_takes_its_people_out(
    client, roles, django_capture_on_commit_callbacks
):
    client.force_login(roles["liige2"])
    assert _is_member(client)
    with django_capture_on_commit_callbacks(execute=True):
        Organization.objects.filter(slug="emajoe-noored").update(status=Organization.Status.FORMER)
    assert not _is_member(client)


def test_an_organisation_deleted_by_a_queryset_delete_takes_its_people_out(
    client, roles, django_capture_on_commit_callbacks
):
    client.force_login(roles["liige2"])
    assert _is_member(client)
    with django_capture_on_commit_callbacks(execute=True):
        Organization.objects.filter(slug="emajoe-noored").delete()
    assert not _is_member(client)


# Coordinators --------------------------------------------------------------------------------


def test_a_coordinator_removed_through_the_groups_table_is_no_longer_one(
    client, roles, django_capture_on_commit_callbacks
):
    coordinator = roles["koordinaator"]
    client.force_login(coordinator)
    assert _is_coordinator(client)
    with django_capture_on_commit_callbacks(execute=True):
        User.groups.through.objects.filter(user=coordinator, group__name=COORDINATORS).delete()
    assert not coordinator.groups.filter(name=COORDINATORS).exists()
    assert not _is_coordinator(client)


@pytest.mark.parametrize("how", ["clear", "set"])
def test_a_coordinator_whose_groups_are_cleared_or_set_is_no_longer_one(
    client, roles, how, django_capture_on_commit_callbacks
):
    coordinator = roles["koordinaator"]
    client.force_login(coordinator)
    assert _is_coordinator(client)
    with django_capture_on_commit_callbacks(execute=True):
        if how == "clear":
            coordinator.groups.clear()
        else:
            coordinator.groups.set([Group.objects.get(name=EDITORS)])
    assert not _is_coordinator(client)


@pytest.mark.parametrize("how", ["save", "update"])
def test_the_coordinators_group_renamed_takes_away_the_role(
    client, roles, how, django_capture_on_commit_callbacks
):
    client.force_login(roles["koordinaator"])
    assert _is_coordinator(client)
    with django_capture_on_commit_callbacks(execute=True):
        if how == "save":
            group = Group.objects.get(name=COORDINATORS)
            group.name = "Endised koordinaatorid"
            group.save()
        else:
            Group.objects.filter(name=COORDINATORS).update(name="Endised koordinaatorid")
    assert not _is_coordinator(client)


def test_the_coordinators_group_deleted_in_the_wagtail_admin_takes_away_the_role(
    client, roles, django_capture_on_commit_callbacks
):
    coordinator = roles["koordinaator"]
    client.force_login(coordinator)
    assert _is_coordinator(client)
    group = Group.objects.get(name=COORDINATORS)
    client.force_login(roles["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailusers_groups:delete", args=[group.pk]))
    assert response.status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()
    client.force_login(coordinator)
    assert not _is_coordinator(client)


def test_the_coordinators_group_deleted_from_a_shell_takes_away_the_role(
    client, roles, django_capture_on_commit_callbacks
):
    client.force_login(roles["koordinaator"])
    assert _is_coordinator(client)
    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.filter(name=COORDINATORS).delete()
    assert not _is_coordinator(client)


def test_a_superuser_flag_taken_away_by_a_queryset_update_shows_at_once(client, roles):
    admin = roles["admin"]
    client.force_login(admin)
    assert _is_coordinator(client)
    User.objects.filter(pk=admin.pk).update(is_superuser=False)
    assert not _is_coordinator(client)


def test_a_person_deactivated_by_a_queryset_update_is_out_at_once(client, roles):
    coordinator = roles["koordinaator"]
    coordinator.memberships.create(organization=Organization.objects.get(slug="paikesekiir"))
    client.force_login(coordinator)
    assert _is_coordinator(client) and _has_forum_link(client)
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    assert not _is_coordinator(client)
    assert client.get(reverse("forum:issue_list")).status_code != 200


def test_a_member_erased_by_the_command_is_out_at_once(
    client, roles, django_capture_on_commit_callbacks
):
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("erase_member", "liige", stdout=io.StringIO())
    assert client.get(reverse("forum:issue_list")).status_code != 200


def test_the_forums_generation_evicted_does_not_bring_back_old_facts(
    client, roles, django_capture_on_commit_callbacks
):
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    cache.delete(generation.key)  # evicted
    with django_capture_on_commit_callbacks(execute=True):
        membership = Membership.objects.get(user=member)
        membership.active = False
        membership.save()
    assert not _is_member(client)


def test_facts_a_reader_stored_between_a_change_and_its_commit_are_not_served(
    client, roles, django_capture_on_commit_callbacks
):
    """Another worker reads the committed (old) rows while the change's transaction is still
    open and stores the facts; once the change commits, the next page must not get them."""
    member = roles["liige"]
    client.force_login(member)
    assert _is_member(client)
    membership = Membership.objects.get(user=member)
    table = Membership._meta.db_table
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        membership.active = False
        membership.save()
        # The other worker sees the rows as they were committed (raw SQL: no hook runs).
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET active = %s WHERE id = %s", [True, membership.pk])
        assert _is_member(client)  # ... and stores them
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET active = %s WHERE id = %s", [False, membership.pk])
    for callback in callbacks:  # the commit
        callback()
    assert not _is_member(client)


# The unread count ----------------------------------------------------------------------------


def test_an_issue_hidden_through_the_page_stops_counting(
    client, roles, make_issue, django_capture_on_commit_callbacks
):
    issue = _member_with_notification(make_issue, roles, django_capture_on_commit_callbacks)
    client.force_login(roles["liige"])
    assert _unread(client) == 1
    client.force_login(roles["koordinaator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forum:issue_hide", args=[issue.pk]), {"hide": "1", "reason": "Isikuandmed."}
        )
    assert response.status_code == 302
    assert Issue.objects.get(pk=issue.pk).hidden
    client.force_login(roles["liige"])
    assert _unread(client) == 0


def test_an_issue_hidden_by_the_service_from_a_shell_stops_counting(
    client, roles, make_issue, django_capture_on_commit_callbacks
):
    issue = _member_with_notification(make_issue, roles, django_capture_on_commit_callbacks)
    client.force_login(roles["liige"])
    assert _unread(client) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.hide_issue(moderator=roles["koordinaator"], issue=issue, reason="Isikuandmed.")
    assert _unread(client) == 0


def test_an_issue_hidden_by_a_queryset_update_stops_counting(
    client, roles, make_issue, django_capture_on_commit_callbacks
):
    issue = _member_with_notification(make_issue, roles, django_capture_on_commit_callbacks)
    client.force_login(roles["liige"])
    assert _unread(client) == 1
    with django_capture_on_commit_callbacks(execute=True):
        Issue.objects.filter(pk=issue.pk).update(hidden=True)
    assert client.get(issue.get_absolute_url()).status_code == 404  # the issue itself is gone
    assert _unread(client) == 0  # ... and so must its notification be


def test_a_discussion_hidden_by_a_queryset_update_stops_counting(
    client, roles, make_discussion, django_capture_on_commit_callbacks
):
    discussion = make_discussion(author=roles["liige"])
    with django_capture_on_commit_callbacks(execute=True):
        services.add_reply(author=roles["liige2"], discussion=discussion, body="Meil nii.")
    client.force_login(roles["liige"])
    assert _unread(client) == 1
    with django_capture_on_commit_callbacks(execute=True):
        Discussion.objects.filter(pk=discussion.pk).update(hidden=True)
    assert _unread(client) == 0


def test_an_issue_deleted_from_a_shell_stops_counting(
    client, roles, make_issue, django_capture_on_commit_callbacks
):
    issue = _member_with_notification(make_issue, roles, django_capture_on_commit_callbacks)
    client.force_login(roles["liige"])
    assert _unread(client) == 1
    with django_capture_on_commit_callbacks(execute=True):
        Issue.objects.filter(pk=issue.pk).delete()
    assert _unread(client) == 0


def test_a_topic_made_coordinators_only_by_update_stops_counting_its_signing(
    client, roles, django_capture_on_commit_callbacks
):
    representative = roles["esindaja"]
    with django_capture_on_commit_callbacks(execute=True):
        topic = services.create_topic(
            coordinator=roles["koordinaator"],
            title="Koolitranspordi seisukoht",
            summary="Kokkuvõte.",
            problem="Probleem.",
        )
        Notification.objects.create(
            recipient=representative, kind=Notification.Kind.SIGNATURE, topic=topic
        )
    client.force_login(representative)
    assert _unread(client) == 1
    with django_capture_on_commit_callbacks(execute=True):
        AdvocacyTopic.objects.filter(pk=topic.pk).update(
            visibility=AdvocacyTopic.Visibility.COORDINATORS
        )
    assert _unread(client) == 0


def test_notifications_read_by_a_queryset_update_stop_counting(
    client, roles, make_issue, django_capture_on_commit_callbacks
):
    _member_with_notification(make_issue, roles, django_capture_on_commit_callbacks)
    client.force_login(roles["liige"])
    assert _unread(client) == 1
    with django_capture_on_commit_callbacks(execute=True):
        Notification.objects.filter(recipient=roles["liige"]).update(read=timezone.now())
    assert _unread(client) == 0


def test_a_coordinator_demoted_no_longer_counts_a_hidden_threads_notification(
    client, roles, make_issue, django_capture_on_commit_callbacks
):
    """A coordinator who is also a member follows a hidden issue; once out of the coordinators
    a notice about it would reveal the hidden thread's activity."""
    coordinator = roles["koordinaator"]
    coordinator.memberships.create(organization=Organization.objects.get(slug="paikesekiir"))
    issue = make_issue("Varjatud mure", author=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.hide_issue(moderator=roles["admin"], issue=issue, reason="Isikuandmed.")
        services.add_comment(author=roles["admin"], issue=issue, body="Koordinaatori märkus.")
    client.force_login(coordinator)
    assert _unread(client) == 1
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.groups.remove(Group.objects.get(name=COORDINATORS))
    assert _has_forum_link(client)  # still a member
    assert _unread(client) == 0
