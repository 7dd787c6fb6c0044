"""How an `Answer` reaches Slack: the response_url, a thread, or only the asker's eyes; its files go in its thread.

Files (a trend chart, the report as Markdown and HTML) are uploaded with `files_upload_v2` after
the answer is posted, threaded under it, so the answer never waits on them or depends on them:
when an upload fails (no `files:write`, a channel the bot is not in, Slack or the network down)
the answer stands and one short line in the thread says the file could not be attached. Nothing
here raises because of a file.

A slash command's `respond()` returns no message ts to thread under. So an in-channel command
answer *with files* is posted with `chat.postMessage` instead (same blocks, so it reads the same),
and its files go in that message's thread. When the bot cannot post there (a private channel it
was not invited to, a DM between other people) the answer falls back to `respond()`, with the
note in it. Answers without files keep using `respond()`, which works in every conversation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError, SlackRequestError

from bot.answers import Answer
from bot.rendering.files import add_note, file_kind, file_note, files_comment
from contexta_core.render.files import ExportedFile

logger = logging.getLogger(__name__)


def respond_with(respond: Respond, answer: Answer, *, replace_original: bool | None = None) -> None:
    """Via `response_url`: in the channel for answers, to the asker alone for errors and help."""
    respond(
        text=answer.text,
        blocks=answer.blocks or None,
        response_type="ephemeral" if answer.ephemeral else "in_channel",
        replace_original=replace_original,
    )


def reply_to_command(
    client: WebClient,
    respond: Respond,
    answer: Answer,
    *,
    channel: str | None,
    replace_original: bool | None = None,
) -> None:
    """For slash commands and clicks on ephemeral messages: `respond()`, unless files need a thread."""
    if answer.later is not None and answer.later.answer is not None and not channel:
        from bot.listeners.later import deliver_later  # nowhere to thread files: the answer alone, when built

        alone = replace(answer, later=replace(answer.later, files=None))
        fallback = lambda built: respond_with(respond, built, replace_original=replace_original)  # noqa: E731
        deliver_later(client, alone, channel=None, thread_ts=None, fallback=fallback)
        return
    if answer.ephemeral or not (answer.files or answer.later) or not channel:
        respond_with(respond, answer, replace_original=replace_original)
        return
    post_in_thread(
        client,
        answer,
        channel=channel,
        thread_ts=None,
        fallback=lambda noted: respond_with(respond, noted, replace_original=replace_original),
    )


def post_in_thread(
    client: WebClient,
    answer: Answer,
    *,
    channel: str,
    thread_ts: str | None,
    user: str | None = None,
    fallback: Callable[[Answer], None] | None = None,
) -> None:
    """Post `answer` in `thread_ts` (top level when None), then upload its files in its thread.

    Ephemeral answers go to `user` only when known (and never carry files). An answer with files
    but no blocks (the "Trend chart" button) is its files: its text becomes their comment.
    `fallback` (a command's `respond`) takes the answer, noted, when the bot may not post in `channel`.
    """
    if answer.later is not None:  # still building in a worker: delivered when ready
        from bot.listeners.later import deliver_later

        deliver_later(client, answer, channel=channel, thread_ts=thread_ts, fallback=fallback)
        return
    if answer.ephemeral and user:
        client.chat_postEphemeral(
            channel=channel, user=user, thread_ts=thread_ts, text=answer.text, blocks=answer.blocks
        )
        return
    if answer.files and not answer.blocks:
        error = upload_files(client, answer.files, channel=channel, thread_ts=thread_ts, comment=answer.text)
        if error is not None:
            _post_or_fall_back(client, _noted(answer, error), channel, thread_ts, fallback)
        return
    try:
        posted = client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=answer.text, blocks=answer.blocks or None
        )
    except (SlackClientError, OSError) as error:
        if fallback is None:
            raise
        fallback(_noted(answer, failure_code(error)))
        return
    if answer.files:
        attach_files(client, answer, channel=channel, thread_ts=thread_ts or posted["ts"])


def attach_files(client: WebClient, answer: Answer, *, channel: str, thread_ts: str) -> None:
    """Upload the answer's files under `thread_ts`; on failure, say so in the thread (never raises)."""
    comment = files_comment(answer.files, answer.language)
    error = upload_files(client, answer.files, channel=channel, thread_ts=thread_ts, comment=comment)
    if error is None:
        return
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=_note(answer, error))
    except (SlackClientError, OSError) as failed:
        logger.warning(
            "Could not post the note about unattached files in %s: %s", channel, failure_code(failed)
        )


def upload_files(
    client: WebClient, files: Sequence[ExportedFile], *, channel: str, thread_ts: str | None, comment: str
) -> str | None:
    """One `files_upload_v2` call for all `files`; None when it worked, else why (see `failure_code`)."""
    uploads = [
        {
            "file": f.content,
            "filename": f.filename,
            "title": f.title,
            **({"alt_txt": f.title} if f.mime.startswith("image/") else {}),
        }
        for f in files
    ]
    try:
        client.files_upload_v2(
            channel=channel, thread_ts=thread_ts, file_uploads=uploads, initial_comment=comment
        )
    except Exception as error:  # a file must never take the answer down with it
        code = failure_code(error)
        level = logging.WARNING if code != "internal" else logging.ERROR
        logger.log(
            level,
            "Could not upload %s to %s: %s",
            [f.filename for f in files],
            channel,
            code,
            exc_info=code == "internal",
        )
        return code
    return None


def failure_code(error: BaseException) -> str:
    """Slack's error code (missing_scope, not_in_channel, …), "network" or "internal"."""
    if isinstance(error, SlackApiError):
        data = error.response.data if hasattr(error.response, "data") else {}
        code = data.get("error") if isinstance(data, dict) else None
        return str(code or f"http_{error.response.status_code}")
    if isinstance(error, SlackRequestError):  # the upload URL refused the bytes
        return "upload_failed"
    if isinstance(error, SlackClientError | OSError):
        return "network"
    return "internal"


def _note(answer: Answer, error: str) -> str:
    return file_note(file_kind(answer.files), error, answer.language)


def without_files(answer: Answer, error: str) -> Answer:
    """The answer without its files (made or still building), saying why they are missing."""
    return replace(_noted(answer, error), later=None)


def _noted(answer: Answer, error: str) -> Answer:
    """The answer without its files, saying why they are missing."""
    text, blocks = add_note(answer.text, answer.blocks, _note(answer, error))
    return replace(answer, text=text, blocks=blocks, files=())


def _post_or_fall_back(
    client: WebClient,
    answer: Answer,
    channel: str,
    thread_ts: str | None,
    fallback: Callable[[Answer], None] | None,
) -> None:
    if fallback is not None:
        fallback(answer)
        return
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=answer.text, blocks=answer.blocks)
    except (SlackClientError, OSError) as error:
        logger.warning("Could not post a %s answer in %s: %s", answer.intent, channel, failure_code(error))
