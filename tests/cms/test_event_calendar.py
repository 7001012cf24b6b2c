"""Events for calendars (issue 20): the events page offers its upcoming events as an iCalendar
feed, each event a file to add; and the registration its text promises has an address."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from cms.models import EventPage

pytestmark = pytest.mark.django_db


def _event(events_index, title, days, **fields):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    page = EventPage(
        title=title,
        lead=f"{title}: lühidalt.",
        start=start,
        end=start + datetime.timedelta(hours=2),
        location="Tartu, Raekoja plats 1",
        **fields,
    )
    events_index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_feed_holds_the_upcoming_events_with_their_times_and_places(client, events_index):
    coming = _event(events_index, "Kiusamise ennetamise seminar", 10)
    _event(events_index, "Möödunud koolitus", -10)
    feed = _calendar(client.get(events_index.url + "kalender/"))
    events = {str(e["summary"]): e for e in feed.walk("VEVENT")}
    assert "Möödunud koolitus" not in events
    event = events["Kiusamise ennetamise seminar"]
    assert event.decoded("dtstart") == coming.start
    assert event.decoded("dtend") == coming.end
    assert str(event["location"]) == "Tartu, Raekoja plats 1"
    assert coming.full_url in str(event["description"])
    assert (
        'href="' + events_index.url + 'kalender/"' in client.get(events_index.url).content.decode()
    )


def test_one_event_as_a_file_to_add_with_a_stable_uid(client, events_index):
    event = _event(events_index, "Kiusamise ennetamise seminar", 10)
    page = client.get(event.url).content.decode()
    assert f'href="{event.url}kalender/"' in page
    first = _calendar(client.get(event.url + "kalender/"))
    (vevent,) = first.walk("VEVENT")
    assert str(vevent["summary"]) == "Kiusamise ennetamise seminar"
    (again,) = _calendar(client.get(event.url + "kalender/")).walk("VEVENT")
    assert str(vevent["uid"]) == str(again["uid"])  # a calendar updates, not duplicates


def test_the_registration_has_an_address_to_write_to(client, events_index):
    event = _event(events_index, "Seminar", 10, registration_email="koolitused@example.org")
    page = client.get(event.url).content.decode()
    assert 'href="mailto:koolitused@example.org?subject=Seminar"' in page


def test_the_demo_events_that_promise_registration_give_an_address():
    upcoming = EventPage.objects.upcoming().exclude(registration_info="")
    assert upcoming and all(e.registration_email for e in upcoming)
