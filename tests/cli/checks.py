"""Assertions every CLI test makes about a finished invocation."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import Result


def ok(result: Result) -> str:
    """The command's stdout, after checking it succeeded and wrote nothing to stderr."""
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def ok_json(result: Result) -> Any:
    """The one JSON value the command printed (anything else on stdout fails the parse)."""
    return json.loads(ok(result))


def refused(result: Result) -> str:
    """The single stderr line of a command the core refused (exit 2, nothing on stdout)."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]
