"""The one string catalog: every sentence in English and Korean with the same placeholders, CLDR plural
forms, Babel's dates and numbers, and core errors worded from their code (a Korean asker reads Korean)."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel import Locale

from bot.answers import answer_command
from bot.digests.commands import handle_digest_command
from bot.error_messages import describe_error
from bot.rendering.catalog import CATALOG
from bot.rendering.i18n import LANGUAGES, day_name, local_time, number, status_counts, t
from contexta_core import Contexta
from contexta_core.ask.commands import ParsedCommand
from contexta_core.errors import ContextaError
from contexta_core.language import detect_language

ROOT = Path(__file__).resolve().parents[2]


def _forms(template: str | dict[str, str]) -> dict[str, str]:
    return template if isinstance(template, dict) else {"other": template}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_every_language_with_the_same_placeholders() -> None:
    for key, entry in CATALOG.items():
        assert set(entry) == set(LANGUAGES), key
        per_language = {}
        for lang in LANGUAGES:
            forms = _forms(entry[lang])
            categories = Locale.parse(lang).plural_form.tags | {"other"}
            assert "other" in forms and set(forms) <= categories, (key, lang, set(forms))
            union = set().union(*(_fields(text) for text in forms.values()))
            for category, text in forms.items():
                missing = union - _fields(text)
                # "1 run" may spell its number; every other difference between forms is a mistake
                assert missing <= ({"count"} if category == "one" else set()), (key, lang, category, missing)
            per_language[lang] = union
        assert per_language["en"] == per_language["ko"], key
        if any(isinstance(entry[lang], dict) for lang in LANGUAGES):
            assert "count" in per_language["en"], f"{key} has plural forms but no count"


def test_plurals_follow_each_languages_cldr_rule_and_counts_are_written_the_languages_way() -> None:
    assert t("en", "runs.summary", count=1, project="`p`", statuses="1 completed").startswith("*1 run* in")
    assert t("en", "runs.summary", count=12345, project="`p`", statuses="—").startswith("*12,345 runs* in")
    korean = t("ko", "runs.summary", count=1, project="`p`", statuses="완료 1")
    assert "*1개*" in korean and korean == t("ko", "runs.summary", count=1, project="`p`", statuses="완료 1")
    assert t("ko", "digest.runs", count=3, statuses="완료 3") == "*새 실행 3개* (완료 3)"
    assert t("en", "digest.deploys", count=1, items="x") == "*1 new deployment*: x"
    with pytest.raises(TypeError, match="plural forms"):  # a pre-formatted count cannot choose a form
        t("en", "runs.summary", count="1", project="p", statuses="s")
    assert number(1234567, "en") == number(1234567, "ko") == "1,234,567"
    assert status_counts({"completed": 1200, "failed": 3}, "ko") == "완료 1,200, 실패 3"
    assert status_counts({"completed": 1200, "failed": 3}, "en") == "1,200 completed, 3 failed"


def test_days_and_dates_come_from_babel_in_both_languages() -> None:
    monday_8utc = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
    assert local_time(monday_8utc, "Europe/Berlin", "en") == "Mon, Mar 23, 09:00"
    assert local_time(monday_8utc, "Asia/Seoul", "ko") == "3월 23일 (월) 17:00"
    assert local_time(monday_8utc, "Asia/Seoul", "ko", with_year=True) == "2026년 3월 23일 (월) 17:00"
    assert local_time(monday_8utc, "UTC", "en", with_year=True) == "Mon, Mar 23, 2026, 08:00"
    assert [day_name(d, "en") for d in ("mon", "sun")] == ["Monday", "Sunday"]
    assert [day_name(d, "ko") for d in ("mon", "sun")] == ["월요일", "일요일"]
    for path in ("bot/rendering/i18n.py", "bot/rendering/catalog.py"):  # no hand-written calendar
        source = (ROOT / path).read_text()
        assert "Tuesday" not in source and '"Feb"' not in source and "화요일" not in source


def test_every_error_code_the_core_can_raise_has_a_sentence_in_both_languages() -> None:
    codes = set()
    for path in (ROOT / "contexta_core").rglob("*.py"):
        source = path.read_text()
        codes |= set(re.findall(r'\bcode\s*=\s*"([a-z_]+)"', source))
    assert len(codes) > 40
    # a ContextaError's sentence is `error.<code>`; a CommandError's (the grammar's) `command_error.<code>`
    missing = sorted(
        code for code in codes if f"error.{code}" not in CATALOG and f"command_error.{code}" not in CATALOG
    )
    assert missing == []


# -- Korean askers read Korean ------------------------------------------------------------------------

ENGLISH_SENTENCE = re.compile(
    r"[A-Za-z]{2,}[,;:]?(?:\s+[A-Za-z]{2,}[,;:]?){2,}"
)  # three English words in a row


def _prose(text: str) -> str:
    """What a person reads as sentences: code spans (names, commands) and :emoji: taken out."""
    return re.sub(r":[a-z_]+:", " ", re.sub(r"`[^`]*`", " ", text))


def _korean_error(ctx: Contexta, raise_it) -> str:
    with pytest.raises(ContextaError) as info:
        raise_it()
    text, _ = describe_error(info.value, "ko")
    return text


def test_core_errors_read_as_whole_korean_sentences(demo_ctx: Contexta) -> None:
    ctx = demo_ctx
    with ctx.run(
        "two-stage", project="churn-prediction"
    ) as run:  # `loss` now lives in two stages, neither the project's
        with run.stage("train") as stage:
            stage.log_metric("loss", 0.4)
        with run.stage("tune") as stage:
            stage.log_metric("loss", 0.5)
    replies = {
        "ambiguous": _korean_error(ctx, lambda: ctx.resolve_scope("churn-prediction", "loss")),
        "project": _korean_error(ctx, lambda: ctx.resolve_project_name("churn-predction")),
        "metric": _korean_error(ctx, lambda: ctx.best_run("churn-prediction", "f2", stage_name="evaluate")),
        "stage": _korean_error(ctx, lambda: ctx.best_run("churn-prediction", "f1", stage_name="evalute")),
        "run": _korean_error(ctx, lambda: ctx.compare_runs("churn-v3-feb", "churn-v9-dec")),
        "status": _korean_error(ctx, lambda: ctx.list_runs("churn-prediction", status="done")),
        "aggregation": _korean_error(
            ctx, lambda: ctx.best_run("churn-prediction", "f1", stage_name="evaluate", aggregation="median")
        ),
    }
    assert replies["ambiguous"].startswith("`loss` 지표는 여러 단계(`train`, `tune`)에 기록되어")
    assert "`--stage train`" in replies["ambiguous"]
    assert (
        replies["project"]
        == "`churn-predction` 프로젝트가 없습니다. 혹시 `churn-prediction`을(를) 찾으시나요?"
    )
    assert replies["metric"].startswith("`evaluate` 단계에 `f2` 지표가 없습니다.")
    assert "있는 지표:" in replies["metric"] or "혹시" in replies["metric"]
    for name, text in replies.items():
        assert not ENGLISH_SENTENCE.search(_prose(text)), (name, text)
        assert re.search("[가-힣]", text), name


def test_a_korean_command_that_fails_gets_a_korean_reply_end_to_end(demo_ctx: Contexta) -> None:
    answer = answer_command(
        demo_ctx, ParsedCommand("best", ("churn-prediction", "f2")), channel_default=None, language="ko"
    )
    assert answer.ephemeral and answer.error == "unknown_metric"
    assert "지표가 없습니다" in answer.text and not ENGLISH_SENTENCE.search(_prose(answer.text))
    for words in (("subscribe", "churn-prediction", "tz", "Asia/Seol"), ("subscribe", "weekly", "funday")):
        reply = handle_digest_command(demo_ctx, words, channel_id="C1", user_id="U1", language="ko")
        assert reply.text.startswith(":warning: ") and re.search("[가-힣]", reply.text), reply.text
        assert not ENGLISH_SENTENCE.search(_prose(reply.text)), reply.text
    english = handle_digest_command(
        demo_ctx, ("subscribe", "churn-prediction", "tz", "Asia/Seol"), channel_id="C1", user_id="U1"
    )
    assert "unknown time zone `Asia/Seol`; did you mean `Asia/Seoul`?" in english.text


def test_language_follows_the_text() -> None:
    assert detect_language("가장 좋은 실행은 뭐야?") == "ko"
    assert detect_language("best run on f1?") == "en" and detect_language(None) == "en"
    assert t("ko", "page.more") == "더 보기" and t("xx", "page.more") == "Show more"


def test_a_paused_digest_says_why_in_the_listers_language() -> None:
    from bot.rendering.subscriptions import pause_reason, render_subscription_list
    from contexta_core.digests import Subscription, SubscriptionStatus

    when = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)
    sub = Subscription(
        1, "C1", "project:churn", "churn", "mon", "09:00", "Asia/Seoul", "ko", "paused",
        "the bot is not a member of the channel; invite it with `/invite @Contexta` (`not_in_channel`)",
        when, "U1", when, when, when,
    )  # fmt: skip
    korean = render_subscription_list(
        (SubscriptionStatus(sub, None),), elsewhere=0, show_all=False, now=when, lang="ko"
    )
    assert (
        "봇이 채널 멤버가 아닙니다" in korean.text
        and "*일시 중지됨* (3월 23일 (월) 09:00부터)" in korean.text
    )
    assert not ENGLISH_SENTENCE.search(_prose(korean.text)), korean.text
    assert pause_reason("the channel is archived (`is_archived`)", "ko") == "채널이 보관되었습니다 (`is_archived`)"
    assert pause_reason("paused by hand", "ko") == "paused by hand"  # a reason stored as text stays as it is
