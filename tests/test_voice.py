"""One Estonian voice (issue 20, defect 11): Django's and Wagtail's own strings that people read
say "sina" and "parool" as the site does (koda.voice lists them for the project's catalogue),
and the forum's admin listings have Estonian column names."""

import re
from pathlib import Path

import django
import polib
import pytest
from django.db.models import BooleanField
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext

# Formal address and the word the site does not use.
FORMAL = re.compile(
    r"\b(sisestage|valige|veenduge|teie|teil|teid|olete|kinnitage|parandage|laadige|"
    r"märgistage|kasutage|proovige|kontrollige|näete|lubage|te|teadke|suhelge|küsige|"
    r"deaktiveerige|salasõna\w*)\b",
    re.IGNORECASE,
)
DJANGO = Path(django.__file__).parent
CATALOGUES = [
    DJANGO / "conf/locale/et/LC_MESSAGES/django.po",
    DJANGO / "contrib/auth/locale/et/LC_MESSAGES/django.po",
]
# Formal strings of Django's nobody here reads, with why.
EXEMPT = {
    "Connect, get help, or contribute": "Django's welcome page, DEBUG without URLs only",
    'You are seeing this page because <a href="https://docs.djangoproject.com/en/%(version)s/'
    'ref/settings/#debug" target="_blank" rel="noopener">DEBUG=True</a> is in your settings '
    "file and you have not configured any URLs.": "the same",
    "Enable password-based authentication for this user by setting a password.": (
        "Django's own admin, which the site does not install (Wagtail's is the admin)"
    ),
    "Designates whether this user should be treated as active. Unselect this instead of "
    "deleting accounts.": "the same",
    "Password-based authentication": "the same",
    "Password-based authentication was disabled.": "the same",
    "Change password: %s": "the same",
}


def _formal_entries():
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            text = entry.msgstr or " ".join(entry.msgstr_plural.values())
            if not entry.obsolete and FORMAL.search(text):
                yield entry


def _said(entry) -> str:
    with translation.override("et"):
        if entry.msgid_plural:
            return " ".join(ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2, 5))
        return gettext(entry.msgid)


def test_every_formal_string_of_django_speaks_as_the_site_or_is_exempt():
    entries = list(_formal_entries())
    assert len(entries) > 40  # the catalogues were read
    formal = [
        (entry.msgid, said)
        for entry in entries
        if entry.msgid not in EXEMPT and FORMAL.search(said := _said(entry))
    ]
    assert formal == []
    assert set(EXEMPT) <= {entry.msgid for entry in entries}  # no exemption outlives its string


@pytest.mark.parametrize(
    ("msgid", "said"),
    [
        ("Live", "Avaldatud"),
        ("View live", "Vaata avaldatud lehte"),
        ("Editing %(page_type)s", "Muutmine: %(page_type)s"),
        ("Remember me", "Jäta mind meelde"),
        ("More actions", "Veel tegevusi"),
        ("Email", "E-post"),
    ],
)
def test_wagtails_and_djangos_words_people_noticed(msgid, said):
    with translation.override("et"):
        assert gettext(msgid) == said


@pytest.mark.django_db
def test_the_account_pages_say_sina_and_parool(client, roles):
    reset = client.get(reverse("password_reset")).content.decode()
    assert re.search(r"<label[^>]*>E-post", reset) and ">Email" not in reset
    response = client.post(
        reverse("login"), {"username": "liige", "password": "vale-parool-123"}, follow=True
    )
    page = response.content.decode()
    assert "Sisesta õige kasutajatunnus ja parool" in page
    assert not FORMAL.search(re.sub(r"<[^>]+>", " ", page.split("<main")[1]))


def test_the_forums_admin_listings_name_their_columns_in_estonian():
    from wagtail.admin.ui.tables import BooleanColumn

    from forum.wagtail_hooks import ForumViewSetGroup

    for viewset in ForumViewSetGroup.items:
        names = [*viewset.list_display, *(viewset.__dict__.get("list_filter") or [])]
        for name in names:
            if isinstance(name, BooleanColumn):
                continue
            field = viewset.model._meta.get_field(name)
            where = f"{viewset.model.__name__}.{name}"
            assert isinstance(field.verbose_name, Promise), f"{where} has no translated name"
            with translation.override("en"):
                english = str(field.verbose_name)
            with translation.override("et"):
                assert str(field.verbose_name) != english, f"{where}: not in Estonian"
            if name in viewset.list_display:
                assert not isinstance(field, BooleanField), f"{where}: a BooleanColumn says ✓/✗"


def test_the_projects_own_catalogue_says_sina_throughout():
    catalogue = Path(__file__).parent.parent / "locale/et/LC_MESSAGES/django.po"
    formal = [
        entry.msgid
        for entry in polib.pofile(str(catalogue))
        if not entry.obsolete
        and FORMAL.search(entry.msgstr or " ".join(entry.msgstr_plural.values()))
    ]
    assert formal == []
