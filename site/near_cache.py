"""The rendered fragments' cache: the shared cache, with the fragments a worker read lately kept
in the worker too.

Every fragment's key names the generation of what it shows (cms.page_cache's or the forum's,
koda.generations), so a key never comes to mean other content: a change makes new keys rather
than changing old ones. A copy held by the worker therefore cannot be stale for its key, and
reading it saves a round trip to the shared cache per fragment (a member's page has three to
six). Time alone bounds a copy: the timeout it was stored with, or NEAR_SECONDS when it came
from the shared cache (whose remaining time is not known here); and a worker keeps at most
MAX_BYTES of copies, the least recently read leaving first.

It is the "template_fragments" cache, which Django's {% cache %} tag takes when it exists (the
settings name it only with a shared cache, CACHE_URL); LOCATION names the shared cache.
"""

import threading
import time
from collections import OrderedDict

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

NEAR_SECONDS = 60


def _size(value) -> int:
    """Roughly what a copy holds: rendered text, or a dict of it (the search's results)."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        return sum(_size(part) for part in value.values()) + 64
    return 64


class NearCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        self._shared_alias = location or "default"
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 16 * 1024 * 1024))
        self._copies: OrderedDict = OrderedDict()  # (key, version): (expires, value, size)
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def _shared(self):
        return caches[self._shared_alias]

    def get(self, key, default=None, version=None):
        with self._lock:
            copy = self._copies.get((key, version))
            if copy is not None and copy[0] > time.monotonic():
                self._copies.move_to_end((key, version))
                return copy[1]
        value = self._shared.get(key, version=version)
        if value is None:
            return default
        self._keep((key, version), value, NEAR_SECONDS)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._shared.set(key, value, timeout, version=version)
        if timeout is DEFAULT_TIMEOUT:
            timeout = self._shared.default_timeout
        if timeout is not None and timeout <= 0:  # stored for no time: not kept either
            self._drop((key, version))
        else:
            self._keep((key, version), value, NEAR_SECONDS if timeout is None else timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._drop((key, version))
        return self._shared.add(key, value, timeout, version=version)

    def delete(self, key, version=None):
        self._drop((key, version))
        return self._shared.delete(key, version=version)

    def clear(self):
        with self._lock:
            self._copies.clear()
            self._bytes = 0
        self._shared.clear()

    def _keep(self, name, value, seconds) -> None:
        size = _size(value)
        with self._lock:
            self._drop_locked(name)
            if size > self._max_bytes:
                return
            self._copies[name] = (time.monotonic() + seconds, value, size)
            self._bytes += size
            while self._bytes > self._max_bytes:
                _name, (_expires, _value, dropped) = self._copies.popitem(last=False)
                self._bytes -= dropped

    def _drop(self, name) -> None:
        with self._lock:
            self._drop_locked(name)

    def _drop_locked(self, name) -> None:
        copy = self._copies.pop(name, None)
        if copy is not None:
            self._bytes -= copy[2]
