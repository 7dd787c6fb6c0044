"""`bot.answers` without Slack: the Answer shape, and errors turned into replies in one place."""

import dataclasses
import logging

import pytest

from bot.answers import Answer, answer_action, answer_command, answer_question
from bot.channel_defaults import channel_default_project
from contexta_core.ask.commands import ParsedCommand, parse_command
from contexta_core.errors import UnknownProjectError
from contexta_core.tenancy import Tenant

SQLITE_ONLY = pytest.mark.parametrize("shared_demo", ["sqlite"], indirect=True)


class BrokenStore:
    """A workspace whose every query fails like a bug would (and whose error text holds a secret)."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise RuntimeError("connection to postgresql://bot:hunter2@db failed")

        return fail


@SQLITE_ONLY
def test_answers_are_frozen_and_carry_intent_project_language_and_a_fallback(shared_demo) -> None:
    answer = answer_command(shared_demo, parse_command("best"), channel_default=None)
    assert isinstance(answer, Answer) and dataclasses.is_dataclass(answer)
    assert (answer.intent, answer.project, answer.language, answer.ephemeral, answer.files) == (
        "best",
        "churn-prediction",
        "en",
        False,
        (),
    )
    assert "churn-v6-apr" in answer.text and answer.blocks and answer.error is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.text = "changed"  # type: ignore[misc]
    question = answer_question(shared_demo, "정확도는 어떻게 변했어?")
    assert (question.intent, question.language, question.project) == ("trend", "ko", "churn-prediction")


def test_bugs_become_a_short_apology_and_a_logged_traceback(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.answers"):
        answers = [
            answer_command(BrokenStore(), ParsedCommand("runs", ("p",)), channel_default=None),
            answer_question(BrokenStore(), "가장 좋은 실행은 뭐야?"),
            answer_action(BrokenStore(), "show_more", '{"kind":"runs","project":"p","page":2}'),
        ]
    for answer in answers:
        assert answer.ephemeral and answer.error == "internal"
        assert "hunter2" not in answer.text + str(answer.blocks) and "Traceback" not in answer.text
    assert "죄송합니다" in answers[1].text and "Sorry" in answers[0].text
    assert len(caplog.records) == 3 and all(r.exc_info for r in caplog.records)


def test_core_errors_become_friendly_messages_without_raw_input() -> None:
    class Store(BrokenStore):
        def vocabulary(self):  # no near miss of any project
            from contexta_core.ask.vocabulary import Vocabulary
            from contexta_core.queries.names import WorkspaceNames

            return Vocabulary(WorkspaceNames())

        def resolve_project_name(self, text):
            raise UnknownProjectError(
                f"no project `{text}`; did you mean `churn-prediction`?",
                suggestions=["churn-prediction"],
                details={"project": text},
            )

    answer = answer_command(Store(), ParsedCommand("runs", ("<!channel>`",)), channel_default=None)
    assert answer.ephemeral and answer.error == "unknown_project"
    assert "no project `‹!channel›`; did you mean `churn-prediction`?" in answer.text
    korean = answer_command(Store(), ParsedCommand("runs", ("<@U1>",)), channel_default=None, language="ko")
    assert "`‹@U1›` 프로젝트가 없습니다." in korean.text and "<@U1>" not in str(korean.blocks)


def test_a_channel_default_that_cannot_be_read_is_just_absent() -> None:
    assert channel_default_project(BrokenStore(), "C1", Tenant.of("T1")) is None
    assert channel_default_project(BrokenStore(), None, Tenant.of("T1")) is None
