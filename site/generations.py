"""Invalidation by generation, for everything the site caches in Django's cache.

Each kind of cached thing carries its generation number in every key. Bumping the number
orphans all of them at once; the orphans then expire on their own. With Redis (CACHE_URL)
all workers share the numbers. The embedded local-memory cache keeps them per process.

Within a request each number is read once (with every other generation, in one round trip, when
`read_many` is asked first): a request reads as of its start, as if it had run a moment earlier,
and its own bumps move its numbers at once.
"""

import secrets
import time
import weakref

from asgiref.local import Local
from django.core.cache import cache

# How long a process keeps a remembered value even if no bump orphans it: a reader between a
# change's save (which bumps) and its commit may have remembered what was there before.
REMEMBER_SECONDS = 60


_GENERATIONS = weakref.WeakSet()
_request = Local()  # .numbers: {key: number} read by the current request; None outside one


def _numbers() -> dict | None:
    return getattr(_request, "numbers", None)


def begin_request(**kwargs) -> None:
    _request.numbers = {}


def end_request(**kwargs) -> None:
    _request.numbers = None


def read_many(keys: list[str]) -> dict:
    """The cached values of `keys`, read in one round trip with the numbers of every generation
    the current request has not read yet."""
    numbers = _numbers()
    unread = [] if numbers is None else [g.key for g in _GENERATIONS if g.key not in numbers]
    found = cache.get_many([*unread, *keys]) if unread or keys else {}
    for key in unread:
        if key in found:
            numbers[key] = found[key]
    return {key: found[key] for key in keys if key in found}


class Generation:
    def __init__(self, key: str):
        self.key = key
        self._remembered: dict = {}
        self._remembered_at: tuple[int, float] | None = None
        _GENERATIONS.add(self)

    def current(self) -> int:
        numbers = _numbers()
        if numbers is not None and self.key in numbers:
            return numbers[self.key]
        # A random first number: after the cache is flushed, numbers a process remembers values
        # for do not come round again.
        number = cache.get_or_set(self.key, secrets.randbelow(2**31) + 1, timeout=None)
        if numbers is not None:
            numbers[self.key] = number
        return number

    def bump(self) -> None:
        try:
            number = cache.incr(self.key)
        except ValueError:  # not set yet, or evicted: any new number orphans the old keys
            number = cache.get_or_set(self.key, secrets.randbelow(2**31) + 1, timeout=None) + 1
            cache.set(self.key, number, timeout=None)
        numbers = _numbers()
        if numbers is not None:
            numbers[self.key] = number

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
