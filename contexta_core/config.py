"""Where the workspace lives and which database holds it.

``UnifiedConfig``/``WorkspaceConfig`` keep the seed case's names. The database is chosen in this
order: an explicit ``database_url`` in the config, then ``CONTEXTA_DATABASE_URL``, then a SQLite
file inside the workspace folder.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import ConfigurationError

SQLITE_FILENAME = "contexta.db"
SUPPORTED_SCHEMES = ("sqlite", "postgresql")


class EnvironmentSettings(BaseSettings):
    """``CONTEXTA_*`` environment variables (read at the edge: CLI, bot, ``Contexta()``)."""

    model_config = SettingsConfigDict(env_prefix="CONTEXTA_", extra="ignore")

    workspace: Path = Path(".contexta")
    database_url: str | None = None


class WorkspaceConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    root_path: Path = Path(".contexta")
    create_missing_dirs: bool = True


class UnifiedConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    project_name: str = "default"
    workspace: WorkspaceConfig = Field(default_factory=WorkspaceConfig)
    database_url: str | None = None

    @field_validator("project_name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("project_name must not be blank")
        return value.strip()


def check_database_url(url: str) -> str:
    """Refuse URLs we cannot serve, with a message that says what would work."""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if "://" not in url or scheme not in SUPPORTED_SCHEMES:
        raise ConfigurationError(
            f"unsupported database URL scheme {scheme!r}; use sqlite:///path/to/contexta.db or "
            "postgresql+psycopg://user@host:5432/dbname",
            code="unsupported_database_url",
            details={"scheme": scheme},
        )
    if scheme == "postgresql" and not url.startswith("postgresql+psycopg://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def resolve_database_url(config: UnifiedConfig, environment: EnvironmentSettings | None = None) -> str:
    if config.database_url:
        return check_database_url(config.database_url)
    env = environment or EnvironmentSettings()
    if env.database_url:
        return check_database_url(env.database_url)
    root = config.workspace.root_path.expanduser().resolve()
    if not root.exists():
        if not config.workspace.create_missing_dirs:
            raise ConfigurationError(
                f"workspace folder {root} does not exist",
                code="workspace_missing",
                details={"path": str(root)},
            )
        root.mkdir(parents=True, exist_ok=True)
    elif not root.is_dir():
        raise ConfigurationError(
            f"workspace path {root} is a file; it must be a folder",
            code="workspace_is_a_file",
            details={"path": str(root)},
        )
    return f"sqlite:///{root / SQLITE_FILENAME}"


def redact_url(url: str) -> str:
    """A database URL safe to print: any password replaced by ``***``."""
    head, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{head}://{user}:***@{host}" if ":" in creds else url
