import dataclasses
import random

import pytest

from contexta_core.ask.commands import (
    MAX_ECHO_LEN,
    SUBCOMMANDS,
    CommandError,
    ParsedCommand,
    parse_command,
    safe_echo,
    split_project_and_metric,
)

PROJECTS = ["churn-prediction", "fraud-detection", "churn-prediction-v2"]


def _error(text: str) -> CommandError:
    with pytest.raises(CommandError) as info:
        parse_command(text)
    return info.value


# --- happy paths -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None])
def test_empty_text_is_help(text):
    assert parse_command(text) == ParsedCommand("help")


def test_subcommands_constant_is_complete():
    assert set(SUBCOMMANDS) == {
        "help", "projects", "runs", "deployments", "trend", "best",
        "report", "onboard", "compare", "use", "digest", "news", "watch", "unwatch", "access",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "subcommand", "args"),
    [
        ("help", "help", ()),
        ("help best", "help", ("best",)),
        ("projects", "projects", ()),
        ("runs", "runs", ()),
        ("runs churn-prediction", "runs", ("churn-prediction",)),
        ("deployments fraud-detection", "deployments", ("fraud-detection",)),
        ("trend churn-prediction accuracy", "trend", ("churn-prediction", "accuracy")),
        ("best f1", "best", ("f1",)),
        ("report", "report", ()),
        ("onboard churn-prediction", "onboard", ("churn-prediction",)),
        ("compare churn-v3-feb churn-v6-apr", "compare", ("churn-v3-feb", "churn-v6-apr")),
        ("use churn-prediction", "use", ("churn-prediction",)),
        ("digest subscribe #ml-team daily 09:00", "digest", ("subscribe", "#ml-team", "daily", "09:00")),
        ("digest", "digest", ()),
        ("  runs   churn-prediction  ", "runs", ("churn-prediction",)),
    ],
)
def test_subcommands_and_args(text, subcommand, args):
    parsed = parse_command(text)
    assert (parsed.subcommand, parsed.args) == (subcommand, args)


@pytest.mark.parametrize("text", ["BEST", "Best", "bEsT f1"])
def test_subcommand_is_case_insensitive(text):
    assert parse_command(text).subcommand == "best"


def test_args_keep_their_case():
    assert parse_command("RUNS Churn-Prediction").args == ("Churn-Prediction",)


@pytest.mark.parametrize(
    ("alias", "subcommand"),
    [
        ("도움말", "help"),
        ("실행", "runs"),
        ("배포", "deployments"),
        ("추세", "trend"),
        ("최고", "best"),
        ("리포트", "report"),
        ("보고서", "report"),
        ("온보딩", "onboard"),
        ("비교", "compare"),
        ("프로젝트", "projects"),
        ("deployment", "deployments"),
        ("run", "runs"),
    ],
)
def test_aliases(alias, subcommand):
    args = " a b" if subcommand == "compare" else ""
    assert parse_command(alias + args).subcommand == subcommand


def test_korean_alias_with_args():
    assert parse_command("비교 churn-v3-feb churn-v6-apr").args == ("churn-v3-feb", "churn-v6-apr")


# --- options ---------------------------------------------------------------------------------


def test_all_options():
    parsed = parse_command("best churn-prediction --metric f1 --stage production --lower-is-better --page 3")
    assert parsed == ParsedCommand(
        subcommand="best",
        args=("churn-prediction",),
        stage="production",
        higher_is_better=False,
        metric="f1",
        page=3,
    )


@pytest.mark.parametrize(
    "text",
    [
        "--stage prod deployments",
        "deployments --stage prod",
        "deployments --stage=prod",
        "--stage=prod deployments",
        "deployments —stage prod",  # macOS/Slack smart dash
        "deployments –stage prod",
        "deployments --STAGE prod",
    ],
)
def test_stage_option_anywhere(text):
    parsed = parse_command(text)
    assert (parsed.subcommand, parsed.args, parsed.stage) == ("deployments", (), "prod")


def test_options_between_args():
    parsed = parse_command("trend churn-prediction --page 2 accuracy --lower-is-better")
    assert parsed.args == ("churn-prediction", "accuracy")
    assert parsed.page == 2
    assert parsed.higher_is_better is False


def test_only_options_defaults_to_help():
    assert parse_command("--page 2").subcommand == "help"


def test_last_repeated_option_wins():
    assert parse_command("runs --page 2 --page 5").page == 5


def test_defaults():
    parsed = parse_command("runs")
    assert (parsed.stage, parsed.higher_is_better, parsed.metric, parsed.page) == (None, None, None, 1)


@pytest.mark.parametrize(("value", "page"), [("1", 1), ("12", 12), ("007", 7), ("999999", 999999)])
def test_page_values(value, page):
    assert parse_command(f"runs --page {value}").page == page
    assert parse_command(f"runs --page={value}").page == page


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "٣", "1_000", "+2", "1e3", "9999999"])
def test_page_must_be_positive_int(value):
    err = _error(f"runs --page={value}")
    assert "--page" in err.message
    assert "positive whole number" in err.message


# --- quoting -----------------------------------------------------------------------------------


def test_quoted_args_group_words():
    assert parse_command('best "churn prediction" f1').args == ("churn prediction", "f1")


def test_smart_quotes_group_words():
    assert parse_command("best “churn prediction” f1").args == ("churn prediction", "f1")


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ('runs "churn', ("churn",)),
        ("runs 'churn", ("churn",)),
        ('best "churn f1', ("churn", "f1")),
        ("runs it's", ("it's",)),
        ('runs "', ('"',)),
    ],
)
def test_unbalanced_quotes_fall_back_to_whitespace(text, args):
    assert parse_command(text).args == args


# --- errors ----------------------------------------------------------------------------------


def test_command_error_is_value_error():
    err = _error("bst")
    assert isinstance(err, ValueError)
    assert str(err) == err.message


def test_unknown_subcommand_suggests_closest():
    err = _error("bst")
    assert err.message.startswith("unknown subcommand `bst`; did you mean `best`")
    assert err.suggestions[0] == "best"
    assert len(err.suggestions) <= 3


@pytest.mark.parametrize(
    ("typo", "expected"),
    [("repot", "report"), ("onbaord", "onboard"), ("comapre", "compare"), ("deploy", "deployments"),
     ("trnd", "trend"), ("proj", "projects"), ("digset", "digest"), ("배포해", "deployments")],
)  # fmt: skip
def test_typo_suggestions(typo, expected):
    err = _error(typo)
    assert err.suggestions[0] == expected
    assert f"did you mean `{expected}`" in err.message


def test_suggestions_are_canonical_and_unique():
    err = _error("deploi")
    assert err.suggestions == tuple(dict.fromkeys(err.suggestions))
    assert set(err.suggestions) <= set(SUBCOMMANDS)


@pytest.mark.parametrize("word", ["xyz", "x", "weather"])
def test_unknown_subcommand_without_close_match_lists_all(word):
    err = _error(word)
    assert err.suggestions == ()
    assert "valid subcommands" in err.message
    assert all(f"`{s}`" in err.message for s in SUBCOMMANDS)


def test_unknown_option():
    err = _error("runs --foo")
    assert "unknown option `--foo`" in err.message
    for option in ("--stage", "--metric", "--page", "--lower-is-better"):
        assert option in err.message


@pytest.mark.parametrize("text", ["runs --stage", "runs --metric", "runs --page", "runs --metric --page 2"])
def test_option_missing_value(text):
    assert "needs a value" in _error(text).message


@pytest.mark.parametrize("text", ["runs --stage=", "runs --metric= "])
def test_option_empty_value(text):
    assert "needs a value" in _error(text).message


def test_flag_with_value():
    assert "takes no value" in _error("best --lower-is-better=yes").message


@pytest.mark.parametrize(
    "text",
    [
        "projects extra",
        "runs a b",
        "deployments a b",
        "report a b",
        "onboard a b",
        "use",
        "use a b",
        "trend a b c",
        "best a b c",
        "compare",
        "compare a",
        "compare a b c",
        "help a b",
        "digest " + " ".join(["x"] * 13),
    ],
)
def test_arity(text):
    err = _error(text)
    assert "takes" in err.message
    assert "usage: `/contexta" in err.message


def test_arity_message_is_specific():
    assert "`compare` takes exactly 2 arguments (got 1)" in _error("compare a").message
    assert "`use` takes exactly 1 argument (got 0)" in _error("use").message
    assert "`projects` takes no arguments (got 1)" in _error("projects x").message
    assert "`runs` takes at most 1 argument (got 2)" in _error("runs a b").message


def test_digest_accepts_up_to_twelve_args():
    assert len(parse_command("digest " + " ".join(["x"] * 12)).args) == 12
    full = parse_command("digest subscribe p weekly fri 17:30 tz Europe/Berlin lang ko")
    assert full.args == ("subscribe", "p", "weekly", "fri", "17:30", "tz", "Europe/Berlin", "lang", "ko")


def test_too_long():
    err = _error("runs " + "a" * 2000)
    assert "too long" in err.message


def test_limit_is_inclusive():
    assert parse_command("runs " + "a" * 1995).subcommand == "runs"


# --- injection-safe echo -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["<!channel>", "<!here>", "<@U123>", "```<!channel>```", "`rm -rf`", "<#C123|general>", "<https://x|y>"],
)
def test_echoed_input_is_neutralised(text):
    err = _error(text)
    echoed = err.message.split("`")[1]  # the only code span holding user input
    assert "<" not in echoed and ">" not in echoed
    assert err.message.count("`") % 2 == 0
    assert "<" not in err.message.split(";")[0]


def test_unknown_option_echo_is_neutralised():
    err = _error("runs --<!channel>")
    assert "<!channel>" not in err.message
    assert "‹!channel›" in err.message


def test_bad_page_echo_is_neutralised():
    err = _error("runs --page <@U123>")
    assert "<@U123>" not in err.message
    assert "‹@U123›" in err.message


def test_echo_is_truncated():
    err = _error("z" * 500)
    echoed = err.message.split("`")[1]
    assert len(echoed) <= MAX_ECHO_LEN
    assert echoed.endswith("…")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain", "plain"),
        ("<!channel>", "‹!channel›"),
        ("a`b```c", "abc"),
        ("line1\nline2\ttab", "line1 line2 tab"),
        ("bell\x07zero\u200bwidth\u202ertl", "bellzerowidthrtl"),
        ("  spaced   out ", "spaced out"),
        ("", ""),
    ],
)
def test_safe_echo(raw, expected):
    assert safe_echo(raw) == expected


def test_safe_echo_length():
    assert len(safe_echo("x" * 1000)) == MAX_ECHO_LEN


def test_never_raises_anything_but_command_error():
    rng = random.Random(1234)
    alphabet = "abc -=\"'`<>@!#|\n\t정확도—–\x00\u200b" + "".join(SUBCOMMANDS)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        try:
            parsed = parse_command(text)
        except CommandError as err:
            assert err.message
        else:
            assert parsed.subcommand in SUBCOMMANDS


def test_parsed_command_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_command("runs").subcommand = "best"  # type: ignore[misc]


# --- split_project_and_metric ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "default", "expected"),
    [
        (("churn-prediction", "f1"), None, ("churn-prediction", "f1")),
        (("churn-prediction", "f1"), "fraud-detection", ("churn-prediction", "f1")),
        (("CHURN-PREDICTION", "f1"), None, ("churn-prediction", "f1")),
        (("f1", "churn-prediction"), None, ("churn-prediction", "f1")),  # swapped order tolerated
        (("unknown-proj", "f1"), None, ("unknown-proj", "f1")),
        (("churn-prediction",), None, ("churn-prediction", None)),
        (("Churn-Prediction",), "fraud-detection", ("churn-prediction", None)),
        (("churn-prediction-v2",), None, ("churn-prediction-v2", None)),
        (("accuracy",), "fraud-detection", ("fraud-detection", "accuracy")),
        (("churn-predction",), None, ("churn-predction", None)),  # caller reports unknown project
        ((), "fraud-detection", ("fraud-detection", None)),
        ((), None, (None, None)),
    ],
)
def test_split_project_and_metric(args, default, expected):
    assert split_project_and_metric(args, PROJECTS, default) == expected


def test_split_with_parsed_command():
    parsed = parse_command("best F1")
    assert split_project_and_metric(parsed.args, PROJECTS, "churn-prediction") == ("churn-prediction", "F1")
