"""The `watch` grammar: a project, then kinds in any order and either language; `watch list`."""

from __future__ import annotations

import pytest

from contexta_core.ask.commands import CommandError, WatchArgs, parse_command, parse_watch_args


def watch(text: str) -> WatchArgs:
    return parse_watch_args(parse_command(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("watch churn", WatchArgs("watch", "churn", None)),
        ("watch churn failures new-best", WatchArgs("watch", "churn", ("new-best", "failures"))),
        ("watch churn regression deploys", WatchArgs("watch", "churn", ("deployments", "regressions"))),
        (
            "watch churn all",
            WatchArgs("watch", "churn", ("new-best", "deployments", "failures", "regressions")),
        ),
        ("감시 churn 실패 배포", WatchArgs("watch", "churn", ("deployments", "failures"))),
        ("알림 churn 최고 회귀", WatchArgs("watch", "churn", ("new-best", "regressions"))),
        ("watch failures", WatchArgs("watch", None, ("failures",))),  # the channel's project
        ("watch", WatchArgs("watch", None, None)),
        ("watch list", WatchArgs("list")),
        ("감시 목록", WatchArgs("list")),
    ],
)
def test_watch_words(text: str, expected: WatchArgs) -> None:
    assert watch(text) == expected


def test_the_metric_option_is_kept_and_others_are_refused() -> None:
    parsed = parse_command("watch churn new-best --metric f1")
    assert parsed.metric == "f1" and parse_watch_args(parsed).kinds == ("new-best",)
    with pytest.raises(CommandError) as info:
        watch("watch churn --stage train")
    assert info.value.code == "watch_option" and "--metric" in info.value.message


def test_an_unknown_kind_names_the_kinds_and_the_closest() -> None:
    with pytest.raises(CommandError) as info:
        watch("watch churn deploymnets")
    assert info.value.code == "watch_unknown_kind"
    assert info.value.details["kind"] == "deploymnets" and "regressions" in info.value.details["allowed"]
    assert info.value.suggestions[0] == "deployments"


def test_watch_list_takes_nothing_more_and_unwatch_one_project() -> None:
    with pytest.raises(CommandError) as info:
        watch("watch list churn")
    assert info.value.code == "watch_list_extra"
    assert parse_command("unwatch churn").args == ("churn",)
    assert parse_command("감시해제 churn").subcommand == "unwatch"
    with pytest.raises(CommandError):
        parse_command("unwatch a b")
