"""The public site as the forum sees it. The forum puts things there (a published topic's page,
drafts of a training or an article) without importing it: the public site registers how when it
starts (cms.apps), so the dependency runs one way, from the public site to the forum."""

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class PublicSite(Protocol):
    def topic_url(self, topic, request) -> str | None:
        """The published topic's page in the active language; None where the site has no page
        for advocacy topics in it."""

    def draft_event(self, *, discussion, coordinator):
        """An unpublished training page drafted from a training need; raises ValidationError
        with what the coordinator can do where the site has no place for it."""

    def draft_article(self, *, discussion, coordinator):
        """An unpublished article drafted from a good practice; raises ValidationError like
        draft_event."""


_site: PublicSite | None = None


def register(site: PublicSite) -> None:
    global _site
    _site = site


def public_site() -> PublicSite:
    if _site is None:
        raise ImproperlyConfigured("No public site is registered (cms.apps registers one).")
    return _site
