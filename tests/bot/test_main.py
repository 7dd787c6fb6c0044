"""`contexta-bot` start-up failures: one readable line and exit status 2, never a traceback or a secret."""

import pytest

from bot.app import main


def test_missing_configuration_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--port", "3999"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("contexta-bot: SLACK_BOT_TOKEN is not set: export the bot token")


def test_bad_token_is_named_not_echoed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-do-not-print-me")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "also-secret")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN must be a bot token starting with xoxb-" in err
    assert "do-not-print-me" not in err and "also-secret" not in err
