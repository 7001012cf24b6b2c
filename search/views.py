import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Locale, Page

MAX_QUERY_LENGTH = 200


def _words(query: str) -> str:
    # A plain-text search matches words; punctuation means nothing to it and only trips the
    # query syntax of some backends (an unbalanced quote in SQLite's FTS5, for one).
    return " ".join(re.findall(r"\w+", query[:MAX_QUERY_LENGTH]))


def search(request):
    """The site search: public pages of the current language."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    if words := _words(query):
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        results = Paginator(pages.search(words), 10).get_page(request.GET.get("page"))
    elif query:
        results = Paginator(Page.objects.none(), 10).get_page(1)
    return render(
        request,
        "search/search.html",
        {"query": query, "results": results, "page_query": urlencode({"q": query})},
    )
