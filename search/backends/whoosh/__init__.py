"""A Whoosh backend for modelsearch, the search framework Wagtail is built on.

Configure it like any other backend:

    WAGTAILSEARCH_BACKENDS = {"default": {
        "BACKEND": "search.backends.whoosh",
        "PATH": "var/search",       # a directory; one Whoosh index per root model under it
        "LANGUAGE": "et",           # the analysis of documents without a language of their own
    }}

This package holds the backend itself (WhooshSearchBackend); its modules:

- `documents`: the schema, the Whoosh document of each object and its language, and how filter
  values are indexed;
- `storage`: the index of each root model on disk: generations, locks, the backlog of failed
  writes, rebuilds;
- `query`: the query compiler, modelsearch queries and queryset filters into Whoosh queries;
- `results`: search results, counts, facets and spelling suggestions.

It imports nothing from the project beyond `search.analysis`, so it runs in a settings module
without the project's apps (modelsearch's conformance suite does).
"""

import os

from modelsearch.backends.base import BaseSearchBackend, get_model_root

from . import documents
from .query import WhooshAutocompleteQueryCompiler, WhooshSearchQueryCompiler
from .results import WhooshSearchResults
from .storage import WhooshIndex, WhooshIndexRebuilder


class WhooshSearchBackend(BaseSearchBackend):
    query_compiler_class = WhooshSearchQueryCompiler
    autocomplete_query_compiler_class = WhooshAutocompleteQueryCompiler
    results_class = WhooshSearchResults
    rebuilder_class = WhooshIndexRebuilder
    # An index write that fails (a lock held too long, a full disk) is logged; the save that
    # caused it stands, and `update_index` repairs the index.
    catch_indexing_errors = True

    def __init__(self, params):
        super().__init__(params)
        self.path = os.path.abspath(params.get("PATH") or os.path.join("var", "search"))
        self.language = params.get("LANGUAGE", "et")
        self.after_commit = params.get("AFTER_COMMIT", True)

    def get_index_for_model(self, model):
        return WhooshIndex(self, get_model_root(model))

    def suggest(self, model, word: str) -> str | None:
        """The indexed word closest to `word` (for "did you mean"), or None."""
        searcher = self.get_index_for_model(model).searcher()
        if searcher is None:
            return None
        word = word.strip().lower()
        if not word:  # Whoosh's corrector needs a first letter to keep
            return None
        found = searcher.corrector("@words").suggest(word, limit=1, maxdist=2, prefix=1)
        return found[0] if found and found[0] != word else None

    def add(self, obj):
        self.get_index_for_object(obj).add_items(type(obj), [obj])


SearchBackend = WhooshSearchBackend


# Whoosh pickles the schema into each index by reference: an index written before this module
# became a package names these classes as `search.backends.whoosh.<name>`. They resolve here so
# that such an index still opens; not an API (import them from `documents`).
PICKLED_BEFORE_THE_SPLIT = ("FoldFilter", "KEYWORDS")


def __getattr__(name):
    if name in PICKLED_BEFORE_THE_SPLIT:
        return getattr(documents, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
