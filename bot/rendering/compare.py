"""Compare answer: two runs side by side (status, duration, deployments) and per-stage metric deltas."""

from __future__ import annotations

from collections.abc import Sequence

from bot.rendering import format as fmt
from bot.rendering.blocks import (
    SECTION_BUDGET,
    Rendered,
    context,
    fields,
    finish,
    header,
    line_sections,
    section,
)
from bot.rendering.i18n import status_label, t
from contexta_core.direction import lower_is_better
from contexta_core.results import DeploymentRecord, MetricDelta, RunComparison, RunRecord

MAX_METRIC_LINES = 80
_KEY = 28


def render_compare(comparison: RunComparison, *, lang: str) -> Rendered:
    left, right = comparison.left_run, comparison.right_run
    blocks = [
        header(t(lang, "compare.header", left=left.name, right=right.name)),
        fields(
            [_side(left, comparison.left_deployments, lang), _side(right, comparison.right_deployments, lang)]
        ),
    ]
    deltas = [d for s in comparison.stage_comparisons for d in s.metric_deltas]
    verdict = _verdict(deltas, left.name, right.name, lang)
    blocks.append(section(verdict))
    lines: list[str] = []
    chunks: list[str] = []
    hidden = 0
    for stage in comparison.stage_comparisons:
        if not stage.metric_deltas:
            continue
        if len(lines) >= MAX_METRIC_LINES:
            hidden += len(stage.metric_deltas)
            continue
        name = fmt.escape(stage.stage_name) if stage.stage_name else t(lang, "best.run_level")
        title = f"*{name}*"
        if stage.left_status or stage.right_status:
            title += f" · {status_label(stage.left_status, lang)} → {status_label(stage.right_status, lang)}"
        width = min(_KEY, max(len(d.metric_key) for d in stage.metric_deltas))
        rows = [_delta_row(d, width) for d in stage.metric_deltas]
        room = MAX_METRIC_LINES - len(lines)
        hidden += max(0, len(rows) - room)
        lines += rows[:room]
        chunks += _fenced(title, rows[:room])
    blocks += line_sections(chunks) if chunks else [section(t(lang, "compare.no_metrics"))]
    notes = [t(lang, "compare.legend")]
    if hidden:
        notes.append(t(lang, "compare.hidden", count=hidden))
    blocks.append(context(" · ".join(notes)))
    text = t(
        lang,
        "compare.fallback",
        left=fmt.escape(left.name),
        right=fmt.escape(right.name),
        verdict=_plain(verdict),
    )
    return finish(blocks, text)


def _fenced(title: str, rows: list[str]) -> list[str]:
    """The stage title and its rows as ``` chunks that each fit one section (a row is never split)."""
    groups: list[list[str]] = [[]]
    size = 0
    for row in rows:
        if groups[-1] and size + len(row) + 1 > SECTION_BUDGET - len(title) - 10:
            groups.append([])
            size = 0
        groups[-1].append(row)
        size += len(row) + 1
    return [f"{title}\n```\n" + "\n".join(group) + "\n```" for group in groups]


def _side(run: RunRecord, deployments: Sequence[DeploymentRecord], lang: str) -> str:
    lines = [
        f"*{fmt.escape(fmt.clip_name(run.name, fmt.NAME_WIDTH))}*",
        f"{status_label(run.status, lang)} · {fmt.duration(run.duration_seconds)}",
        t(lang, "compare.started", day=fmt.day(run.started_at)),
    ]
    if deployments:
        names = ", ".join(fmt.escape(fmt.clip_name(d.name, 40)) for d in deployments[:3])
        lines.append(f":rocket: {names}")
    else:
        lines.append(t(lang, "compare.not_deployed"))
    return "\n".join(lines)


def _delta_row(d: MetricDelta, width: int) -> str:
    key = fmt.clip(d.metric_key, width).ljust(width)
    change = fmt.delta(d.delta)
    if d.delta:
        change += "  ✓" if (d.delta < 0) == lower_is_better(d.metric_key) else "  ✗"
    return fmt.escape(f"{key} {fmt.number(d.left_value):>9} → {fmt.number(d.right_value):<9} {change}")


def _verdict(deltas: list[MetricDelta], left: str, right: str, lang: str) -> str:
    both = [d for d in deltas if d.delta is not None]
    if not both:
        return t(lang, "compare.no_common")
    better = sum(1 for d in both if d.delta and (d.delta < 0) == lower_is_better(d.metric_key))
    worse = sum(1 for d in both if d.delta and (d.delta < 0) != lower_is_better(d.metric_key))
    return t(
        lang,
        "compare.verdict",
        right=fmt.code(right),
        left=fmt.code(left),
        better=better,
        worse=worse,
        total=len(both),
    )


def _plain(markdown: str) -> str:
    return markdown.replace("*", "").replace("`", "")
