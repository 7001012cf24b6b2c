"""Fixtures of the privacy tests."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

# The forum's bad-input fixtures: a member, her client and a valid issue's form data.
from tests.forum.test_bad_input import issue_data, member, member_client  # noqa: F401


@pytest.fixture
def editor_user(db):
    """An editor (Wagtail's Editors group): edits and publishes pages, uploads files."""
    user = get_user_model().objects.create_user("toimetaja-test", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor(client, editor_user):
    """The editor, signed in on `client`."""
    client.force_login(editor_user)
    return editor_user
