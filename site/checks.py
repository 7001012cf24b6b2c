"""The project's own system checks."""

from django.conf import settings
from django.core import checks

# Caches every app server and worker reads and writes alike.
SHARED_CACHES = ("redis", "memcached", "DatabaseCache")


@checks.register(checks.Tags.caches, deploy=False)
def shared_cache_when_serving(app_configs=None, **kwargs):
    """With DEBUG off the site runs in several processes, and the rate limits and the sign-in
    limit per address count in the cache: a cache of each process's own memory lets every
    process count by itself (with 3 gunicorn workers, 88 failed sign-ins got through a limit of
    30). So production needs a shared cache."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if any(kind in backend for kind in SHARED_CACHES):
        return []
    return [
        checks.Error(
            f"The cache ({backend}) is not shared by the app's processes, so each counts the "
            "rate limits and failed sign-ins by itself.",
            hint="Set CACHE_URL to a cache all app servers share, such as redis://host:6379/0.",
            id="koda.E001",
        )
    ]
