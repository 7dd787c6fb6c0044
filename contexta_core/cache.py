"""Answers cached per workspace data version.

Every write transaction bumps the version (see ``Database.writing``), so an entry is served only
while the data it was computed from is unchanged — in this process or any other. The bot asks the
same few questions of the same projects over and over; this makes the repeats free.

Versions only grow, so once a newer one is seen every older entry is dead: they are dropped then,
which bounds what the cache holds to the answers of the current data (a 100,000-run report is tens
of megabytes; a busy project would otherwise leave one behind per new run).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class VersionedCache:
    def __init__(self, max_entries: int = 256):
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()
        self._newest = 0
        # key → (version, event set when done, computing thread): one computation per answer, so
        # the bot's threads asking the same question after a write wait for it instead of redoing it
        self._computing: dict[Hashable, tuple[int, threading.Event, int]] = {}
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, version: int, compute: Callable[[], T]) -> T:
        me = threading.get_ident()
        while True:
            with self._lock:
                if version > self._newest:
                    self._newest = version
                    for stale in [k for k, (v, _) in self._entries.items() if v < version]:
                        del self._entries[stale]
                entry = self._entries.get(key)
                if entry is not None and entry[0] == version:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return entry[1]
                flight = self._computing.get(key)
                if flight is None or flight[0] != version or flight[2] == me:
                    self._computing[key] = mine = (version, threading.Event(), me)
                    break
            flight[1].wait()  # then look again: its answer, or (it failed) compute it here
        try:
            value = compute()
        except BaseException:
            self._finish(key, mine)
            raise
        with self._lock:
            self.misses += 1
            if version >= self._newest:  # (else computed on a snapshot already out of date)
                self._entries[key] = (version, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self._max:
                    self._entries.popitem(last=False)
        self._finish(key, mine)  # stored first, so those waiting find it
        return value

    def _finish(self, key: Hashable, mine: tuple[int, threading.Event, int]) -> None:
        with self._lock:
            if self._computing.get(key) is mine:
                del self._computing[key]
        mine[1].set()

    def discard(self, key: Hashable, value: Any) -> None:
        """Forget ``key`` while it still holds ``value`` (found unusable after it was kept: a build
        that failed later); a newer value someone else put there meanwhile stays."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[1] is value:
                del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
