"""What a question is about once the words are parsed: which project, which metric in which stage, which direction.

Defaults come from the project (`get_project_defaults`); a metric named without a stage is
looked for in the default stage first and then wherever it is recorded, so "best on f1" works
without the person knowing the project's stage names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.question_router import METRICS
from bot.rendering.i18n import detect_language
from contexta_core import Contexta
from contexta_core.errors import ContextaError, UnknownMetricError, UnknownProjectError, UnknownStageError
from contexta_core.queries.report import lower_is_better as lower_is_better_metric
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
    defaults = ctx.get_project_defaults(project)
    key = metric or defaults.metric_key
    if lower is not None:
        higher = not lower
    elif key == defaults.metric_key:
        higher = defaults.higher_is_better
    else:
        higher = not lower_is_better_metric(key)
    wanted = stage if stage is not None else defaults.stage_name
    try:
        trend = ctx.get_metric_trend(key, project, stage_name=wanted)
    except (UnknownMetricError, UnknownStageError) as first:
        if stage is not None:
            raise
        try:
            trend = ctx.get_metric_trend(key, project, stage_name=None)  # wherever it is recorded
        except ContextaError as second:
            # A default stage the project lacks is no news to the asker; the metric's absence is.
            raise (second if isinstance(first, UnknownStageError) else first) from None
    return MetricScope(key, trend.stage_name, higher), trend


def qualified(run: str, project: str) -> str:
    """A typed run name as a full id inside `project` (full `run:` ids are kept)."""
    return run if run.startswith("run:") else f"run:{project}.{run}"
