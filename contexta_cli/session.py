"""The workspace one invocation works on: opened on first use, at most once, closed at exit.

Opening lazily keeps ``--help`` and usage errors from creating a workspace folder or touching a
database; opening once keeps every command to a single connection pool. An unreachable or
unsupported database is the core's ``ConfigurationError``, reported like any other refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import typer

from contexta_core import Contexta


@dataclass
class Workspace:
    path: Path
    database_url: str | None = None
    _opened: Contexta | None = field(default=None, init=False, repr=False)

    def open(self) -> Contexta:
        if self._opened is None:
            self._opened = Contexta(workspace=self.path, database_url=self.database_url)
        return self._opened

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()
            self._opened = None


def open_workspace(ctx: typer.Context) -> Contexta:
    """The invocation's ``Contexta``, as the global options chose it."""
    workspace = ctx.find_object(Workspace)
    if workspace is None:
        raise RuntimeError("contexta_cli commands must run through contexta_cli.main.app")
    return workspace.open()
