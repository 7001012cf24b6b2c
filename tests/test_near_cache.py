"""The fragments' near cache (koda/near_cache.py): a worker's copies save round trips to the
shared cache, are bounded in time and size, and never outlive what was deleted."""

import pytest
from django.core.cache import caches
from koda import near_cache

SHARED = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "near-test"}


class Counting:
    """Counts the shared cache's reads."""

    def __init__(self, monkeypatch):
        self.reads = 0
        shared = caches["default"]
        original = shared.get

        def get(*args, **kwargs):
            self.reads += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(shared, "get", get)


@pytest.fixture
def near(settings, monkeypatch):
    settings.CACHES = {
        "default": SHARED,
        "template_fragments": {
            "BACKEND": "koda.near_cache.NearCache",
            "LOCATION": "default",
            "OPTIONS": {"MAX_BYTES": 1000},
        },
    }
    caches["default"].clear()
    now = [1000.0]
    monkeypatch.setattr(near_cache.time, "monotonic", lambda: now[0])
    cache = caches["template_fragments"]
    cache.now = now
    yield cache
    caches["default"].clear()


def test_a_stored_fragment_is_read_without_the_shared_cache(near, monkeypatch):
    near.set("menu|7", "<nav>menüü</nav>", 300)
    assert caches["default"].get("menu|7") == "<nav>menüü</nav>"  # the other workers see it
    shared = Counting(monkeypatch)
    assert near.get("menu|7") == "<nav>menüü</nav>"
    assert shared.reads == 0


def test_another_workers_fragment_is_read_once_then_kept(near, monkeypatch):
    caches["default"].set("list|8", "<ul>mured</ul>", 300)
    shared = Counting(monkeypatch)
    assert near.get("list|8") == "<ul>mured</ul>"
    assert near.get("list|8") == "<ul>mured</ul>"
    assert shared.reads == 1
    assert near.get("missing", "none") == "none"


def test_a_copy_lives_no_longer_than_it_was_stored_for(near):
    near.set("count|9", "3 muret", 30)
    near.now[0] += 31
    caches["default"].delete("count|9")  # expired in the shared cache too
    assert near.get("count|9") is None


def test_a_copy_learned_from_the_shared_cache_is_kept_a_minute(near):
    caches["default"].set("list|10", "<ul/>", 3600)
    assert near.get("list|10") == "<ul/>"
    caches["default"].delete("list|10")
    assert near.get("list|10") == "<ul/>"
    near.now[0] += near_cache.NEAR_SECONDS + 1
    assert near.get("list|10") is None


def test_a_fragment_stored_for_no_time_is_not_kept(near):
    near.set("x", "a", 300)
    near.set("x", "b", 0)
    assert near.get("x") is None


def test_deleted_is_gone_here_and_in_the_shared_cache(near):
    near.set("head|11", "<h1>Mure</h1>", 300)
    near.delete("head|11")
    assert near.get("head|11") is None
    assert caches["default"].get("head|11") is None


def test_the_least_recently_read_copies_leave_first_past_the_size_bound(near, monkeypatch):
    for name in "abc":
        near.set(name, name * 400, 300)  # 1,200 bytes in all, over the 1,000 kept
    caches["default"].clear()  # only the worker's copies remain
    assert near.get("a") is None  # the oldest left
    assert near.get("b") == "b" * 400 and near.get("c") == "c" * 400
    near.get("b")
    near.set("d", "d" * 400, 300)  # c is now the least recently read
    assert near.get("c") is None and near.get("b") == "b" * 400
    near.set("huge", "x" * 2000, 300)  # larger than the bound: shared only
    assert near.get("d") == "d" * 400


def test_every_cached_fragment_names_a_generation():
    """A worker's copy is never stale only because every fragment's key names the generation of
    what it shows (the pages' in site_cache.key, the forum's in forum_cache.key): a new {% cache
    %} without one fails here."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    tags = []
    for app in ("site", "cms", "forum", "search"):
        for template in (root / app).rglob("templates/**/*.html"):
            for tag in re.findall(r"{%\s*cache\s+([^%]*)%}", template.read_text("utf-8")):
                tags.append((template.relative_to(root), tag.split()))
    assert len(tags) >= 10, tags  # the scan finds the fragments
    for template, (seconds, _name, *vary) in tags:
        kind = seconds.removesuffix(".seconds")
        assert kind in {"site_cache", "forum_cache"}, (template, seconds)
        assert f"{kind}.key" in vary, (template, vary)
