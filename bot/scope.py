"""What a question is about once the words are parsed: which project, which metric in which stage, which direction.

Defaults come from the project, and a metric named without a stage is looked for in the default
stage first and then wherever it is recorded (the core's `resolve_scope`, which the CLI uses too),
so "best on f1" works without the person knowing the project's stage names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.question_router import METRICS
from bot.rendering.i18n import detect_language
from contexta_core import Contexta
from contexta_core.errors import UnknownProjectError
from contexta_core.results import MetricTrend


def metric_from_words(text: str | None) -> str | None:
    """A metric typed in Korean ("정확도") as its stored key ("accuracy"); other text is kept as typed."""
    if not text or detect_language(text) != "ko":
        return text
    return next((name for name, pattern in METRICS if re.search(pattern, text.lower())), text)


@dataclass(frozen=True)
class MetricScope:
    metric: str
    stage: str | None
    higher_is_better: bool


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
            pass  # a channel default whose project is gone: fall through to asking
    names = ctx.list_projects()
    return names[0] if len(names) == 1 else None


def resolve_scope(
    ctx: Contexta,
    project: str,
    *,
    metric: str | None = None,
    stage: str | None = None,
    lower: bool | None = None,
) -> tuple[MetricScope, MetricTrend]:
    """The metric scope of a question and the metric's trend (every run's value) in that scope."""
    found, trend = ctx.resolve_scope(project, metric, stage, None if lower is None else not lower)
    return MetricScope(found.metric_key, found.stage_name, found.higher_is_better), trend


def qualified(run: str, project: str) -> str:
    """A typed run name as a full id inside `project` (full `run:` ids are kept)."""
    return run if run.startswith("run:") else f"run:{project}.{run}"
