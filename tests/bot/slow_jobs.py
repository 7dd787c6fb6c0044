"""Heavy jobs made deliberately slow (or broken), for tests only: they run in the worker processes.

A test points `bot.heavy_answers` at these (monkeypatching the job it submits); each logs one line
per build to the file named by CONTEXTA_TEST_JOB_LOG (set before the test's pool starts), so a test
can count builds across processes.
"""

from __future__ import annotations

import os
import time

from bot import heavy_answers

SLOW_SECONDS = 5.0  # longer than heavy_answers.BUILDING_AFTER, so the "building…" message shows


def _log(kind: str) -> None:
    path = os.environ.get("CONTEXTA_TEST_JOB_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{kind} {os.getpid()}\n")


def slow_answer_job(ctx, ask):
    _log("answer")
    time.sleep(SLOW_SECONDS)
    return heavy_answers._answer_job(ctx, ask)


def slow_files_job(ctx, ask):
    _log("files")
    time.sleep(SLOW_SECONDS)
    return heavy_answers._files_job(ctx, ask)


def broken_answer_job(ctx, ask):
    _log("answer")
    os._exit(3)  # the worker dies mid-build, as on an out-of-memory kill
