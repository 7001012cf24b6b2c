"""Trainings and seminars as iCalendar (RFC 5545), with the icalendar library: the events page's
feed of upcoming events for a calendar to subscribe to, and one event's file to add."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar, Event, vText

PRODUCT = "-//Lapse Huvikaitse Koda//koda//ET"


def _event(page, request) -> Event:
    event = Event()
    url = page.get_full_url(request)
    # Stable across edits and hosts: a calendar that subscribed updates the same entry.
    event.add("uid", f"event-{page.translation_key}-{page.locale.language_code}@koda")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", page.start)
    event.add("dtend", page.end)
    event.add("summary", page.title)
    event.add("description", f"{page.lead}\n\n{url}")
    event.add("url", url)
    if page.location:
        event.add("location", vText(page.location))
    return event


def calendar_response(pages, request, *, name: str, filename: str) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for page in pages:
        calendar.add_component(_event(page, request))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "koda"}.ics"'
    return response
