"""Invalidation by generation (koda.generations): what a process remembers for a number is
forgotten when the number moves, when the cache is flushed, and after a while in any case."""

from django.core.cache import cache
from koda import generations
from koda.generations import Generation


def test_a_remembered_value_lasts_until_the_number_moves(monkeypatch):
    generation, computed = Generation("koda:test:generation"), []

    def compute():
        computed.append(1)
        return len(computed)

    assert generation.remember("x", compute) == 1
    assert generation.remember("x", compute) == 1  # not computed again
    generation.bump()
    assert generation.remember("x", compute) == 2
    cache.clear()  # a flushed cache starts a new, random number
    assert generation.remember("x", compute) == 3
    monkeypatch.setattr(generations, "REMEMBER_SECONDS", -1)
    assert generation.remember("x", compute) == 4


def test_a_request_reads_each_number_once_and_sees_its_own_bumps():
    """Within a request a number is read once (as of the request's start); the request's own
    bump moves it at once. Outside a request every read goes to the cache."""
    generation = Generation("koda:test:request-generation")
    generations.begin_request()
    try:
        first = generation.current()
        cache.incr(generation.key)  # another process's write, after this request began
        assert generation.current() == first
        generation.bump()  # this request's own write
        assert generation.current() == first + 2 == cache.get(generation.key)
    finally:
        generations.end_request()
    cache.incr(generation.key)
    assert generation.current() == first + 3


def test_read_many_brings_every_unread_number_with_the_keys_asked():
    one, two = Generation("koda:test:one"), Generation("koda:test:two")
    one.bump(), two.bump()  # both numbers set
    cache.set("koda:test:other", "x")
    calls = []
    generations.begin_request()
    try:
        original = cache.get_many
        cache.get_many = lambda keys: calls.append(list(keys)) or original(keys)
        try:
            assert generations.read_many(["koda:test:other"]) == {"koda:test:other": "x"}
            assert (one.current(), two.current()) == (cache.get(one.key), cache.get(two.key))
        finally:
            del cache.get_many
    finally:
        generations.end_request()
    assert len(calls) == 1 and {one.key, two.key, "koda:test:other"} <= set(calls[0])
