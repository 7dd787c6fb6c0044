"""Which project a request is about, when it names none or names it loosely.

The metric half of a scope (metric, stage, direction, aggregation) is the core's
``Contexta.resolve_scope``, which the terminal's own commands use too, so "best on f1" means the
same wherever it is asked.
"""

from __future__ import annotations

from contexta_core import Contexta
from contexta_core.errors import UnknownProjectError


def pick_project(ctx: Contexta, given: str | None, default: str | None) -> str | None:
    """The stored name of the named project, else the default, else the only project; None if unclear.

    Raises UnknownProjectError (with suggestions) for a named project that does not exist.
    """
    if given:
        return ctx.resolve_project_name(given)
    if default:
        try:
            return ctx.resolve_project_name(default)
        except UnknownProjectError:
            pass  # a default whose project is gone: fall through to asking
    names = ctx.list_projects()
    return names[0] if len(names) == 1 else None


def qualified(run: str, project: str) -> str:
    """A typed run name as a full id inside `project` (full `run:` ids are kept)."""
    return run if run.startswith("run:") else f"run:{project}.{run}"
