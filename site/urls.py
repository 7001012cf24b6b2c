import os
import sys

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import Http404
from django.urls import include, path
from django.views import defaults
from django.views.generic import TemplateView
from koda import db_faults
from koda.english_paths import localized
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.feeds import ArticleAtomFeed, ArticleRssFeed, TopicRssFeed
from cms.sitemaps import AllLanguagesSitemap
from search import views as search_views


def no_forum_tags(request, model_name):
    raise Http404


urlpatterns = [
    # Wagtail's tag autocomplete lists any tag model's words to anyone in the admin: the
    # forum's tags (forum.ForumTag) are not the admin's to list.
    path("admin/tag-autocomplete/forum/<slug:model_name>/", no_forum_tags),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": AllLanguagesSitemap}}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Estonian, the default language, has no prefix; English lives under /en/.
urlpatterns += i18n_patterns(
    path(localized("otsing/"), search_views.search, name="search"),
    path(localized("otsing/soovitused/"), search_views.suggestions, name="search_suggestions"),
    path(localized("foorum/"), include("forum.urls")),
    path(localized("konto/"), include("koda.auth_urls")),
    path(localized("uudised.rss"), ArticleRssFeed(), name="article_feed_rss"),
    path(localized("uudised.atom"), ArticleAtomFeed(), name="article_feed_atom"),
    path(localized("teemad.rss"), TopicRssFeed(), name="topic_feed_rss"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)


def media_urlpatterns():
    """Media served by Django in DEBUG: images only. Documents (forum attachments among them)
    go through Wagtail's serve view and its permission checks, never /media/documents/."""
    from django.conf.urls.static import static

    patterns = []
    for folder in ("original_images/", "images/"):
        patterns += static(
            settings.MEDIA_URL + folder, document_root=os.path.join(settings.MEDIA_ROOT, folder)
        )
    return patterns


if settings.DEBUG:
    urlpatterns = media_urlpatterns() + urlpatterns


def server_error(request):
    """Django's 500 page, except for a database briefly unavailable outside a view (saving the
    session after a sign-in, say): the same 503 as inside one (koda.db_faults)."""
    if isinstance(sys.exc_info()[1], db_faults.TRANSIENT):
        return db_faults.unavailable(request)
    return defaults.server_error(request)


handler500 = server_error
