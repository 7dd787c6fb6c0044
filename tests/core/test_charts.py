"""Trend charts: valid PNGs of the asked size whose plotted data is exactly the query's answer."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from matplotlib import dates as mdates
from PIL import Image, ImageChops, ImageStat

from contexta_core.render.charts import (
    build_small_multiples_figure,
    build_trend_figure,
    render_metric_small_multiples,
    render_trend_chart,
)
from contexta_core.results import MetricTrend, TrendPoint
from contexta_core.synthetic import DEPLOYMENTS, RUNS, add_project, add_run, day, metric

DEMO = "churn-prediction"
T0 = datetime(2024, 1, 1, tzinfo=UTC)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first after the signature."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def assert_png(data: bytes, width: int, height: int) -> Image.Image:
    assert png_size(data) == (width, height)
    image = Image.open(io.BytesIO(data))
    image.load()  # decodes every chunk: a truncated or corrupt file fails here
    assert image.size == (width, height)
    assert max(ImageStat.Stat(image.convert("L")).stddev) > 5  # not a blank canvas
    return image


def artist(fig, gid: str, ax_index: int = 0):
    ax = fig.axes[ax_index]
    found = [a for a in [*ax.lines, *ax.collections] if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist with gid {gid!r}, found {len(found)}"
    return found[0]


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


def synthetic(n: int, *, key: str = "accuracy", value=lambda i: 0.5 + i / 1000, status=lambda i: "completed"):
    points = tuple(
        TrendPoint(
            f"run:p.r{i}",
            f"r{i}",
            value(i),
            T0 + timedelta(hours=i),
            status(i),
            "evaluate",
        )
        for i in range(n)
    )
    return MetricTrend(key, "p", "evaluate", "latest", points)


# -- the demo project: the chart shows exactly what the queries answer ---------------------------


def test_trend_figure_plots_the_query_answer(demo_ctx):
    trend = demo_ctx.get_metric_trend("accuracy", project_name=DEMO)
    deployments = demo_ctx.list_deployments(DEMO)
    best = demo_ctx.best_run(DEMO, "accuracy", stage_name="evaluate")
    fig = build_trend_figure(trend, deployments=deployments, best_run_id=best.run_id)

    line = artist(fig, "trend-line")
    assert tuple(line.get_ydata()) == trend.values == tuple(run[3] for run in RUNS)
    runs = demo_ctx.list_runs(DEMO)
    assert list(line.get_xdata()) == [r.started_at for r in runs]
    assert [r.started_at for r in runs] == [datetime.fromisoformat(run[1]) for run in RUNS]

    segments = artist(fig, "deployments").get_segments()
    expected = [datetime.fromisoformat(d[2]) for d in DEPLOYMENTS]  # prod-deploy-v3, prod-deploy-v6
    assert [s[0][0] for s in segments] == pytest.approx(mdates.date2num(expected))
    top = fig.axes[0].child_axes[0]  # the deployment names along the top
    assert sorted(t.get_text() for t in top.get_xticklabels()) == ["prod-deploy-v3", "prod-deploy-v6"]

    ring = artist(fig, "deployed-runs")
    assert list(ring.get_xdata()) == [runs[2].started_at, runs[5].started_at]  # v3 and v6

    star = artist(fig, "best-run")
    assert best.run_name == "churn-v6-apr"
    assert (list(star.get_xdata()), list(star.get_ydata())) == ([runs[5].started_at], [0.902])
    shown = texts(fig)
    assert "★ churn-v6-apr · 0.902" in shown
    assert {r.name for r in runs} <= {t.removeprefix("★ ").split(" · ")[0] for t in shown}
    assert "churn-prediction · evaluate/accuracy over time" in shown
    assert "accuracy (higher is better)" in shown

    low, high = fig.axes[0].get_ylim()
    assert 0.8 < low < 0.821 and 0.902 < high < 0.95  # padded around the data, not from 0


def test_render_trend_chart_is_a_png_of_the_requested_size(demo_ctx):
    trend = demo_ctx.get_metric_trend("accuracy", project_name=DEMO)
    png = render_trend_chart(trend, deployments=demo_ctx.list_deployments(DEMO))
    assert_png(png, 1200, 600)


def test_small_multiples_one_panel_per_metric_sharing_x(demo_ctx):
    trends = [demo_ctx.get_metric_trend(key, project_name=DEMO) for key in ("accuracy", "auc", "f1")]
    fig = build_small_multiples_figure(trends, deployments=demo_ctx.list_deployments(DEMO))
    assert len(fig.axes) == 3
    for i, trend in enumerate(trends):
        assert tuple(artist(fig, "trend-line", i).get_ydata()) == trend.values
        assert artist(fig, "best-run", i).get_ydata()[0] == max(trend.values)
        assert fig.axes[i].get_xlim() == fig.axes[0].get_xlim()
    assert [ax.get_ylabel() for ax in fig.axes[:3]] == ["evaluate/accuracy", "evaluate/auc", "evaluate/f1"]
    assert_png(render_metric_small_multiples(trends), 1200, 960)


def test_failed_runs_and_lower_is_better_from_the_store(ctx):
    add_project(ctx, "proj")
    for n, status in enumerate(["completed", "failed", "completed", "completed"]):
        add_run(ctx, "proj", f"r{n}", n, status=status)
    losses = [0.9, 0.2, 0.5, 0.4]  # the failed run has the lowest loss
    ctx.record_store.append_many([metric("proj", f"r{n}", "val_loss", v) for n, v in enumerate(losses)])
    trend = ctx.get_metric_trend("val_loss", project_name="proj")
    fig = build_trend_figure(trend)
    assert tuple(artist(fig, "trend-line").get_ydata()) == (0.9, 0.2, 0.5, 0.4)
    failed = artist(fig, "failed-runs")
    assert (list(failed.get_xdata()), list(failed.get_ydata())) == ([day(1)], [0.2])
    assert list(artist(fig, "best-run").get_ydata()) == [0.2]  # loss: best is the minimum
    assert "val_loss (lower is better)" in texts(fig)
    assert "failed" in texts(fig)  # legend entry


# -- edge cases --------------------------------------------------------------------------------


def test_no_points_draws_a_clear_no_data_image():
    empty = MetricTrend("accuracy", "p", "evaluate", "latest", (), 3, ("a", "b", "c"))
    fig = build_trend_figure(empty)
    assert any(t.startswith("No data for p · evaluate/accuracy") for t in texts(fig))
    assert "3 run(s) have no evaluate/accuracy: a, b, c" in texts(fig)
    assert_png(render_trend_chart(empty), 1200, 600)
    assert_png(render_metric_small_multiples([]), 1200, 600)
    assert_png(render_metric_small_multiples([empty, synthetic(3)]), 1200, 680)


def test_one_point():
    fig = build_trend_figure(synthetic(1, value=lambda i: 0.75))
    assert list(artist(fig, "trend-line").get_ydata()) == [0.75]
    low, high = fig.axes[0].get_ylim()
    assert low < 0.75 < high
    left, right = fig.axes[0].get_xlim()
    assert left < mdates.date2num(T0) < right
    assert_png(render_trend_chart(synthetic(1)), 1200, 600)


def test_five_thousand_points_render_fast_with_few_labels():
    trend = synthetic(
        5000,
        key="val_loss",
        value=lambda i: 2 * 0.999**i,
        status=lambda i: "failed" if i % 97 == 0 else "completed",
    )
    started = time.perf_counter()
    png = render_trend_chart(trend)
    assert time.perf_counter() - started < 2.0
    assert_png(png, 1200, 600)
    fig = build_trend_figure(trend)
    assert len(artist(fig, "trend-line").get_ydata()) == 5000
    assert len(fig.axes[0].texts) <= 10
    assert list(artist(fig, "best-run").get_xdata()) == [T0 + timedelta(hours=4999)]  # min loss: last


def test_direction_can_be_given_and_best_run_id_wins():
    trend = synthetic(5, key="score")
    assert artist(build_trend_figure(trend), "best-run").get_ydata()[0] == trend.values[-1]
    fig = build_trend_figure(trend, higher_is_better=False)
    assert artist(fig, "best-run").get_ydata()[0] == trend.values[0]
    fig = build_trend_figure(trend, best_run_id="run:p.r2")
    assert artist(fig, "best-run").get_ydata()[0] == trend.values[2]
    fig = build_trend_figure(trend, best_run_id="run:elsewhere")  # not plotted: falls back
    assert artist(fig, "best-run").get_ydata()[0] == trend.values[-1]


@pytest.mark.parametrize("size", [(1200, 600), (360, 180), (801, 451), (1000, 1000)])
def test_exact_pixel_sizes(size):
    assert_png(render_trend_chart(synthetic(6), width_px=size[0], height_px=size[1]), *size)


@pytest.mark.parametrize("hours", [0.01, 1, 5, 50, 300, 2000, 9000, 50000, 500000])
def test_any_time_span_draws_without_warnings(hours):
    trend = synthetic(5)
    points = tuple(
        p._replace(started_at=T0 + timedelta(hours=hours * i / 4)) for i, p in enumerate(trend.points)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        render_trend_chart(MetricTrend("acc", "p", None, "latest", points))


def test_korean_dollar_and_nan_names_do_not_warn_or_crash():
    names = ["이탈-모델-1", "$\\notacommand$", "tab\tand\nnewline", "emoji 🚀", "plain"]
    points = tuple(
        TrendPoint(f"run:p.{i}", name, v, T0 + timedelta(days=i), "completed")
        for i, (name, v) in enumerate(zip(names, [0.1, 0.25, float("nan"), 0.2, 0.4], strict=True))
    )
    trend = MetricTrend("정확도", "고객-이탈", "평가", "latest", points)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # missing glyphs must not even warn
        png = render_trend_chart(trend)
        render_metric_small_multiples([trend])
    assert_png(png, 1200, 600)
    shown = texts(build_trend_figure(trend))
    assert "$\\notacommand$" in shown  # drawn literally, not parsed as mathtext
    assert "emoji □" in shown and "★ plain · 0.4" in shown  # tofu only where no installed font has it


def test_renders_concurrently_to_identical_bytes():
    trend = synthetic(40, status=lambda i: "failed" if i == 5 else "completed")
    expected = render_trend_chart(trend)
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: render_trend_chart(trend), range(12)))
    assert all(r == expected for r in results)


def test_chart_and_report_modules_need_no_pyplot_display_or_chat_libraries():
    code = (
        "import sys, contexta_core.render.charts, contexta_core.render.html\n"
        "unwanted = ('matplotlib.pyplot', 'slack_bolt', 'slack_sdk', 'typer', 'rich', 'bot')\n"
        "loaded = [name for name in unwanted if name in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_exported_chart_follows_an_explicit_direction(demo_ctx):
    from contexta_core.render.files import trend_chart

    scope, trend = demo_ctx.resolve_scope(DEMO, "accuracy", None, False)
    lower = trend_chart(demo_ctx, scope)
    expected = render_trend_chart(
        trend,
        deployments=demo_ctx.list_deployments(DEMO),
        best_run_id="run:churn-prediction.churn-v1-jan",  # the lowest accuracy, as asked
        higher_is_better=False,
    )
    assert lower.content == expected
    assert trend_chart(demo_ctx, demo_ctx.resolve_scope(DEMO)[0]).content != expected


def test_the_exported_chart_is_drawn_in_the_scope_it_is_given_never_resolved_again(demo_ctx, monkeypatch):
    from contexta_core.render.files import trend_chart

    scope, trend = demo_ctx.resolve_scope(DEMO, "auc", None, False)
    expected = trend_chart(demo_ctx, scope, trend).content

    def resolve_again(*args, **kwargs):
        raise AssertionError("the chart re-resolved the scope it was given")

    monkeypatch.setattr(demo_ctx, "resolve_scope", resolve_again)
    monkeypatch.setattr(demo_ctx, "resolve_project_name", resolve_again)
    assert trend_chart(demo_ctx, scope).content == expected  # reads the trend in that scope itself
    chart = trend_chart(demo_ctx, scope, trend)
    assert chart.filename == "churn-prediction-evaluate-auc-trend.png" and chart.content == expected


def test_korean_names_are_drawn_in_a_korean_font_when_the_machine_has_one():
    """The team is Korean: with a Korean font installed (CI installs fonts-nanum), no tofu."""
    from matplotlib import font_manager

    korean = ("nanum", "cjk", "notosanskr")
    if not any(
        hint in path.lower().replace("-", "") for path in font_manager.findSystemFonts() for hint in korean
    ):
        if os.environ.get("CI") == "true":
            pytest.fail("a Korean font is required under CI (apt-get install -y fonts-nanum)")
        pytest.skip("no Korean font installed (apt-get install -y fonts-nanum)")
    points = (
        TrendPoint("run:p.a", "이탈-모델-1", 0.8, T0, "completed"),
        TrendPoint("run:p.b", "이탈-모델-2", 0.9, T0 + timedelta(days=1), "completed"),
    )
    trend = MetricTrend("정확도", "고객-이탈", "평가", "latest", points)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from every font in the chain would warn
        assert_png(render_trend_chart(trend), 1200, 600)
    shown = texts(build_trend_figure(trend))
    assert "★ 이탈-모델-2 · 0.9" in shown and "이탈-모델-1" in shown
    assert "고객-이탈 · 평가/정확도 over time" in shown and not any("□" in text for text in shown)


def test_a_line_through_far_more_runs_than_pixels_keeps_every_spike(monkeypatch):
    import random

    from contexta_core.render import charts

    rng = random.Random(3)
    values = [0.8 + rng.gauss(0, 0.02) for _ in range(60_000)]
    values[12_345], values[54_321] = 0.99, 0.41  # one spike, one dip
    trend = synthetic(60_000, value=values.__getitem__)
    line = artist(build_trend_figure(trend), "trend-line")
    kept = list(line.get_ydata())
    assert len(kept) <= 4 * charts.LINE_SLICES and {0.99, 0.41, values[0], values[-1]} <= set(kept)
    assert list(line.get_xdata()) == sorted(line.get_xdata())
    drawn = Image.open(io.BytesIO(render_trend_chart(trend))).convert("L")
    monkeypatch.setattr(charts, "MAX_LINE_POINTS", 10**9)  # every run on the line
    full = Image.open(io.BytesIO(render_trend_chart(trend))).convert("L")
    differing = sum(ImageChops.difference(drawn, full).histogram()[33:])  # visibly, not by antialiasing
    assert differing < 0.0005 * full.width * full.height  # the same picture (125 of 720,000 pixels)
