"""``Contexta``: the facade the seed scripts, training code, the CLI and the bot all hold.

It opens (and, if needed, migrates) the workspace database once, exposes the stores under the
seed case's names, and answers queries through the functions in ``queries``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import EnvironmentSettings, UnifiedConfig, WorkspaceConfig, redact_url, resolve_database_url
from .queries import best as best_queries
from .queries import listing
from .queries import report as report_queries
from .reports import ReportDocument
from .results import BestRun, DeploymentRecord, ProjectRecord, RunRecord
from .store.engine import Database
from .store.metadata import MetadataStore
from .store.records import RecordStore


class Contexta:
    """One workspace: ``Contexta(config=UnifiedConfig(...))``, ``Contexta(workspace="…")`` or a URL."""

    def __init__(
        self,
        *,
        workspace: str | Path | None = None,
        config: UnifiedConfig | None = None,
        database_url: str | None = None,
    ):
        env = EnvironmentSettings()
        if config is None:
            root = Path(workspace) if workspace is not None else env.workspace
            config = UnifiedConfig(workspace=WorkspaceConfig(root_path=root), database_url=database_url)
        elif database_url is not None:
            config = config.model_copy(update={"database_url": database_url})
        self.config = config
        self.database_url = resolve_database_url(config, env)
        self._db = Database(self.database_url)
        try:
            self._db.migrate()
        except Exception:
            self._db.close()
            raise
        self.metadata_store = MetadataStore(self._db)
        self.record_store = RecordStore(self._db)

    @classmethod
    def open(cls, **kwargs: Any) -> Contexta:
        return cls(**kwargs)

    @property
    def project_name(self) -> str:
        return self.config.project_name

    @property
    def workspace(self) -> str:
        return str(self.config.workspace.root_path.expanduser().resolve())

    @property
    def source(self) -> str:
        """Where the data lives, safe to show (no password)."""
        return redact_url(self.database_url)

    @property
    def database(self) -> Database:
        return self._db

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Contexta:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the seed case's queries -------------------------------------------------------------

    def list_projects(self) -> tuple[str, ...]:
        """Project names, alphabetically."""
        return tuple(p.name for p in self.list_project_records())

    def list_project_records(self) -> tuple[ProjectRecord, ...]:
        with self._db.reading() as conn:
            return listing.list_project_records(conn)

    def list_runs(
        self,
        project_name: str | None = None,
        *,
        status: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> tuple[RunRecord, ...]:
        """Runs oldest first (always), optionally filtered by status and paged."""
        with self._db.reading() as conn:
            return listing.list_runs(conn, project_name, status=status, limit=limit, offset=offset)

    def count_runs(self, project_name: str, *, status: str | None = None) -> int:
        with self._db.reading() as conn:
            return listing.count_runs(conn, project_name, status=status)

    def list_deployments(
        self, project_name: str | None = None, run_id: str | None = None
    ) -> tuple[DeploymentRecord, ...]:
        """Deployments in the order they happened."""
        with self._db.reading() as conn:
            return listing.list_deployments(conn, project_name, run_id)

    def select_best_run(
        self,
        run_ids: Sequence[str],
        metric_key: str,
        stage_name: str | None = None,
        higher_is_better: bool = True,
        aggregation: str = "latest",
    ) -> str | None:
        """The best of ``run_ids`` by a metric, returned as passed in; None if none has it."""
        with self._db.reading() as conn:
            return best_queries.select_best_run(
                conn,
                run_ids,
                metric_key,
                stage_name=stage_name,
                higher_is_better=higher_is_better,
                aggregation=aggregation,
            )

    def best_run(
        self,
        project_name: str,
        metric_key: str,
        *,
        stage_name: str | None = None,
        higher_is_better: bool = True,
        aggregation: str = "latest",
    ) -> BestRun | None:
        """The project's best run with its margin over the runner-up (index-backed)."""
        with self._db.reading() as conn:
            return best_queries.best_run(
                conn,
                project_name,
                metric_key,
                stage_name=stage_name,
                higher_is_better=higher_is_better,
                aggregation=aggregation,
            )

    def build_multi_run_report(self, run_ids: Sequence[str]) -> ReportDocument:
        """A comparison of the given runs: ``Multi Run Report: N runs``."""
        with self._db.reading() as conn:
            return report_queries.build_multi_run_report(conn, run_ids)
