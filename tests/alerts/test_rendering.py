"""Alert messages stay within Slack's limits and never let stored text ping, link or break out."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.rendering.alerts import render_alert
from bot.rendering.blocks import block_text_length
from contexta_core.alerts import AlertDeployment, AlertFailure, AlertRun, AlertSummary, NewBest

NASTY = "<!channel> `x` <@U1>"
AT = datetime(2026, 3, 1, tzinfo=UTC)


def mrkdwn(value) -> list[str]:
    if isinstance(value, dict):
        own = [value["text"]] if value.get("type") == "mrkdwn" else []
        return own + [t for v in value.values() for t in mrkdwn(v)]
    if isinstance(value, list):
        return [t for v in value for t in mrkdwn(v)]
    return []


def summary(**changes) -> AlertSummary:
    best = NewBest(
        AlertRun("run:p.a", NASTY, 0.95, AT),
        0.95,
        AlertRun("run:p.b", "b", 0.9, AT),
        AlertRun("run:p.b", "b", 0.9, AT),
    )
    old = AlertDeployment("deployment:p.old", "old", "production", AT, AlertRun("run:p.b", "b", 0.9, AT))
    new = AlertDeployment(
        "deployment:p.new", NASTY, "production", AT, AlertRun("run:p.c", "c", 0.8, AT), old, True
    )
    values = dict(
        project_name=NASTY,
        kinds=("new-best", "deployments", "failures", "regressions"),
        metric_key="accuracy",
        stage_name="evaluate",
        higher_is_better=True,
        new_runs=50,
        new_best=best,
        deployments=(new,),
        deployment_count=1,
        failures=tuple(AlertFailure(AlertRun(f"run:p.f{i}", f"f{i}"), NASTY * 40, "oom") for i in range(5)),
        failure_count=12,
    )
    values.update(changes)
    return AlertSummary(**values)


def test_everything_an_alert_can_hold_is_escaped_and_within_limits():
    for lang in ("en", "ko"):
        rendered = render_alert(summary(), lang=lang)
        shown = rendered.text + "".join(mrkdwn(rendered.blocks))  # plain_text (the header) never pings
        assert "<!channel>" not in shown and "<@U1>" not in shown
        assert "`x`" not in "".join(mrkdwn(rendered.blocks))  # no name breaks out of its code span
        assert len(rendered.blocks) <= 50 and block_text_length(rendered.blocks) <= 10_000
        assert rendered.text.count("50") >= 1
    english = render_alert(summary(), lang="en")
    text = json.dumps(english.blocks)
    assert "Regression" in text and "+0.05 over the previous best" in text and "(-0.1)" in text
    assert "7 more failed runs" in text
    assert english.text.startswith("&lt;!channel&gt;")  # the fallback names the project, escaped


def test_a_first_result_and_no_live_deployment_are_said_so():
    first = NewBest(AlertRun("run:p.a", "a", 0.7, AT), 0.7, None, None)
    rendered = render_alert(
        summary(new_best=first, deployments=(), deployment_count=0, failures=(), failure_count=0, new_runs=1),
        lang="en",
    )
    text = json.dumps(rendered.blocks)
    assert "First" in text and "nothing is deployed yet" in text
    assert "1 new run" in rendered.text
