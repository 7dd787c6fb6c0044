"""Asking for news: the phrasings that mean it (and those that do not), `news` in the command
grammar, and `--since` read as a moment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contexta_core.ask.commands import CommandError, parse_command, parse_since
from contexta_core.ask.router import route_question

NAMES = ["churn-prediction", "fraud-detection", "pedestrian-detector"]


@pytest.mark.parametrize(
    ("text", "project"),
    [
        ("what changed since I last asked?", None),
        ("what's new on churn?", "churn-prediction"),
        ("anything new in fraud-detection since yesterday?", "fraud-detection"),
        ("what did I miss?", None),
        ("any updates on the pedestrian detector?", "pedestrian-detector"),
        ("뭐 바뀌었어?", None),
        ("지난번 이후로 새로 생긴 거 있어?", None),
        ("churn 새 소식 있어?", "churn-prediction"),
        ("마지막으로 확인한 뒤로 달라진 점 알려줘", None),
        ("waht's new since I last checkd?", None),
    ],
)
def test_news_phrasings(text: str, project: str | None) -> None:
    routed = route_question(text, NAMES)
    assert (routed.intent, routed.project, routed.understood) == ("news", project, True)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("how did accuracy change over time?", "trend"),
        ("시간에 따라 정확도가 어떻게 바뀌었어?", "trend"),
        ("I'm new here, give me an overview", "onboard"),
        ("what got released most recently?", "deployments"),
        ("churn-v5-apr이랑 churn-v3-feb 뭐가 달라?", "compare"),
    ],
)
def test_words_near_news_keep_their_own_meaning(text: str, intent: str) -> None:
    assert route_question(text, [*NAMES]).intent == intent


def test_news_is_a_subcommand_with_korean_aliases() -> None:
    assert parse_command("news churn").args == ("churn",)
    assert parse_command("뉴스").subcommand == parse_command("새소식").subcommand == "news"
    with pytest.raises(CommandError, match="usage: `/contexta news"):
        parse_command("news a b")


NOW = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)  # Wednesday, 00:30 on Thursday in Seoul


@pytest.mark.parametrize(
    ("typed", "zone", "expected"),
    [
        ("3d", "UTC", datetime(2026, 3, 1, 15, 30, tzinfo=UTC)),
        ("12h", "UTC", datetime(2026, 3, 4, 3, 30, tzinfo=UTC)),
        ("2 weeks ago", "UTC", datetime(2026, 2, 18, 15, 30, tzinfo=UTC)),
        ("3일 전", "UTC", datetime(2026, 3, 1, 15, 30, tzinfo=UTC)),
        ("yesterday", "UTC", datetime(2026, 3, 3, tzinfo=UTC)),
        ("어제", "Asia/Seoul", datetime(2026, 3, 3, 15, tzinfo=UTC)),  # Seoul's Wednesday began then
        ("2026-03-01", "Asia/Seoul", datetime(2026, 2, 28, 15, tzinfo=UTC)),
        ("2026-03-01 14:00", "UTC", datetime(2026, 3, 1, 14, tzinfo=UTC)),
        ("2026-03-01T14:00:00+09:00", "UTC", datetime(2026, 3, 1, 5, tzinfo=UTC)),
    ],
)
def test_since_reads_spans_days_and_moments(typed: str, zone: str, expected: datetime) -> None:
    assert parse_since(typed, now=NOW, zone=zone) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [("soon", "bad_since"), ("3 fortnights", "bad_since"), ("2027-01-01", "since_in_future")],
)
def test_a_bad_since_is_a_command_error_with_its_code(typed: str, code: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse_since(typed, now=NOW)
    assert caught.value.code == code and caught.value.details["value"] == typed
