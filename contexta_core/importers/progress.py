"""How an importer reports progress without knowing who shows it (a Rich bar, a log, nothing)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, total: int | None, description: str) -> None:
        """A new phase of ``total`` steps (None when unknown)."""

    def advance(self, steps: int = 1) -> None: ...


class NoProgress:
    def start(self, total: int | None, description: str) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass
