"""`/contexta` through the real Bolt app on the churn-prediction demo: every subcommand, both languages."""

import re

import pytest

from contexta_core.contract import Project
from contexta_core.tenancy import Tenant
from tests.bot.harness import SlackDriver, assert_within_limits
from tests.support.signed_requests import TEAM_ID

TEAM = Tenant.of(TEAM_ID)  # the stand-in's team: the bot's own, from auth.test

SQLITE_ONLY = pytest.mark.parametrize("shared_demo", ["sqlite"], indirect=True)
RUNS = ["churn-v1-jan", "churn-v2-feb", "churn-v3-feb", "churn-v4-mar", "churn-v5-apr", "churn-v6-apr"]


def answered(reply, *expected: str) -> str:
    """A normal answer: in the channel, within Slack's limits, containing `expected`."""
    assert_within_limits(reply)
    assert reply.in_channel
    for text in expected:
        assert text in reply.content, f"{text!r} not in {reply.content!r}"
    return reply.content


def test_runs_lists_every_run_in_time_order_with_deployments_marked(slack: SlackDriver) -> None:
    content = answered(slack.command("runs churn-prediction"), "*6 runs*", "6 completed")
    positions = [content.index(name) for name in RUNS]
    assert positions == sorted(positions)
    assert re.search(r"`2025-02-21` \*churn-v3-feb\* · completed  :rocket: prod-deploy-v3", content)
    assert re.search(r"\*churn-v6-apr\* · completed  :rocket: prod-deploy-v6", content)
    assert ":rocket:" not in content.split("churn-v4-mar")[1].split("\n")[0]


def test_trend_shows_values_sparkline_change_and_deployments(slack: SlackDriver) -> None:
    content = answered(slack.command("trend"), "evaluate/accuracy", "0.821 → 0.902", "*+0.081*", "improved")
    assert "`▁▃▄▆▇█`" in content
    assert "*0.843* (+0.022)" in content
    assert re.search(r"churn-v3-feb  \*0\.861\* \(\+0\.018\)  :rocket: prod-deploy-v3", content)


def test_trend_takes_a_metric_in_either_position(slack: SlackDriver) -> None:
    answered(slack.command("trend f1"), "evaluate/f1", "0.811 → 0.896")
    answered(slack.command("trend auc churn-prediction"), "evaluate/auc", "0.854 → 0.933")


def test_deployments_name_runs_values_and_what_is_live(slack: SlackDriver) -> None:
    content = answered(slack.command("deployments"), "*2 deployments*")
    assert "*Live now:* `prod-deploy-v6` → `churn-v6-apr` (accuracy 0.902), since 2025-04-19" in content
    assert "`2025-02-22` *prod-deploy-v3* → churn-v3-feb · accuracy *0.861*" in content
    assert content.count(":large_green_circle:") == 2  # the summary and the live row only


def test_best_names_the_winner_margin_and_that_it_is_live(slack: SlackDriver) -> None:
    content = answered(slack.command("best"), "`churn-v6-apr` has the highest `evaluate/accuracy`: *0.902*")
    assert "runner-up `churn-v5-apr` (0.894) by *+0.008*" in content
    assert "*live in production* (`prod-deploy-v6`)" in content


def test_best_says_when_the_winner_is_not_what_production_serves(slack: SlackDriver) -> None:
    content = answered(slack.command("best --lower-is-better"), "`churn-v1-jan` has the lowest")
    assert "*not in production*" in content and "best run and the deployed run differ" in content
    assert "*Live now:* `prod-deploy-v6` → `churn-v6-apr`" in content


def test_best_on_another_metric_and_stage(slack: SlackDriver) -> None:
    answered(slack.command("best churn-prediction f1 --stage evaluate"), "`evaluate/f1`: *0.896*", "*+0.008*")


def test_report_has_the_title_a_top_table_and_a_full_report_button(slack: SlackDriver) -> None:
    reply = slack.command("report")
    content = answered(reply, "Multi Run Report: 6 runs", "by `evaluate/accuracy`")
    table = next(
        b["text"]["text"] for b in reply.blocks if b["type"] == "section" and "```" in b["text"]["text"]
    )
    rows = table.strip("`\n").splitlines()
    assert rows[0].split() == ["#", "run", "status", "accuracy", "auc", "f1", "deployed"]
    assert rows[1].split() == ["1", "churn-v6-apr", "completed", "0.902", "0.933", "0.896", "prod-deploy-v6"]
    assert rows[-1].split()[:2] == ["6", "churn-v1-jan"]
    (button,) = reply.buttons("full_report")
    assert '"project":"churn-prediction"' in button["value"] and "Full report" in content


def test_onboard_answers_all_five_questions_in_one_message(slack: SlackDriver) -> None:
    reply = slack.command("onboard churn-prediction")
    content = answered(
        reply,
        "Welcome to churn-prediction",
        "*1. Runs:* 6 (6 completed)",
        "0.821 → 0.902 (*+0.081*, improved)",
        "*3. Deployments:* 2",
        "`prod-deploy-v6` → `churn-v6-apr`",
        "*4. Best run:* `churn-v6-apr`",
        "*5. Report:* Multi Run Report: 6 runs",
    )
    assert "*live in production*" in content
    assert {b["action_id"] for b in reply.buttons()} == {"show_more", "full_report"}


def test_compare_puts_two_runs_side_by_side(slack: SlackDriver) -> None:
    reply = slack.command("compare churn-v3-feb churn-v6-apr")
    content = answered(reply, "churn-v3-feb vs churn-v6-apr", "better on *3*, worse on *0* of 3")
    (sides,) = [b["fields"] for b in reply.blocks if "fields" in b]
    assert "prod-deploy-v3" in sides[0]["text"] and "3h 0m" in sides[0]["text"]
    assert "prod-deploy-v6" in sides[1]["text"]
    assert re.search(r"accuracy\s+0\.861 → 0\.902\s+\+0\.041  ✓", content)
    assert "*evaluate* · completed → completed" in content


def test_projects_lists_projects_with_their_run_counts(slack: SlackDriver) -> None:
    answered(slack.command("projects"), "*churn-prediction* — Customer churn prediction model · 6 runs")


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "*Commands*"),
        ("help", "`/contexta best [project] [metric] [--lower-is-better]`"),
        ("help compare", "/contexta compare &lt;run-a&gt; &lt;run-b&gt;"),
        ("도움말", "*명령어*"),
    ],
)
def test_help_is_shown_to_the_asker_only(slack: SlackDriver, text: str, expected: str) -> None:
    reply = slack.command(text)
    assert_within_limits(reply)
    assert reply.ephemeral and expected in reply.content


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("실행", ["프로젝트의 실행은 *6개*입니다 (완료 6)", "churn-v1-jan", "churn-v6-apr"]),
        ("추세 f1", ["evaluate/f1 추이", "0.811 → 0.896", "개선"]),
        ("추이 정확도", ["evaluate/accuracy 추이", "0.821 → 0.902"]),
        ("배포", ["*현재 운영 중:* `prod-deploy-v6` → `churn-v6-apr`", "*2건*"]),
        ("최고", ["`churn-v6-apr`입니다: *0.902*", "*+0.008*", "현재 프로덕션에서 운영 중"]),
        ("리포트", ["Multi Run Report: 6 runs", "상위 6개", "전체 리포트"]),
        ("온보딩", ["churn-prediction 온보딩", "*1. 실행:* 6개", "*5. 리포트:*"]),
        ("비교 churn-v3-feb churn-v6-apr", ["churn-v3-feb 대 churn-v6-apr", "*3*개 개선"]),
        ("프로젝트", ["*프로젝트 1개:*", "실행 6개"]),
    ],
)
def test_korean_commands_answer_in_korean(slack: SlackDriver, text: str, expected: list[str]) -> None:
    answered(slack.command(text), *expected)


def test_use_sets_the_channel_default_for_commands_and_questions(slack_rw: SlackDriver, demo_ctx) -> None:
    slack = slack_rw
    demo_ctx.metadata_store.projects.put_project(
        Project(
            project_ref="project:fraud-detection", name="fraud-detection", created_at="2025-01-01T00:00:00Z"
        )
    )
    metric_only = slack.command("best f1", channel="C7")
    assert '"intent":"best","metric":"f1"' in metric_only.buttons("choose_project")[0]["value"]
    # issue #11: a near miss of a project is that project (said so), not a metric nor an error
    assert "Taking `churn-predict` as `churn-prediction`" in slack.command("best churn-predict", channel="C7").content
    asked = slack.command("runs", channel="C7")
    assert asked.ephemeral and "Which project do you mean?" in asked.content
    assert asked.buttons("choose_project")[0]["value"].startswith('{"project":"churn-prediction"')

    reply = slack.command("use CHURN-PREDICTION", channel="C7")
    assert reply.ephemeral and "This channel now uses `churn-prediction`" in reply.content
    assert demo_ctx.get_preference("slack-channel:C7", "default_project", tenant=TEAM) == "churn-prediction"
    answered(slack.command("runs", channel="C7"), "*6 runs*")
    mention = slack.mention("what's our best run?", channel="C7")
    assert mention.method == "chat.postMessage" and "`churn-v6-apr` has the highest" in mention.content
    assert "Which project" in slack.command("runs", channel="C8").content  # other channels keep asking


LOOKUP_ERRORS = [
    # issue #11: a near miss ("churn-predction") is now taken as the project; a farther name is refused
    ("runs fraud-forecast", "no project `fraud-forecast`"),
    ("compare churn-v3-feb churn-v9-dec", "no run `churn-v9-dec`"),
    (
        "trend churn-prediction f2",
        "no metric `f2` in stage `evaluate`; known metrics: `accuracy`, `auc`, `f1`",
    ),
    ("best --stage evalute", "no stage `evalute`; did you mean `evaluate`"),
]
PARSE_ERRORS = [  # never reach the database, so one backend is enough
    pytest.param("bset", "unknown subcommand `bset`; did you mean `best`", marks=SQLITE_ONLY),
    pytest.param("runs a b", "`runs` takes at most 1 argument (got 2)", marks=SQLITE_ONLY),
    pytest.param("best --page 0", "`--page` needs a positive whole number", marks=SQLITE_ONLY),
    pytest.param("x" * 5000, "command is too long (5000 characters", marks=SQLITE_ONLY),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("runs churn-predction", "Runs of churn-prediction"),
        ("best churn-predction", "accuracy"),  # a mistyped project, not a metric called that
        ("trend Churn_Prediction", "accuracy"),
    ],
)
def test_a_near_miss_of_a_project_is_that_project(slack: SlackDriver, text: str, expected: str) -> None:
    reply = slack.command(text)
    assert expected in reply.content and "no metric" not in reply.content
    typed = text.split()[1]
    assert f"Taking `{typed}` as `churn-prediction`" in reply.content


@pytest.mark.parametrize(("text", "expected"), [*LOOKUP_ERRORS, *PARSE_ERRORS])
def test_bad_input_gets_a_private_friendly_error(slack: SlackDriver, text: str, expected: str) -> None:
    reply = slack.command(text)
    assert_within_limits(reply)
    assert reply.ephemeral and expected in reply.content
    assert "Traceback" not in reply.content
    assert not slack.standin.calls("chat.postMessage")  # nothing reaches the channel


def test_korean_errors_are_in_korean(slack: SlackDriver) -> None:
    # issue #11: "churn-predction" is a near miss now taken as churn-prediction; a farther name errs
    reply = slack.command("실행 churn-forecast")
    assert reply.ephemeral
    assert "`churn-forecast` 프로젝트가 없습니다." in reply.content
    assert "혹시 `churn-prediction`" in reply.content
    near = slack.command("실행 churn-predction")
    assert "`churn-predction`을(를) `churn-prediction`(으)로 알아들었어요" in near.content


@SQLITE_ONLY  # never reaches the database
def test_a_korean_command_that_does_not_parse_is_answered_in_korean(slack: SlackDriver) -> None:
    reply = slack.command("비교 churn-v3-feb")
    assert reply.ephemeral and not slack.standin.calls("chat.postMessage")
    assert "`compare` 명령에는 인자가 정확히 2개 필요합니다 (1개를 받음)." in reply.content
    assert "명령을 이해하지 못했습니다" not in reply.content and "takes exactly" not in reply.content
    typo = slack.command("실행 --쪽 2")
    assert "알 수 없는 옵션입니다: `--쪽`. 사용할 수 있는 옵션: `--stage`, `--metric`" in typo.content


@pytest.mark.parametrize(
    "hostile", ["<!channel>", "<@U1>", "<!here|here>", "`rm -rf`", "<https://evil.example|x>"]
)
def test_typed_text_is_never_echoed_raw(slack: SlackDriver, hostile: str) -> None:
    for text in (
        f"runs {hostile}",
        f"trend churn-prediction {hostile}",
        f"{hostile} best",
        f"compare {hostile} x",
    ):
        reply = slack.command(text)
        assert_within_limits(reply)  # no raw < or > anywhere in the reply
        assert reply.ephemeral
        assert "`rm -rf`" not in reply.content


def test_projects_without_runs_or_without_the_default_metric(slack_rw: SlackDriver, demo_ctx) -> None:
    from datetime import UTC, datetime

    from contexta_core.contract import MetricPayload, MetricRecord, RecordEnvelope, Run

    at = datetime(2025, 5, 1, tzinfo=UTC)
    for name in ("empty-proj", "loss-proj"):
        demo_ctx.metadata_store.projects.put_project(
            Project(project_ref=f"project:{name}", name=name, created_at=at)
        )
    demo_ctx.metadata_store.runs.put_run(
        Run(
            run_ref="run:loss-proj.r1",
            project_ref="project:loss-proj",
            name="r1",
            status="open",
            started_at=at,
        )
    )
    demo_ctx.record_store.append(
        MetricRecord(
            envelope=RecordEnvelope(
                record_ref="record:loss-proj.r1.loss",
                record_type="metric",
                recorded_at=at,
                observed_at=at,
                producer_ref="tests",
                run_ref="run:loss-proj.r1",
            ),
            payload=MetricPayload(metric_key="loss", value=0.25),
        )
    )
    answered(slack_rw.command("runs empty-proj"), "`empty-proj` has no runs yet.")
    answered(
        slack_rw.command("best empty-proj"), "No run in `empty-proj` has a value for `evaluate/accuracy`."
    )
    answered(slack_rw.command("onboard empty-proj"), "*1. Runs:* 0", "Nothing is live in production")
    # issue #11: a project without `accuracy` is answered by the metric it records, not refused
    answered(slack_rw.command("trend loss-proj"), "loss in loss-proj: 0.25")
    answered(
        slack_rw.command("best loss-proj loss"), "`r1` has the lowest `loss`: *0.25*", "not in production"
    )
    answered(slack_rw.command("runs loss-proj"), "*1 run*", "1 running")


def test_a_metric_in_several_stages_says_how_to_name_one(slack_rw: SlackDriver, demo_ctx) -> None:
    from contexta_core.synthetic import add_project, add_run, metric

    add_project(demo_ctx, "kl-proj")
    add_run(demo_ctx, "kl-proj", "a", stages=("train", "validate", "test"))
    demo_ctx.record_store.append_many(
        [metric("kl-proj", "a", "kl", v, stage=st) for st, v in (("train", 0.2), ("validate", 0.3))]
    )
    # issue #11: the inferred evaluation stage (`test`, holding the primary metric) is looked in
    # first; kl is not there but in two other stages
    demo_ctx.record_store.append_many([metric("kl-proj", "a", "accuracy", 0.9, stage="test")])
    reply = slack_rw.command("trend kl-proj kl")
    assert reply.ephemeral
    assert "several stages (`train`, `validate`); name the stage, e.g. `--stage train`" in reply.content
    answered(slack_rw.command("trend kl-proj kl --stage validate"), "0.3")
