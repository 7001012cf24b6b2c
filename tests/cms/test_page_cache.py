"""Visitors' public pages come whole from the cache, and any change a visitor could see shows
at once; nothing personal is ever cached. Run on the embedded local-memory cache and on Redis
(the production cache; CI and this machine run it on 127.0.0.1:6379)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from forum import services
from tests import workers

REDIS_URL = workers.redis_url()
CACHES = {
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
}


@pytest.fixture(params=sorted(CACHES), autouse=True)
def cache_backend(request, settings):
    settings.CACHES = {"default": CACHES[request.param]}
    settings.KODA_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield request.param
    cache.clear()


def test_a_visitors_second_request_touches_no_database(client, home, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


def test_a_published_change_shows_at_once(client, make_article):
    article = make_article(title="Vana pealkiri")
    assert "<h1>Vana pealkiri</h1>" in client.get(article.url).content.decode()
    article.title = "Uus pealkiri"
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "<h1>Uus pealkiri</h1>" in html and "<h1>Vana pealkiri</h1>" not in html


def test_an_unpublished_page_is_gone_at_once(client, make_article):
    article = make_article(title="Kohe kaob")
    url = article.url
    assert client.get(url).status_code == 200
    article.unpublish()
    assert client.get(url).status_code == 404


def test_a_signed_in_persons_page_is_never_cached_or_shared(client, roles, home):
    name = '">liige</a>'  # the account link in the header
    client.force_login(roles["liige"])
    assert name in client.get("/").content.decode()
    client.logout()
    client.cookies.clear()
    assert name not in client.get("/").content.decode()
    # And the visitor's cached page is not what a signed-in person gets.
    client.force_login(roles["liige"])
    assert name in client.get("/").content.decode()


def test_a_page_with_a_form_is_not_cached(client, join_page, django_assert_max_num_queries):
    url = join_page.url
    first = client.get(url)
    assert 'name="csrfmiddlewaretoken"' in first.content.decode()
    client.cookies.clear()
    with django_assert_max_num_queries(100) as captured:
        client.get(url)
    assert len(captured) > 0


@pytest.mark.search
def test_the_forum_and_search_are_never_cached(client, home):
    for path in ("/foorum/", reverse("search") + "?q=kool"):
        client.get(path)
        assert not any("foorum" in key or "otsing" in key for key in _page_keys())


def test_a_newly_published_topic_shows_on_the_topics_page(client, roles):
    from cms.models import TopicIndexPage

    index = TopicIndexPage.objects.get(locale__language_code="et")
    coordinator = roles["koordinaator"]
    before = client.get(index.url).content.decode()
    topic = services.create_topic(
        coordinator=coordinator,
        title="Vahetusõpilaste tervisekindlustus",
        summary="Lühikokkuvõte.",
        problem="Probleem.",
    )
    for status in ("working_group", "position_adopted"):
        if status == "position_adopted":
            services.set_position(user=coordinator, topic=topic, text="Seisukoht.")
        services.change_topic_status(coordinator=coordinator, topic=topic, status=status, note="x")
    services.publish_topic(coordinator=coordinator, topic=topic)
    after = client.get(index.url).content.decode()
    assert "Vahetusõpilaste tervisekindlustus" not in before
    assert "Vahetusõpilaste tervisekindlustus" in after


def test_the_cache_can_be_turned_off(client, home, settings, django_assert_max_num_queries):
    settings.KODA_PAGE_CACHE_SECONDS = 0
    client.get("/")
    with django_assert_max_num_queries(100) as captured:
        client.get("/")
    assert len(captured) > 0


def _page_keys():
    if hasattr(cache, "_cache") and isinstance(cache._cache, dict):  # local memory
        return [key for key in cache._cache if "koda:page:" in key]
    return [k.decode() for k in cache._cache.get_client().keys("*koda:page:*")]
