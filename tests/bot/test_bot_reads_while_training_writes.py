"""Two training processes write to one SQLite workspace while the bot answers from it: no answer
says "database is locked" or apologises, and every ack is in time (issue #12: what held up)."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from contexta_core import Contexta
from contexta_core.synthetic import add_project
from tests.bot.conftest import drained_app
from tests.bot.harness import SlackDriver
from tests.core.test_concurrency import ROUNDS, _writer


def test_two_writers_and_the_bot_share_one_sqlite_workspace(
    settings, standin, tmp_path: Path, caplog
) -> None:
    workspace = str(tmp_path / "ws")
    with Contexta(workspace=workspace) as ctx:
        add_project(ctx, "proj")
    spawn = mp.get_context("spawn")
    ready = spawn.Event()
    writers = [spawn.Process(target=_writer, args=(workspace, name, ready)) for name in ("a", "b")]
    with Contexta(workspace=workspace) as ctx, drained_app(settings, ctx) as app:
        slack = SlackDriver(app, standin)
        for writer in writers:
            writer.start()
        ready.set()
        answers = []
        while any(writer.is_alive() for writer in writers) or not answers:
            answers.append(slack.command("runs proj").content)
            answers.append(slack.mention("how many runs does proj have?").content)
        for writer in writers:
            writer.join(90)
            assert writer.exitcode == 0
        final = slack.command("runs proj").content
    assert len(answers) >= 2
    for content in answers:
        assert "locked" not in content.lower() and "went wrong" not in content.lower(), content
    assert f"{2 * ROUNDS}" in final
    assert "database is locked" not in caplog.text
