"""Shared fixtures. The demo content is loaded once per test session through the real loader
(which calls the real services); every test runs in a transaction rolled back afterwards."""

import importlib
import io
import shutil
from pathlib import Path

import hypothesis
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis.database import DirectoryBasedExampleDatabase
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.models import ArticleIndexPage, ArticlePage, EventIndexPage, HomePage, JoinPage
from forum.members.roles import COORDINATORS
from forum.models import County
from tests import search_guard

# modelsearch's backend suite runs on its own settings (see the Makefile).
collect_ignore = ["conformance"]

# Hypothesis, for the fuzz tests of the forms (tests/forum/test_bad_input.py, test_fuzz_*.py).
# "koda", the default: 25 generated examples per test, after the explicit @example cases that
# keep the inputs which once found a fault. An example that fails is kept in var/hypothesis and
# tried first on the next run in that checkout, until it passes. "thorough" generates ten times
# as many, for a change to a form: `make test PYTEST_ARGS=--hypothesis-profile=thorough`.
_FUZZ = {
    "deadline": None,  # a request's time is not under test
    # The fixtures are the test's objects, shared by its examples on purpose.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "database": DirectoryBasedExampleDatabase(Path(__file__).parents[1] / "var" / "hypothesis"),
}
hypothesis.settings.register_profile("koda", max_examples=25, **_FUZZ)
hypothesis.settings.register_profile("thorough", max_examples=250, **_FUZZ)
hypothesis.settings.load_profile("koda")


# The search in the database: on PostgreSQL the project's backend there, with the Estonian
# analysis (search/backends/postgres.py); on SQLite modelsearch's FTS5 backend, which has none.
DATABASE_SEARCH = {
    "BACKEND": "search.backends.postgres"
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    else "wagtail.search.backends.database"
}


def search_backends(path) -> dict:
    """The site's search settings with the index at `path`. Tests run in a transaction that
    never commits, so the index is written at once instead of after the commit."""
    backend = dict(settings.WAGTAILSEARCH_BACKENDS["default"], PATH=str(path), AFTER_COMMIT=False)
    return {"default": backend}


@pytest.fixture(scope="session")
def search_index_template(tmp_path_factory):
    return tmp_path_factory.mktemp("search-index")


@pytest.fixture(scope="session")
def media_template(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


# The sizes the site's templates ask of an illustration: made once with the demo, so a page
# render reads a rendition instead of resizing the original in each test.
RENDITIONS = ("fill-640x360", "width-960", "fill-1200x630")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, search_index_template, media_template):
    # The demo content goes into both the Whoosh index (copied for each test that searches) and
    # modelsearch's database backend (rows in the test database), for the tests that run on
    # either. It is loaded without indexing object by object (a Whoosh commit per save, most of
    # the loader's time) and indexed once at the end, as `make demo` does.
    loading = {
        "default": dict(search_backends(search_index_template)["default"], AUTO_UPDATE=False),
        "database": dict(DATABASE_SEARCH, AUTO_UPDATE=False),
    }
    backends = {**search_backends(search_index_template), "database": DATABASE_SEARCH}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_template):
        with override_settings(WAGTAILSEARCH_BACKENDS=loading):
            call_command("load_demo", stdout=io.StringIO())
            for image in get_image_model().objects.all():
                image.get_renditions(*RENDITIONS)
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            call_command("update_index", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _search_index(request):
    """A test marked `search` gets its own copy of the index of the demo content (what one test
    indexes must not show in another, as its database rows do not). Any other test runs without
    an index: nothing it saves is indexed, and reaching the index fails it (search_guard.py)."""
    if "django_db_setup" not in request.fixturenames:
        yield
        return
    settings_fixture = request.getfixturevalue("settings")
    if request.node.get_closest_marker("search") or "search_backend" in request.fixturenames:
        template = request.getfixturevalue("search_index_template")
        request.getfixturevalue("django_db_setup")  # the template is filled first
        path = request.getfixturevalue("tmp_path") / "search-index"
        shutil.copytree(template, path)
        settings_fixture.WAGTAILSEARCH_BACKENDS = search_backends(path)
        yield
        return
    settings_fixture.WAGTAILSEARCH_BACKENDS = search_guard.OFF
    search_guard.SearchBackend.uses.clear()
    yield
    if search_guard.SearchBackend.uses:
        pytest.fail(
            f"This test used the search index ({', '.join(search_guard.SearchBackend.uses)}) "
            "but is not marked `search`: mark it @pytest.mark.search so that it gets one."
        )


@pytest.fixture(params=["whoosh", "database"])
def search_backend(request, settings):
    """Runs a test with the site's Whoosh backend and again with modelsearch's database one
    (a test using it searches, marked or not)."""
    if request.param == "database":
        settings.WAGTAILSEARCH_BACKENDS = {"default": DATABASE_SEARCH}
    return request.param


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory, request):
    # Each test its own media folder (outside tmp_path, which some tests make theirs), holding
    # a copy of the demo's images when it uses the database.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media", numbered=True)
    if "django_db_setup" in request.fixturenames:
        request.getfixturevalue("django_db_setup")  # the template is filled first
        shutil.copytree(
            request.getfixturevalue("media_template"), settings.MEDIA_ROOT, dirs_exist_ok=True
        )
    # Hashing strength is not under test; the default hasher costs a second per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The cache outlives a test: each starts empty. Visitors' pages are not served from it
    # (tests/cms/test_page_cache.py turns that on), so query counts measure the pages' own work.
    from django.core.cache import cache

    cache.clear()
    settings.KODA_PAGE_CACHE_SECONDS = 0
    settings.KODA_FORUM_CACHE_SECONDS = 0  # tests/forum/test_forum_cache.py turns it on
    settings.KODA_RATE_LIMITS = {}  # fuzz tests post hundreds of times; tests/security sets limits
    # A request to /en/ leaves English active in this thread; every test starts in Estonian.
    with translation.override(settings.LANGUAGE_CODE):
        yield


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


# Forum -----------------------------------------------------------------------------------------


@pytest.fixture
def organizations(db):
    """The demo's member organisations by slug (paikesekiir, emajoe-noored, ...)."""
    from forum.models import Organization

    if not Organization.objects.members().exists():
        # Transactional tests run last, and each empties the database when it ends, the
        # migrations' data and the demo with it: the next one gets back what the forum's tests
        # stand on (counties, themes, groups from the data migrations; the organisations).
        from django.apps import apps
        from koda.demo.forum import load_organizations

        for migration in ("0002_counties_and_groups", "0004_themes_and_age_groups"):
            importlib.import_module(f"forum.migrations.{migration}").load(apps, None)
        load_organizations()
    return {o.slug: o for o in Organization.objects.members()}


@pytest.fixture
def make_member(db, organizations):
    """A person with an active membership (member role unless told) in an organisation."""
    from forum.models import Membership

    counter = iter(range(1, 10_000))

    def make(username=None, *, organization="paikesekiir", role=Membership.Role.MEMBER, **fields):
        username = username or f"inimene{next(counter)}"
        org = organizations[organization] if isinstance(organization, str) else organization
        user = get_user_model().objects.create_user(
            username, email=f"{username}@example.org", password="demo", **fields
        )
        Membership.objects.create(user=user, organization=org, role=role)
        return user

    return make


@pytest.fixture
def roles(db, make_member, organizations, coordinator):
    """One user for every role of DESIGN.md, named as the demo accounts are, plus a deactivated
    member and a member of a former organisation."""
    from forum.models import Membership, Organization

    User = get_user_model()
    editor = User.objects.create_user(
        "toimetaja", email="toimetaja@example.org", password="demo", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    former_org = organizations["laanemaa-pere"]
    former = make_member("endine", organization=former_org)
    # Saved, not updated: the search index learns it as it does from the admin.
    former_org.status = Organization.Status.FORMER
    former_org.save(update_fields=["status"])
    return {
        "liige": make_member("liige", organization="paikesekiir"),
        "liige2": make_member("liige2", organization="emajoe-noored"),
        "esindaja": make_member(
            "esindaja", organization="paikesekiir", role=Membership.Role.REPRESENTATIVE
        ),
        "koordinaator": coordinator,
        "toimetaja": editor,
        "admin": User.objects.create_superuser("admin", email="admin@example.org", password="demo"),
        "deactivated": make_member("deaktiveeritud", organization="paikesekiir", is_active=False),
        "former": former,
    }


@pytest.fixture
def make_issue(db, make_member):
    """An issue posted through the real service (by a new member of paikesekiir unless told)."""
    from forum.members.permissions import member_organizations
    from forum.models import Theme
    from forum.services import post_issue

    def make(title="Koolibuss ei sobi koolipäevaga", *, author=None, body="Kirjeldus.", **fields):
        author = author or make_member()
        fields.setdefault("theme", Theme.objects.get(slug="haridus"))
        fields.setdefault("organization", member_organizations(author)[0])
        return post_issue(author=author, title=title, body=body, **fields)

    return make


@pytest.fixture
def make_discussion(db, make_member):
    """A discussion started through the real service (a question by a new member of paikesekiir
    unless told); `details` holds the kind's own fields."""
    from forum.members.permissions import member_organizations
    from forum.models import Discussion
    from forum.services import post_discussion

    def make(
        title="Kuidas korraldada vanemate infotundi?",
        *,
        kind=Discussion.Kind.QUESTION,
        author=None,
        body="Kuidas teised on seda teinud?",
        **fields,
    ):
        author = author or make_member()
        fields.setdefault("organization", member_organizations(author)[0])
        return post_discussion(author=author, kind=kind, title=title, body=body, **fields)

    return make
