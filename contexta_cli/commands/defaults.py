"""What "best" and "trend" mean for a command: its options first, then the project's defaults."""

from __future__ import annotations

from contexta_core import Contexta
from contexta_core.queries.report import lower_is_better
from contexta_core.results import ProjectDefaults


def resolve_defaults(
    contexta: Contexta,
    project: str,
    metric: str | None = None,
    stage: str | None = None,
    higher_is_better: bool | None = None,
) -> ProjectDefaults:
    """Options win; a metric named without a direction gets the direction its name implies (loss ↓),
    the same rule ``onboarding_summary`` applies, so `best` and `onboard` agree."""
    stored = contexta.get_project_defaults(project)
    metric_key = metric or stored.metric_key
    if higher_is_better is None:
        higher_is_better = stored.higher_is_better if metric is None else not lower_is_better(metric_key)
    return ProjectDefaults(metric_key, stage or stored.stage_name, higher_is_better)
