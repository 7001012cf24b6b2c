"""Invalidation by generation, for everything the site caches in Django's cache.

Each kind of cached thing carries its generation number in every key. Bumping the number
orphans all of them at once; the orphans then expire on their own. With Redis (CACHE_URL)
all workers share the numbers. The embedded local-memory cache keeps them per process.
"""

from django.core.cache import cache


class Generation:
    def __init__(self, key: str):
        self.key = key

    def current(self) -> int:
        return cache.get_or_set(self.key, 1, timeout=None)

    def bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:  # not set yet, or evicted: any new number orphans the old keys
            cache.set(self.key, self.current() + 1, timeout=None)
