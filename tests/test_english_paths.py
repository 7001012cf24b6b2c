"""The site's own paths are English under /en/ (issue 20, defect 10) and stay as they were in
Estonian, the stable contract: every route of the forum, the accounts and the search is read in
both languages here."""

import re

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import translation
from koda.english_paths import WORDS

CONVERTER = re.compile(r"^(<[^>]+>[.-]?)+$")
OWN = ("forum.", "koda.auth_urls", "search.", "cms.feeds")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            module = getattr(pattern.urlconf_module, "__name__", "")
            if module.startswith(OWN) or pattern.namespace == "forum":
                yield from _routes(pattern.url_patterns, route)
        else:
            callback = getattr(pattern.callback, "__module__", "") or ""
            view_class = getattr(pattern.callback, "view_class", None)
            if callback.startswith(OWN) or (view_class and view_class.__module__.startswith(OWN)):
                yield route
            elif route.startswith(("konto/", "account/")):
                yield route  # Django's own account views, on the site's routes


def _site_routes():
    (i18n,) = [
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver)
        and str(p.pattern).strip("/") not in ("admin", "documents", "i18n")
    ]
    return list(_routes(i18n.url_patterns))


def test_every_route_of_the_site_is_english_under_en():
    english = set(WORDS.values())
    with translation.override("en"):
        routes = _site_routes()
    assert len(routes) > 80
    for route in routes:
        for part in filter(None, route.split("/")):
            assert CONVERTER.match(part) or part in english, f"{route}: “{part}” is not English"


def test_the_estonian_routes_stay_as_they_were():
    with translation.override("et"):
        assert reverse("forum:issue_create") == "/foorum/uus/"
        assert reverse("forum:comment_delete", args=[5]) == "/foorum/kommentaar/5/kustuta/"
        assert reverse("login") == "/konto/sisene/"
        assert reverse("search") == "/otsing/"
        assert set(_site_routes()) >= {"foorum/arutelud/uus/", "konto/parool/saadetud/"}
    with translation.override("en"):
        assert reverse("forum:issue_create") == "/en/forum/new/"
        assert reverse("login") == "/en/account/sign-in/"
        assert reverse("search") == "/en/search/"
        assert reverse("article_feed_rss") == "/en/news.rss"


@pytest.mark.search
def test_english_pages_answer_at_their_english_paths(client, db):
    assert client.get("/en/search/", {"q": "join"}).status_code == 200
    assert client.get("/en/account/sign-in/").status_code == 200
    assert client.get("/otsing/", {"q": "liitu"}).status_code == 200
    assert client.get("/konto/sisene/").status_code == 200
