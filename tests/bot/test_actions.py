"""Button clicks through the real Bolt app: acked at once, answered in the clicked message's thread."""

import json

import pytest

from tests.bot.harness import SlackDriver, assert_within_limits

SQLITE_ONLY = pytest.mark.parametrize("shared_demo", ["sqlite"], indirect=True)
RUNS = ["churn-v1-jan", "churn-v2-feb", "churn-v3-feb", "churn-v4-mar", "churn-v5-apr", "churn-v6-apr"]


def test_full_report_lists_every_run_with_every_metric_in_the_thread(slack: SlackDriver) -> None:
    report = slack.command("report")
    reply = slack.click(report.buttons("full_report")[0], message_ts="1700000900.000100")
    assert_within_limits(reply)
    assert reply.method == "chat.postMessage" and reply.params["thread_ts"] == "1700000900.000100"
    content = reply.content
    assert "Multi Run Report: 6 runs" in content and "*Summary*" in content
    positions = [content.index(f"*{name}*") for name in RUNS]
    assert positions == sorted(positions)
    assert "evaluate/accuracy 0.861 · evaluate/auc 0.889 · evaluate/f1 0.854" in content
    assert ":rocket: prod-deploy-v3" in content


def test_onboarding_buttons_open_the_long_answers_in_korean(slack: SlackDriver) -> None:
    onboard = slack.command("온보딩")
    (all_runs,) = onboard.buttons("show_more")
    assert json.loads(all_runs["value"]) == {
        "kind": "runs",
        "project": "churn-prediction",
        "page": 1,
        "lang": "ko",
    }
    reply = slack.click(all_runs, thread_ts="1700000000.000001")
    assert_within_limits(reply)
    assert reply.params["thread_ts"] == "1700000000.000001" and "*6개*" in reply.content


def test_a_click_on_a_message_only_the_clicker_saw_is_answered_through_response_url(
    slack: SlackDriver,
) -> None:
    button = {"action_id": "show_more", "value": '{"kind":"trend","project":"churn-prediction","page":1}'}
    reply = slack.click(button, message_ts=None)
    assert reply.method == "response_url" and reply.params["response_type"] == "in_channel"
    assert reply.params["replace_original"] is False and "0.821 → 0.902" in reply.content


@SQLITE_ONLY
@pytest.mark.parametrize(
    "value",
    [
        "not json",
        "[1, 2]",
        '{"project":"no-such-project","intent":"best"}',
        '{"project":"<!channel>","page":-4}',
    ],
)
def test_stale_or_forged_buttons_get_a_private_error(slack: SlackDriver, value: str) -> None:
    reply = slack.click({"action_id": "choose_project", "value": value})
    assert_within_limits(reply)
    assert reply.ephemeral and reply.method == "response_url"
    assert not slack.standin.calls("chat.postMessage")


def test_a_full_report_click_builds_the_project_report_once(demo_ctx, monkeypatch) -> None:
    """Its page, its Markdown and its HTML file all come from one report (at 100,000 runs each
    build is ~2 s); a further page costs no build at all."""
    from bot.answers import answer_action
    from contexta_core.queries import report as report_queries

    built: list[int] = []
    real = report_queries._report  # what every report is built by

    def counting(conn, runs, *args, **kwargs):
        built.append(len(runs))
        return real(conn, runs, *args, **kwargs)

    monkeypatch.setattr(report_queries, "_report", counting)
    first = answer_action(demo_ctx, "full_report", json.dumps({"project": "churn-prediction"}))
    assert [f.filename for f in first.files] == ["churn-prediction-report.md", "churn-prediction-report.html"]
    assert built.count(len(RUNS)) == 1  # (the HTML's onboarding preview reports its top run apart)
    more = answer_action(
        demo_ctx, "show_more", json.dumps({"project": "churn-prediction", "kind": "full_report", "page": 2})
    )
    assert more.error is None and built.count(len(RUNS)) == 1
