"""Delivering answers still being built in a worker process (`Answer.later`, see `bot.heavy_answers`).

Nothing here waits in a listener thread: Bolt's threads are what quick answers need. A timer shows a
"building…" message when the build takes longer than `BUILDING_AFTER` seconds, and the build's
completion hands the rest to a small pool of delivery threads, which only talk to Slack:

- a whole answer (the full report): its placeholder is posted after the delay, then replaced with
  `chat.update` by the answer itself (or the answer is simply posted when it was quick);
- files (report files, long charts): the answer is posted at once; its files follow in its thread,
  with a "building…" note there after the delay, updated to say they are below once uploaded.

When the bot may not post in the conversation, the answer goes through the command's `respond`
(the `fallback`), without its files and saying why, as for files made in this process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.answers import Answer, failure_answer
from bot.heavy_answers import BUILDING_AFTER
from bot.listeners import replies
from bot.rendering.files import built_note, file_kind, file_note, files_comment, render_building

logger = logging.getLogger(__name__)

_deliveries = ThreadPoolExecutor(max_workers=4, thread_name_prefix="contexta-delivery")
_pending = 0  # builds being waited for or delivered
_idle = threading.Condition()


def wait_until_delivered(timeout: float) -> bool:
    """Block until every answer handed over here has been delivered (tests, graceful shutdown)."""
    with _idle:
        return _idle.wait_for(lambda: _pending == 0, timeout)


def deliver_later(
    client: WebClient,
    answer: Answer,
    *,
    channel: str | None,
    thread_ts: str | None,
    fallback: Callable[[Answer], None] | None,
) -> None:
    """Post `answer` (whose `later` is still building) when it is ready; returns at once."""
    later = answer.later
    assert later is not None
    if later.answer is None:
        _deliver_files(client, answer, channel, thread_ts, fallback)
        return
    shown: dict[str, Any] = {}

    def show_building() -> None:
        shown["ts"] = _post(client, answer, channel, thread_ts, fallback)

    def finish(future: Future) -> None:
        final = _answer_of(future, answer)
        final = replace(final, later=replace(later, answer=None) if later.files and not final.error else None)
        if "ts" not in shown:  # quick enough: no placeholder was shown
            _deliver_files(client, final, channel, thread_ts, fallback)
        elif shown["ts"] is not None:
            _update(client, channel, shown["ts"], final)
            if final.later:
                _files_when_ready(client, final, channel, thread_ts or shown["ts"])
        elif fallback is not None:  # the placeholder went through `respond`: so does the answer
            fallback(replies.without_files(final, "not_in_channel") if final.later else final)

    _when_ready(later.answer, show_building, finish)


def _deliver_files(
    client: WebClient,
    answer: Answer,
    channel: str | None,
    thread_ts: str | None,
    fallback: Callable[[Answer], None] | None,
) -> None:
    """Post `answer` now (unless it is its files alone) and its files in its thread once built."""
    if answer.later is None or not answer.later.files:
        replies.post_in_thread(client, answer, channel=channel, thread_ts=thread_ts, fallback=fallback)
        return
    if not answer.blocks:  # the "Trend chart" button: the files are the answer
        _files_when_ready(client, answer, channel, thread_ts)
        return
    ts = _post(client, answer, channel, thread_ts, fallback)
    if ts:
        _files_when_ready(client, answer, channel, thread_ts or ts)


def _files_when_ready(client: WebClient, answer: Answer, channel: str | None, thread_ts: str | None) -> None:
    later = answer.later
    kind = "report" if answer.intent in ("report", "full_report") else "chart"
    note: dict[str, str | None] = {}

    def show_building() -> None:
        building = render_building(kind, answer.project or "", later.runs, answer.language)
        note["ts"] = _post_text(client, channel, thread_ts, building.text, building.blocks)

    def finish(future: Future) -> None:
        try:
            files, failure = future.result()
        except Exception:
            logger.exception("Building the files of a %s answer failed", answer.intent)
            files, failure = (), "internal"
        if files:
            comment = answer.text if not answer.blocks else files_comment(files, answer.language)
            failure = replies.upload_files(
                client, files, channel=channel, thread_ts=thread_ts, comment=comment
            )
            kind_done = file_kind(files)
        else:
            kind_done = kind
        if failure:
            text = file_note(kind_done, failure, answer.language)
        elif files:
            text = built_note(
                kind_done, answer.project or "", time.monotonic() - later.started, answer.language
            )
        else:
            text = None  # nothing to draw: the words were the whole answer
        if note.get("ts"):
            _update_text(
                client,
                channel,
                note["ts"],
                text or built_note("none", answer.project or "", 0, answer.language),
            )
        elif text and failure:
            _post_text(client, channel, thread_ts, text, None)

    _when_ready(later.files, show_building, finish)


def _when_ready(future: Future, show_building: Callable[[], None], finish: Callable[[Future], None]) -> None:
    """`finish(future)` in a delivery thread when `future` is done; `show_building()` first when that
    takes longer than BUILDING_AFTER (never after, and never both at once)."""
    global _pending
    lock = threading.Lock()
    done = threading.Event()
    with _idle:
        _pending += 1

    def slow() -> None:
        with lock:
            if not done.is_set():
                _logged(show_building)

    timer = threading.Timer(BUILDING_AFTER, slow)
    timer.daemon = True
    timer.start()

    def ready() -> None:
        global _pending
        timer.cancel()
        with lock:
            done.set()
        try:
            _logged(lambda: finish(future))
        finally:
            with _idle:
                _pending -= 1
                _idle.notify_all()

    future.add_done_callback(lambda _: _deliveries.submit(ready))


def _answer_of(future: Future, placeholder: Answer) -> Answer:
    try:
        return future.result()
    except Exception as error:  # the worker died or could not send its answer back
        return failure_answer(error, placeholder.intent, placeholder.language)


def _post(
    client: WebClient,
    answer: Answer,
    channel: str | None,
    thread_ts: str | None,
    fallback: Callable[[Answer], None] | None,
) -> str | None:
    """Post `answer` and return its ts; None when it went to `fallback` instead (without files, noted)."""
    try:
        if channel:
            posted = client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=answer.text, blocks=answer.blocks or None
            )
            return posted["ts"]
        code = "not_in_channel"
    except (SlackClientError, OSError) as error:
        code = replies.failure_code(error)
        logger.warning("Could not post a %s answer in %s: %s", answer.intent, channel, code)
    if fallback is not None:
        files_coming = answer.later is not None and answer.later.answer is None and answer.later.files
        fallback(replies.without_files(answer, code) if files_coming else replace(answer, later=None))
    return None


def _post_text(
    client: WebClient, channel: str | None, thread_ts: str | None, text: str, blocks: list | None
) -> str | None:
    if not channel:
        return None
    try:
        return client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=text, blocks=blocks or None
        )["ts"]
    except (SlackClientError, OSError) as error:
        logger.warning("Could not post in %s: %s", channel, replies.failure_code(error))
        return None


def _update(client: WebClient, channel: str | None, ts: str, answer: Answer) -> None:
    try:
        client.chat_update(channel=channel, ts=ts, text=answer.text, blocks=answer.blocks or [])
    except (SlackClientError, OSError) as error:
        logger.warning(
            "Could not update the building message in %s: %s", channel, replies.failure_code(error)
        )


def _update_text(client: WebClient, channel: str | None, ts: str, text: str) -> None:
    _update(client, channel, ts, Answer("note", None, "en", text, []))


def _logged(step: Callable[[], None]) -> None:
    try:
        step()
    except Exception:  # a delivery thread has no caller to raise to
        logger.exception("Delivering a heavy answer failed")
