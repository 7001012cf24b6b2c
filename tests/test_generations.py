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
