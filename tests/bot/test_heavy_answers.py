"""Heavy answers through the real Bolt app: built in worker processes, shared, shown as "building…" and
delivered in place, while quick questions keep being answered.

The project has 6,000 runs × 3 metrics: above `HEAVY_FROM_RUNS` (so its report files, full report
pages and charts go to the workers) and above the complete report page's cell budget (so people get
a summary page and the CSV). Each test gets a fresh worker pool whose workers see the build log.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import heavy_answers
from contexta_core import Contexta
from contexta_core.jobs import WorkerPool
from contexta_core.synthetic import BusyProject, seed_demo
from tests.bot import slow_jobs
from tests.bot.conftest import drained_app
from tests.bot.harness import Reply, SlackDriver, assert_within_limits, uploads

PROJECT = "bench"
RUNS = 6000
FULL_REPORT = {"action_id": "full_report", "value": json.dumps({"project": PROJECT, "lang": "en", "page": 1})}


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Contexta]:
    root = tmp_path_factory.mktemp("heavy")
    with Contexta(workspace=root, database_url=f"sqlite:///{root / 'contexta.db'}") as ctx:
        BusyProject(PROJECT, RUNS).write(ctx)
        seed_demo(ctx)
        yield ctx


@pytest.fixture
def job_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh pool of workers started with CONTEXTA_TEST_JOB_LOG; the log lists the builds they ran."""
    log = tmp_path / "jobs.log"
    log.touch()
    monkeypatch.setenv("CONTEXTA_TEST_JOB_LOG", str(log))
    pool = WorkerPool(2)
    monkeypatch.setattr(heavy_answers, "_pool", pool)
    yield log
    pool.shutdown()


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch, job_log: Path) -> Path:
    """Heavy builds that take `slow_jobs.SLOW_SECONDS` each (then do the real work)."""
    monkeypatch.setattr(heavy_answers, "_answer_job", slow_jobs.slow_answer_job)
    monkeypatch.setattr(heavy_answers, "_files_job", slow_jobs.slow_files_job)
    return job_log


@pytest.fixture
def slack(settings, standin, large: Contexta) -> Iterator[SlackDriver]:
    with drained_app(settings, large) as built:
        yield SlackDriver(built, standin)


def builds(log: Path) -> list[str]:
    return [line.split()[0] for line in log.read_text().splitlines()]


def updates(slack: SlackDriver, count: int = 1, timeout: float = 30.0) -> list[Reply]:
    return [Reply(c.method, c.params) for c in slack.standin.wait_for("chat.update", count, timeout)]


def note_saying(slack: SlackDriver, text: str, timeout: float = 30.0) -> Reply:
    """The chat.update that turned a "building" note into `text`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [u for u in updates(slack, 0) if text in u.content]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no chat.update saying {text!r}; got {[u.text for u in updates(slack, 0)]}")


def test_the_full_report_of_a_large_project_is_a_summary_page_and_the_csv(
    slack: SlackDriver, job_log: Path
) -> None:
    reply = slack.settled(slack.click(FULL_REPORT, message_ts="1700000000.000100"))
    assert_within_limits(reply)
    assert "Multi Run Report: 6000 runs" in reply.content and "Showing 1–10 of 6,000" in reply.content
    (upload,) = uploads(slack.standin, timeout=60)
    assert sorted(upload.files) == ["bench-report-summary.html", "bench-report.csv"]
    assert upload.thread_ts == "1700000000.000100"
    page = upload.files["bench-report-summary.html"].decode()
    assert len(page) < 300_000 and "data:image/png;base64," in page
    assert "top 50 runs by evaluate/accuracy" in page and "of 6,000" in page
    assert "prod-00 → run-003000" in page  # the deployments
    assert "Compared 6000 runs" in page  # the counts
    rows = list(csv.reader(io.StringIO(upload.files["bench-report.csv"].decode())))
    assert len(rows) == RUNS + 1 and rows[0][:3] == ["run_id", "name", "status"]
    assert "evaluate/accuracy" in rows[0] and rows[1][1] == "run-000000"


def test_a_quick_question_is_answered_while_a_heavy_build_runs(slack: SlackDriver, slow: Path) -> None:
    started = time.monotonic()
    building = slack.click(FULL_REPORT)
    assert "Building the full report of `bench` (6,000 runs)" in building.content
    assert time.monotonic() - started >= heavy_answers.BUILDING_AFTER  # shown only once the build is slow
    best = slack.command(f"best {PROJECT}")  # meanwhile, in the same bot process
    assert "has the highest `evaluate/accuracy`" in best.content
    assert not slack.standin.calls("chat.update")  # answered while the report was still building
    done = slack.settled(building)
    assert "Multi Run Report: 6000 runs" in done.content and "Showing 1–10 of 6,000" in done.content
    assert_within_limits(done)


def test_the_building_message_is_updated_in_place(slack: SlackDriver, slow: Path) -> None:
    placeholder = slack.click(FULL_REPORT, message_ts="1700000000.000200")
    assert placeholder.params["thread_ts"] == "1700000000.000200"
    (done,) = updates(slack)
    assert (done.params["channel"], done.params["ts"]) == ("C1", placeholder.ts)
    assert "Building" not in done.content and "Multi Run Report: 6000 runs" in done.content
    # the files follow in the same thread, with their own note, updated once they are there
    (upload,) = uploads(slack.standin, timeout=30)
    assert upload.thread_ts == "1700000000.000200"
    assert sorted(upload.files) == ["bench-report-summary.html", "bench-report.csv"]
    assert "a summary page" in upload.comment and "every run as CSV" in upload.comment


def test_report_files_that_take_long_get_a_note_updated_once_they_are_there(
    slack: SlackDriver, slow: Path, posted: list[dict]
) -> None:
    reply = slack.command(f"report {PROJECT}")
    assert "Multi Run Report: 6000 runs" in reply.content  # the words at once, the files after
    (upload,) = uploads(slack.standin, timeout=30)
    assert upload.thread_ts == reply.ts
    note = note_saying(slack, "The report files of `bench` are below")
    building = next(p for p in posted if p["ts"] == note.params["ts"])
    assert "Building the report files of `bench` (6,000 runs)" in building["message"]["text"]
    assert building["message"]["thread_ts"] == reply.ts


def test_identical_heavy_requests_are_built_once(slack: SlackDriver, slow: Path) -> None:
    slack.press(FULL_REPORT, message_ts="1700000000.000300")
    slack.press(FULL_REPORT, message_ts="1700000000.000400")  # a second person, the same report
    slack.command(f"report {PROJECT}")  # its files are the same files
    shown = uploads(slack.standin, count=3, timeout=40)
    assert {u.thread_ts for u in shown} >= {"1700000000.000300", "1700000000.000400"}
    reports = [u for u in updates(slack, 2) if "Multi Run Report: 6000 runs" in u.content]
    assert len(reports) == 2  # both askers' placeholders became the report
    assert sorted(builds(slow)) == ["answer", "files"]


def test_a_worker_that_dies_is_an_apology_and_the_next_ask_builds_again(
    slack: SlackDriver, job_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(heavy_answers, "_answer_job", slow_jobs.broken_answer_job)
    reply = slack.settled(slack.click(FULL_REPORT))
    assert "Sorry, something went wrong on my side" in reply.content
    monkeypatch.setattr(heavy_answers, "_answer_job", slow_jobs.slow_answer_job)
    again = slack.click(FULL_REPORT)
    assert "Building the full report" in again.content
    assert "Multi Run Report: 6000 runs" in slack.settled(again).content
    assert builds(job_log) == ["answer", "answer"]


def test_charts_of_long_histories_are_drawn_in_a_worker(slack: SlackDriver, slow: Path) -> None:
    reply = slack.command(f"trend {PROJECT}")
    assert "across 6,000 runs" in reply.content  # the words come at once
    (upload,) = uploads(slack.standin, timeout=30)
    assert list(upload.files) == ["bench-evaluate-accuracy-trend.png"]
    assert builds(slow) == ["files"]
    note_saying(slack, "The chart of `bench` is below")
