"""Which way a metric is better: the one rule every answer, chart, report and question uses.

A metric's name implies its direction (``loss``, ``error``, ``rmse``… are lower-is-better; any
word of a ``val/loss`` or ``train_error_rate`` style key counts). A question or a flag that says
which way wins; else a project's stored direction for its own metric; else the name. Everything
else speaks of ``higher_is_better: bool | None`` (None: not said, so the rule decides).
"""

from __future__ import annotations

import re

# Metric name words whose smaller values are better.
LOWER_IS_BETTER_WORDS = frozenset(
    {"loss", "error", "err", "rmse", "mse", "mae", "mape", "smape", "latency", "perplexity", "ppl", "wer",
     "cer", "logloss", "nll", "brier", "eer", "fpr", "fnr", "rtf", "time", "duration", "seconds", "ms",
     "memory"}
)  # fmt: skip
_WORD_SEPARATORS = re.compile(r"[/._-]")


def lower_is_better(metric_key: str) -> bool:
    """Whether the metric's name says smaller values are better."""
    return any(word in LOWER_IS_BETTER_WORDS for word in _WORD_SEPARATORS.split(metric_key))


def resolve_higher_is_better(
    metric_key: str,
    asked: bool | None = None,
    *,
    project_metric: str | None = None,
    project_higher_is_better: bool | None = None,
) -> bool:
    """The direction of ``metric_key``: as asked; else the project's, when it is the project's own
    metric and the project stored one; else what the name implies."""
    if asked is not None:
        return asked
    if project_higher_is_better is not None and metric_key == project_metric:
        return project_higher_is_better
    return not lower_is_better(metric_key)
