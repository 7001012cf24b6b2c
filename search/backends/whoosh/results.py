"""Search results: the hits of a compiled query as model objects, their count, facets and
spelling suggestions."""

from collections import Counter, OrderedDict

from django.db import models
from modelsearch.backends.base import BaseSearchResults, FilterFieldError
from whoosh import query as wq
from whoosh import sorting

from .documents import filter_kind
from .query import and_


class WhooshSearchResults(BaseSearchResults):
    supports_facet = True

    def _index(self):
        return self.backend.get_index_for_model(self.query_compiler.queryset.model)

    def _run(self, **kwargs):
        searcher = self._index().searcher()
        if searcher is None:
            return None, None
        return searcher, searcher.search(self.query_compiler.get_query(), **kwargs)

    def _run_unscored(self, query=None, **kwargs):
        """An unscored search (a count, a facet): the filters, within the documents that the
        words match. A results page counts and facets the same words several times (each
        source, each facet with and without its value); the words' documents are found once
        per searcher, which is per thread and reopened when the index changes."""
        searcher = self._index().searcher()
        if searcher is None:
            return None, None
        text = self.query_compiler.get_text_query(scored=False)
        query = self.query_compiler.get_filter() if query is None else query
        if not isinstance(text, wq.Every):
            matching = _matching(searcher, text)
            # An empty filter would be no filter at all to Whoosh.
            query = query if matching else wq.NullQuery
            kwargs["filter"] = matching
        return searcher, searcher.search(query, limit=None, scored=False, **kwargs)

    def _do_search(self):
        if self.stop is not None and self.stop <= self.start:
            return []
        sort = self.query_compiler.get_sort()
        kwargs = {"limit": self.stop}
        if sort is not None:
            kwargs["sortedby"] = sort
        searcher, results = self._run(**kwargs)
        if results is None:
            return []
        hits = results[self.start : self.stop]
        scores = OrderedDict((hit["@id"], hit.score) for hit in hits)
        objects = {
            str(obj.pk): obj for obj in self.query_compiler.queryset.filter(pk__in=list(scores))
        }
        found = []
        for pk, score in scores.items():
            obj = objects.get(pk)
            if obj is None:  # indexed, since deleted
                continue
            if self._score_field:
                setattr(obj, self._score_field, score)
            found.append(obj)
        if self.prefetch_related:
            models.prefetch_related_objects(found, *self.prefetch_related)
        return found

    def _do_count(self):
        searcher, results = self._run_unscored()
        total = 0 if results is None else len(results)
        total -= self.start
        if self.stop is not None:
            total = min(total, self.stop - self.start)
        return max(total, 0)

    def facet(self, field_name):
        field = self.query_compiler._get_filterable_field(field_name)
        if field is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add '
                f'index.FilterField("{field_name}") to '
                f"{self.query_compiler.queryset.model.__name__}.search_fields.",
                field_name=field_name,
            )
        model = self.query_compiler.model
        name = field.get_attname(model)
        kind = filter_kind(field, model)
        facet = sorting.FieldFacet(f"{name}__{kind}", allow_overlap=True)
        searcher, results = self._run_unscored(groupedby={"f": facet})
        counts = Counter()
        if results is not None:
            for key, docnums in results.groups("f").items():
                if kind == "i" and isinstance(key, bytes):
                    key = searcher.schema[f"{name}__i"].from_bytes(key)
                counts[key] += len(docnums)
            null = and_([self.query_compiler.get_filter(), wq.Term("@null", name)])
            null_count = len(self._run_unscored(null)[1])
            if null_count:
                counts[None] = null_count
        return OrderedDict(counts.most_common())

    def suggestion(self, word):
        return self.backend.suggest(self.query_compiler.model, word)


MATCHING_CACHED = 4  # word queries per searcher (per thread): one results page needs one


def _matching(searcher, text: wq.Query) -> set[int]:
    """The document numbers `text` matches, remembered on the searcher (Whoosh only reads the
    set; it takes no frozenset)."""
    cache = searcher.__dict__.setdefault("_koda_matching", {})
    found = cache.get(text)
    if found is None:
        found = set(searcher.docs_for_query(text))
        if len(cache) >= MATCHING_CACHED:
            cache.pop(next(iter(cache)))
        cache[text] = found
    return found
