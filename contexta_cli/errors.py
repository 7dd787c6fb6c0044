"""The CLI's one place for failures: a core refusal becomes one line on stderr and exit code 2.

``ContextaError`` messages already say what was wrong and the closest names ("did you mean …"),
so they are shown as they are, on one line, without a traceback. Anything else is a bug and
keeps its traceback.
"""

from __future__ import annotations

from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from contexta_core.errors import AmbiguousMetricError, ContextaError
from contexta_core.text_safety import printable

REFUSED_EXIT = 2  # the same code Typer uses for a bad option: the request needs changing
FAILED_EXIT = 1  # the request was fine but could not be carried out (a file, a missing extra)


def fail(message: str, *, exit_code: int) -> NoReturn:
    typer.echo(f"error: {printable(' '.join(message.split()))}", err=True)
    raise typer.Exit(exit_code)


class ContextaGroup(TyperGroup):
    """The app's command group, with the error boundary around every command."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except AmbiguousMetricError as exc:  # say how to name the stage here
            fail(f"{exc.message}, e.g. --stage {exc.suggestions[0]}", exit_code=REFUSED_EXIT)
        except ContextaError as exc:
            fail(exc.message, exit_code=REFUSED_EXIT)
