"""Invalidation by generation, for everything the site caches in Django's cache.

Each kind of cached thing carries its generation number in every key. Bumping the number
orphans all of them at once; the orphans then expire on their own. With Redis (CACHE_URL)
all workers share the numbers. The embedded local-memory cache keeps them per process.
"""

import secrets
import time

from django.core.cache import cache

# How long a process keeps a remembered value even if no bump orphans it: a reader between a
# change's save (which bumps) and its commit may have remembered what was there before.
REMEMBER_SECONDS = 60


class Generation:
    def __init__(self, key: str):
        self.key = key
        self._remembered: dict = {}
        self._remembered_at: tuple[int, float] | None = None

    def current(self) -> int:
        # A random first number: after the cache is flushed, numbers a process remembers values
        # for do not come round again.
        return cache.get_or_set(self.key, secrets.randbelow(2**31) + 1, timeout=None)

    def bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:  # not set yet, or evicted: any new number orphans the old keys
            cache.set(self.key, self.current() + 1, timeout=None)

    def remember(self, name, compute):
        """`compute()`, kept in this process while the number stays (for at most
        REMEMBER_SECONDS): for what is small to hold and costs queries on every request."""
        number, now = self.current(), time.monotonic()
        if self._remembered_at is None or (
            self._remembered_at[0] != number or now - self._remembered_at[1] > REMEMBER_SECONDS
        ):
            self._remembered, self._remembered_at = {}, (number, now)
        if name not in self._remembered:
            self._remembered[name] = compute()
        return self._remembered[name]
