"""The one string catalog: every sentence in English and Korean with the same placeholders, CLDR plural
forms, Babel's dates and numbers, and core errors worded from their code (a Korean asker reads Korean)."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from unittest.mock import patch

import pytest
from babel import Locale

from bot.answers import answer_action, answer_command, parse_error_answer
from bot.digests.commands import handle_digest_command
from bot.error_messages import describe_command_error, describe_error
from bot.rendering import format as fmt
from bot.rendering.catalog import CATALOG
from bot.rendering.i18n import LANGUAGES, day_name, local_time, number, status_counts, t
from contexta_core import Contexta
from contexta_core.ask.commands import (
    ARITY,
    CommandError,
    ParsedCommand,
    parse_access_command,
    parse_command,
    parse_digest_action,
    parse_since,
    parse_subscribe_args,
    parse_watch_args,
)
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
    codes -= set(_command_error_codes(("contexta_core",)))  # `command_error.<code>`: see the test below
    assert len(codes) > 40
    # a ContextaError's sentence is `error.<code>`; a CommandError's (the grammar's) `command_error.<code>`
    missing = sorted(
        code for code in codes if f"error.{code}" not in CATALOG and f"command_error.{code}" not in CATALOG
    )
    assert missing == []


# -- commands that do not parse -----------------------------------------------------------------------


def _command_error_codes(packages: tuple[str, ...]) -> dict[str, str]:
    """``code`` of every ``CommandError(...)`` written in ``packages``, with where it is raised."""
    found: dict[str, str] = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = (
                    node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                )
                if name != "CommandError":
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                code = next((k.value for k in node.keywords if k.arg == "code"), None)
                assert isinstance(code, ast.Constant) and isinstance(code.value, str), (
                    f'{where}: a CommandError names its code (code="…") so the catalog can word it'
                )
                found[code.value] = where
    return found


# One input per code the grammar raises: what a person might type. A new code needs one here.
BAD_COMMANDS: dict[str, Callable[[], object]] = {
    "unknown_subcommand": lambda: parse_command("bset churn"),
    "unknown_subcommand_no_match": lambda: parse_command("weather"),
    "bad_page": lambda: parse_command("runs --page 0"),
    "too_long": lambda: parse_command("runs " + "x" * 5000),
    "flag_takes_no_value": lambda: parse_command("best --lower-is-better=yes"),
    "option_needs_value": lambda: parse_command("runs --stage"),
    "unknown_option": lambda: parse_command("runs --fast"),
    "takes_no_arguments": lambda: parse_command("projects extra"),
    "takes_exactly": lambda: parse_command("compare churn-v3-feb"),
    "takes_at_most": lambda: parse_command("runs a b"),
    "takes_at_least": lambda: _with_arity("compare", (2, 3), "compare churn-v3-feb"),  # no such grammar yet
    "unknown_digest_action": lambda: parse_digest_action(["subscibe"]),
    "second_project": lambda: parse_subscribe_args(["churn-prediction", "fraud"], ["churn-prediction"]),
    "bad_since": lambda: parse_since("last blue moon"),
    "since_in_future": lambda: parse_since("2999-01-01"),
    "watch_option": lambda: parse_watch_args(parse_command("watch churn --stage train")),
    "watch_list_extra": lambda: parse_watch_args(parse_command("watch list churn")),
    "watch_unknown_kind": lambda: parse_watch_args(parse_command("watch churn deploymnts")),
    "access_unknown_action": lambda: parse_access_command(["bogus"]),
    "access_bad_target": lambda: parse_access_command(["restrict", "churn", "<#broken"]),
    "access_unexpected_word": lambda: parse_access_command(["restrict", "churn", "fraud", "<#C1|ml>"]),
    "access_project_missing": lambda: parse_access_command(["open"]),
    "access_no_channels": lambda: parse_access_command(["restrict", "churn"]),
    "access_targets_unexpected": lambda: parse_access_command(["show", "churn", "#ml"]),
}


def _with_arity(subcommand: str, arity: tuple[int, int], text: str) -> object:
    with patch.dict(ARITY, {subcommand: arity}):
        return parse_command(text)


def test_every_command_error_has_a_sentence_in_both_languages_filled_by_its_details() -> None:
    raised = _command_error_codes(("contexta_core", "bot", "contexta_cli"))
    assert {"unknown_subcommand", "takes_exactly", "unknown_digest_action", "button_expired"} <= set(raised)
    missing = sorted(
        f"{where}: command_error.{code}"
        for code, where in raised.items()
        if f"command_error.{code}" not in CATALOG
    )
    assert missing == []
    grammar = _command_error_codes(("contexta_core",))
    assert set(BAD_COMMANDS) == set(grammar), "give each grammar code an input in BAD_COMMANDS"
    for code, bad in BAD_COMMANDS.items():
        with pytest.raises(CommandError) as info:
            bad()
        error = info.value
        assert error.code == code
        for lang in LANGUAGES:
            wanted = set().union(
                *(_fields(text) for text in _forms(CATALOG[f"command_error.{code}"][lang]).values())
            )
            assert set(error.details) == wanted, (code, lang, set(error.details), wanted)
        # English reads as the grammar's own message; Korean is a whole Korean sentence
        assert describe_command_error(error, "en") == fmt.escape(error.message), code
        korean = describe_command_error(error, "ko")
        assert re.search("[가-힣]", korean) and not ENGLISH_SENTENCE.search(_prose(korean)), (code, korean)


def test_a_command_error_echoes_typed_text_inert_in_both_languages() -> None:
    with pytest.raises(CommandError) as info:
        parse_command("<!channel>`&")
    for lang in LANGUAGES:
        text = describe_command_error(info.value, lang)
        assert "<!channel>" not in text and "‹!channel›&amp;" in text, text


def test_a_command_error_without_a_known_code_still_reads_in_the_askers_language() -> None:
    error = CommandError("`watch` needs a metric", code="not_in_the_catalog_yet")
    assert describe_command_error(error, "en") == "`watch` needs a metric"
    assert describe_command_error(error, "ko") == "명령을 이해하지 못했습니다."


def test_a_korean_command_that_does_not_parse_gets_a_whole_korean_reply(demo_ctx: Contexta) -> None:
    with pytest.raises(CommandError) as info:
        parse_command("실행 a b")
    answer = parse_error_answer(info.value, "ko")
    assert answer.ephemeral and answer.error == "takes_at_most"
    assert (
        "`runs` 명령은 인자를 최대 1개까지 받습니다 (2개를 받음). 사용법: `/contexta runs [project]`"
        in answer.text
    )
    assert "명령을 이해하지 못했습니다" not in answer.text and not ENGLISH_SENTENCE.search(
        _prose(answer.text)
    )
    reply = handle_digest_command(demo_ctx, ("구독하기",), channel_id="C1", user_id="U1", language="ko")
    assert reply.text.startswith(":warning: 알 수 없는 다이제스트 동작입니다: `구독하기`."), reply.text
    assert not ENGLISH_SENTENCE.search(_prose(reply.text)), reply.text
    stale = answer_action(demo_ctx, "compare_production", '{"project": "churn-prediction", "lang": "ko"}')
    assert stale.ephemeral and stale.error == "button_expired" and "이 버튼은 만료되었습니다" in stale.text


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
    assert (
        pause_reason("the channel is archived (`is_archived`)", "ko")
        == "채널이 보관되었습니다 (`is_archived`)"
    )
    assert pause_reason("paused by hand", "ko") == "paused by hand"  # a reason stored as text stays as it is


def test_a_watch_paused_by_an_uninstall_says_to_watch_again_not_to_subscribe_again() -> None:
    from bot.rendering.subscriptions import pause_reason

    for code in ("app_uninstalled", "tokens_revoked"):
        stored = f"{t('en', f'watch.pause.{code}')} (`{code}`)"  # as bot.installs stores it
        assert stored.endswith(f"then watch the project again (`{code}`)")
        assert pause_reason(stored, "ko", kind="watch").endswith(f"프로젝트를 다시 감시하세요 (`{code}`)")
        # a watch paused before watches had their own sentence is worded as a watch's too
        assert "watch the project again" in pause_reason(f"old words (`{code}`)", "en", kind="watch")
        assert "subscribe again" in pause_reason(f"old words (`{code}`)", "en")  # a digest's stays
    # codes with no watch sentence of their own share the digest's
    assert pause_reason("x (`is_archived`)", "ko", kind="watch") == "채널이 보관되었습니다 (`is_archived`)"


def test_notes_the_core_returns_as_data_are_worded_in_the_askers_language(ctx: Contexta) -> None:
    """Onboarding's "no such metric yet" and a trend's runs without the metric come as data (an error
    with its code, counts and names), so Korean reads Korean where English used to be pasted in."""
    from bot.rendering.onboarding import render_onboarding
    from bot.rendering.trend import render_trend
    from contexta_core.ask.paging import page_of
    from contexta_core.synthetic import add_project, add_run, metric

    add_project(ctx, "bare")
    for n in range(4):
        add_run(ctx, "bare", f"r{n}", n)
    summary = ctx.onboarding_summary("bare")
    assert [note.code for note in summary.notes] == ["unknown_metric"]
    korean = render_onboarding(summary, lang="ko").blocks[-2]["elements"][0]["text"]
    assert korean == "`evaluate` 단계에 `accuracy` 지표가 없습니다. (아직 지표 없음)"
    english = render_onboarding(summary, lang="en").blocks[-2]["elements"][0]["text"]
    assert english == "no metric `accuracy` in stage `evaluate` (there are no metrics yet)"

    ctx.record_store.append_many([metric("bare", "r0", "acc", 0.5), metric("bare", "r2", "acc", 0.7)])
    trend = ctx.get_metric_trend("acc", project_name="bare")
    notes = {
        lang: str(render_trend(trend, page=page_of(2, 1, 10), higher_is_better=True, lang=lang).blocks)
        for lang in LANGUAGES
    }
    assert "2 runs have no `evaluate/acc`: r1, r3" in notes["en"]
    assert "실행 2개에 `evaluate/acc` 값이 없습니다: r1, r3" in notes["ko"]


@pytest.mark.parametrize(
    ("words", "english", "korean"),
    [
        (("tz",), "`tz` needs a zone, e.g. `tz Europe/Berlin`", "`tz` 뒤에는 시간대가 필요합니다."),
        (
            ("매주",),
            "`매주` needs a day and a time, e.g. `매주 mon 09:00`",
            "`매주` 뒤에는 요일과 시각이 필요합니다.",
        ),
        (("lang",), "`lang` needs `en` or `ko`", "`lang` 뒤에는 `en` 또는 `ko`가 필요합니다."),
        (("at",), "`at` needs a time, e.g. `at 09:00`", "`at` 뒤에는 시각이 필요합니다."),
    ],
)
def test_a_schedule_keyword_without_its_value_is_named_in_both_languages(
    demo_ctx: Contexta, words: tuple[str, ...], english: str, korean: str
) -> None:
    """`digest subscribe p tz` once read "unknown time zone {zone}": the sentence had no zone to name."""
    args = ("subscribe", "churn-prediction", *words)
    en = handle_digest_command(demo_ctx, args, channel_id="C1", user_id="U1", language="en")
    ko = handle_digest_command(demo_ctx, args, channel_id="C1", user_id="U1", language="ko")
    assert en.text == f":warning: {english}"
    assert ko.text.startswith(f":warning: {korean}") and "{" not in ko.text
    assert not ENGLISH_SENTENCE.search(_prose(ko.text)), ko.text
