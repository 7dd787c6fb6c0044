"""The bot's configuration, read from the environment and checked before anything talks to Slack.

Two ways to run: **token mode** (one workspace: `SLACK_BOT_TOKEN`, as before) and **OAuth mode**
(installable in many workspaces: Bolt's standard `SLACK_CLIENT_ID`, `SLACK_CLIENT_SECRET` and
`SLACK_SCOPES`, plus the signing secret; each team's token is kept in the workspace database,
see `bot.installs`). Setting both is refused: which token answers must never be a guess.

`load_settings` turns validation failures into a `BotConfigError` that names the environment
variable and what is expected. It never includes a supplied value: several of them are secrets.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from contexta_core.alerts import AlertTiming

_HINTS = {
    "slack_bot_token": "export the bot token (xoxb-…) from your Slack app's OAuth & Permissions page "
    "(or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SCOPES to install the app in many workspaces)",
    "slack_scopes": "list the bot scopes separated by commas, e.g. commands,chat:write,app_mentions:read",
    "slack_redirect_uri": "use the https URL of /slack/oauth_redirect set in your app's OAuth & Permissions page",
    "slack_signing_secret": "HTTP mode (no SLACK_APP_TOKEN) needs the signing secret from your Slack app's "
    "Basic Information page",
    "slack_app_token": "use an app-level token (xapp-…) with connections:write, or unset it for HTTP mode",
    "slack_api_url": "use an http(s) URL such as https://slack.com/api/",
    "contexta_digests": "use on or off (off leaves digests to `contexta digest run-due` from cron)",
    "contexta_access_admins": "list Slack user ids (U…/W…) separated by commas or spaces",
    "contexta_alerts": "use on or off (off: this process posts no alerts; another bot process must)",
    "alert_poll_seconds": "use a number of seconds above 0 and at most 60",
    "alert_quiet_seconds": "use a number of seconds from 0 to 60",
    "alert_max_gather_seconds": "use a number of seconds from 0 to 300",
    "alert_min_interval_seconds": "use a number of seconds from 0 to 3600",
}
_ENV_NAMES = {
    "host": "CONTEXTA_BOT_HOST",
    "port": "CONTEXTA_BOT_PORT",
    "workers": "CONTEXTA_BOT_WORKERS",
    "threads": "CONTEXTA_BOT_THREADS",
    "heavy_workers": "CONTEXTA_HEAVY_WORKERS",
    "alert_poll_seconds": "CONTEXTA_ALERT_POLL_SECONDS",
    "alert_quiet_seconds": "CONTEXTA_ALERT_QUIET_SECONDS",
    "alert_max_gather_seconds": "CONTEXTA_ALERT_MAX_GATHER_SECONDS",
    "alert_min_interval_seconds": "CONTEXTA_ALERT_MIN_INTERVAL_SECONDS",
}


class BotConfigError(Exception):
    """The environment does not describe a runnable bot; the message says which variable to fix."""


class BotSettings(BaseSettings):
    """Environment variables, matched case-insensitively by field name unless an alias is given."""

    model_config = SettingsConfigDict(env_ignore_empty=True, populate_by_name=True, extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    # OAuth mode (Bolt's own variable names): installs in many workspaces
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_scopes: str | None = None  # comma-separated bot scopes
    slack_user_scopes: str | None = None
    slack_redirect_uri: str | None = None  # else the one configured in the app
    slack_app_token: SecretStr | None = None
    slack_api_url: str | None = None
    contexta_workspace: Path = Path("./.contexta")
    contexta_database_url: str | None = Field(default=None, repr=False)  # may embed a password
    host: str = Field(default="0.0.0.0", validation_alias=AliasChoices("host", "CONTEXTA_BOT_HOST"))
    port: int = Field(
        default=3000, ge=1, le=65535, validation_alias=AliasChoices("port", "CONTEXTA_BOT_PORT")
    )
    workers: int = Field(default=1, ge=1, validation_alias=AliasChoices("workers", "CONTEXTA_BOT_WORKERS"))
    threads: int = Field(default=8, ge=4, validation_alias=AliasChoices("threads", "CONTEXTA_BOT_THREADS"))
    # Worker processes per bot process for heavy renders (bot.heavy_answers): at most this many at
    # once; unset, one per core but one (contexta_core.jobs.default_worker_count).
    heavy_workers: int | None = Field(
        default=None, ge=1, le=32, validation_alias=AliasChoices("heavy_workers", "CONTEXTA_HEAVY_WORKERS")
    )
    # Every bot process runs the digest clock (the database claim keeps each digest to one post);
    # "off" is for teams that run `contexta digest run-due` from cron instead.
    contexta_digests: bool = True
    # Who may change project access besides workspace admins and owners: Slack user ids, e.g. "U012,U345".
    contexta_access_admins: Annotated[tuple[str, ...], NoDecode] = ()

    @field_validator("contexta_access_admins", mode="before")
    @classmethod
    def _user_ids(cls, value: object) -> tuple[str, ...]:
        words = value.replace(",", " ").split() if isinstance(value, str) else list(value or ())
        bad = [w for w in words if not isinstance(w, str) or not re.fullmatch(r"[UW][A-Z0-9]{1,20}", w)]
        if bad:
            raise ValueError(f"{len(bad)} entr{'y is' if len(bad) == 1 else 'ies are'} not a Slack user id")
        return tuple(dict.fromkeys(words))

    # Alerts: every bot process runs the dispatcher (database claims keep each alert to one post).
    # Its idle check is one indexed query per poll; gathering rolls bursts into one message, and
    # one watch (channel + project) gets at most one message per min-interval.
    contexta_alerts: bool = True
    alert_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        validation_alias=AliasChoices("alert_poll_seconds", "CONTEXTA_ALERT_POLL_SECONDS"),
    )
    alert_quiet_seconds: float = Field(
        default=2.0,
        ge=0,
        le=60,
        validation_alias=AliasChoices("alert_quiet_seconds", "CONTEXTA_ALERT_QUIET_SECONDS"),
    )
    alert_max_gather_seconds: float = Field(
        default=6.0,
        ge=0,
        le=300,
        validation_alias=AliasChoices("alert_max_gather_seconds", "CONTEXTA_ALERT_MAX_GATHER_SECONDS"),
    )
    alert_min_interval_seconds: float = Field(
        default=60.0,
        ge=0,
        le=3600,
        validation_alias=AliasChoices("alert_min_interval_seconds", "CONTEXTA_ALERT_MIN_INTERVAL_SECONDS"),
    )

    @field_validator("slack_bot_token", "slack_app_token", "slack_signing_secret", "slack_client_secret")
    @classmethod
    def _no_spaces(cls, value: SecretStr | None) -> SecretStr | None:
        """A blank or padded secret (a stray space, a newline from a file) would pass here and then
        fail every request; say so now, without the value."""
        if value is None:
            return None
        secret = value.get_secret_value()
        if not secret.strip():
            raise ValueError("is blank")
        if any(ch.isspace() or not ch.isprintable() for ch in secret):
            raise ValueError("must not contain spaces, line breaks or control characters (check for padding)")
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_prefix(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value

    @field_validator("slack_scopes", "slack_user_scopes")
    @classmethod
    def _scope_list(cls, value: str | None) -> str | None:
        if value is None:
            return None
        scopes = [scope.strip() for scope in value.split(",")]
        if not any(scopes) or any(not s or any(ch.isspace() for ch in s) for s in scopes):
            raise ValueError("must be scope names separated by commas, with no empty entries")
        return ",".join(scopes)

    @field_validator("slack_redirect_uri")
    @classmethod
    def _redirect_shape(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_prefix(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"  # WebClient appends the method name

    @model_validator(mode="after")
    def _one_complete_mode(self) -> BotSettings:
        """Each message is whole (variable, problem, hint): model-level errors carry no field."""
        oauth = {
            "SLACK_CLIENT_ID": self.slack_client_id,
            "SLACK_CLIENT_SECRET": self.slack_client_secret,
            "SLACK_SCOPES": self.slack_scopes,
        }
        if any(value is not None for value in oauth.values()):
            missing = [name for name, value in oauth.items() if value is None]
            if missing:
                raise ValueError(
                    f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: installing in many "
                    "workspaces (OAuth) needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SCOPES"
                )
            if self.slack_bot_token is not None:
                raise ValueError(
                    "SLACK_BOT_TOKEN is set together with SLACK_CLIENT_ID: unset SLACK_BOT_TOKEN to install "
                    "in many workspaces (each team's token comes from its install), or unset the SLACK_CLIENT_* "
                    "variables to run in one workspace"
                )
            if self.slack_app_token is not None:
                raise ValueError(
                    "SLACK_APP_TOKEN is set together with SLACK_CLIENT_ID: installs in many workspaces need "
                    "HTTP mode (Slack redirects installers to /slack/oauth_redirect); unset SLACK_APP_TOKEN"
                )
        elif self.slack_bot_token is None:
            raise ValueError(f"SLACK_BOT_TOKEN is not set: {_HINTS['slack_bot_token']}")
        if self.slack_app_token is None and self.slack_signing_secret is None:
            raise ValueError(f"SLACK_SIGNING_SECRET is not set: {_HINTS['slack_signing_secret']}")
        return self

    def alert_timing(self) -> AlertTiming:
        return AlertTiming(
            quiet=timedelta(seconds=self.alert_quiet_seconds),
            max_gather=timedelta(seconds=max(self.alert_max_gather_seconds, self.alert_quiet_seconds)),
            min_interval=timedelta(seconds=self.alert_min_interval_seconds),
        )

    @property
    def mode(self) -> Literal["socket", "http"]:
        """Socket Mode when an app-level token is configured, otherwise HTTP (Events API)."""
        return "socket" if self.slack_app_token is not None else "http"

    @property
    def oauth(self) -> bool:
        """Installable in many workspaces (each team's token in the installation store)."""
        return self.slack_client_id is not None

    def scopes(self, user: bool = False) -> list[str]:
        value = self.slack_user_scopes if user else self.slack_scopes
        return value.split(",") if value else []


def load_settings(**overrides: object) -> BotSettings:
    """Read the environment (keyword overrides win) or raise `BotConfigError` naming what to fix."""
    try:
        return BotSettings(**overrides)
    except ValidationError as error:
        raise BotConfigError("; ".join(_describe(e) for e in error.errors())) from None


def _describe(error: dict) -> str:
    message = str(error["msg"])  # pydantic's msg never holds the input value, unlike str(ValidationError)
    if not error["loc"]:  # model-level: the message is whole
        return message.removeprefix("Value error, ")
    field = str(error["loc"][0])
    env = _ENV_NAMES.get(field, field.upper())
    hint = _HINTS.get(field)
    if error["type"] == "missing":
        problem = "is not set"
    elif message.startswith("Value error, "):
        problem = message.removeprefix("Value error, ")
    else:
        problem = f"is invalid ({message[:1].lower()}{message[1:]})"
    return f"{env} {problem}: {hint}" if hint else f"{env} {problem}"
