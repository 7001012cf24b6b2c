"""Builds the public page tree from page_content: Estonian at the site root, English as its
translation. Pages that already exist are left as editors made them, so loading is idempotent."""

import datetime
import json
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from cms.models import (
    ArticleIndexPage,
    ArticlePage,
    ContactSettings,
    EventIndexPage,
    EventPage,
    HomePage,
    JoinPage,
    MemberDirectoryPage,
    Partner,
    PartnersPage,
    StandardPage,
    TopicIndexPage,
)

from . import page_content as content

LANGUAGES = ("et", "en")
ILLUSTRATIONS = Path(__file__).parent / "illustrations"


def _illustration(name):
    """The demo illustration `name` in the image library, added once."""
    Image = get_image_model()
    title = f"Illustratsioon: {name}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        with open(ILLUSTRATIONS / f"{name}.webp", "rb") as source:
            image = Image(title=title, file=File(source, name=f"{name}.webp"))
            image.save()
    return image


def _with_illustration(fields, slug, language):
    """`fields` with the image and its alternative text of the page whose Estonian slug is
    `slug`, if it has one."""
    if slug not in content.ILLUSTRATIONS:
        return fields
    name, alt = content.ILLUSTRATIONS[slug]
    return dict(fields, image=_illustration(name), image_alt=alt[language])


def _ensure_page(parent, model, *, slug, locale, original=None, **fields):
    """The child of `parent` with `slug`, created and published if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    if isinstance(fields.get("body"), list):
        fields["body"] = json.dumps(fields["body"])
    tags = fields.pop("tags", [])
    # Sections of the site appear in the main menu; articles and events are reached from them.
    in_menu = parent.depth == 2 and model not in (ArticlePage, EventPage)
    page = model(slug=slug, locale=locale, show_in_menus=in_menu, **fields)
    if tags:
        page.tags.add(*tags)
    if original is not None:
        page.translation_key = original.translation_key
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translated(pages_by_language, parents, model, texts, **shared):
    """Create the page in each language under that language's parent."""
    original = None
    for language in LANGUAGES:
        fields = _with_illustration(dict(texts[language], **shared), texts["et"]["slug"], language)
        slug = fields.pop("slug")
        page = _ensure_page(
            parents[language],
            model,
            slug=slug,
            locale=pages_by_language["locales"][language],
            original=original,
            **fields,
        )
        original = original or page
        pages_by_language.setdefault(model.__name__, {})[language] = page
    return pages_by_language[model.__name__]


@transaction.atomic
def load_site() -> dict:
    locales = {
        language: Locale.objects.get_or_create(language_code=language)[0] for language in LANGUAGES
    }
    root = Page.get_first_root_node()
    # Wagtail's own placeholder page ("Welcome to your new Wagtail site!") makes way.
    for placeholder in root.get_children().filter(content_type__model="page"):
        Site.objects.filter(root_page=placeholder).delete()
        placeholder.delete()

    pages = {"locales": locales}
    homes = {}
    for language in LANGUAGES:
        texts = dict(content.HOME[language])
        homes[language] = _ensure_page(
            root,
            HomePage,
            slug=f"home-{language}",
            locale=locales[language],
            original=homes.get("et"),
            **texts,
        )
    # The site's address (for canonical, feed and sitemap links) is where the admin says it
    # lives, also when `make run` serves another port than last time.
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    where = {
        "hostname": address.hostname,
        "port": address.port or (443 if address.scheme == "https" else 80),
    }
    site, _ = Site.objects.get_or_create(
        is_default_site=True,
        defaults={**where, "root_page": homes["et"], "site_name": "Lapse Huvikaitse Koda"},
    )
    if (site.hostname, site.port) != (where["hostname"], where["port"]):
        site.hostname, site.port = where["hostname"], where["port"]
        site.save(update_fields=["hostname", "port"])
    contact, _ = ContactSettings.objects.get_or_create(
        site=site,
        defaults={
            "organization_name": "MTÜ Lapse Huvikaitse Koda",
            "email": "info@example.org",
            "address": "Tallinn, Eesti",
            "address_en": "Tallinn, Estonia",
        },
    )
    if not contact.address_en and contact.address == "Tallinn, Eesti":  # loaded before it had one
        contact.address_en = "Tallinn, Estonia"
        contact.save(update_fields=["address_en"])

    _translated(pages, homes, StandardPage, content.ABOUT)
    joins = _translated(pages, homes, JoinPage, content.JOIN)
    for language in LANGUAGES:
        home = homes[language]
        if home.join_page_id is None:
            home.join_page = joins[language]
            home.save_revision().publish()
    news = _translated(pages, homes, ArticleIndexPage, content.NEWS_INDEX)
    _translated(pages, homes, TopicIndexPage, content.TOPICS_INDEX)
    events = _translated(pages, homes, EventIndexPage, content.EVENTS_INDEX)
    _translated(pages, homes, MemberDirectoryPage, content.MEMBERS_PAGE)
    _translated(pages, homes, PartnersPage, content.PARTNERS_PAGE)

    today = timezone.localdate()
    for days, kind, tags, texts in content.ARTICLES:
        original = None
        for language in LANGUAGES:
            title, slug, lead, paragraphs = texts[language]
            fields = {
                "title": title,
                "lead": lead,
                "search_description": lead,
                "date": today + datetime.timedelta(days=days),
                "kind": kind,
                "body": [content.p(*paragraphs)],
                "tags": [content.TAGS_EN[t] for t in tags] if language == "en" else tags,
            }
            article = _ensure_page(
                news[language],
                ArticlePage,
                slug=slug,
                locale=locales[language],
                original=original,
                **_with_illustration(fields, texts["et"][1], language),
            )
            original = original or article

    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for days, hours, online, texts in content.EVENTS:
        original = None
        start = (now + datetime.timedelta(days=days)).replace(hour=10)
        for language in LANGUAGES:
            title, slug, lead, location, registration = texts[language]
            illustrated = _with_illustration({}, texts["et"][1], language)
            event = _ensure_page(
                events[language],
                EventPage,
                slug=slug,
                locale=locales[language],
                original=original,
                **illustrated,
                title=title,
                lead=lead,
                search_description=lead,
                start=start,
                end=start + datetime.timedelta(hours=hours),
                online=online,
                location=location,
                registration_info=registration,
                # The registration the page's text promises: an address to write to.
                registration_email="koolitused@example.org",
                registration_deadline=(start - datetime.timedelta(days=7)).date()
                if days > 0
                else None,
            )
            original = original or event

    for order, texts, website in content.PARTNERS:
        original = None
        for language in LANGUAGES:
            name, country, description = texts[language]
            partner = Partner.objects.filter(locale=locales[language], name=name).first()
            if partner is None:
                partner = Partner(
                    locale=locales[language],
                    name=name,
                    country=country,
                    description=description,
                    website=website,
                    sort_order=order,
                )
                if original is not None:
                    partner.translation_key = original.translation_key
                partner.save()
            original = original or partner
    return pages
