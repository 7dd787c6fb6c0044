"""`contexta access …`: the operator's side of project visibility (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from contexta_core import Contexta
from contexta_core.access import Viewer
from contexta_core.synthetic import seed_demo
from contexta_core.tenancy import Tenant

from .conftest import Invoke

SECRET = "acquisition-target-x"


def _words(output: str) -> str:
    """The output as one line (Rich wraps at the terminal's 80 columns)."""
    return " ".join(output.split())


def test_operators_restrict_open_and_read_the_history(demo_ctx: Contexta, demo_cli: Invoke) -> None:
    seed_demo(demo_ctx, project=SECRET)
    demo_ctx.digests.subscribe(tenant=Tenant("T1"), target="C0GENERAL", project=SECRET)
    done = demo_cli(
        "access", "restrict", SECRET, "--channel", "C0SECRET=ml-secret", "-g", "S0LEADS", "--team", "T1"
    )
    assert done.exit_code == 0, done.output
    assert f"{SECRET}: open to the whole workspace → only in C0SECRET (ml-secret)" in _words(done.output)
    assert "paused digest subscriptions in: C0GENERAL" in _words(done.output)
    assert not demo_ctx.access.may_see(Tenant("T1"), Viewer.in_channel("C0GENERAL"), SECRET)
    # the only team with rules is the default; the operator still sees every project
    listed = demo_cli("access", "show", "--json")
    restricted = json.loads(listed.output)["restricted"]
    assert [r["project"] for r in restricted] == [SECRET] and restricted[0]["usergroups"] == [
        {"id": "S0LEADS", "name": None}
    ]
    assert SECRET in demo_cli("projects").output
    again = demo_cli("access", "restrict", SECRET, "-c", "C0SECRET=ml-secret", "-g", "S0LEADS")
    assert "already is only in" in _words(again.output)
    opened = demo_cli("access", "open", SECRET, "--json")
    change = json.loads(opened.output)
    assert (
        change["action"] == "open"
        and change["resumed"] == ["C0GENERAL"]
        and change["actor"].startswith("cli:")
    )
    history = json.loads(demo_cli("access", "show", SECRET, "--json").output)["history"]
    assert [(h["action"], h["surface"]) for h in history] == [("open", "cli"), ("restrict", "cli")]
    shown = _words(demo_cli("access", "show", SECRET).output)
    assert f"{SECRET} in T1: open to the whole workspace" in shown and "restrict: open to the whole" in shown


def test_mistakes_are_one_line_and_change_nothing(demo_ctx: Contexta, demo_cli: Invoke) -> None:
    demo_ctx.digests.subscribe(tenant=Tenant("T1"), target="C1", project="churn-prediction")
    demo_ctx.digests.subscribe(tenant=Tenant("T2"), target="C1", project="churn-prediction")
    no_team = demo_cli("access", "restrict", "churn-prediction", "-c", "C0SECRET")
    assert no_team.exit_code != 0 and "name one with --team" in _words(no_team.output)
    bad = demo_cli("access", "restrict", "churn-prediction", "-c", "#ml-secret", "--team", "T1")
    assert bad.exit_code == 2 and "is not an id like C0123" in _words(bad.output)
    unknown = demo_cli("access", "open", "churn-predction", "--team", "T1")
    assert unknown.exit_code != 0 and "did you mean `churn-prediction`?" in _words(unknown.output)
    assert demo_ctx.access.tenants() == ()
    org = demo_cli("access", "restrict", "churn-prediction", "-c", "C0SECRET", "--team", "E1:T9")
    assert org.exit_code == 0 and demo_ctx.access.tenants() == (Tenant("T9", "E1"),)
