"""Metric-over-time charts as PNG bytes: pure functions of query results (no SQL, no Slack).

Drawn with matplotlib's object API on an Agg canvas, never pyplot: pyplot keeps global figure
state (unsafe across the bot's worker threads, leaks figures in a long-running process) and may
look for a display. Every chart is ``FIGURE_WIDTH_IN`` inches wide and the dpi follows
``width_px``, so text keeps its share of the image and stays legible in Slack's ~360 px preview.

Names are drawn in DejaVu Sans (bundled with matplotlib), plus any CJK font the machine has (even
one installed after matplotlib cached its font list).
Characters no available font covers are replaced by ``□`` before drawing, which is what would be
drawn anyway, minus matplotlib's missing-glyph warnings (suppressing those with
``warnings.catch_warnings`` would not be thread-safe).
"""

from __future__ import annotations

import inspect
import io
import logging
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from ..direction import lower_is_better
from ..results import DeploymentRecord, MetricTrend, TrendPoint
from .formatting import format_value, trend_missing_note

FIGURE_WIDTH_IN = 6.4
FONT = "DejaVu Sans"
CJK_FONTS = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Noto Sans CJK JP", "Droid Sans Fallback")
LINE, BEST, DEPLOY, FAILED, MUTED = "#2563eb", "#f59e0b", "#059669", "#dc2626", "#6b7280"
ALL_LABELS_UP_TO = 14  # with more points only first/last/best/deployed runs are named
MAX_RUN_LABELS = 10
MAX_DEPLOY_LABELS = 8
MAX_LINE_POINTS = 20_000  # beyond this the line is drawn through each slice's lowest and highest run
LINE_SLICES = 2_000  # ~2 per horizontal pixel of the default 1200 px chart
LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}
FAILED_STYLE = {"ls": "none", "marker": "X", "color": FAILED, "mec": "white", "mew": 0.6, "zorder": 4}
DEPLOYED_STYLE = {"ls": "none", "marker": "o", "mfc": "none", "mec": DEPLOY, "zorder": 4}
BEST_STYLE = {"ls": "none", "marker": "*", "color": BEST, "mec": "#92400e", "mew": 1, "zorder": 5}
DEPLOYMENT_LINE = {"colors": DEPLOY, "linestyles": "--", "lw": 1.3, "zorder": 2}
RUN_LABEL = {
    "textcoords": "offset points",
    "fontsize": 8.5,
    "color": "#111827",
    "bbox": LABEL_BOX,
    "zorder": 6,
}
BEST_LABEL = {**RUN_LABEL, "color": "#92400e", "fontweight": "bold"}
NO_DATA_TEXT = {"color": "#374151", "wrap": True}


def build_trend_figure(
    trend: MetricTrend,
    *,
    deployments: Sequence[DeploymentRecord] = (),
    best_run_id: str | None = None,
    title: str | None = None,
    higher_is_better: bool | None = None,
    width_px: int = 1200,
    height_px: int = 600,
) -> Figure:
    """The figure behind ``render_trend_chart``; artists carry gids tests and callers can find.

    gids: ``trend-line`` (one point per run in start order; past ``MAX_LINE_POINTS`` runs, each
    slice's lowest and highest, which draws the same picture), ``failed-runs``, ``deployed-runs``,
    ``best-run``, ``deployments`` (one vertical segment per deployment). ``higher_is_better``
    None infers the direction from the metric name (``loss``, ``error``… are lower-is-better);
    ``best_run_id`` not among the points falls back to the best value in the trend.
    """
    fig = _new_figure(width_px, height_px)
    points = sorted(trend.points, key=lambda p: p.started_at)
    _title(fig, title or default_title(trend))
    if not points:
        _draw_no_data(fig, trend)
        return fig
    higher = _direction(trend.metric_key, higher_is_better)
    ax = fig.add_subplot()
    span = [p.started_at for p in points] + [d.started_at for d in deployments]
    best = _draw_trend(
        ax, points, deployments, _best_index(points, best_run_id, higher), labels=True, span=span
    )
    ax.set_title(_text(_subtitle(trend, points, deployments)), loc="left", fontsize=9, color=MUTED, **_font())
    direction = "higher" if higher else "lower"
    ax.set_ylabel(_text(f"{trend.metric_key} ({direction} is better)"), fontsize=10, **_font())
    ax.set_xlabel("run start date (UTC)", fontsize=10)
    _add_legend(fig, points, deployments, best)
    return fig


def build_small_multiples_figure(
    trends: Sequence[MetricTrend],
    *,
    deployments: Sequence[DeploymentRecord] = (),
    title: str | None = None,
    higher_is_better: Mapping[str, bool] | None = None,
    width_px: int = 1200,
    height_px: int | None = None,
) -> Figure:
    """One panel per trend (``higher_is_better`` keyed by metric key); only best/last are named."""
    height_px = height_px or max(600, 120 + 280 * len(trends))
    fig = _new_figure(width_px, height_px)
    names = ", ".join(t.metric_key for t in trends)
    project = trends[0].project_name if trends else ""
    _title(fig, title or f"{project} · {names} over time")
    if not any(t.points for t in trends):
        _draw_no_data(fig, trends[0] if trends else None)
        return fig
    axes = fig.subplots(len(trends), 1, sharex=True, squeeze=False)[:, 0]
    span = [p.started_at for t in trends for p in t.points] + [d.started_at for d in deployments]
    for ax, trend in zip(axes, trends, strict=True):
        points = sorted(trend.points, key=lambda p: p.started_at)
        higher = _direction(trend.metric_key, (higher_is_better or {}).get(trend.metric_key))
        label = f"{trend.stage_name}/{trend.metric_key}" if trend.stage_name else trend.metric_key
        ax.set_ylabel(_text(label), fontsize=10, **_font())
        if not points:
            ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center", color=MUTED)
            ax.set_yticks([])
            continue
        _draw_trend(ax, points, deployments, _best_index(points, None, higher), labels=False, span=span)
    axes[-1].set_xlabel("run start date (UTC)", fontsize=10)
    _add_legend(fig, [p for t in trends for p in t.points], deployments, best=0)
    return fig


def figure_png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, metadata={"Software": None})
    return buffer.getvalue()


def default_title(trend: MetricTrend) -> str:
    where = f"{trend.stage_name}/" if trend.stage_name else ""
    how = "" if trend.aggregation == "latest" else f" ({trend.aggregation})"
    return f"{trend.project_name} · {where}{trend.metric_key}{how} over time"


def _as_png(build: Callable[..., Figure], name: str, doc: str) -> Callable[..., bytes]:
    """``build``'s figure as PNG bytes, taking ``build``'s arguments: one definition of them."""

    def render(*args: Any, **kwargs: Any) -> bytes:
        return figure_png(build(*args, **kwargs))

    render.__name__ = render.__qualname__ = name
    render.__doc__ = doc
    render.__signature__ = inspect.signature(build).replace(return_annotation="bytes")  # for help()
    return render


render_trend_chart = _as_png(
    build_trend_figure,
    "render_trend_chart",
    "One metric across a project's runs as a PNG of exactly ``width_px`` × ``height_px``.",
)
render_metric_small_multiples = _as_png(
    build_small_multiples_figure,
    "render_metric_small_multiples",
    "Several metrics (e.g. accuracy/auc/f1) as stacked panels sharing the date axis.",
)


# -- drawing ---------------------------------------------------------------------------------------


def _new_figure(width_px: int, height_px: int) -> Figure:
    dpi = width_px / FIGURE_WIDTH_IN
    # +0.01 px: Agg truncates width × dpi to an int, so float error must land above the target.
    fig = Figure(figsize=((width_px + 0.01) / dpi, (height_px + 0.01) / dpi), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    fig.set_facecolor("white")
    return fig


def _draw_trend(
    ax: Axes,
    points: list[TrendPoint],
    deployments: Sequence[DeploymentRecord],
    best: int | None,
    *,
    labels: bool,
    span: Sequence[datetime],
) -> int | None:
    """Line, markers, deployments and names on one axes; ``span`` holds every time the x axis shows."""
    many = len(points) > 200  # then a thin line without markers, smaller symbols
    line = {"lw": 1.2, "marker": None} if many else {"lw": 2, "marker": "o", "ms": 4}
    _mark(ax, _envelope(points), "trend-line", color=LINE, zorder=3, **line)
    failed, deployed = [p for p in points if p.status == "failed"], [p for p in points if p.deployments]
    _mark(ax, failed, "failed-runs", ms=5 if many else 8, **FAILED_STYLE)
    _mark(ax, deployed, "deployed-runs", ms=8 if many else 11, mew=1.5 if many else 2, **DEPLOYED_STYLE)
    _mark(ax, points[best : best + 1] if best is not None else [], "best-run", ms=18, **BEST_STYLE)
    _set_limits(ax, points, span)
    _draw_deployments(ax, deployments, label=labels or ax.get_subplotspec().is_first_row())
    ax.xaxis.set_major_locator(locator := mdates.AutoDateLocator(minticks=4, maxticks=9))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(True, color="#e5e7eb", lw=0.8)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.tick_params(labelsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    _label_points(ax, points, best, every=labels and len(points) <= ALL_LABELS_UP_TO, names=labels)
    return best


def _envelope(points: list[TrendPoint]) -> list[TrendPoint]:
    """The points the line is drawn through: all of them, or with far more runs than pixels, each
    slice's lowest and highest run in time order. The drawing looks the same (every spike and dip
    stays) at a fraction of the cost; markers, labels and limits still use every run."""
    if len(points) <= MAX_LINE_POINTS:
        return points
    size = math.ceil(len(points) / LINE_SLICES)
    kept: list[TrendPoint] = []
    for start in range(0, len(points), size):
        chunk = range(start, min(start + size, len(points)))
        low = min(chunk, key=lambda i: points[i].value)
        high = max(chunk, key=lambda i: points[i].value)
        kept.extend(points[i] for i in sorted({chunk[0], low, high, chunk[-1]}))
    return kept


def _mark(ax: Axes, points: Sequence[TrendPoint], gid: str, **style) -> None:
    """One Line2D (gid ``gid``) through ``points``, skipped when there are none."""
    if points:
        ax.plot([p.started_at for p in points], [p.value for p in points], gid=gid, **style)


def _set_limits(ax: Axes, points: list[TrendPoint], times: Sequence[datetime]) -> None:
    """Pad around the data (never forced to 0), with headroom above for the names."""
    finite = [p.value for p in points if math.isfinite(p.value)] or [0.0]
    low, high = min(finite), max(finite)
    span = high - low or (abs(high) * 0.05 or 1.0)
    ax.set_ylim(low - 0.15 * span, high + 0.3 * span)
    first, last = min(times), max(times)
    pad = (last - first) * 0.04 or timedelta(days=3)
    ax.set_xlim(first - pad, last + pad)


def _draw_deployments(ax: Axes, deployments: Sequence[DeploymentRecord], *, label: bool) -> None:
    """Dashed verticals for every deployment; names along a top axis, the newest first."""
    if not deployments:
        return
    times = [d.started_at for d in deployments]
    ax.vlines(times, 0, 1, transform=ax.get_xaxis_transform(), gid="deployments", **DEPLOYMENT_LINE)
    if not label:
        return
    x_of = _x_points(ax)
    shown: list[tuple[float, float, DeploymentRecord]] = []
    for d in sorted(deployments, key=lambda d: d.started_at, reverse=True):
        x, half = x_of(d.started_at), _text_width(d.name, 8) / 2
        if len(shown) < MAX_DEPLOY_LABELS and all(abs(x - sx) > half + sh + 6 for sx, sh, _ in shown):
            shown.append((x, half, d))
    top = ax.secondary_xaxis("top")
    top.set_xticks([d.started_at for *_, d in shown], [_text(d.name) for *_, d in shown], **_font())
    top.tick_params(labelsize=8, colors=DEPLOY, length=3, pad=1)
    top.spines["top"].set_visible(False)


def _label_points(ax: Axes, points: list[TrendPoint], best: int | None, *, every: bool, names: bool) -> None:
    """Names on points without overlap: best, last, first, deployed (newest first), then the rest."""
    order = [i for i in (best, len(points) - 1, 0) if i is not None]
    if names:
        order += [i for i in range(len(points) - 1, -1, -1) if points[i].deployments]
        if every:
            order += list(range(len(points)))
    x_of, y_of = _x_points(ax), _y_points(ax)
    top = y_of(ax.get_ylim()[1])
    placed: list[tuple[float, float, float, float]] = []
    for i in dict.fromkeys(order):
        if len(placed) >= MAX_RUN_LABELS or not math.isfinite(points[i].value):
            continue
        point = points[i]
        text = point.run_name if names else format_value(point.value)
        if i == best:
            text = f"★ {point.run_name} · {format_value(point.value)}" if names else f"★ {text}"
        width, x, y = _text_width(text, 8.5), x_of(point.started_at), y_of(point.value)
        ha, left = _anchor(x, width, ax)
        for dy in (9, -9, 22, -22):
            box = (left, y + dy if dy > 0 else y + dy - 14, width, 14)
            inside = box[1] >= 0 and box[1] + box[3] <= top
            if inside and not any(_overlaps(box, other) for other in placed):
                placed.append(box)
                style = {**(BEST_LABEL if i == best else RUN_LABEL), **_font()}
                xy, va = (point.started_at, point.value), "bottom" if dy > 0 else "top"
                ax.annotate(_text(text), xy, xytext=(0, dy), ha=ha, va=va, **style)
                break


def _add_legend(
    fig: Figure, points: Sequence[TrendPoint], deployments: Sequence[DeploymentRecord], best: int | None
) -> None:
    handles = [Line2D([], [], color=LINE, marker="o", ms=4, lw=2, label="run")]
    if best is not None:
        handles.append(Line2D([], [], ls="none", marker="*", ms=12, color=BEST, mec="#92400e", label="best"))
    if deployments or any(p.deployments for p in points):
        handles.append(Line2D([], [], color=DEPLOY, ls="--", marker="o", mfc="none", label="deployed"))
    if any(p.status == "failed" for p in points):
        handles.append(Line2D([], [], ls="none", marker="X", ms=8, color=FAILED, label="failed"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, fontsize=9)


def _draw_no_data(fig: Figure, trend: MetricTrend | None) -> None:
    """A clear image instead of an empty or broken plot."""
    what = default_title(trend).removesuffix(" over time") if trend else "these metrics"
    lines = [f"No data for {what}"]
    if trend is not None:
        note = trend_missing_note(trend)
        lines += [note] if note else []
    fig.text(0.5, 0.55, _text(lines[0]), ha="center", va="center", fontsize=15, **NO_DATA_TEXT, **_font())
    if len(lines) > 1:
        more = _text("\n".join(lines[1:]), lines=True)
        fig.text(0.5, 0.42, more, ha="center", va="top", fontsize=10, **NO_DATA_TEXT, **_font())


def _subtitle(trend: MetricTrend, points: list[TrendPoint], deployments: Sequence[DeploymentRecord]) -> str:
    first, last = points[0], points[-1]
    parts = [f"{len(points)} run{'s' if len(points) != 1 else ''}"]
    if len(points) > 1:
        parts.append(f"{first.started_at:%Y-%m-%d} → {last.started_at:%Y-%m-%d}")
        parts.append(f"change {last.value - first.value:+.4g}")
    if deployments:
        parts.append(f"{len(deployments)} deployment{'s' if len(deployments) != 1 else ''}")
    if trend.missing_run_count:
        parts.append(f"{trend.missing_run_count} run(s) without it")
    return " · ".join(parts)


# -- helpers ---------------------------------------------------------------------------------------


def _title(fig: Figure, text: str) -> None:
    fig.suptitle(_text(text), x=0.01, ha="left", fontsize=13, fontweight="bold", **_font())


def _direction(metric_key: str, higher_is_better: bool | None) -> bool:
    return (not lower_is_better(metric_key)) if higher_is_better is None else higher_is_better


def _best_index(points: list[TrendPoint], best_run_id: str | None, higher: bool) -> int | None:
    """The given best run if plotted, else the first best finite value."""
    for i, point in enumerate(points):
        if best_run_id is not None and point.run_id == best_run_id:
            return i
    finite = [i for i, point in enumerate(points) if math.isfinite(point.value)]
    # max/min return the first of equals: ties go to the earlier run
    return (max if higher else min)(finite, key=lambda i: points[i].value) if finite else None


def _x_points(ax: Axes) -> Callable[[datetime], float]:
    """Approximate x in points from the axes' left (before layout): enough to keep labels apart."""
    low, high = ax.get_xlim()
    width = _plot_width(ax)
    return lambda when: (mdates.date2num(when) - low) / ((high - low) or 1) * width


def _y_points(ax: Axes) -> Callable[[float], float]:
    low, high = ax.get_ylim()
    height = ax.figure.get_figheight() * 72 * 0.7 / max(1, len(ax.figure.axes))
    return lambda value: (value - low) / ((high - low) or 1) * height


def _plot_width(ax: Axes) -> float:
    return ax.figure.get_figwidth() * 72 * 0.88


def _text_width(text: str, size_pt: float) -> float:
    return len(text) * size_pt * 0.62  # in points; DejaVu Sans averages ~0.6 em per character


def _anchor(x: float, width_pt: float, ax: Axes) -> tuple[str, float]:
    """Left-, right- or center-aligned so names near the edges stay inside the image."""
    right_edge = _plot_width(ax)
    if x < width_pt / 2:
        return "left", x
    if x > right_edge - width_pt / 2:
        return "right", x - width_pt
    return "center", x - width_pt / 2


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _font() -> dict[str, object]:
    """Text properties for anything holding stored names: our font chain, ``$`` taken literally."""
    return {"fontfamily": _families(), "parse_math": False}


@cache
def _families() -> tuple[str, ...]:
    with _FONT_LOCK:
        installed = {f.name for f in font_manager.fontManager.ttflist}
        if not installed.intersection(CJK_FONTS):
            installed |= _add_new_cjk_fonts()
    return (FONT, *(name for name in CJK_FONTS if name in installed))


_FONT_LOCK = threading.Lock()


class _NearestWeightIsFine(logging.Filter):
    """Bold names in a CJK font whose bold face is semibold (NanumGothic's is 600): matplotlib uses
    it and logs a warning each time, which would be noise in every CLI run and bot log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("findfont: Failed to find font weight")


logging.getLogger("matplotlib.font_manager").addFilter(_NearestWeightIsFine())
_CJK_FILE_HINTS = ("cjk", "nanum", "notosanskr", "droidsansfallback")


def _add_new_cjk_fonts() -> set[str]:
    """matplotlib lists a machine's fonts once, on its first run, and keeps that list: a CJK font
    installed since (``apt install fonts-nanum``) would stay unused. Register such files now."""
    names: set[str] = set()
    for path in font_manager.findSystemFonts():
        if any(hint in path.lower().replace("-", "").replace("_", "") for hint in _CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
                names.add(font_manager.FontProperties(fname=path).get_name())
            except (OSError, RuntimeError, ValueError):  # an unreadable or unsupported font file
                continue
    return names


def warm_up() -> None:
    """Find the fonts and what they cover now (~0.1 s, plus ~0.4 s importing matplotlib before it)
    rather than in the first chart a long-running process draws."""
    _covered()


@cache
def _covered() -> frozenset[int]:
    codes: set[int] = set()
    for family in _families():
        path = font_manager.findfont(FontProperties(family=family), fallback_to_default=False)
        codes.update(FT2Font(path).get_charmap())
    return frozenset(codes)


def _text(text: str, *, lines: bool = False) -> str:
    """Text safe to draw: one line unless ``lines``, characters no font has shown as □."""
    covered = _covered()
    return "".join(
        ch
        if (lines and ch == "\n") or (ch.isprintable() and ord(ch) in covered)
        else (" " if ch.isspace() else "□")
        for ch in text
    )
