"""The answer cache keeps only answers of the newest data version it has seen."""

from __future__ import annotations

from contexta_core.cache import VersionedCache


def test_a_newer_version_drops_every_older_answer():
    cache = VersionedCache()
    assert cache.get_or_compute("a", 1, lambda: "a1") == "a1"
    assert cache.get_or_compute("b", 1, lambda: "b1") == "b1"
    assert cache.get_or_compute("a", 1, lambda: "never") == "a1" and cache.hits == 1
    assert cache.get_or_compute("c", 2, lambda: "c2") == "c2"
    assert len(cache) == 1  # "a" and "b" of version 1 can never be served again
    assert cache.get_or_compute("a", 2, lambda: "a2") == "a2" and cache.misses == 4


def test_an_answer_computed_on_an_older_snapshot_is_returned_but_not_kept():
    cache = VersionedCache()
    cache.get_or_compute("x", 5, lambda: "x5")
    assert cache.get_or_compute("y", 4, lambda: "y4") == "y4"  # a reader still on version 4
    assert len(cache) == 1 and cache.get_or_compute("y", 5, lambda: "y5") == "y5"


def test_least_recently_used_answers_go_first_when_full():
    cache = VersionedCache(max_entries=2)
    for key in ("a", "b"):
        cache.get_or_compute(key, 1, lambda key=key: key)
    cache.get_or_compute("a", 1, lambda: "never")  # "a" used again: "b" is now the oldest
    cache.get_or_compute("c", 1, lambda: "c")
    assert cache.get_or_compute("a", 1, lambda: "recomputed") == "a"
    assert cache.get_or_compute("b", 1, lambda: "recomputed") == "recomputed"
