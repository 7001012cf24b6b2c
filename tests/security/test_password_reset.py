"""Password-reset requests (koda.password_reset), on the site and in Wagtail's admin: limited per
typed address and per requesting address, so nobody can flood a member's inbox, and answered
with the same work for an address with an account and one without, so the answer tells nobody
which addresses have accounts."""

import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

OFFICE, HOME = "192.0.2.10", "198.51.100.30"
FORMS = ("password_reset", "wagtailadmin_password_reset")


@pytest.fixture(autouse=True)
def limits(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": f"pr-{uuid.uuid4().hex}",
        }
    }
    settings.KODA_RATE_LIMITS = {"password_reset": {"account": (3, 3600), "address": (5, 3600)}}


def ask(client, url_name, email, address=OFFICE):
    return client.post(reverse(url_name), {"email": email}, REMOTE_ADDR=address)


def sent_to(email):
    return sum(email in message.to for message in mail.outbox)


@pytest.mark.parametrize("url_name", FORMS)
def test_a_members_inbox_cannot_be_flooded(client, roles, url_name):
    for address in (OFFICE, HOME, "203.0.113.5", "203.0.113.6", "203.0.113.7"):
        response = ask(client, url_name, "liige@example.org", address)
        assert response.status_code == 302
    assert sent_to("liige@example.org") == 3  # the account's limit, from any address


@pytest.mark.parametrize("url_name", FORMS)
def test_one_address_cannot_ask_for_many_accounts(client, roles, url_name):
    for n in range(6):
        ask(client, url_name, f"nobody{n}@example.org")
    ask(client, url_name, "liige@example.org")  # the seventh request from the office
    assert sent_to("liige@example.org") == 0
    ask(client, url_name, "liige@example.org", HOME)
    assert sent_to("liige@example.org") == 1


def test_a_refused_request_is_answered_like_any_other(client, roles):
    answers = set()
    for _ in range(5):
        response = ask(client, "password_reset", "liige@example.org")
        answers.add((response.status_code, response["Location"]))
    assert answers == {(302, reverse("password_reset_done"))}


@pytest.mark.parametrize("url_name", FORMS)
def test_an_address_with_an_account_costs_the_same_as_one_without(
    client, roles, settings, url_name
):
    """With a queue backend (production) the request only hands the address to the task: the
    same queries, the same answer, one task each, whether the account exists or not."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    costs = []
    for email in ("liige@example.org", "pole-olemas@example.org"):
        with CaptureQueriesContext(connection) as queries:
            response = ask(client, url_name, email)
        costs.append((response.status_code, response["Location"], [q["sql"][:30] for q in queries]))
    assert costs[0] == costs[1]
    assert [r.task.name for r in default_task_backend.results] == ["send_password_reset"] * 2
    assert mail.outbox == []  # nothing sent in the request


@pytest.mark.parametrize("url_name", FORMS)
def test_the_task_sends_a_working_link_to_an_account_only(client, roles, url_name):
    ask(client, url_name, "pole-olemas@example.org")
    assert mail.outbox == []
    ask(client, url_name, "liige@example.org")
    (message,) = mail.outbox
    link = next(word for word in message.body.split() if "://" in word)
    assert client.get(link, follow=True).status_code == 200
