"""The database password never reaches Slack, a file or an error (issue #12, finding 3).

A PostgreSQL URL may carry its password as ``user:pw@`` or as ``?password=…``; the test server
trusts local connections, so a URL with a password still opens it and the report the bot uploads
can be read back from the Slack stand-in.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from contexta_core import Contexta
from contexta_core.errors import ConfigurationError
from contexta_core.redaction import redact_text
from contexta_core.synthetic import seed_demo
from tests.bot.conftest import drained_app
from tests.bot.harness import SlackDriver, uploads

PASSWORD = "Hunter2-s3cret"


def with_password(url: str) -> str:
    if url.startswith("sqlite"):
        return url  # a file has no password; its path must not show either
    return f"{url}&password={PASSWORD}&sslpassword={PASSWORD}x"


def test_report_files_uploaded_to_slack_name_the_workspace_by_a_neutral_label(
    database_url: str, settings, standin, tmp_path: Path
) -> None:
    url = with_password(database_url)
    with Contexta(workspace=tmp_path / "ws", database_url=url) as ctx:
        seed_demo(ctx)
        with drained_app(settings, ctx) as app:
            SlackDriver(app, standin).command("report churn-prediction")
            (upload,) = uploads(standin)
    html = upload.files["churn-prediction-report.html"].decode()
    everything = html + upload.files["churn-prediction-report.md"].decode() + upload.comment
    assert PASSWORD not in everything
    for detail in ("127.0.0.1", "postgres", "search_path", str(tmp_path), "contexta.db", "sqlite:"):
        assert detail not in everything, detail
    kind = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    assert f"from a Contexta workspace ({kind})</footer>" in html


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://alice:{pw}@127.0.0.1:1/db",
        "postgresql+psycopg://alice@127.0.0.1:1/db?password={pw}",
        "postgresql+psycopg://alice@127.0.0.1:1/db?sslmode=disable&sslpassword={pw}",
        "postgresql+psycopg://alice:{pw}@127.0.0.1:notaport/db",
        "postgresql+psycopg://alice@127.0.0.1:5432/test?password={pw}&no_such_option=1",
    ],
)
def test_cannot_open_errors_redact_every_credential_form(url: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        Contexta(database_url=url.format(pw=PASSWORD)).close()
    message = raised.value.message
    assert PASSWORD not in message and "***" in message
    assert "127.0.0.1" in message  # still says which server, so it can be fixed


def test_the_cli_says_one_line_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://alice:{PASSWORD}@127.0.0.1:1/db?password={PASSWORD}"
    done = subprocess.run(
        [sys.executable, "-m", "contexta_cli", "--database-url", url, "projects"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert PASSWORD not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("error: cannot open")


def test_redact_text_masks_keyword_json_and_userinfo_forms() -> None:
    text = (
        f"dsn host=db password={PASSWORD} user=x; "
        f"{{'password': '{PASSWORD}'}} "
        f'{{"db_password": "{PASSWORD}"}} '
        f"postgres://u:{PASSWORD}@h/d PGPASSWORD='{PASSWORD}'"
    )
    assert PASSWORD not in redact_text(text)
    assert redact_text(f"quoted back: {PASSWORD}", f"postgresql://u:{PASSWORD}@h/d") == "quoted back: ***"
