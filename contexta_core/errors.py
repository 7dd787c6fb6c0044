"""Typed errors with a code and a message a person can act on.

The CLI and the bot each turn these into friendly replies in one place; anything that is not a
``ContextaError`` is a bug and is reported as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


class ContextaError(Exception):
    """Base of every error the core raises on purpose."""

    code = "contexta_error"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class ContractValidationError(ContextaError, ValueError):
    """A contract model (or a ref) was given a value it does not allow."""

    code = "validation_error"


class ConfigurationError(ContextaError, ValueError):
    code = "invalid_config"


class NotFoundError(ContextaError, LookupError):
    """Something named by the caller does not exist; ``suggestions`` holds the closest names."""

    code = "not_found"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        suggestions: Sequence[str] = (),
        details: dict[str, Any] | None = None,
    ):
        super().__init__(message, code=code, details=details)
        self.suggestions = tuple(suggestions)


class UnknownProjectError(NotFoundError):
    code = "unknown_project"


class UnknownRunError(NotFoundError):
    code = "unknown_run"


class UnknownMetricError(NotFoundError):
    code = "unknown_metric"


class UnknownStageError(NotFoundError):
    code = "unknown_stage"


class AmbiguousMetricError(UnknownMetricError):
    """The metric exists in several stages and the question named none; ``suggestions`` are those."""

    code = "ambiguous_metric"


class IntegrityViolation(ContextaError, ValueError):
    """A write would break the workspace's integrity (orphans, duplicates); nothing was written."""

    code = "integrity_violation"


class SchemaVersionError(ContextaError, RuntimeError):
    """The workspace was written by a newer Contexta than this one."""

    code = "schema_too_new"


class QueryError(ContextaError, ValueError):
    """A query's arguments are not usable (empty id list, bad limit, …)."""

    code = "invalid_query"


def closest_names(wanted: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = 60) -> list[str]:
    """The candidates that look most like ``wanted`` (typo suggestions for error messages)."""
    from rapidfuzz import fuzz, process, utils

    pool = list(dict.fromkeys(candidates))
    if not pool or not wanted:
        return []
    matches = process.extract(
        wanted, pool, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit, score_cutoff=cutoff
    )
    return [name for name, _score, _idx in matches]


def did_you_mean(wanted: str, candidates: Iterable[str], *, what: str) -> tuple[str, list[str]]:
    """Message tail like "; did you mean `x`?" or "; known Xs: a, b" and the suggestions."""
    pool = list(dict.fromkeys(candidates))
    suggestions = closest_names(wanted, pool)
    if suggestions:
        quoted = " or ".join(f"`{s}`" for s in suggestions)
        return f"; did you mean {quoted}?", suggestions
    if not pool:
        return f" (there are no {what}s yet)", []
    shown = ", ".join(f"`{p}`" for p in pool[:10])
    more = f" and {len(pool) - 10} more" if len(pool) > 10 else ""
    return f"; known {what}s: {shown}{more}", []
