"""The line under an answer that says how the question was read, and how to read it otherwise.

A wrong guess should be one word from right: the project, the metric (and why that one: asked,
stored, or the one most runs record), its stage, its direction, and the other metrics there are.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.rendering import format as fmt
from bot.rendering.i18n import t
from contexta_core.results import MetricScope

MAX_OTHERS = 5


def reading_note(scope: MetricScope, lang: str, other_metrics: Sequence[str] = ()) -> str:
    stage = (
        t(lang, "reading.stage", stage=fmt.escape(scope.stage_name))
        if scope.stage_name
        else t(lang, "reading.run_level")
    )
    others = [m for m in dict.fromkeys(other_metrics) if m != scope.metric_key][:MAX_OTHERS]
    return t(
        lang,
        "reading",
        project=fmt.escape(scope.project),
        metric=fmt.escape(scope.metric_key),
        stage=stage,
        direction=t(lang, "reading.higher" if scope.higher_is_better else "reading.lower"),
        why=t(lang, f"reading.why.{scope.chosen_by}"),
        others=t(lang, "reading.others", names=", ".join(f"`{fmt.escape(m)}`" for m in others))
        if others
        else "",
    )


def read_as_note(read_as: Sequence[tuple[str, str]], lang: str) -> str:
    return " ".join(t(lang, "read_as", typed=fmt.escape(a), stored=fmt.escape(b)) for a, b in read_as)
