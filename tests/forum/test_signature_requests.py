"""Representatives hear when a position waits for their organisation's answer (issue 20,
defect 2): a notification and its e-mail when signing opens, and the forum's start page says so
until they sign or object."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from forum.models import AdvocacyTopic, Membership, Notification
from forum.services import answer_position, change_topic_status, create_topic, set_position

pytestmark = pytest.mark.django_db
T = AdvocacyTopic.Status
SIGNATURE = Notification.Kind.SIGNATURE


def _topic(roles, **fields):
    return create_topic(
        coordinator=roles["koordinaator"],
        title="Koolitransport maapiirkondades",
        summary="Maal elavad lapsed jäävad huviringidest ilma.",
        problem="Bussid ei sobi koolipäevaga.",
        **fields,
    )


def _open_signing(topic, coordinator):
    change_topic_status(coordinator=coordinator, topic=topic, status=T.WORKING_GROUP, note="Algab")
    set_position(user=coordinator, topic=topic, text="Koolibuss peab sobima koolipäevaga.")


def _told(topic):
    return sorted(
        Notification.objects.filter(kind=SIGNATURE, topic=topic).values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def representatives(roles, make_member):
    """A second organisation's representative, and one of a former organisation."""
    return {
        "other": make_member(
            "esindaja2", organization="emajoe-noored", role=Membership.Role.REPRESENTATIVE
        ),
        "former": make_member(
            "esindaja-endine", organization="laanemaa-pere", role=Membership.Role.REPRESENTATIVE
        ),
    }


def test_opening_signing_tells_every_representative_once_by_mail_too(roles, representatives):
    topic = _topic(roles, deadline=datetime.date(2026, 12, 10))
    coordinator = roles["koordinaator"]
    change_topic_status(coordinator=coordinator, topic=topic, status=T.WORKING_GROUP, note="Algab")
    assert _told(topic) == []  # no position yet: nothing to sign
    mail.outbox.clear()
    set_position(user=coordinator, topic=topic, text="Koolibuss peab sobima koolipäevaga.")
    # Active representatives of member organisations; not members, not a former organisation's.
    assert _told(topic) == ["esindaja", "esindaja2"]
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"esindaja@example.org", "esindaja2@example.org"}
    body = sent["esindaja@example.org"].body
    assert "„Koolitransport maapiirkondades“" in body
    assert "allkirja" in body and "10. detsember 2026" in body
    assert topic.get_absolute_url() in body
    # A new version while signing is open does not ask again.
    set_position(user=coordinator, topic=topic, text="Koolibuss peab sobima tunniplaaniga.")
    assert _told(topic) == ["esindaja", "esindaja2"]


def test_signing_reopened_asks_only_those_who_have_not_answered(roles, representatives):
    topic, coordinator = _topic(roles), roles["koordinaator"]
    _open_signing(topic, coordinator)
    representative = roles["esindaja"]
    answer_position(
        user=representative,
        topic=topic,
        organization=representative.memberships.get().organization,
        stance="sign",
    )
    Notification.objects.filter(kind=SIGNATURE).delete()
    change_topic_status(coordinator=coordinator, topic=topic, status=T.POSITION_ADOPTED, note="Ok")
    change_topic_status(coordinator=coordinator, topic=topic, status=T.WORKING_GROUP, note="Taas")
    assert _told(topic) == ["esindaja2"]


def test_a_coordinators_only_topic_asks_no_representative(roles, representatives):
    topic = _topic(roles, visibility=AdvocacyTopic.Visibility.COORDINATORS)
    _open_signing(topic, roles["koordinaator"])
    assert _told(topic) == []


def test_a_notification_about_a_topic_made_coordinators_only_is_no_longer_shown(
    client, roles, representatives
):
    topic = _topic(roles)
    _open_signing(topic, roles["koordinaator"])
    client.force_login(roles["esindaja"])
    page = client.get(reverse("forum:notifications")).content.decode()
    assert "Koolitransport maapiirkondades" in page
    assert topic.get_absolute_url() in page
    AdvocacyTopic.objects.filter(pk=topic.pk).update(
        visibility=AdvocacyTopic.Visibility.COORDINATORS
    )
    page = client.get(reverse("forum:notifications")).content.decode()
    assert "Koolitransport" not in page


def test_the_start_page_says_what_waits_until_the_organisation_answers(client, roles):
    topic = _topic(roles, deadline=datetime.date(2026, 12, 10))
    _open_signing(topic, roles["koordinaator"])
    representative = roles["esindaja"]
    client.force_login(representative)
    page = client.get(reverse("forum:issue_list")).content.decode()
    assert "Ootab sinu organisatsiooni allkirja" in page
    assert f'href="{topic.get_absolute_url()}#signatures"' in page
    assert "tähtaeg 10. detsember 2026" in page
    # A member who does not represent the organisation is not asked.
    client.force_login(roles["liige"])
    assert (
        "Ootab sinu organisatsiooni allkirja"
        not in client.get(reverse("forum:issue_list")).content.decode()
    )
    answer_position(
        user=representative,
        topic=topic,
        organization=representative.memberships.get().organization,
        stance="object",
        note="Liiga nõrk.",
    )
    client.force_login(representative)
    assert (
        "Ootab sinu organisatsiooni allkirja"
        not in client.get(reverse("forum:issue_list")).content.decode()
    )


def test_a_deleted_topic_takes_its_signature_notifications_out_of_sight(roles, client):
    topic = _topic(roles)
    _open_signing(topic, roles["koordinaator"])
    topic.delete()
    notification = Notification.objects.get(kind=SIGNATURE, recipient=roles["esindaja"])
    assert notification.topic is None
    client.force_login(roles["esindaja"])
    assert client.get(reverse("forum:notifications")).status_code == 200
