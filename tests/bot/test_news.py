""" "What's new since I last asked?" end to end: signed requests into the real Bolt app, replies read
back from the Slack stand-in, on SQLite and PostgreSQL (``slack_rw`` answers from this test's own
demo workspace, which the tests change the way training code does: through the capture API)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from contexta_core import Contexta
from contexta_core.synthetic import run_model
from tests.bot.conftest import team_app
from tests.bot.harness import SlackDriver, _texts, assert_within_limits
from tests.bot.test_app_home import published

PROJECT = "churn-prediction"


def train(ctx: Contexta, name: str, accuracy: float | None = None, *, project: str = PROJECT) -> None:
    """A completed run, recorded as training code records it."""
    with ctx.run(name, project=project) as run, run.stage("evaluate") as stage:
        if accuracy is not None:
            stage.log_metric("accuracy", accuracy)


def fail_training(ctx: Contexta, name: str, message: str, *, project: str = PROJECT) -> None:
    with pytest.raises(RuntimeError), ctx.run(name, project=project) as run:
        run.log_event("train.oom", "warming up", level="info")
        run.log_event("train.crash", message, level="error")
        raise RuntimeError(message)


def backdated_run(ctx: Contexta, name: str, days_ago: float, *, status: str = "completed") -> None:
    started = datetime.now(UTC) - timedelta(days=days_ago)
    ctx.metadata_store.runs.put_run(
        run_model(PROJECT, name, started, started + timedelta(minutes=30), status=status)
    )


def test_a_first_visit_shows_the_last_seven_days(slack_rw: SlackDriver, demo_ctx: Contexta) -> None:
    backdated_run(demo_ctx, "churn-v7-recent", 3)
    backdated_run(demo_ctx, "churn-v0-stale", 10)  # before the window
    reply = slack_rw.command(f"news {PROJECT}")
    assert_within_limits(reply)
    assert reply.in_channel
    assert "What's new · churn-prediction" in reply.content
    assert "In the last 7 days: *1 run* (1 new, 1 completed)" in reply.content
    assert "churn-v7-recent" in reply.content and "churn-v0-stale" not in reply.content


def test_after_best_new_runs_deployments_and_failures_appear_then_nothing_new(
    slack_rw: SlackDriver, demo_ctx: Contexta
) -> None:
    assert "churn-v6-apr" in slack_rw.command(f"best {PROJECT}").content  # the mark: now
    train(demo_ctx, "churn-v7-may", 0.95)
    train(demo_ctx, "churn-v8-may", 0.91)
    fail_training(demo_ctx, "churn-v9-oom", "CUDA out of memory at step 1200")
    demo_ctx.record_deployment("prod-deploy-v7", "churn-v7-may")

    reply = slack_rw.mention("what changed since I last asked?")
    assert_within_limits(reply)
    content = reply.content
    assert "*3 runs* (3 new, 2 completed, 1 failed)" in content and "*1 deployment*" in content
    assert (
        "*New best:* `churn-v7-may` — evaluate/accuracy *0.95* (+0.048 over `churn-v6-apr`, 0.902)" in content
    )
    assert "live in production" in content
    assert "`churn-v9-oom` failed" in content and "_CUDA out of memory at step 1200_" in content
    assert "warming up" not in content  # the last *error* event, not the last event
    assert "`prod-deploy-v7` → `churn-v7-may`" in content
    assert "accuracy 0.91" in content  # a run's primary metric

    again = slack_rw.mention("what's new?")
    assert "Nothing new on `churn-prediction` since " in again.content
    assert "(UTC" not in again.content and "Tue," in again.content  # Babel's day, the stand-in's UTC


def test_news_is_per_person_and_per_team(settings, standin, demo_ctx: Contexta) -> None:
    # Two workspaces' bots on one database: the same user and channel ids in both.
    with (
        team_app(standin, demo_ctx, settings, "T0TEST") as mine,
        team_app(standin, demo_ctx, settings, "T0OTHER") as other_bot,
    ):
        mine.command(f"best {PROJECT}", user="U1")
        other_bot.command(f"runs {PROJECT}", user="U1")
        train(demo_ctx, "churn-v7-may", 0.95)

        assert "churn-v7-may" in mine.command("news", user="U1").content
        assert "Nothing new" in mine.command("news", user="U1").content
        other_team = other_bot.command("news", user="U1")
        assert "churn-v7-may" in other_team.content  # asking in one team marks nothing in another
        stranger = mine.command(f"news {PROJECT}", user="U2")
    assert "In the last 7 days" in stranger.content and "churn-v7-may" in stranger.content
    with Contexta(workspace=demo_ctx.workspace, database_url=demo_ctx.database_url) as other:
        from contexta_core.news import Viewer
        from contexta_core.tenancy import Tenant

        assert set(other.news.last_seen(Viewer(Tenant("T0TEST"), "U1"))) == {PROJECT}
        assert set(other.news.last_seen(Viewer(Tenant("T0OTHER"), "U1"))) == {PROJECT}
        assert other.news.last_seen(Viewer(Tenant("T0NONE"), "U1")) == {}


def test_korean_phrasing_gets_a_korean_reply_on_the_askers_clock(
    slack_rw: SlackDriver, demo_ctx: Contexta
) -> None:
    slack_rw.standin.set_time_zone("U1", "Asia/Seoul")
    slack_rw.mention("가장 좋은 실행은 뭐야?")
    fail_training(demo_ctx, "churn-v9-oom", "메모리 부족")
    reply = slack_rw.mention("지난번 이후로 새로 생긴 거 있어?")
    assert_within_limits(reply)
    assert "새 소식 · churn-prediction" in reply.content and "*실행 1개* (새 실행 1, 실패 1)" in reply.content
    assert "`churn-v9-oom` 실패" in reply.content and "_메모리 부족_" in reply.content
    quiet = slack_rw.mention("뭐 바뀌었어?")
    assert "churn-prediction` 프로젝트에는" in quiet.content and "이후 새로운 것이 없습니다" in quiet.content
    seoul = datetime.now(UTC).astimezone(__import__("zoneinfo").ZoneInfo("Asia/Seoul"))
    assert f"{seoul.month}월 {seoul.day}일" in quiet.content


@pytest.mark.parametrize(
    "typed", ["waht's new since I last checkd?", "whats new on chrun?", "any nwes on churn-predction?"]
)
def test_mistyped_phrasings_still_get_the_news(slack_rw: SlackDriver, typed: str) -> None:
    reply = slack_rw.mention(typed)
    assert "What's new" in reply.content or "Nothing new on `churn-prediction`" in reply.content


def test_without_a_project_it_asks_which_then_covers_every_project_asked_about(
    slack_rw: SlackDriver, demo_ctx: Contexta
) -> None:
    train(demo_ctx, "fraud-v1", project="fraud-detection")
    which = slack_rw.command("news")
    assert "Which project do you mean?" in which.content
    choose = which.buttons("choose_project")
    assert {json.loads(b["value"])["project"] for b in choose} == {PROJECT, "fraud-detection"}
    picked = slack_rw.click(next(b for b in choose if json.loads(b["value"])["project"] == "fraud-detection"))
    assert "fraud-v1" in picked.content and "In the last 7 days" in picked.content
    slack_rw.command(f"runs {PROJECT}")
    train(demo_ctx, "fraud-v2", project="fraud-detection")
    train(demo_ctx, "churn-v7-may", 0.95)
    both = slack_rw.command("news")
    assert_within_limits(both)
    assert "What's new since your last visit" in both.content
    assert "fraud-v2" in both.content and "churn-v7-may" in both.content and "fraud-v1" not in both.content


def test_a_long_period_is_paged_with_counts_and_and_n_more(slack_rw: SlackDriver, demo_ctx: Contexta) -> None:
    slack_rw.command(f"runs {PROJECT}")
    for i in range(12):
        train(demo_ctx, f"sweep-{i:02d}", 0.5 + i / 100)
    first = slack_rw.command(f"news {PROJECT}")
    assert_within_limits(first)
    assert "*12 runs* (12 new, 12 completed)" in first.content and "_and 7 more_" in first.content
    assert "sweep-11" in first.content and "sweep-06" not in first.content
    train(demo_ctx, "late-run", 0.4)  # lands after the first page: not part of that period's pages
    (more,) = first.buttons("show_more")
    second = slack_rw.click(more)
    assert (
        "sweep-06" in second.content and "sweep-11" not in second.content and "late-run" not in second.content
    )
    assert "_and 2 more_" in second.content
    assert "late-run" in slack_rw.command(f"news {PROJECT}").content  # the next visit sees it


def test_app_home_shows_since_your_last_visit_without_marking_it_seen(
    slack_rw: SlackDriver, demo_ctx: Contexta
) -> None:
    slack_rw.open_home()
    first = "\n".join(_texts(published(slack_rw.standin)["blocks"]))
    assert "*This week*\nNothing new in the last 7 days." in first  # the demo's history is older
    slack_rw.command(f"best {PROJECT}")
    fail_training(demo_ctx, "churn-v9-oom", "disk full")
    train(demo_ctx, "churn-v7-may", 0.95)
    slack_rw.open_home()
    text = "\n".join(_texts(published(slack_rw.standin, 2)["blocks"]))
    assert "*Since your last visit*" in text
    assert "*2 runs* (2 new, 1 completed, 1 failed)" in text and "*New best:* `churn-v7-may`" in text
    assert "`churn-v9-oom` failed" in text and "_disk full_" in text
    slack_rw.open_home()  # looking is not an answer: still there
    assert "churn-v9-oom" in "\n".join(_texts(published(slack_rw.standin, 3)["blocks"]))
    slack_rw.command("news")
    slack_rw.open_home()
    assert "Nothing new since your last visit." in "\n".join(_texts(published(slack_rw.standin, 4)["blocks"]))


def test_help_lists_news_in_both_languages(slack_rw: SlackDriver) -> None:
    assert "/contexta news [project]" in slack_rw.command("help").content
    assert "지난번 질문 이후" in slack_rw.command("도움말").content
