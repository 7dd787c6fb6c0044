"""Where output goes: Rich renderables for people, one bare JSON object for scripts.

With ``--json`` nothing but the JSON reaches stdout, so ``contexta … --json | jq`` always parses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from contexta_core.results import to_jsonable
from contexta_core.text_safety import escape_non_ascii_controls

from .safe_console import SafeConsole


def console() -> Console:
    """A console on the current stdout (Rich picks colour and width from the terminal)."""
    return SafeConsole(highlight=False)


def print_json(value: Any, **extra: Any) -> None:
    """``value`` (a result object, or None) with ``extra`` keys beside its own. Indented for a person
    at a terminal; one compact line into a pipe or file, which Python's C encoder writes ~10x faster
    (a 100,000-run trend is ~24 MB of JSON)."""
    data = to_jsonable(value)
    if extra and data is not None:
        data = {**data, **to_jsonable(extra)}
    indent = 2 if sys.stdout.isatty() else None
    typer.echo(escape_non_ascii_controls(json.dumps(data, indent=indent, ensure_ascii=False)))


def write_file(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` or fail with one line (exit 1) saying why not."""
    from .errors import FAILED_EXIT, fail

    target = path.expanduser().resolve()
    try:
        target.write_bytes(content)
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror or exc}", exit_code=FAILED_EXIT)
    return target
