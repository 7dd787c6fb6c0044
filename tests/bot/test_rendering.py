"""Renderers on hand-built results: formats, both languages, and Slack's limits on extreme inputs."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.rendering import format as fmt
from bot.rendering.best import render_best
from bot.rendering.blocks import Rendered, block_text_length, finish, section
from bot.rendering.clarify import render_choose_project
from bot.rendering.compare import render_compare
from bot.rendering.deployments import render_deployments
from bot.rendering.errors import render_apology, render_error
from bot.rendering.help import render_help, render_question_help
from bot.rendering.onboarding import render_onboarding
from bot.rendering.projects import render_projects
from bot.rendering.report import render_full_report, render_report
from bot.rendering.runs import render_runs
from bot.rendering.trend import render_trend
from contexta_core.ask.paging import page_of
from contexta_core.errors import UnknownMetricError
from contexta_core.render.document import ReportDocument, ReportSection
from contexta_core.results import (
    BestRun,
    DeploymentAnswer,
    DeploymentRecord,
    MetricColumn,
    MetricDelta,
    MetricScope,
    MetricTrend,
    OnboardingSummary,
    ProjectRecord,
    ReportPreview,
    ReportTable,
    RunComparison,
    RunRecord,
    StageComparison,
    TrendPoint,
)
from tests.bot.harness import Reply, assert_within_limits

T0 = datetime(2025, 1, 10, 9, tzinfo=UTC)
LONG = "x" * 300  # names longer than any Slack element allows


def check(rendered: Rendered) -> str:
    """Within limits (validated by slack_sdk), and the text a person would read."""
    reply = Reply("chat.postMessage", {"text": rendered.text, "blocks": rendered.blocks})
    assert_within_limits(reply)
    return reply.content


def run(i: int, name: str | None = None, status: str = "completed") -> RunRecord:
    started = T0 + timedelta(days=i)
    return RunRecord(f"run:p.r{i}", "p", name or f"r{i}", status, started, started + timedelta(hours=3))


def deployment(i: int, run_index: int, name: str | None = None) -> DeploymentRecord:
    return DeploymentRecord(
        f"deployment:p.d{i}",
        "p",
        name or f"d{i}",
        "completed",
        f"run:p.r{run_index}",
        f"r{run_index}",
        T0 + timedelta(days=run_index, hours=6),
        order=i,
    )


def trend(n: int, name=lambda i: f"r{i}", deployed=()) -> MetricTrend:
    points = tuple(
        TrendPoint(
            f"run:p.r{i}",
            name(i),
            0.5 + i / (2 * n),
            T0 + timedelta(days=i),
            "completed",
            "evaluate",
            ("prod",) if i in deployed else (),
        )
        for i in range(n)
    )
    return MetricTrend("accuracy", "p", "evaluate", "latest", points)


# -- format -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.902, "0.902"), (0.9, "0.9"), (12.5, "12.5"), (1.2e-05, "1.2e-05"), (0, "0"), (None, "—")],
)
def test_numbers_read_like_a_table(value, text) -> None:
    assert fmt.number(value) == text


def test_deltas_carry_a_sign() -> None:
    assert [fmt.delta(v) for v in (0.902 - 0.821, -0.004, 0.0, None)] == ["+0.081", "-0.004", "±0", "—"]


def test_dates_durations_and_names() -> None:
    assert fmt.day(datetime(2025, 4, 18, 23, 30, tzinfo=UTC)) == "2025-04-18"
    assert fmt.day("2025-02-21T09:00:00Z") == "2025-02-21"
    assert [fmt.duration(s) for s in (10800, 725, 40, None)] == ["3h 0m", "12m 5s", "40s", "—"]
    assert fmt.clip_name("big-model-nightly-00001", 15) == "big-mod…y-00001"
    assert fmt.code("a`b<!here>") == "`aˋb&lt;!here&gt;`"


def test_escape_neutralises_slack_control_characters() -> None:
    assert fmt.escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_hangul_counts_double_in_tables() -> None:
    assert fmt.width("실행") == 4 and fmt.pad("실행", 6) == "실행  "


# -- renderers --------------------------------------------------------------------------------


def test_runs_mark_deployments_and_paginate() -> None:
    runs = [run(i) for i in range(25)]
    page = page_of(5000, 1, 25)
    content = check(
        render_runs(
            "p",
            runs,
            page=page,
            status_counts={"completed": 5000},
            deployed={"run:p.r2": ["prod-1"]},
            lang="en",
        )
    )
    assert "*5,000 runs*" in content and "`2025-01-12` *r2* · completed  :rocket: prod-1" in content
    assert "Showing 1–25 of 5,000" in content
    one = check(
        render_runs(
            "p", [run(0)], page=page_of(1, 1, 25), status_counts={"completed": 1}, deployed={}, lang="en"
        )
    )
    assert "*1 run* in" in one
    assert "아직 실행이 없습니다" in check(
        render_runs("p", [], page=page_of(0, 1, 25), status_counts={}, deployed={}, lang="ko")
    )


def test_trend_reports_change_and_direction_in_both_languages() -> None:
    found = trend(6, deployed={2})
    en = check(render_trend(found, page=page_of(6, 1, 25), higher_is_better=True, lang="en"))
    assert "0.5 → 0.9167 (*+0.4167*, improved)" in en and ":rocket: prod" in en
    ko = check(render_trend(found, page=page_of(6, 1, 25), higher_is_better=False, lang="ko"))
    assert "악화" in ko and "실행별 최신 값" in ko


def test_best_says_best_and_deployed_differ() -> None:
    best = BestRun("run:p.r5", "r5", 0.902, "accuracy", "evaluate", "latest", True, "run:p.r4", "r4", 0.894)
    live = DeploymentAnswer(deployment(0, 2), 0.861, True)
    content = check(
        render_best(
            best,
            project="p",
            metric="accuracy",
            stage="evaluate",
            higher_is_better=True,
            deployments=[live],
            lang="en",
        )
    )
    assert "by *+0.008*" in content and "*not in production*" in content and "`d0` → `r2`" in content
    ko = check(
        render_best(
            best,
            project="p",
            metric="accuracy",
            stage="evaluate",
            higher_is_better=True,
            deployments=[DeploymentAnswer(deployment(0, 5), 0.902, True)],
            lang="ko",
        )
    )
    assert "현재 프로덕션에서 운영 중" in ko


def test_errors_help_and_clarify_render_in_both_languages() -> None:
    assert "Did you mean `churn-prediction`?" in check(
        render_error("no project", lang="en", suggestions=["churn-prediction"])
    )
    assert "죄송합니다" in check(render_apology("ko"))
    assert "/contexta help" in check(render_help("en")).lower()
    assert "•" in check(render_question_help("ko"))
    many = render_choose_project(
        [f"project-{i}" for i in range(40)], intent="best", metric=None, lang="en", ambiguous=False
    )
    assert "…and 30 more" in check(many) and len([b for b in many.blocks if "accessory" in b]) == 10


# -- extremes: everything stays inside Slack's limits -------------------------------------------


def test_extreme_inputs_stay_within_limits() -> None:
    names = [f"{LONG}-{i}" for i in range(50)]
    check(
        render_runs(
            LONG,
            [run(i, names[i]) for i in range(25)],
            page=page_of(10**6, 3, 25),
            status_counts={"completed": 10**6},
            deployed={f"run:p.r{i}": [LONG] * 9 for i in range(25)},
            lang="en",
        )
    )
    check(
        render_trend(
            trend(10**4, name=lambda i: LONG, deployed=set(range(10**4))),
            page=page_of(10**4, 7, 25),
            higher_is_better=True,
            lang="ko",
        )
    )
    answers = [DeploymentAnswer(deployment(i, i, LONG), 0.5, i == 99) for i in range(100)]
    check(render_deployments(LONG, answers, metric=LONG, page=page_of(100, 5, 20), lang="en"))
    check(
        render_projects(
            [ProjectRecord(f"project:{i}", f"{LONG}{i}", LONG, T0, 10**6, T0) for i in range(500)],
            page=page_of(500, 2, 20),
            channel_default=f"{LONG}21",
            lang="en",
        )
    )


def wide_table(runs: int, columns: int, name: str = LONG) -> ReportTable:
    return ReportTable(
        run_ids=tuple(f"run:p.r{i}" for i in range(runs)),
        run_names=tuple(f"{name}{i}" for i in range(runs)),
        run_statuses=("completed",) * runs,
        run_started=("2025-01-10T09:00:00Z",) * runs,
        columns=tuple(
            MetricColumn(f"stage-{c}", f"metric-{c}-{LONG[:40]}", (0.5,) * runs, 0) for c in range(columns)
        ),
        deployed=((LONG,),) * runs,
    )


def test_reports_with_hundreds_of_columns_stay_within_limits() -> None:
    table = wide_table(10, 300)
    check(
        render_report(
            ReportPreview(5000, table, 10),
            project="p",
            metric="metric-0",
            stage="stage-0",
            lang="en",
        )
    )
    sections = (
        ReportSection("Summary", "\n".join([LONG] * 500)),
        ReportSection("Completeness Notes", LONG * 50),
    )
    document = ReportDocument("Multi Run Report: 5000 runs", sections, wide_table(5000, 300))
    check(render_full_report(document, project="p", page=page_of(5000, 1, 10), lang="ko"))
    check(render_full_report(document, project="p", page=page_of(5000, 500, 10), lang="en"))


def test_onboarding_of_a_huge_project_stays_within_limits() -> None:
    runs = tuple(run(i, LONG) for i in range(20))
    best = BestRun("run:p.r5", LONG, 0.9, "accuracy", "evaluate", "latest", True, "run:p.r4", LONG, 0.8)
    answers = tuple(DeploymentAnswer(deployment(i, i, LONG), 0.5, i == 299) for i in range(300))
    summary = OnboardingSummary(
        project=ProjectRecord("project:p", LONG, LONG * 10, T0, 10**6, T0),
        scope=MetricScope(LONG, "accuracy", "evaluate", True),
        run_count=10**6,
        status_counts={"completed": 10**6 - 1, "failed": 1},
        runs=runs,
        runs_truncated=10**6 - 20,
        trend=trend(5000, name=lambda i: LONG),
        best_so_far=(),
        deployments=answers,
        live=answers[-1],
        best=best,
        best_is_live=False,
        report=ReportPreview(10**6, wide_table(20, 200), 20),
        notes=(UnknownMetricError(LONG * 5, details={"metric": LONG * 5, "stage": LONG}),) * 10,
    )
    content = check(render_onboarding(summary, lang="en"))
    assert "*1. Runs:* 1,000,000" in content


def test_comparing_runs_with_hundreds_of_metrics_stays_within_limits() -> None:
    stages = tuple(
        StageComparison(
            f"stage-{s}-{LONG}",
            None,
            None,
            "completed",
            "failed",
            tuple(MetricDelta(f"{LONG}{m}", None, 0.5, 0.6) for m in range(40)),
        )
        for s in range(30)
    )
    comparison = RunComparison(
        "run:p.a",
        "run:p.b",
        run(0, LONG),
        run(1, LONG),
        "",
        stages,
        tuple(deployment(i, 0, LONG) for i in range(20)),
        (),
    )
    content = check(render_compare(comparison, lang="en"))
    assert "metrics not shown" in content


def test_finish_trims_a_runaway_message_but_keeps_its_buttons() -> None:
    from bot.rendering.blocks import actions, button

    blocks = [section("y" * 2900) for _ in range(60)] + [actions(button("More", "show_more", {"page": 2}))]
    rendered = finish(blocks, "fallback")
    assert len(rendered.blocks) <= 50 and block_text_length(rendered.blocks) <= 10_000
    assert rendered.blocks[-1]["type"] == "actions"
