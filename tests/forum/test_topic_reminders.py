"""Deadline reminders: the working group and the lead hear of a topic's deadline 7 days, 1 day
and 0 days before it, once each, while the topic is not yet submitted."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from forum.management.commands.send_topic_reminders import send_topic_reminders
from forum.models import AdvocacyTopic, TopicMember

pytestmark = pytest.mark.django_db

T = AdvocacyTopic.Status
TODAY = datetime.date(2026, 11, 26)
BASE_URL = "https://koda.example.ee"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    AdvocacyTopic.objects.all().delete()


@pytest.fixture
def make_topic(roles, make_member):
    """A topic led by the coordinator with liige and liige2 in its working group, plus three
    people who must not hear of it: a deactivated member, one without an e-mail address and
    one whose organisation left the network."""
    no_address = make_member("aadressita")
    no_address.email = ""
    no_address.save(update_fields=["email"])
    silent = [roles["deactivated"], no_address, roles["former"]]

    def make(deadline, *, status=T.WORKING_GROUP, **fields):
        topic = AdvocacyTopic.objects.create(
            title="Koolitransport maapiirkondades",
            summary="Kokkuvõte.",
            problem="Mure.",
            status=status,
            lead=roles["koordinaator"],
            deadline=deadline,
            deadline_label="Avalik konsultatsioon sulgub",
            deadline_url="https://eelnoud.valitsus.ee/main/mount/docList/123",
            **fields,
        )
        for user in [roles["liige"], roles["liige2"], *silent]:
            TopicMember.objects.create(topic=topic, user=user)
        return topic

    return make


def _to(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


EVERYONE = ["koordinaator@example.org", "liige2@example.org", "liige@example.org"]


def test_the_working_group_and_the_lead_are_reminded_a_week_before(make_topic, mailoutbox):
    topic = make_topic(TODAY + datetime.timedelta(days=7))
    assert send_topic_reminders(TODAY) == (1, 3)
    assert _to(mailoutbox) == EVERYONE
    message = mailoutbox[0]
    assert topic.title in message.subject
    with translation.override("et"):
        deadline = date_format(topic.deadline)
    assert deadline == "3. detsember 2026"
    assert deadline in message.body and topic.title in message.body
    assert "Avalik konsultatsioon sulgub" in message.body
    assert "https://eelnoud.valitsus.ee/main/mount/docList/123" in message.body
    assert f"{BASE_URL}/foorum/teemad/{topic.pk}/" in message.body
    assert "7" in message.subject


def test_reminders_go_out_at_7_1_and_0_days_once_each(make_topic, mailoutbox):
    topic = make_topic(TODAY + datetime.timedelta(days=7))
    sent_on = {}
    for offset in range(-2, 10):
        before = len(mailoutbox)
        send_topic_reminders(TODAY + datetime.timedelta(days=offset))
        if len(mailoutbox) > before:
            sent_on[(topic.deadline - TODAY).days - offset] = len(mailoutbox) - before
    assert sent_on == {7: 3, 1: 3, 0: 3}


def test_a_second_run_the_same_day_sends_nothing(make_topic, mailoutbox):
    make_topic(TODAY + datetime.timedelta(days=1))
    make_topic(TODAY)
    assert send_topic_reminders(TODAY) == (2, 6)
    assert send_topic_reminders(TODAY) == (0, 0)
    assert len(mailoutbox) == 6


def test_a_missed_day_is_caught_up_the_next(make_topic, mailoutbox):
    make_topic(TODAY + datetime.timedelta(days=6))
    assert send_topic_reminders(TODAY) == (1, 3)
    assert "6" in mailoutbox[0].subject
    assert send_topic_reminders(TODAY + datetime.timedelta(days=1)) == (0, 0)


def test_a_moved_deadline_is_reminded_of_again(make_topic, mailoutbox):
    topic = make_topic(TODAY + datetime.timedelta(days=1))
    send_topic_reminders(TODAY)
    AdvocacyTopic.objects.filter(pk=topic.pk).update(deadline=TODAY + datetime.timedelta(days=7))
    assert send_topic_reminders(TODAY) == (1, 3)


@pytest.mark.parametrize("status", [T.SUBMITTED, T.OUTCOME, T.ARCHIVED])
def test_topics_past_submission_are_not_reminded(make_topic, mailoutbox, status):
    make_topic(TODAY + datetime.timedelta(days=7), status=status)
    make_topic(TODAY, status=status)
    assert send_topic_reminders(TODAY) == (0, 0)
    assert mailoutbox == []


@pytest.mark.parametrize("days", [-1, 2, 8, None])
def test_other_days_send_nothing(make_topic, mailoutbox, days):
    topic = make_topic(TODAY + datetime.timedelta(days=days) if days is not None else None)
    if days == 2:  # a 7-day reminder was sent on time
        send_topic_reminders(topic.deadline - datetime.timedelta(days=7))
        mailoutbox.clear()
    assert send_topic_reminders(TODAY) == (0, 0)
    assert mailoutbox == []


def test_a_coordinators_only_topic_reminds_only_coordinators(make_topic, mailoutbox):
    make_topic(TODAY, visibility=AdvocacyTopic.Visibility.COORDINATORS)
    send_topic_reminders(TODAY)
    assert _to(mailoutbox) == ["koordinaator@example.org"]


def test_the_command_says_how_many_were_sent(make_topic, mailoutbox):
    make_topic(timezone.localdate() + datetime.timedelta(days=1))
    out = io.StringIO()
    call_command("send_topic_reminders", stdout=out)
    assert out.getvalue().strip() == "3 deadline reminder(s) sent about 1 topic(s)."
    out = io.StringIO()
    call_command("send_topic_reminders", stdout=out)
    assert out.getvalue().strip() == "0 deadline reminder(s) sent about 0 topic(s)."


def test_a_failed_sending_is_tried_again_the_next_run(make_topic, mailoutbox, monkeypatch):
    make_topic(TODAY)

    def refuse(self, messages):
        raise ConnectionRefusedError

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        assert send_topic_reminders(TODAY) == (0, 0)
    assert send_topic_reminders(TODAY) == (1, 3)


def test_a_person_who_turned_e_mail_off_gets_no_reminder(make_topic, roles, mailoutbox):
    from forum.models import Profile

    Profile.objects.update_or_create(
        user=roles["liige2"], defaults={"email_delivery": Profile.Delivery.NONE}
    )
    make_topic(TODAY + datetime.timedelta(days=7))
    send_topic_reminders(TODAY)
    assert _to(mailoutbox) == ["koordinaator@example.org", "liige@example.org"]


def test_a_reminder_carries_the_one_click_unsubscribe(make_topic, roles, mailoutbox, client):
    from forum.models import Profile

    make_topic(TODAY + datetime.timedelta(days=7))
    send_topic_reminders(TODAY)
    (message,) = [m for m in mailoutbox if m.to == ["liige@example.org"]]
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body and f"{BASE_URL}/foorum/profiil/" in message.body
    client.post(url.removeprefix(BASE_URL), {"List-Unsubscribe": "One-Click"})
    assert Profile.objects.get(user=roles["liige"]).email_delivery == Profile.Delivery.NONE
