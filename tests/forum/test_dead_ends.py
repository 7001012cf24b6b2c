"""The forum offers only what the person can do (issue 20, defect 4): a coordinator without an
organisation is not led to pages that refuse them, and a refusal is one line in the log, not a
traceback."""

import io
import logging
import logging.config
import sys

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

STARTING = ("Anna murest teada", "Minu organisatsiooni mured", "Alusta arutelu")


def _page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", ["forum:issue_list", "forum:discussion_list", "forum:topic_list"])
def test_a_coordinator_without_an_organisation_is_not_offered_to_start_threads(client, roles, name):
    client.force_login(roles["koordinaator"])
    page = _page(client, name)
    assert not [words for words in STARTING if words in page]
    # What the menus still offer answers them.
    for href in (reverse("forum:issue_list"), reverse("forum:discussion_list")):
        assert f'href="{href}"' in page


def test_a_member_is_offered_to_start_threads_and_the_links_work(client, roles):
    client.force_login(roles["liige"])
    issues, discussions = _page(client, "forum:issue_list"), _page(client, "forum:discussion_list")
    assert "Anna murest teada" in issues and "Minu organisatsiooni mured" in issues
    assert "Alusta arutelu" in discussions
    assert client.get(reverse("forum:issue_create")).status_code == 200
    assert client.get(reverse("forum:issue_list") + "?mine=1").status_code == 200


def test_a_refusal_is_logged_in_one_line_without_a_traceback(client, roles):
    stream = io.StringIO()
    config = {**settings.LOGGING, "disable_existing_loggers": False}
    config["handlers"] = {"console": {**settings.LOGGING["handlers"]["console"], "stream": stream}}
    logging.config.dictConfig(config)
    try:
        client.force_login(roles["koordinaator"])
        assert client.get(reverse("forum:issue_create")).status_code == 403
    finally:
        logging.config.dictConfig(settings.LOGGING)
    logged = stream.getvalue()
    assert "Forbidden" in logged and reverse("forum:issue_create") in logged
    assert "Traceback" not in logged and "PermissionDenied" not in logged


def test_a_crash_keeps_its_traceback():
    from koda.log_filters import RefusalWithoutTraceback

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        crash = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), sys.exc_info())
    crash.status_code = 500
    assert RefusalWithoutTraceback().filter(crash) and crash.exc_info is not None
