"""The public site's pages, cached whole for visitors.

A visitor (no session, no pending message) asking for a public page gets the response that the
last visitor got, straight from Django's cache, before sessions, authentication or the database
are touched. Only the public site's own responses are stored (Wagtail's pages, feeds, the
sitemap), only when they are plain 200s that set no cookie and carry no CSRF token (forms), so
nothing personal is ever shared.

Invalidation is by generation: every cached key carries the current generation number, and any
change that can alter a public page (a page published or edited, a topic published or signed,
an organisation joining, a partner, the site settings, an image, a redirect) bumps it, which
orphans every cached page at once; the orphans expire on their own. The key also carries the
forum's generation, which every write to the forum's tables moves (forum.members.generation):
published topics show their reach, counted from the forum's issues and "we see this too" at
each reading, and no list of the models it counts could be kept complete. Entries also expire after
KODA_PAGE_CACHE_SECONDS, which bounds what time alone changes (upcoming events). With Redis
(CACHE_URL) all workers share the cache and its generation; the embedded local-memory cache is
per process, so another worker may serve a page up to that many seconds old.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from koda.generations import Generation, read_many

from forum.members.generation import generation as forum_generation

generation = Generation("koda:pages:generation")
CACHED_VIEWS = {"wagtail_serve", "article_feed_rss", "article_feed_atom", "topic_feed_rss"}
CACHED_VIEWS |= {"sitemap", "robots_txt"}
# Paths that are never public pages: not even looked up.
UNCACHED_PREFIXES = ("/foorum/", "/konto/", "/otsing/", "/admin/", "/documents/", "/i18n/")
# Models whose changes show on public pages (besides every model of the cms app).
PUBLIC_MODELS = {
    "wagtailcore.page",
    "wagtailcore.site",
    "wagtailcore.pageviewrestriction",  # a page made private leaves the cache at once
    "wagtailimages.image",
    "wagtailredirects.redirect",
    "forum.organization",
    "forum.advocacytopic",
    "forum.topicposition",
    "forum.topicsignature",
    "forum.topicevent",
    "forum.theme",
}


def invalidate() -> None:
    """Orphan every cached public page (call after any change a visitor could see)."""
    generation.bump()


def _on_change(sender, **kwargs) -> None:
    label = sender._meta.label_lower
    if sender._meta.app_label == "cms" or label in PUBLIC_MODELS:
        invalidate()


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="koda-page-cache-save")
    post_delete.connect(_on_change, dispatch_uid="koda-page-cache-delete")


def _is_visitor(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request) -> str:
    read_many([])  # both numbers in one round trip
    numbers = f"{generation.current()}:{forum_generation.current()}"
    return f"koda:page:{numbers}:{request.get_host()}:{request.get_full_path()}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._may_use_cache(request):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if self._may_store(request, response):
            cache.set(key, response, settings.KODA_PAGE_CACHE_SECONDS)
        return response

    def _may_use_cache(self, request) -> bool:
        if not settings.KODA_PAGE_CACHE_SECONDS or request.method != "GET":
            return False
        if not _is_visitor(request):
            return False
        path = request.path
        if path.startswith("/en/"):
            path = path[3:]
        return not path.startswith(UNCACHED_PREFIXES)

    def _may_store(self, request, response) -> bool:
        match = getattr(request, "resolver_match", None)
        return (
            match is not None
            and match.url_name in CACHED_VIEWS
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_USED")
            and "private" not in response.get("Cache-Control", "")
        )
