"""What a digest says: a busy week, a quiet week, a week of 500 runs, in English and Korean."""

from __future__ import annotations

import json
import random

import pytest
from slack_sdk.models.blocks import Block

from bot.rendering.blocks import block_text_length
from bot.rendering.digest import render_digest
from contexta_core.contract import Project

from .helpers import R, add_deployment, add_project, add_runs, utc

SINCE, UNTIL = utc("2026-03-23T08:00:00Z"), utc("2026-03-30T07:00:00Z")


@pytest.fixture
def week(ctx):
    add_project(ctx, "churn")
    add_runs(
        ctx,
        "churn",
        [
            R("v1", utc("2026-03-10T09:00:00Z"), accuracy=0.80),
            R("v2", utc("2026-03-16T09:00:00Z"), accuracy=0.85),
            R("v3", utc("2026-03-24T09:00:00Z"), accuracy=0.83),
            R("v4-oom", utc("2026-03-25T09:00:00Z"), status="failed"),
            R("v5", utc("2026-03-26T09:00:00Z"), accuracy=0.88),
            R("v6", utc("2026-03-27T09:00:00Z"), status="open", accuracy=0.86),
            R("v7-next-week", utc("2026-03-31T09:00:00Z"), accuracy=0.99),
        ],
    )
    add_deployment(ctx, "churn", "prod-1", "v2", utc("2026-03-17T10:00:00Z"), order=0)
    add_deployment(ctx, "churn", "prod-2", "v3", utc("2026-03-28T10:00:00Z"), order=1)
    return ctx


def test_a_busy_week(week):
    s = week.digests.summary("churn", SINCE, UNTIL)
    assert (s.run_count, s.status_counts) == (4, {"completed": 2, "failed": 1, "open": 1})
    assert [r.name for r in s.runs] == ["v3", "v4-oom", "v5", "v6"]
    assert (s.failed_count, [r.name for r in s.failed_runs]) == (1, ["v4-oom"])
    assert (s.metric_key, s.stage_name, s.higher_is_better) == ("accuracy", None, True)
    assert s.values == (0.83, 0.88, 0.86)  # the period's runs in start order; v7 is after the period
    assert (s.period_best.name, s.period_best.value) == ("v5", 0.88)
    assert (s.best_at_start, s.best_at_start_run.name) == (0.85, "v2")
    assert (s.best_now, s.best_now_run.name) == (0.88, "v5")
    assert s.new_best and s.best_change == pytest.approx(0.03)
    assert [d.name for d in s.new_deployments] == ["prod-2"] and s.new_deployment_count == 1
    assert (s.live.name, s.live.run_name, s.live_value) == ("prod-2", "v3", 0.83)
    assert s.live_is_best is False
    assert not s.nothing_new

    message = render_digest(s, language="en", timezone="Europe/Berlin")
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert message.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Weekly digest · churn"},
    }
    assert (
        "Mon, Mar 23, 09:00 → Mon, Mar 30, 09:00 (Europe/Berlin)" in text
    )  # local times on both sides of DST
    assert "*4 new runs* (2 completed, 1 failed, 1 running)" in text
    assert ":warning: *1 failed*: `v4-oom`" in text
    assert "▁█▅" in text and "0.83 → 0.86" in text
    assert "New best `accuracy`: 0.88* (`v5`), +0.03 vs. 0.85" in text
    assert ":rocket: *Live now*: `prod-2` serving `v3` (accuracy 0.83)" in text
    assert "The live run is not the best: `v5` has 0.88 (+0.05)" in text
    assert message.text == (
        "Weekly digest for churn: 4 new runs (1 failed), 1 new deployment. Best accuracy: 0.88. Live: prod-2."
    )


def test_the_same_week_in_korean(week):
    s = week.digests.summary("churn", SINCE, UNTIL)
    message = render_digest(s, language="ko", timezone="Asia/Seoul")
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert "주간 다이제스트 · churn" in text
    assert "3월 23일 (월) 17:00 → 3월 30일 (월) 16:00 (Asia/Seoul)" in text
    assert "*새 실행 4개* (2 완료, 1 실패, 1 진행 중)" in text
    assert "현재 운영 중" in text and "운영 중인 실행은 최고가 아닙니다" in text
    assert message.text.startswith("churn 주간 다이제스트: 새 실행 4개 (실패 1개), 새 배포 1개.")


def test_a_week_with_no_activity_says_so_and_still_shows_what_is_live(week):
    s = week.digests.summary("churn", utc("2026-04-06T07:00:00Z"), utc("2026-04-13T07:00:00Z"))
    assert s.nothing_new and s.run_count == 0 and s.values == () and not s.new_best
    assert s.best_now == 0.99 and s.live.name == "prod-2" and s.live_is_best is False
    message = render_digest(s, language="en", timezone="UTC")
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert ":zzz: *Nothing new this week* in `churn`: no new runs and no deployments." in text
    assert "*Live now*: `prod-2`" in text
    assert "new runs*" not in text
    assert (
        message.text == "Weekly digest for churn: nothing new this week. Best accuracy: 0.99. Live: prod-2."
    )
    ko = render_digest(s, language="ko", timezone="UTC")
    assert "이번 주에는 새 소식이 없습니다" in ko.text


def test_live_run_that_is_the_best_is_called_out(week):
    add_deployment(week, "churn", "prod-3", "v5", utc("2026-03-29T10:00:00Z"), order=2)
    s = week.digests.summary("churn", SINCE, UNTIL)
    assert s.live.name == "prod-3" and s.live_is_best is True
    text = json.dumps(render_digest(s).blocks)
    assert "The live run is the best run so far." in text


def test_a_project_without_the_metric_or_deployments(ctx):
    add_project(ctx, "bare")
    add_runs(ctx, "bare", [R("a", utc("2026-03-24T00:00:00Z"))])
    s = ctx.digests.summary("bare", SINCE, UNTIL)
    assert s.metric_key is None and s.best_now is None and s.live is None and s.live_is_best is None
    assert s.missing_metric == "accuracy"
    text = json.dumps(render_digest(s).blocks)
    assert "No deployment is live yet." in text
    assert "no `accuracy` recorded in this project; set the project's metric to see its trend" in text
    korean = json.dumps(render_digest(s, language="ko").blocks, ensure_ascii=False)
    assert "이 프로젝트에는 `accuracy` 값이 기록되어 있지 않습니다." in korean


def test_lower_is_better_metrics_pick_the_smallest(ctx):
    add_project(ctx, "reg")
    add_runs(
        ctx,
        "reg",
        [
            R("a", utc("2026-03-20T00:00:00Z"), accuracy=0.3),
            R("b", utc("2026-03-24T00:00:00Z"), accuracy=0.2),
        ],
    )
    ctx.set_project_defaults("reg", metric_key="accuracy", stage_name=None, higher_is_better=False)
    s = ctx.digests.summary("reg", SINCE, UNTIL)
    assert (s.best_at_start, s.best_now, s.new_best) == (0.3, 0.2, True)
    assert "-0.1 vs. 0.3" in json.dumps(render_digest(s).blocks)


def test_a_week_with_500_new_runs_stays_inside_slacks_limits(ctx, standin, client):
    long_name = "churn " + "very-long-project-name " * 8  # > 150 characters: the header must be clipped
    ctx.metadata_store.projects.put_project(
        Project(project_ref="project:big", name=long_name.strip(), created_at=utc("2025-01-01T00:00:00Z"))
    )
    rng = random.Random(7)
    runs = [
        R(
            f"sweep-{i:03d}-" + "x" * 150,  # long run names too
            SINCE + (UNTIL - SINCE) * (i / 500),
            status="failed" if i % 13 == 0 else "completed",
            accuracy=None if i % 13 == 0 else round(0.7 + rng.random() * 0.2, 4),
            key=f"sweep-{i:03d}",
        )
        for i in range(500)
    ]
    add_runs(ctx, "big", runs)
    s = ctx.digests.summary("big", SINCE, UNTIL)
    assert s.run_count == 500 and s.failed_count == 39
    assert len(s.runs) == 20 and len(s.failed_runs) == 20 and len(s.values) == 461
    for language in ("en", "ko"):
        message = render_digest(s, language=language, timezone="Asia/Seoul")
        blocks = message.blocks
        assert 1 <= len(blocks) <= 50
        assert block_text_length(blocks) <= 10_000
        assert 0 < len(message.text) <= 3000 and "500" in message.text
        for block in blocks:
            assert Block.parse(block).to_dict() == block  # slack_sdk's validators accept every block
            if block["type"] == "section":
                assert 1 <= len(block["text"]["text"]) <= 3000
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
        text = json.dumps(blocks, ensure_ascii=False)
        assert ("500 new runs" in text) or ("새 실행 500개" in text)
        assert ("…and 492 earlier this week" in text) or ("이번 주 이전 실행 492개 더" in text)
        assert ("and 29 more" in text) or ("외 29개" in text)  # 39 failed, 10 named

    # and it goes out through the delivery path as one message
    from bot.digests.delivery import deliver_due

    ctx.digests.subscribe(target="C1", project="big", timezone="Europe/Berlin", now=SINCE)
    report = deliver_due(ctx, client, UNTIL, sleep=lambda s: None)
    assert [o.status for o in report.outcomes] == ["delivered"]
    [post] = standin.calls("chat.postMessage")
    posted = (
        json.loads(post.params["blocks"]) if isinstance(post.params["blocks"], str) else post.params["blocks"]
    )
    assert len(posted) <= 50 and block_text_length(posted) <= 10_000
    # the first period is the previous local week: Mon 09:00 CET → Mon 09:00 CEST (167 hours)
    assert ctx.digests.deliveries()[0]["period_start"] == SINCE
