"""A name is data in every format (issue #12, findings 5, 6 and 10).

New names with control characters or bidi overrides are refused at the contract, naming the field;
names stored before that rule (written here with SQL, as an older version could have) are shown
escaped in the terminal, in Slack and in report files; CSV cells cannot run as formulas and
Markdown cannot grow sections, links or images out of a name. Both databases.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from sqlalchemy import update

from contexta_core.contract import Project, Run
from contexta_core.errors import ContractValidationError
from contexta_core.render.files import export_project_report
from contexta_core.store import schema as t
from contexta_core.synthetic import BASE, add_project, add_run, metric

BAD_NAMES = {
    "clear screen": "churn\x1b[2J\x1b[H",
    "OSC 8 link": "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
    "window title": "\x1b]0;pwned\x07v1",
    "NUL": "v1\x00",
    "C1 CSI": "v1\x9b31m",
    "right-to-left override": "v1\u202egnp.exe",
    "bidi isolate": "\u2066v1\u2069",
    "newline": "v1\n## Fake",
}


@pytest.mark.parametrize("kind", BAD_NAMES)
def test_names_with_control_or_bidi_characters_are_refused_naming_the_field(ctx, kind: str) -> None:
    name = BAD_NAMES[kind]
    with pytest.raises(ContractValidationError) as refused, ctx.run(name, run_id="v1", project="fresh"):
        pass
    message = refused.value.message
    assert "invalid Run: name: must not contain control characters or bidirectional overrides" in message
    assert "U+" in message and "position" in message
    with pytest.raises(ContractValidationError, match="invalid Project: name: must not contain"):
        Project(project_ref="project:p", name=name, created_at=BASE)
    assert ctx.list_projects() == ()  # and nothing was written (finding 10)


def test_descriptions_keep_line_breaks_but_not_nul(ctx) -> None:
    Run(
        run_ref="run:p.a",
        project_ref="project:p",
        name="a",
        status="open",
        started_at=BASE,
        description="x\ny",
    )
    with pytest.raises(ContractValidationError, match="description must not contain NUL"):
        Run(
            run_ref="run:p.a",
            project_ref="project:p",
            name="a",
            status="open",
            started_at=BASE,
            description="x\x00",
        )


def test_a_refused_run_leaves_no_project_behind(ctx) -> None:
    with pytest.raises(ContractValidationError, match="name"), ctx.run("x" * 50_000, project="fresh"):
        pass
    assert ctx.list_projects() == ()
    with ctx.run("fine", project="fresh"):
        pass
    assert ctx.list_projects() == ("fresh",)


def stored_names(ctx, names: dict[str, str]) -> None:
    """Rename runs behind the contract's back: what a workspace written before the rule may hold."""
    with ctx.database.writing() as conn:
        for ref, name in names.items():
            conn.execute(update(t.runs).where(t.runs.c.ref == ref).values(name=name))


@pytest.fixture
def legacy(ctx):
    add_project(ctx, "proj")
    runs = ("a", "b", "c", "d", "e", "f")
    for i, run in enumerate(runs):
        add_run(ctx, "proj", run, i)
    ctx.record_store.append_many(
        [metric("proj", run, "loss_delta", -0.5 + i / 10) for i, run in enumerate(runs)]
    )
    stored_names(
        ctx,
        {
            "run:proj.a": '=HYPERLINK("https://evil.example","open me")',
            "run:proj.b": "+1+2",
            "run:proj.c": "-3+cmd|' /C calc'!A0",
            "run:proj.d": "@SUM(A1:A9)",
            "run:proj.e": "\tx\r=1",
            "run:proj.f": "fine\n# Fake title\n## Fake section\n[click](https://evil.example) ![i](https://evil.example/p.png) <https://evil.example> <img src=x>",
        },
    )
    return ctx


def test_csv_cells_that_look_like_formulas_are_neutralised(legacy) -> None:
    text = export_project_report(legacy, "proj", "csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    names = [row["name"] for row in rows]
    assert [n[:1] for n in names[:4]] == ["'"] * 4, names
    assert names[4] == "\\x09x\\x0d=1"  # a stored tab and CR are shown escaped, so nothing leads with them
    assert not [n for n in names if n.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert names[0] == "'" + '=HYPERLINK("https://evil.example","open me")'  # still readable, never run
    assert rows[0]["evaluate/loss_delta"] == "-0.5"  # numbers stay numbers


def test_markdown_shows_names_as_text(legacy) -> None:
    document = legacy.project_report("proj")
    text = export_project_report(legacy, "proj", "md").content.decode()
    tokens = MarkdownIt("commonmark").parse(text)
    kinds = {token.type for token in tokens} | {c.type for token in tokens for c in token.children or ()}
    assert not kinds & {"link_open", "image", "html_inline", "html_block"}, kinds
    headings = [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"]
    assert headings == [document.title, *(section.title for section in document.sections)]
    assert "https\\://evil.example" in text  # shown, escaped


def test_the_terminal_shows_stored_escapes_escaped_even_through_a_pipe(
    legacy, database_url, tmp_path: Path
) -> None:
    stored_names(
        legacy,
        {
            "run:proj.a": "\x1b]0;pwned\x07\x1b[2Jv1",
            "run:proj.b": "v2\u202egnp.exe",
            "run:proj.c": "\x9b31mv3",
        },
    )
    for command in (
        ["runs", "proj"],
        ["report", "proj", "--format", "md"],
        ["best", "proj", "--metric", "loss_delta", "--stage", "evaluate", "--lower-is-better"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "contexta_cli", "--database-url", database_url, *command],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
            assert raw not in done.stdout + done.stderr, (command, raw)
    assert (
        "\\x1b"
        in subprocess.run(
            [sys.executable, "-m", "contexta_cli", "--database-url", database_url, "runs", "proj"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=120,
        ).stdout
    )


def test_cli_errors_echo_typed_escapes_escaped(ctx, database_url, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "contexta_cli",
            "--database-url",
            database_url,
            "runs",
            "nope\x1b]0;pwned\x07",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 2 and "\x1b" not in done.stderr and "\\x1b" in done.stderr


def test_csv_cells_follow_owasp_for_every_formula_start() -> None:
    from contexta_core.text_safety import csv_cell

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(f"{start}1+1") == f"'{start}1+1"
    assert csv_cell("churn-v1") == "churn-v1" and csv_cell("") == ""
