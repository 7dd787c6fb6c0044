"""Typed errors: a ``code`` naming what went wrong, the ``details`` that fill it in, and an English message.

Each surface words an error in one place: the CLI prints ``message`` (English, one line); the bot
looks ``error.<code>`` up in its catalog and fills it with ``details``, so a Korean asker reads a
whole Korean sentence. ``details`` therefore holds every value the sentence needs (plain str,
int, lists of str, or None), never pre-worded English. Anything that is not a ``ContextaError``
is a bug and is reported as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


class ContextaError(Exception):
    """Base of every error the core raises on purpose; ``code`` is specific (``unknown_project``),
    the class says the family (``NotFoundError``)."""

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
        self.suggestions = tuple(suggestions) or tuple(self.details.get("suggestions", ()))


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


KNOWN_SHOWN = 10  # names listed when none is close to what was asked for


def name_hints(wanted: str, candidates: Iterable[str], *, kind: str) -> dict[str, Any]:
    """What an unknown name's error can offer instead, as ``details``: the closest names
    (``suggestions``), else the first known ones (``known``, ``known_more`` beyond those)."""
    pool = list(dict.fromkeys(candidates))
    suggestions = closest_names(wanted, pool)
    known = [] if suggestions else pool[:KNOWN_SHOWN]
    return {
        "kind": kind,
        "suggestions": suggestions,
        "known": known,
        "known_more": 0 if suggestions else max(len(pool) - KNOWN_SHOWN, 0),
    }


def hint_tail(hints: dict[str, Any]) -> str:
    """The English tail of ``name_hints``: "; did you mean `x`?", "; known Xs: a, b" or "(there are no Xs yet)"."""
    what = hints["kind"]
    if hints["suggestions"]:
        return "; did you mean " + " or ".join(f"`{s}`" for s in hints["suggestions"]) + "?"
    if not hints["known"]:
        return f" (there are no {what}s yet)"
    more = f" and {hints['known_more']} more" if hints["known_more"] else ""
    return f"; known {what}s: " + ", ".join(f"`{p}`" for p in hints["known"]) + more


def did_you_mean(wanted: str, candidates: Iterable[str], *, what: str) -> tuple[str, list[str]]:
    """The English message tail for an unknown ``what`` named ``wanted``, and the closest names."""
    hints = name_hints(wanted, candidates, kind=what)
    return hint_tail(hints), hints["suggestions"]
