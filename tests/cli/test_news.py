"""`contexta news`: what changed since a moment, or since a person's last answer, in the terminal."""

from __future__ import annotations

import pytest

from contexta_core.news import Viewer
from contexta_core.tenancy import Tenant

from .checks import ok, ok_json, refused


def test_since_shows_the_runs_deployments_and_new_best_of_that_period(demo_cli) -> None:
    out = ok(demo_cli("news", "churn-prediction", "--since", "2025-04-01", "--tz", "Asia/Seoul"))
    assert "churn-prediction — since Tue 2025-04-01 00:00 (Asia/Seoul)" in out
    assert "2 run(s): 2 new, 2 completed, 0 failed · 1 deployment(s)" in out
    assert "★ new best: churn-v6-apr evaluate/accuracy 0.902" in out and "churn-v4-mar" in out
    assert "prod-deploy-v6" in out and "churn-v4-mar   completed" not in out


def test_user_and_team_read_that_persons_marks_without_moving_them(demo_ctx, demo_cli) -> None:
    viewer = Viewer(Tenant("T1"), "U1")
    demo_ctx.news.mark_seen(viewer, ["churn-prediction"])
    with demo_ctx.run("churn-v7-may", project="churn-prediction") as run, run.stage("evaluate") as stage:
        stage.log_metric("accuracy", 0.95)
    found = ok_json(demo_cli("news", "churn-prediction", "--user", "U1", "--team", "T1", "--json"))
    (news,) = found["projects"]
    assert [r["name"] for r in news["changes"]["runs"]] == ["churn-v7-may"] and not news["first_visit"]
    assert news["changes"]["new_best"]["previous_run_name"] == "churn-v6-apr"
    again = ok(demo_cli("news", "churn-prediction", "--user", "U1", "--team", "T1"))
    assert "churn-v7-may" in again  # an operator looking marks nothing
    other_team = ok_json(demo_cli("news", "churn-prediction", "--user", "U1", "--team", "T2", "--json"))
    assert other_team["projects"][0]["first_visit"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "soon"), "--since takes a span or a moment, e.g. 3d, 12h, yesterday"),
        (("--since", "2999-01-01"), "--since 2999-01-01 is in the future"),
        (("--tz", "Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
        (("--team", "T1"), "--team needs --user"),
    ],
)
def test_bad_options_are_one_line_refusals(demo_cli, args, message) -> None:
    assert message in refused(demo_cli("news", "churn-prediction", *args))


def test_an_unknown_project_is_refused_with_suggestions(demo_cli) -> None:
    assert "churn-prediction" in refused(demo_cli("news", "churn-predction", "--since", "3d"))


def test_asking_as_a_person_moves_their_mark_and_news_starts_there(demo_ctx, demo_cli) -> None:
    viewer = Viewer(Tenant("T1"), "U1")
    first = ok(demo_cli("ask", "what's new on churn-prediction?", "--user", "U1", "--team", "T1"))
    assert "churn-prediction" in first and "Nothing new on churn-prediction" in first  # the demo is old
    assert set(demo_ctx.news.last_seen(viewer)) == {"churn-prediction"}
    with demo_ctx.run("churn-v7-may", project="churn-prediction") as run, run.stage("evaluate") as stage:
        stage.log_metric("accuracy", 0.95)
    out = ok(demo_cli("ask", "what changed since I last asked?", "--user", "U1", "--team", "T1"))
    assert "churn-v7-may" in out and "★ new best: churn-v7-may" in out
    assert "Nothing new on churn-prediction" in ok(
        demo_cli("ask", "뭐 바뀌었어?", "--user", "U1", "--team", "T1")
    )
    assert "--team needs --user" in refused(demo_cli("ask", "what's new?", "--team", "T1"))


def test_team_takes_enterprise_keys_and_defaults_to_the_only_team(demo_ctx, demo_cli) -> None:
    grid = Viewer(Tenant("T1", "E1"), "U1")
    demo_ctx.news.mark_seen(grid, ["churn-prediction"])
    with demo_ctx.run("churn-v7-may", project="churn-prediction") as run, run.stage("evaluate") as stage:
        stage.log_metric("accuracy", 0.95)
    for team in (("--team", "E1:T1"), ()):  # E1:T1 is the only team the database holds
        found = ok_json(demo_cli("news", "churn-prediction", "--user", "U1", *team, "--json"))
        assert not found["projects"][0]["first_visit"], team  # E1:T1's mark, not a bare T1's
    ok(demo_cli("ask", "what's new on churn-prediction?", "--user", "U2", "--team", "E1:T1"))
    assert set(demo_ctx.news.last_seen(Viewer(Tenant("T1", "E1"), "U2"))) == {"churn-prediction"}
    assert demo_ctx.news.last_seen(Viewer(Tenant("T1"), "U2")) == {}
    ok(demo_cli("ask", "what's new on churn-prediction?", "--user", "U3"))  # the only team, E1:T1
    assert set(demo_ctx.news.last_seen(Viewer(Tenant("T1", "E1"), "U3"))) == {"churn-prediction"}


def test_a_person_who_never_asked_gets_the_last_7_days_of_every_project(demo_ctx, demo_cli) -> None:
    with demo_ctx.run("fresh-run", project="churn-prediction") as run, run.stage("evaluate") as stage:
        stage.log_metric("accuracy", 0.5)
    out = ok(demo_cli("news", "--user", "U9", "--team", "T1"))
    assert "fresh-run" in out and "Nothing new." not in out
    found = ok_json(demo_cli("news", "--user", "U9", "--team", "T1", "--json"))
    (news,) = found["projects"]
    assert news["first_visit"] is True and [r["name"] for r in news["changes"]["runs"]] == ["fresh-run"]
