from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_urlconf, translate_url
from django.utils.translation import get_language, override
from wagtail.models import Page, Site

from cms import page_cache

register = template.Library()


def _site_root(request):
    """The home page in the active language (cached on the request: every page asks)."""
    if not hasattr(request, "_koda_site_root"):
        site = Site.find_for_request(request)
        request._koda_site_root = site.root_page.localized.specific if site else None
    return request._koda_site_root


@register.simple_tag(takes_context=True)
def site_root(context):
    return _site_root(context["request"])


@register.simple_tag(takes_context=True)
def site_fragment(context):
    """For `{% cache f.seconds name f.key %}` around parts that change only with the pages and
    the site's settings (menu, footer): their generation (cms.page_cache), language and host."""
    request = context["request"]
    key = f"{page_cache.generation.current()}|{get_language()}|{request.get_host()}"
    return {"seconds": settings.KODA_PAGE_CACHE_SECONDS, "key": key}


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    root = _site_root(request)
    page = context.get("page")
    items = root.get_children().live().public().in_menu() if root else Page.objects.none()
    return {
        "root": root,
        "items": [(item, bool(page and page.path.startswith(item.path))) for item in items],
        "request": request,
    }


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if not page or page.depth <= 2:
        return {"ancestors": []}
    return {"ancestors": page.get_ancestors().filter(depth__gte=2), "page": page}


@register.simple_tag(takes_context=True)
def language_links(context):
    """(code, name, url, is_current) for each language: the current page's translation where
    one is published, else that language's home page."""
    request = context["request"]
    page = context.get("page")
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    translations = {}
    if isinstance(page, Page) and page.id:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation.url
        site = Site.find_for_request(request)
        if site:
            for home in (
                site.root_page.get_translations(inclusive=True).live().select_related("locale")
            ):
                translations.setdefault(home.locale.language_code, home.url)
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code) or _translated(
            request.get_full_path(), get_language(), code, get_urlconf() or settings.ROOT_URLCONF
        )
        links.append((code, name, url, code == current))
    return links


@lru_cache(maxsize=1024)
def _translated(path: str, language: str, code: str, urlconf) -> str:
    """`path`, read in `language`, in language `code`: resolving and reversing it costs a tenth
    of a forum page, and the answer depends on nothing but the address and the URLconf."""
    with override(language):
        return translate_url(path, code)
