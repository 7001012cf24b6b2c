"""Settings for modelsearch's own backend test suite, run against search.backends.whoosh.

Like modelsearch's test settings, they install none of the project's apps: the backend must
work on its own. `make test` runs this suite after the project's, on the same database server.
"""

import tempfile
from pathlib import Path

import environ

env = environ.Env()

SECRET_KEY = "conformance-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
ROOT_URLCONF = "modelsearch.test.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

INSTALLED_APPS = [
    "modelsearch.test.testapp",
    "modelsearch",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
]

DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")

FIXTURE_DIRS = [Path(__file__).parent / "fixtures"]

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

MODELSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "search.backends.whoosh",
        "PATH": tempfile.mkdtemp(prefix="koda-conformance-"),
        # The suite runs each test in a transaction that never commits.
        "AFTER_COMMIT": False,
    }
}
