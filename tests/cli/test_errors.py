"""Mistakes a person makes at the terminal: one line on stderr naming the closest matches, exit 2."""

from __future__ import annotations

import pytest

from .checks import refused

TYPO = "churn-predicton"


@pytest.mark.parametrize(
    "args",
    [
        ["onboard", TYPO],
        ["runs", TYPO],
        ["deployments", TYPO],
        ["best", TYPO],
        ["trend", TYPO],
        ["report", TYPO],
        ["best", TYPO, "--json"],
    ],
    ids=lambda args: " ".join(args[::2]),
)
def test_unknown_project(demo_cli, args):
    assert refused(demo_cli(*args)) == f"error: no project `{TYPO}`; did you mean `churn-prediction`?"


def test_unknown_metric(demo_cli):
    line = refused(demo_cli("best", "churn-prediction", "--metric", "acuracy"))
    assert line == "error: no metric `acuracy` in stage `evaluate`; did you mean `accuracy` or `auc`?"
    assert "did you mean `accuracy`" in refused(
        demo_cli("trend", "churn-prediction", "-m", "acuracy", "--json")
    )
    assert "did you mean `accuracy`" in refused(demo_cli("onboard", "churn-prediction", "-m", "acuracy"))
    for command in ("runs", "deployments", "report"):  # a named metric is checked, never ignored
        assert "did you mean `accuracy`" in refused(demo_cli(command, "churn-prediction", "-m", "acuracy"))


def test_unknown_stage(demo_cli):
    line = refused(demo_cli("best", "churn-prediction", "--stage", "evalute"))
    assert line == "error: no stage `evalute`; did you mean `evaluate`?"


def test_unknown_run(demo_cli):
    line = refused(demo_cli("compare", "churn-v3-feb", "churn-v9-apr"))
    assert line.startswith("error: no run `churn-v9-apr`; did you mean `churn-v6-apr`")
    line = refused(
        demo_cli("compare", "run:churn-prediction.churn-v3-feb", "run:churn-prediction.churn-v7-may")
    )
    assert "no run `run:churn-prediction.churn-v7-may`; did you mean" in line


def test_report_of_a_project_without_runs(ctx, database_url, run_cli):
    from contexta_core.synthetic import add_project

    add_project(ctx, "empty")
    line = refused(run_cli("report", "empty", database_url=database_url))
    assert line == "error: project `empty` has no runs yet, so there is nothing to report"


def test_unreachable_database(run_cli):
    line = refused(run_cli("projects", database_url="postgresql+psycopg://nobody@127.0.0.1:9/none"))
    assert line.startswith(
        "error: cannot open the workspace database postgresql+psycopg://nobody@127.0.0.1:9/none"
    )


def test_unsupported_database_url(run_cli):
    line = refused(run_cli("projects", database_url="mysql://db/contexta"))
    assert line.startswith("error: unsupported database URL scheme 'mysql'")


@pytest.mark.parametrize(
    "args",
    [
        ["runs", "churn-prediction", "--status", "running"],
        ["runs", "churn-prediction", "--limit", "0"],
        ["best", "churn-prediction", "--aggregation", "median"],
        ["report", "churn-prediction", "--format", "pdf"],
        ["compare", "churn-v3-feb"],
        ["nonsense"],
    ],
    ids=lambda args: " ".join(args),
)
def test_bad_options_are_usage_errors(run_cli, tmp_path, args):
    result = run_cli(*args)
    assert result.exit_code == 2
    assert "Usage: contexta" in result.stderr and result.stdout == ""
    assert not (tmp_path / "ws").exists()  # refused before any workspace was opened


def test_report_to_a_folder_that_does_not_exist(demo_cli, tmp_path):
    result = demo_cli("report", "churn-prediction", "-o", str(tmp_path / "missing" / "report.md"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("error: cannot write ") and result.stderr.count("\n") == 1


def test_help_lists_every_command(run_cli, tmp_path):
    out = run_cli("--help").stdout
    for command in (
        "demo",
        "onboard",
        "projects",
        "runs",
        "deployments",
        "best",
        "trend",
        "report",
        "compare",
        "ask",
    ):
        assert f" {command} " in out
    assert "--database-url" in out and "CONTEXTA_WORKSPACE" in out
    assert not (tmp_path / "ws").exists()


def test_a_metric_in_several_stages_asks_which(ctx, database_url, run_cli):
    from contexta_core.synthetic import add_project, add_run, metric

    add_project(ctx, "proj")
    add_run(ctx, "proj", "a", stages=("train", "validate", "test"))
    ctx.record_store.append_many([metric("proj", "a", "kl", 0.2, stage=st) for st in ("train", "validate")])
    # issue #11: the project's own evaluation stage (inferred: `test`, where its primary metric is) is
    # looked in first; kl is not there, and is in two other stages
    ctx.record_store.append_many([metric("proj", "a", "accuracy", 0.9, stage="test")])
    line = refused(run_cli("trend", "proj", "-m", "kl", database_url=database_url))
    assert (
        line
        == "error: metric `kl` is recorded in several stages (`train`, `validate`); name the stage, e.g. --stage train"
    )


def test_a_command_the_grammar_refuses_is_one_line_not_a_traceback():
    """A subcommand that parses words with the shared grammar (`contexta_core.ask.commands`) is refused
    like any core error: its English wording on one line, exit 2."""
    import typer
    from typer.testing import CliRunner

    from contexta_cli.errors import ContextaGroup
    from contexta_core.ask.commands import parse_digest_action

    app = typer.Typer(cls=ContextaGroup)

    @app.command()
    def digest(words: list[str]) -> None:
        parse_digest_action(words)

    @app.command()
    def other() -> None:  # two commands, so `digest` is a subcommand as in the real app
        pass

    line = refused(CliRunner().invoke(app, ["digest", "subscibe"]))
    assert (
        line
        == "error: unknown digest action `subscibe`; use one of `subscribe`, `list`, `unsubscribe`, `preview`"
    )
