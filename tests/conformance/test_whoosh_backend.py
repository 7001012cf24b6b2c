"""modelsearch's backend test suite (`BackendTests`) against the Whoosh backend.

Every test of the suite runs, except those listed in EXCLUDED with the reason each cannot
apply to Whoosh. They are removed from the class rather than skipped, so a skip in the CI
reports still means something went wrong.
"""

from django.test import TestCase
from modelsearch.tests.test_backends import BackendTests

EXCLUDED = {}


class TestWhooshSearchBackend(BackendTests, TestCase):
    backend_path = "search.backends.whoosh"


for name in EXCLUDED:
    setattr(TestWhooshSearchBackend, name, None)
