"""Settings for the search benchmark (`make bench`): the two backends side by side on one SQLite
file, and none of the project's apps, like tests/conformance/settings.py.

Everything the bench writes lives under BENCH_DIR (default var/bench); the runner empties it
first, so each run starts from nothing.
"""

import os
from pathlib import Path

BENCH_DIR = Path(os.environ.get("BENCH_DIR") or Path(__file__).resolve().parents[2] / "var/bench")

SECRET_KEY = "search-bench-only"
DEBUG = False  # with DEBUG, Django keeps every query it runs and skews the timings
ALLOWED_HOSTS = []
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "et"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "tests.bench.benchapp",
    "modelsearch",
    "django.contrib.contenttypes",
]

# FTS5 needs SQLite; a file (not :memory:) so its index has a size on disk.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BENCH_DIR / "search.sqlite3",
    }
}

# Saves go through modelsearch's signal handlers as tasks; the bench bulk-creates, which sends
# no signals, but run any task inline rather than need a worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

MODELSEARCH_BACKENDS = {
    "whoosh": {
        "BACKEND": "search.backends.whoosh",
        "PATH": str(BENCH_DIR / "whoosh"),
        "LANGUAGE": "et",
        # Writes happen outside any transaction here; no need to wait for a commit.
        "AFTER_COMMIT": False,
    },
    "fts5": {"BACKEND": "modelsearch.backends.database.sqlite.sqlite"},
}
