"""RSS and Atom feeds of the public articles (news and positions), and an RSS feed of the
published advocacy topics, in the current language."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale, Site

from forum.models import AdvocacyTopic

from .models import ArticlePage, TopicIndexPage

FEED_SIZE = 20


class ArticleRssFeed(Feed):
    # One instance serves every request, so per-request state travels as `obj` (the request).
    def get_object(self, request, *args, **kwargs):
        return request

    def title(self, request):
        return _("Lapse Huvikaitse Koda: news and positions")

    def description(self, request):
        return _("News and positions of the Estonian Child Advocacy Chamber.")

    subtitle = description

    def link(self, request):
        site = Site.find_for_request(request)
        return site.root_page.localized.get_url(request) if site else "/"

    def feed_url(self, request):
        return reverse("article_feed_atom" if self.feed_type is Atom1Feed else "article_feed_rss")

    def items(self, request):
        return (
            ArticlePage.objects.live()
            .public()
            .filter(locale__in=Locale.objects.filter(language_code=get_language()))
            .prefetch_related("tags")
            .order_by("-date", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time()))

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class ArticleAtomFeed(ArticleRssFeed):
    feed_type = Atom1Feed


class TopicRssFeed(Feed):
    """The published advocacy topics, newest first, linking to their pages in the current
    language (the topics themselves are in Estonian)."""

    # One instance serves every request: the language's topics page travels as `obj`.
    def get_object(self, request, *args, **kwargs):
        page = TopicIndexPage.for_active_language()
        if page is None:
            raise Http404
        return page

    def title(self, page):
        return _("Lapse Huvikaitse Koda: advocacy topics")

    def description(self, page):
        return _(
            "The positions the Estonian Child Advocacy Chamber's network has taken on issues "
            "affecting children, and what became of them."
        )

    def link(self, page):
        return page.url

    def feed_url(self, page):
        return reverse("topic_feed_rss")

    def items(self, page):
        topics = list(
            AdvocacyTopic.objects.published()
            .defer("problem", "problem_html", "position", "position_html")
            .order_by("-published_at", "-pk")[:FEED_SIZE]
        )
        # item_link() is given the item alone, so each topic carries its page's address.
        page.add_public_urls(topics)
        return topics

    def item_title(self, topic):
        return topic.title

    def item_description(self, topic):
        return topic.summary

    def item_link(self, topic):
        return topic.public_url

    def item_pubdate(self, topic):
        return topic.published_at
