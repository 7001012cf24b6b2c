"""The site as production serves it (DEBUG off, WhiteNoise's manifest storage), plus a floor
view at /bench/floor/, for the load benchmark. Everything else comes from koda.settings, read
from the environment the runner sets: KODA_VAR_DIR (var/bench/<vendor>-<scale>) and, for
PostgreSQL, DATABASE_URL.

The setup steps that need DEBUG (load_demo creates the demo accounts only then) set
DJANGO_DEBUG=true themselves; serving, generating and measuring run with it off.
"""

import os
from pathlib import Path

# Production requires these when DEBUG is off; on loopback they are the bench's own.
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "load-bench-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Plain HTTP on 127.0.0.1: no redirect to HTTPS.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
# As in production: one cache shared by the workers (Redis, as the README asks), which also turns
# on the forum's fragment cache. BENCH_CACHE_URL="" measures the embedded per-process cache.
if os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"):
    os.environ.setdefault(
        "CACHE_URL", os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14")
    )

from koda.settings import *  # noqa: E402, F403
from koda.settings import CACHES, TEMPLATES, VAR_DIR, WAGTAILSEARCH_BACKENDS  # noqa: E402

# Each data set (var/bench/<vendor>-<scale>) has its own keys in the shared Redis: generating
# one must not orphan another's cached pages while that one is measured.
CACHES["default"]["KEY_PREFIX"] = Path(VAR_DIR).name

ROOT_URLCONF = "tests.bench.load.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]

# Cookies must travel over plain HTTP for locust's signed-in users; HSTS means nothing here.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# The generator bulk-inserts and publishes pages; the index is built once at the end
# (`update_index`, or tests.bench.load.index for a partial one), not row by row.
if os.environ.get("BENCH_NO_AUTO_INDEX"):
    WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = False
