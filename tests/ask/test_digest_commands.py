"""The `digest …` half of the command grammar: actions and the subscribe schedule, without a workspace."""

import pytest

from contexta_core import digests as core
from contexta_core.ask.commands import CommandError, SubscribeArgs, parse_digest_action, parse_subscribe_args


def test_parse_subscribe_args_prefers_a_project_named_like_a_weekday():
    parsed = parse_subscribe_args(["mon", "weekly", "fri", "7:05"], project_names=["mon"])
    assert (parsed.project, parsed.weekday, parsed.time_of_day) == ("mon", "fri", "07:05")


def test_subscribe_keywords_in_any_order():
    parsed = parse_subscribe_args(["lang", "ko", "tz", "berlin", "churn", "at", "5pm", "금요일"])
    assert parsed == SubscribeArgs("churn", "fri", "17:00", "Europe/Berlin", "ko")
    assert parse_subscribe_args([]) == SubscribeArgs()


def test_a_second_project_word_is_refused_with_plain_text_usage():
    with pytest.raises(CommandError) as info:
        parse_subscribe_args(["churn", "<!channel>"])
    assert info.value.message.startswith("unexpected `‹!channel›` (the project is `churn`)")
    assert "[weekly <day> <HH:MM>]" in info.value.message  # the surface escapes it for its markup


def test_schedule_mistakes_are_the_cores_schedule_errors():
    with pytest.raises(core.UnknownTimezoneError, match="did you mean `Asia/Seoul`"):
        parse_subscribe_args(["tz", "Asia/Seol"])
    with pytest.raises(core.DigestScheduleError, match="needs a day and a time"):
        parse_subscribe_args(["weekly"])


@pytest.mark.parametrize(
    ("words", "action", "rest"),
    [
        ((), "help", ()),
        (("  ",), "help", ()),
        (("구독", "churn"), "subscribe", ("churn",)),
        (("LS", "all"), "list", ("all",)),
        (("해지",), "unsubscribe", ()),
        (("run-due",), "run-due", ()),
    ],
)
def test_digest_actions_and_their_aliases(words, action, rest):
    assert parse_digest_action(words) == (action, rest)


def test_an_unknown_digest_action_names_the_valid_ones():
    with pytest.raises(CommandError, match="unknown digest action `subscibe`; use one of `subscribe`"):
        parse_digest_action(["subscibe"])
