"""Where output goes: Rich renderables for people, one bare JSON object for scripts.

With ``--json`` nothing but the JSON reaches stdout, so ``contexta … --json | jq`` always parses.
"""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console

from contexta_core.results import to_jsonable


def console() -> Console:
    """A console on the current stdout (Rich picks colour and width from the terminal)."""
    return Console(highlight=False)


def print_json(value: Any) -> None:
    typer.echo(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False))
