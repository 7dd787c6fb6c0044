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


def test_threads_asking_the_same_question_share_one_computation():
    import threading
    import time

    cache = VersionedCache()
    calls: list[int] = []
    started = threading.Event()

    def slow() -> str:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return "answer"

    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(cache.get_or_compute("q", 1, slow)))
    first.start()
    started.wait()
    others = [
        threading.Thread(target=lambda: results.append(cache.get_or_compute("q", 1, slow))) for _ in range(4)
    ]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(5)
    assert results == ["answer"] * 5 and len(calls) == 1 and cache.misses == 1


def test_a_failed_computation_releases_those_waiting_for_it():
    import threading

    import pytest

    cache = VersionedCache()
    started, release = threading.Event(), threading.Event()

    def failing() -> str:
        started.set()
        release.wait(5)
        raise RuntimeError("database went away")

    def failing_owner() -> None:
        with pytest.raises(RuntimeError):
            cache.get_or_compute("q", 1, failing)

    owner = threading.Thread(target=failing_owner)
    owner.start()
    started.wait()
    results: list[str] = []
    waiter = threading.Thread(target=lambda: results.append(cache.get_or_compute("q", 1, lambda: "retried")))
    waiter.start()
    release.set()
    for thread in (owner, waiter):
        thread.join(5)
    assert results == ["retried"] and not waiter.is_alive()


def test_the_same_thread_asking_again_inside_its_computation_does_not_wait_for_itself():
    cache = VersionedCache()
    inner = lambda: cache.get_or_compute("q", 1, lambda: "inner")  # noqa: E731
    assert cache.get_or_compute("q", 1, inner) == "inner"


def test_a_value_found_unusable_is_forgotten_but_a_newer_one_stays():
    """What the worker pool does with a build that failed after it was kept: builds of one key
    and data version follow the one rule of this cache, and a failure is built again."""
    cache = VersionedCache()
    failed = cache.get_or_compute("report", 3, lambda: "failed build")
    cache.discard("report", failed)
    again = cache.get_or_compute("report", 3, lambda: "second build")
    assert again == "second build"
    cache.discard("report", failed)  # a late second discard of the failure: the new build stays
    assert cache.get_or_compute("report", 3, lambda: "never") == "second build"
