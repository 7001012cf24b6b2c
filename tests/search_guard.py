"""The search backend of tests that do not search (tests/conftest.py's `_search_index`).

Writing the Whoosh index costs a commit per saved object, most of a typical test's setup, so a
test runs without it unless it is marked `search`. This backend indexes nothing (AUTO_UPDATE is
off, so saves never reach it) and records any use: were a test to search anyway, it would look
at an empty index and could pass for the wrong reason ("the hidden issue is not found"), so
the test is failed at teardown with the marker to add, even when the code caught the error.
"""

from modelsearch.backends.base import BaseSearchBackend

REFUSED = (
    "search",
    "autocomplete",
    "add",
    "add_bulk",
    "delete",
    "get_index_for_model",
    "get_index_for_object",
    "all_indexes",
    "refresh_indexes",
    "reset_indexes",
)


class SearchIndexNotInThisTest(RuntimeError):
    pass


class SearchBackend(BaseSearchBackend):
    # What the current test asked of the index; emptied by the fixture before each test.
    uses: list[str] = []

    def __init__(self, params):
        super().__init__(params)
        for name in REFUSED:
            setattr(self, name, self._refuse(name))

    @classmethod
    def _refuse(cls, name):
        def refused(*args, **kwargs):
            cls.uses.append(name)
            raise SearchIndexNotInThisTest(
                f"{name}() reached the search index in a test not marked `search`."
            )

        return refused


OFF = {"default": {"BACKEND": "tests.search_guard", "AUTO_UPDATE": False}}
