import logging
import re
from urllib.parse import urlencode

from django.core.cache.utils import make_template_fragment_key
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from wagtail.search.backends import get_search_backend

from cms import page_cache
from forum.members import cache as forum_cache
from forum.models import County, ForumTag, Theme

from . import estonian
from .backends.whoosh.storage import SearchIndexUnavailable
from .highlight import highlight, query_terms, snippet
from .sources import scope, sources_for

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
PER_PAGE = 10
# The list of every kind holds each kind's best this many (five pages); a kind chosen as a
# filter pages through all of its results.
RANKED_PER_KIND = 50
FACET_VALUES = 12
AUTOCOMPLETE_RESULTS = 8
FACET_MODELS = {"county": County, "theme": Theme, "tag": ForumTag}


def _words(query: str) -> tuple[str, int]:
    """The query's words, and how many different ones were left out. A plain-text search
    matches words; punctuation means nothing to it and only trips the query syntax of some
    backends (an unbalanced quote in SQLite's FTS5, for one). A word counts once whatever its
    case, and at most MAX_WORDS are searched for: each costs a lookup in every field."""
    seen, words = set(), []
    for word in re.findall(r"\w+", query[:MAX_QUERY_LENGTH]):
        if word.lower() not in seen:
            seen.add(word.lower())
            words.append(word)
    return " ".join(words[:MAX_WORDS]), max(0, len(words) - MAX_WORDS)


def _facet_labels(facet, keys) -> dict:
    """The labels of a facet's values, in one query at most."""
    if facet.choices is not None:
        return {key: facet.choices(key).label for key in keys if key in facet.choices.values}
    return FACET_MODELS[facet.name].objects.in_bulk(keys)


class SiteSearch:
    """One search over every source the reader may read."""

    def __init__(self, request, words: str):
        self.request = request
        self.backend = get_search_backend()
        self.words = words

    # Worked out only when the results are not in the cache.
    @cached_property
    def sources(self):
        return sources_for(self.request.user)

    @cached_property
    def selected_facets(self) -> dict:
        selected = {}
        for source, _queryset in self.sources:
            for facet in source.facets:
                value = facet.clean(self.request.GET.get(facet.name))
                if value is not None:
                    selected[facet] = value
        return selected

    def results(self, queryset, words=None, facets=None):
        for facet, value in (facets or {}).items():
            queryset = queryset.filter(**{facet.field: value})
        return self.backend.search(words or self.words, queryset, operator="and")

    def counts(self, words=None) -> dict[str, int]:
        return {
            source.key: self.results(queryset, words, self._facets_of(source)).count()
            for source, queryset in self.sources
        }

    def _facets_of(self, source):
        return {f: v for f, v in self.selected_facets.items() if f in source.facets}

    def facets(self, source, queryset, params: dict) -> list[dict]:
        """Each facet of the source: its values with counts (over the results of the other
        selections), most common first, each with the query that selects it."""
        selected = self._facets_of(source)
        found = []
        for facet in source.facets:
            others = {f: v for f, v in selected.items() if f != facet}
            counts = self.results(queryset, facets=others).facet(facet.field)
            ids = [key for key, count in counts.items() if key is not None and count]
            objects = _facet_labels(facet, ids[:FACET_VALUES])
            other_params = {**params, **{f.name: v for f, v in others.items()}}
            values = [
                {
                    "id": key,
                    "label": objects[key],
                    "count": counts[key],
                    "query": urlencode({**other_params, facet.name: key}),
                }
                for key in ids[:FACET_VALUES]
                if key in objects
            ]
            if values:
                found.append(
                    {
                        "facet": facet,
                        "values": values,
                        "selected": selected.get(facet),
                        "clear_query": urlencode(other_params),
                    }
                )
        return found

    def spelling(self) -> str | None:
        """The query with each word the Estonian speller does not know spelt as it suggests
        ("lastekaitze" → lastekaitse), or None if it knows them all."""
        corrected = [estonian.spelling(word) or word for word in self.words.split()]
        words = " ".join(corrected)
        return words if words != self.words else None

    def index_spelling(self) -> str | None:
        """The query with each word spelt as the closest word in the index, if any differs."""
        suggest = getattr(self.backend, "suggest", None)
        if suggest is None:  # another backend: no suggestions
            return None
        corrected = []
        for word in self.words.split():
            better = next(
                (b for _source, qs in self.sources if (b := suggest(qs.model, word))), None
            )
            corrected.append(better or word)
        words = " ".join(corrected)
        return words if words != self.words else None

    def suggestion(self, found: bool) -> str | None:
        """Another spelling of the query that finds something: the speller's (whose
        corrections the search already includes), else, when nothing was found, the index's;
        offered only if the reader's own search for it has results."""
        spellings = [self.spelling]
        if not found:
            spellings.append(self.index_spelling)
        for spelling in spellings:
            words = spelling()
            if words and any(self.counts(words).values()):
                return words
        return None


def search(request):
    """The site search: public pages for everyone; issues, comments, discussions and replies
    for members, each limited to what the reader may read."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    words, left_out = _words(query)
    context = {"query": query, "words_left_out": left_out, "max_words": MAX_WORDS}
    if not words:
        if query:
            context.update(_render_results({"results": Paginator([], PER_PAGE).get_page(1)}))
        return render(request, "search/search.html", context)

    site_search = SiteSearch(request, words)
    # The same search by readers who may read the same (their scope: the sources' querysets, as
    # SQL) gives the same results until the forum or the pages change (forum.members.cache,
    # cms.page_cache).
    pages = page_cache.generation.current()
    fragment = forum_cache.fragment(
        request, pages, request.GET.urlencode(), personal=lambda: scope(request.user, pages)
    )
    key = make_template_fragment_key("search-results", [fragment["key"]])
    found = forum_cache.fragments().get(key) if fragment["seconds"] else None
    if found is None:
        try:
            found = _render_results(_search(request, site_search))
        except SearchIndexUnavailable:
            logger.exception("The search index is unavailable")
            context["unavailable"] = True
            return render(request, "search/search.html", context, status=503)
        if fragment["seconds"]:
            forum_cache.fragments().set(key, found, fragment["seconds"])
    context.update(found)
    return render(request, "search/search.html", context)


def _render_results(context: dict) -> dict:
    return {
        "results_html": render_to_string("search/results.html", context),
        "has_facets": bool(context.get("facets")),
    }


class RankedTogether:
    """The results of every source as one list, best first by the backends' scores, for a
    Paginator. Each source gives its best RANKED_PER_KIND, whichever page is asked for: a
    window that moved with the page would let a backend break ties differently from one page to
    the next, and a result would show twice or never."""

    def __init__(self, site_search: "SiteSearch", counts: dict[str, int]):
        self.searches = [
            (source, site_search.results(queryset))
            for source, queryset in site_search.sources
            if counts[source.key]
        ]
        self.total = sum(min(counts[source.key], RANKED_PER_KIND) for source, _ in self.searches)
        self._found = None

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, part: slice) -> list:
        if self._found is None:
            found = []
            for order, (source, results) in enumerate(self.searches):
                ranked = results.annotate_score("_score")[:RANKED_PER_KIND]
                for rank, obj in enumerate(ranked):
                    # Equal scores keep the sources' order, then each source's own.
                    found.append((-(getattr(obj, "_score", None) or 0), order, rank, source, obj))
            found.sort(key=lambda hit: hit[:3])
            self._found = [(source, obj) for *_rank, source, obj in found]
        return self._found[part]


def _search(request, site_search: SiteSearch) -> dict:
    """The results page: every kind in one list (kinds and their counts as filters), or the
    chosen kind with its facets."""
    counts = site_search.counts()
    sources = {source.key: (source, queryset) for source, queryset in site_search.sources}
    selected = request.GET.get("type")
    base = {"q": request.GET.get("q", "")}
    if selected in sources:
        source, queryset = sources[selected]
        facets = site_search._facets_of(source)
        results = site_search.results(queryset, facets=facets)
        page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
        found = [(source, obj) for obj in page]
        facet_params = {f.name: v for f, v in facets.items()}
        page_query = {**base, "type": selected, **facet_params}
        facet_lists = site_search.facets(source, queryset, {**base, "type": selected})
    else:
        selected = ""
        page = Paginator(RankedTogether(site_search, counts), PER_PAGE).get_page(
            request.GET.get("page")
        )
        found, page_query, facet_lists = list(page), base, []
    wanted = query_terms(site_search.words)
    hits = [
        {
            "object": obj,
            "url": source.url(obj),
            "title": highlight(source.title(obj), wanted, source.language(obj)),
            "snippet": snippet(source.text(obj), wanted, source.language(obj)),
            "noun": "" if selected else source.noun,
            "kind": source.kind(obj),
            "organization": source.organization(obj),
        }
        for source, obj in found
    ]
    suggestion = site_search.suggestion(found=any(counts.values()))
    return {
        "results": page,
        "hits": hits,
        "selected_type": selected,
        "all": {"count": sum(counts.values()), "query": urlencode(base)},
        "types": [
            {
                "key": key,
                "label": src.label,
                "count": counts[key],
                "query": urlencode({**base, "type": key}),
            }
            for key, (src, _queryset) in sources.items()
        ],
        "facets": facet_lists,
        "suggestion": suggestion,
        "suggestion_query": urlencode({"q": suggestion or ""}),
        "page_query": urlencode(page_query),
    }


def suggestions(request):
    """Titles that start with what has been typed, for the search box (progressive
    enhancement: the box works without them)."""
    words, _left_out = _words(request.GET.get("q", "").strip())
    found = []
    if len(words) >= 2:
        backend = get_search_backend()
        try:
            for source, queryset in sources_for(request.user):
                if not source.autocomplete:
                    continue
                for obj in backend.autocomplete(words, queryset, operator="and")[
                    :AUTOCOMPLETE_RESULTS
                ]:
                    found.append({"title": source.title(obj), "url": source.url(obj)})
        except SearchIndexUnavailable:
            logger.exception("The search index is unavailable")
    response = JsonResponse({"results": found[:AUTOCOMPLETE_RESULTS]})
    response["Cache-Control"] = "private, max-age=60"
    return response
