"""The sweeps' world is built once for the package, in a transaction that is never committed:
each test runs in a savepoint inside it (pytest-django's own), so what a test changes is gone
before the next. Both sweeps read it; neither builds its own."""

import shutil

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from tests.conftest import search_backends

from .world import build_world


@pytest.fixture(scope="package")
def world(
    django_db_setup, django_db_blocker, search_index_template, media_template, tmp_path_factory
):
    # The world is indexed as it is built: the admin's choosers and listings search it.
    index = tmp_path_factory.mktemp("sweep") / "search-index"
    shutil.copytree(search_index_template, index)
    media = tmp_path_factory.mktemp("sweep-media")
    shutil.copytree(media_template, media, dirs_exist_ok=True)  # the demo's images
    overrides = override_settings(
        MEDIA_ROOT=media,
        WAGTAILSEARCH_BACKENDS=search_backends(index),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), overrides:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built.media = media
            built.index = index
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _world_files(_test_settings, _search_index, settings, world, tmp_path):
    """The world's files and search index, not the empty ones every test gets by default (so
    these tests search the world's own index, and need no `search` marker). The files are a
    copy per test: the database is rolled back after each, the disk is not, and a permitted
    request (a document made from an upload) removes its file for every later test."""
    settings.MEDIA_ROOT = tmp_path / "world-media"
    shutil.copytree(world.media, settings.MEDIA_ROOT)
    settings.WAGTAILSEARCH_BACKENDS = search_backends(world.index)
    # Were the world lost (a request ending the transaction), every request would be refused
    # for want of its people and objects, and every case pass for the wrong reason.
    assert get_user_model().objects.filter(pk=world.users["liige"].pk).exists()


@pytest.fixture
def roles(world):
    """The world's people by role (the demo accounts plus a deactivated account and a member
    of a former organisation), instead of the suite's own `roles` fixture."""
    return world.users
