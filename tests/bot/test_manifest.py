"""manifest.yml must create the app the bot expects: events, scopes, command, App Home, Socket Mode.

PyYAML is not a dependency yet, so a reader for the block-style subset the manifest uses is included;
PyYAML is preferred when installed.
"""

from pathlib import Path
from typing import Any

from slack_bolt import App

from tests.bot.conftest import SIGNING_SECRET
from tests.support.signed_requests import event_callback, to_bolt_request
from tests.support.slack_standin import SlackStandIn

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
OAUTH_MANIFEST = MANIFEST.with_name("manifest.oauth.yml")  # installs in many workspaces


def load_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    try:
        import yaml
    except ImportError:
        return read_block_yaml(text)
    return yaml.safe_load(text)


def read_block_yaml(text: str) -> Any:
    """Block mappings, block sequences (of scalars or mappings), plain/quoted scalars, comments."""
    lines = []
    for raw in text.splitlines():
        line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if line.strip():
            lines.append((len(line) - len(line.lstrip()), line.strip()))
    value, _ = _read_node(lines, 0, lines[0][0])
    return value


def _read_node(lines: list[tuple[int, str]], i: int, indent: int) -> tuple[Any, int]:
    if lines[i][1].startswith("- "):
        items = []
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
            rest = lines[i][1][2:]
            if _is_key(rest):  # a mapping item: re-read it one level deeper
                lines[i] = (indent + 2, rest)
                item, i = _read_node(lines, i, indent + 2)
            else:
                item, i = _scalar(rest), i + 1
            items.append(item)
        return items, i
    mapping: dict[str, Any] = {}
    while i < len(lines) and lines[i][0] == indent:
        line = lines[i][1]
        key, _, rest = line.partition(": ") if ": " in line else line.partition(":")
        if rest.strip():
            mapping[key], i = _scalar(rest.strip()), i + 1
        else:
            mapping[key], i = _read_node(lines, i + 1, lines[i + 1][0])
    return mapping, i


def _is_key(text: str) -> bool:
    return not text.startswith(("'", '"')) and (": " in text or text.endswith(":"))


def _scalar(text: str) -> Any:
    if text[:1] in "\"'":
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    return int(text) if text.isdigit() else text


def test_block_yaml_reader_handles_the_manifest_subset() -> None:
    sample = "a:\n  b: 1 # note\n  c:\n    - x:y\n    - k: v\n      w: true\nd: 'q: r'\n"
    assert read_block_yaml(sample) == {"a": {"b": 1, "c": ["x:y", {"k": "v", "w": True}]}, "d": "q: r"}


def test_manifest_declares_what_the_bot_needs() -> None:
    manifest = load_manifest()
    assert manifest["_metadata"] == {"major_version": 1, "minor_version": 1}
    assert manifest["display_information"]["name"] == "Contexta"
    features = manifest["features"]
    assert features["bot_user"]["always_online"] is True
    assert features["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": False,
    }
    (command,) = features["slash_commands"]
    assert command["command"] == "/contexta" and command["description"]
    assert "help" in command["usage_hint"]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "chat:write",
        "chat:write.public",
        "app_mentions:read",
        "im:history",
        "im:read",
        "im:write",
        "files:write",
        "channels:history",  # digests: look for a post whose answer was lost before retrying it
        "groups:history",
        "users:read",  # news: times on the asker's own clock
        "channels:read",  # digest list all: which channels the asker may see
        "groups:read",
        "mpim:read",
        "usergroups:read",  # project access: user group members
    }
    # `access restrict p #channel` needs the channel's id: Slack sends <#C123|name> only when escaping
    assert command["should_escape"] is True
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == [
        "app_mention",
        "message.im",
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    ]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert settings["org_deploy_enabled"] is False and settings["token_rotation_enabled"] is False


def test_every_subscribed_event_has_a_listener(app: App, standin: SlackStandIn) -> None:
    """Slack counts an unhandled event (Bolt answers 404) as a failed delivery, so each needs a listener."""
    samples = {
        "app_mention": {
            "type": "app_mention",
            "user": "U1",
            "text": "<@U0BOT> hi",
            "ts": "1.1",
            "channel": "C1",
        },
        "message.im": {
            "type": "message",
            "user": "U1",
            "text": "hi",
            "ts": "1.2",
            "channel": "D1",
            "channel_type": "im",
        },
        "app_home_opened": {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages"},
        "app_uninstalled": {"type": "app_uninstalled"},
        "tokens_revoked": {"type": "tokens_revoked", "tokens": {"oauth": ["U9"], "bot": []}},
    }
    for name in load_manifest()["settings"]["event_subscriptions"]["bot_events"]:
        body, headers = event_callback(samples[name], secret=SIGNING_SECRET)
        assert app.dispatch(to_bolt_request(body, headers)).status == 200, name
    standin.wait_for("chat.postEphemeral")  # "hi" is no question: help, to the asker alone
    standin.wait_for("chat.postMessage")  # the DM's answer


def test_the_oauth_manifest_is_the_same_app_served_over_http_with_the_install_redirect() -> None:
    """Installs in many workspaces: HTTP request URLs and the redirect Bolt finishes installs at;
    everything else (scopes, events, command, App Home) as manifest.yml, so the two never drift."""
    token, oauth = load_manifest(), load_manifest(OAUTH_MANIFEST)
    assert oauth["settings"]["socket_mode_enabled"] is False
    (redirect,) = oauth["oauth_config"]["redirect_urls"]
    assert redirect.startswith("https://") and redirect.endswith("/slack/oauth_redirect")
    events_url = oauth["settings"]["event_subscriptions"].pop("request_url")
    assert events_url.startswith("https://") and events_url.endswith("/slack/events")
    assert oauth["settings"]["interactivity"].pop("request_url") == events_url
    assert oauth["features"]["slash_commands"][0].pop("url") == events_url
    del oauth["oauth_config"]["redirect_urls"]
    oauth["settings"]["socket_mode_enabled"] = True
    assert oauth == token
