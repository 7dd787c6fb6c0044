"""The CLI's one place for failures: a core refusal becomes one line on stderr and exit code 2.

``ContextaError`` messages already say what was wrong and the closest names ("did you mean …"),
so they are shown as they are, on one line, without a traceback; so is a ``CommandError`` of the
command grammar (its English wording, built from the same code and details the bot's catalog
words in Korean: the terminal speaks English, as every CLI message does). Anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from contexta_core.ask.commands import CommandError
from contexta_core.errors import AmbiguousMetricError, ContextaError, UnknownProjectError
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
        except UnknownProjectError as exc:  # an unimported Contexta 1.x history: say how to import it
            fail(_with_import_hint(ctx, exc.message), exit_code=REFUSED_EXIT)
        except AmbiguousMetricError as exc:  # say how to name the stage here
            fail(f"{exc.message}, e.g. --stage {exc.suggestions[0]}", exit_code=REFUSED_EXIT)
        except (ContextaError, CommandError) as exc:
            fail(exc.message, exit_code=REFUSED_EXIT)


def _with_import_hint(ctx: Any, message: str) -> str:
    from contexta_core.importers.detect import pending_import

    workspace = getattr(ctx, "obj", None)
    opened = getattr(workspace, "_opened", None)
    pending = pending_import(opened) if opened is not None else None
    if pending is None:
        return message
    return f"{message.split(' (there are no projects', 1)[0]}: this folder holds a Contexta 1.x workspace that is not imported yet; run {pending.command}"
