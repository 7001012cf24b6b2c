"""Shared fixtures. The demo content is loaded once per test session through the real loader
(which calls the real services); every test runs in a transaction rolled back afterwards."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management import call_command
from PIL import Image as PILImage

from cms.models import ArticleIndexPage, ArticlePage, EventIndexPage, HomePage, JoinPage
from forum.models import County
from forum.roles import COORDINATORS


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture(scope="session", autouse=True)
def _report_database_vendor(record_testsuite_property):
    """CI reads this from the JUnit report to prove which database the run used."""
    from django.db import connection

    record_testsuite_property("database_vendor", connection.vendor)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home(db):
    return HomePage.objects.get(locale__language_code="et")


@pytest.fixture
def home_en(db):
    return HomePage.objects.get(locale__language_code="en")


@pytest.fixture
def news_index(db):
    return ArticleIndexPage.objects.get(locale__language_code="et")


@pytest.fixture
def events_index(db):
    return EventIndexPage.objects.get(locale__language_code="et")


@pytest.fixture
def join_page(db):
    return JoinPage.objects.get(locale__language_code="et")


@pytest.fixture
def make_article(news_index):
    def make(title="Uudis", *, kind=ArticlePage.Kind.NEWS, tags=(), parent=None, **fields):
        parent = parent or news_index
        article = ArticlePage(
            title=title,
            lead=fields.pop("lead", f"{title}: juhtlõik."),
            kind=kind,
            locale=parent.locale,
            **fields,
        )
        if tags:
            article.tags.add(*tags)
        parent.add_child(instance=article)
        article.save_revision().publish()
        return article

    return make


@pytest.fixture
def make_image(db):
    from wagtail.images.models import Image

    def make(title="Pilt"):
        buffer = io.BytesIO()
        PILImage.new("RGB", (64, 48), (11, 85, 97)).save(buffer, "PNG")
        return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))

    return make


@pytest.fixture
def coordinator(db):
    user = get_user_model().objects.create_user(
        "koordinaator-test", email="koordinaator@example.org", password="x"
    )
    user.groups.add(Group.objects.get(name=COORDINATORS))
    return user


@pytest.fixture
def harjumaa(db):
    return County.objects.get(slug="harjumaa")
