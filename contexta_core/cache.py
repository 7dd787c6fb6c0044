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
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, version: int, compute: Callable[[], T]) -> T:
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
        value = compute()
        with self._lock:
            self.misses += 1
            if version < self._newest:  # computed on a snapshot that is already out of date
                return value
            self._entries[key] = (version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
