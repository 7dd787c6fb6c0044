"""Noticing history that is there but not imported: a workspace folder holding the original
Contexta library's workspace (``metadata/ledger.db``) and nothing of ours yet.

Surfaces ask this where they would otherwise say "no projects yet", and print the import command
instead. It costs one file check, plus one count when that file exists.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..store.import_state import ImportStateStore

if TYPE_CHECKING:
    from ..client import Contexta

LEDGER = Path("metadata") / "ledger.db"  # as contexta1.LEDGER (kept here so no importer is loaded)


@dataclass(frozen=True, slots=True)
class PendingImport:
    kind: str  # "contexta": a Contexta 1.x workspace
    path: Path

    @property
    def command(self) -> str:
        return f"contexta import {self.kind} {shlex.quote(str(self.path))}"


def pending_import(ctx: Contexta) -> PendingImport | None:
    """The Contexta 1.x workspace in ``ctx``'s workspace folder, when nothing is imported or
    recorded here yet; otherwise None."""
    root = Path(ctx.workspace)
    if not (root / LEDGER).is_file():
        return None
    if ImportStateStore(ctx.database).project_count():
        return None
    return PendingImport("contexta", root)
