"""Security headers as a browser receives them: the Content-Security-Policy on public, forum
and admin pages, the production transport and cookie settings, and templates without inline
script (which the policy would block)."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse

from tests.test_project import PRODUCTION, run_manage

ROOT = Path(__file__).resolve().parents[2]
# Every folder of templates: the apps' and each forum room's (forum/<room>/templates).
TEMPLATE_DIRS = [*ROOT.glob("*/templates"), *ROOT.glob("forum/*/templates")]
# <script> types that hold data, which browsers never execute.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# What the site's strict policy must say (the admin loosens only KODA_ADMIN_CSP_REPLACE).
STRICT = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.status_code} without a Content-Security-Policy"
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: set(values) for name, *values in directives}


def assert_strict(response):
    directives = policy(response)
    for name, values in STRICT.items():
        assert directives.get(name) == values, (name, directives.get(name))
    assert directives["img-src"] <= {"'self'", "data:"}


# Content-Security-Policy -------------------------------------------------------------------


@pytest.mark.search
@pytest.mark.django_db
def test_public_pages_carry_the_strict_policy(client, settings, home, make_article):
    article = make_article("Lapse arvamus loeb")
    settings.KODA_PAGE_CACHE_SECONDS = 300  # a page from the visitors' cache has it too
    urls = [
        "/",
        "/",
        article.url,
        article.url,
        "/en/",
        reverse("search") + "?q=laps",
        reverse("login"),
        reverse("article_feed_rss"),
        "/lehte-ei-ole/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_strict(response)


@pytest.mark.django_db
def test_forum_pages_carry_the_strict_policy(client, make_member, make_issue, make_discussion):
    member = make_member()
    issue = make_issue(author=member)
    discussion = make_discussion(author=member)
    client.force_login(member)
    for name, args in [
        ("forum:issue_list", []),
        ("forum:issue_detail", [issue.pk]),
        ("forum:issue_create", []),
        ("forum:topic_list", []),
        ("forum:discussion_list", []),
        ("forum:discussion_detail", [discussion.pk]),
        ("forum:notifications", []),
        ("forum:profile", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert_strict(response)


@pytest.mark.django_db
def test_admin_loosens_only_what_wagtail_needs(client, settings, home):
    editor = get_user_model().objects.create_user("toimetaja-csp", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    loosened = {name: set(values) for name, values in settings.KODA_ADMIN_CSP_REPLACE.items()}
    # Wagtail 8 runs inline script in its editors; nothing may come from another origin, and
    # only the admin's own pages may frame it (its preview).
    assert loosened["script-src"] == {"'self'", "'unsafe-inline'"}
    assert loosened["frame-ancestors"] == {"'self'"}
    for url in [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[home.pk]),
        reverse("wagtailadmin_pages:edit", args=[home.pk]),
        reverse("wagtailimages:index"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == {**STRICT, "img-src": {"'self'", "data:"}, **loosened}, url


@pytest.mark.django_db
def test_policy_header_on_server_errors(client):
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF="tests.security.failing_urls"):
        response = client.get("/fails/")
    assert response.status_code == 500
    assert_strict(response)
    # The error page's stylesheet is linked, as the policy allows no inline style.
    assert b"<style" not in response.content
    assert b"/static/css/error.css" in response.content


# Production transport and cookies ------------------------------------------------------------


@pytest.fixture(scope="module")
def production_settings(tmp_path_factory):
    """The security settings as production computes them (DJANGO_DEBUG=false)."""
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SAMESITE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_REFERRER_POLICY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        "X_FRAME_OPTIONS",
    ]
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {names!r}}}))"
    )
    result = run_manage(
        "shell", "-c", code, env=PRODUCTION, tmp_path=tmp_path_factory.mktemp("production")
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.mark.django_db
def test_production_headers_and_cookies(client, production_settings, home, make_member):
    member = make_member()
    with override_settings(**production_settings, ALLOWED_HOSTS=["koda.example.org"]):
        insecure = client.get("/", HTTP_HOST="koda.example.org")
        assert insecure.status_code == 301
        assert insecure["Location"] == "https://koda.example.org/"

        response = client.get("/", HTTP_HOST="koda.example.org", secure=True)
        assert response.status_code == 200
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert_strict(response)

        sign_in = client.get(reverse("login"), HTTP_HOST="koda.example.org", secure=True)
        assert sign_in.cookies["csrftoken"]["secure"]
        signed_in = client.post(
            reverse("login"),
            {"username": member.username, "password": "demo"},
            HTTP_HOST="koda.example.org",
            secure=True,
        )
        assert signed_in.status_code == 302
        session = signed_in.cookies["sessionid"]
        assert session["secure"] and session["httponly"]

        switched = client.post(
            "/i18n/setlang/",
            {"language": "en", "next": "/en/"},
            HTTP_HOST="koda.example.org",
            secure=True,
        )
        language = switched.cookies[settings.LANGUAGE_COOKIE_NAME]
        assert language["secure"] and language["samesite"] == "Lax"


# Templates -------------------------------------------------------------------------------------


class InlineScriptFinder(HTMLParser):
    """Collects what the policy would block: inline executable <script>, on* handler
    attributes and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        script_type = (attributes.get("type") or "").strip().lower()
        if tag == "script" and "src" not in attributes and script_type not in DATA_SCRIPT_TYPES:
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= handler at line {self.getpos()[0]}")
            if value and re.match(r"\s*javascript:", value, re.IGNORECASE):
                self.found.append(f"javascript: URL at line {self.getpos()[0]}")


def inline_script(template_source: str) -> list[str]:
    # Template tags become spaces and variables a placeholder, so that markup built with
    # {% if %} still parses into its tags and attributes.
    source = re.sub(r"\{%.*?%\}|\{#.*?#\}", " ", template_source, flags=re.DOTALL)
    source = re.sub(r"\{\{.*?\}\}", "x", source, flags=re.DOTALL)
    finder = InlineScriptFinder()
    finder.feed(source)
    finder.close()
    return finder.found


def test_the_template_check_finds_inline_script():
    assert inline_script('<script src="{% static "a.js" %}" defer></script>') == []
    assert inline_script('<script type="application/json">{"a": 1}</script>') == []
    assert len(inline_script("<script>alert(1)</script>")) == 1
    assert len(inline_script('<button{% if x %} onclick="go()"{% endif %}>')) == 1
    assert len(inline_script('<a href=" JavaScript:go()">')) == 1
    assert len(inline_script('<script type="module">go()</script>')) == 1


def test_no_template_has_inline_script():
    templates = [path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")]
    assert len(templates) > 50
    found = {
        str(path.relative_to(ROOT)): problems
        for path in templates
        if (problems := inline_script(path.read_text()))
    }
    assert found == {}
