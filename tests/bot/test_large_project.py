"""A 5,000-run project: the ack stays fast and every message stays inside Slack's limits, page after page."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest

from contexta_core import Contexta
from contexta_core.synthetic import BusyProject, seed_demo
from tests.bot.conftest import drained_app
from tests.bot.harness import SlackDriver, assert_within_limits

PROJECT, RUNS, DEPLOYMENTS = "big-model", 5000, 30


def run_name(i: int) -> str:
    return f"big-model-nightly-retrain-with-extra-features-{i:05d}"


LARGE = BusyProject(  # long names, 3 metrics each, 2% failed, deployments in the second half
    PROJECT,
    RUNS,
    run_name=run_name,
    every=timedelta(hours=1),
    lasts=timedelta(minutes=40),
    stages=("evaluate",),
    metrics=(("evaluate", "accuracy"), ("evaluate", "f1"), ("evaluate", "val_loss")),
    failed_every=50,
    deployments=DEPLOYMENTS,
    description="A busy model " * 20,
    producer="tests.large",
)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Contexta]:
    root = tmp_path_factory.mktemp("big")
    with Contexta(workspace=root, database_url=f"sqlite:///{root / 'contexta.db'}") as ctx:
        LARGE.write(ctx)
        seed_demo(ctx)  # a second project, so questions must name theirs
        yield ctx


@pytest.fixture
def slack(settings, standin, big: Contexta) -> Iterator[SlackDriver]:
    with drained_app(settings, big) as built:
        yield SlackDriver(built, standin)


def test_every_subcommand_answers_within_limits(slack: SlackDriver) -> None:
    expected = {
        f"runs {PROJECT}": "*5,000 runs*",
        f"trend {PROJECT}": "`evaluate/accuracy` across 5,000 runs",
        f"trend {PROJECT} val_loss": "`evaluate/val_loss` across 5,000 runs",
        f"deployments {PROJECT}": f"*{DEPLOYMENTS} deployments*",
        f"best {PROJECT}": "has the highest `evaluate/accuracy`",
        f"best {PROJECT} val_loss": "has the lowest `evaluate/val_loss`",
        f"report {PROJECT}": f"Multi Run Report: {RUNS} runs",
        f"onboard {PROJECT}": "*1. Runs:* 5,000 (4,900 completed, 100 failed)",
        f"compare {run_name(1)} {run_name(4999)}": "better on *3*",
        "projects": "*big-model*",
    }
    for command, text in expected.items():
        reply = slack.command(command)
        assert_within_limits(reply)
        assert not reply.ephemeral and text in reply.content, command


def test_pages_follow_one_another_through_show_more(slack: SlackDriver) -> None:
    first = slack.command(f"runs {PROJECT}")
    assert "Showing 1–25 of 5,000" in first.content and run_name(24) in first.content
    second = slack.click(first.buttons("show_more")[0])
    assert_within_limits(second)
    assert second.params["thread_ts"] == "1700000000.000100"
    assert "Showing 26–50 of 5,000" in second.content
    assert run_name(25) in second.content and run_name(24) not in second.content
    last = slack.command(f"runs {PROJECT} --page 999")
    assert "Showing 4,976–5,000 of 5,000" in last.content and not last.buttons("show_more")


@pytest.mark.parametrize("command", [f"trend {PROJECT} f1", f"deployments {PROJECT}"])
def test_long_answers_page_on_whole_rows(slack: SlackDriver, command: str) -> None:
    first = slack.command(command)
    (more,) = first.buttons("show_more")
    second = slack.click(more)
    assert_within_limits(second)
    assert re.search(r"Showing (26–50|21–30) of", second.content)
    if "trend" in command:
        assert '"metric":"f1","stage":"evaluate"' in more["value"] and "evaluate/f1" in second.content


def test_the_full_report_pages_through_every_run(slack: SlackDriver) -> None:
    report = slack.command(f"report {PROJECT}")
    full = slack.settled(slack.click(report.buttons("full_report")[0]))  # built in a worker
    assert_within_limits(full)
    assert f"Multi Run Report: {RUNS} runs" in full.content and "*Summary*" in full.content
    assert "Showing 1–10 of 5,000" in full.content
    second = slack.settled(slack.click(full.buttons("show_more")[0]))
    assert_within_limits(second)
    assert run_name(10) in second.content and "evaluate/val_loss" in second.content


def test_questions_about_the_large_project_stay_within_limits(slack: SlackDriver) -> None:
    for question in ("how many runs does big-model have?", "big-model 정확도 추이", "best big-model run?"):
        reply = slack.mention(question)
        assert_within_limits(reply)
        assert reply.method == "chat.postMessage"
