"""``Contexta``: the facade the seed scripts, training code, the CLI and the bot all hold.

It opens (and, if needed, migrates) the workspace database once, exposes the stores under the
seed case's names, and answers queries through the functions in ``queries``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from .access import AccessRules, Viewer, VisibleContexta
from .alerts.facade import Alerts
from .ask.vocabulary import Vocabulary
from .cache import VersionedCache
from .capture import RunScope, record_deployment
from .config import EnvironmentSettings, UnifiedConfig, WorkspaceConfig, redact_url, resolve_database_url
from .contract import check_metric_key
from .digests.facade import Digests
from .errors import QueryError
from .gc_pause import gc_paused
from .news import News
from .queries import best as best_queries
from .queries import listing, onboarding, snapshot, trend
from .queries import report as report_queries
from .queries.lookup import resolve_project, resolve_runs
from .queries.names import read_workspace_names
from .redaction import workspace_label
from .refs import check_slug
from .render.document import ReportDocument, report_document
from .results import (
    BestRun,
    DeploymentAnswer,
    DeploymentRecord,
    MetricScope,
    MetricTrend,
    OnboardingSummary,
    ProjectDefaults,
    ProjectRecord,
    RunComparison,
    RunRecord,
    RunSnapshot,
)
from .store.conversations import ConversationStore
from .store.engine import Database
from .store.metadata import MetadataStore
from .store.preferences import ClaimStore, PreferenceStore
from .store.records import RecordStore
from .store.tenants import adopt_legacy_rows, known_tenants, resolve_tenant, team_names
from .tenancy import Tenant


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
        self._preferences = PreferenceStore(self._db)
        self._claims = ClaimStore(self._db)
        self._conversations = ConversationStore(self._db)
        self.digests = Digests(self._db)
        self.access = AccessRules(self._db)
        self.news = News(self)
        self.alerts = Alerts(self._db, lambda project, metric: self.resolve_scope(project, metric)[0])
        self.cache = VersionedCache()

    def _answer(self, key: tuple, compute):
        """Run ``compute(conn)`` in one read, reusing the result while the data is unchanged."""
        return self._answer_reading_trends(key, lambda conn, _: compute(conn))

    def _answer_reading_trends(self, key: tuple, compute):
        """``_answer`` for answers built on trends: ``compute(conn, read_trend)``, where
        ``read_trend`` is ``get_metric_trend`` on the same read and cache. A question's scope, its
        onboarding summary and its chart then read each trend once per data version, not each."""
        with self._db.reading() as conn, gc_paused():
            version = self._db.data_version(conn)
            read_trend = partial(self._cached_trend, version)
            return self.cache.get_or_compute(key, version, lambda: compute(conn, read_trend))

    def _cached_trend(
        self,
        version: int,
        conn: Connection,
        metric_key: str,
        *,
        project_name: str,
        stage_name: str | None = None,
        aggregation: str = "latest",
    ) -> MetricTrend:
        """A trend under the one cache key it has however it is asked for."""
        return self.cache.get_or_compute(
            ("trend", metric_key, project_name, stage_name, aggregation),
            version,
            lambda: trend.get_metric_trend(
                conn, metric_key, project_name=project_name, stage_name=stage_name, aggregation=aggregation
            ),
        )

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
    def workspace_label(self) -> str:
        """Where the data lives, for files people share: the kind of store only (no host, user or path)."""
        return workspace_label(self.database_url)

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
        return self._answer(("projects",), listing.list_project_records)

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
        """Kept per data version: counting reads an index entry per run, and one answer may count
        a project's runs several times (is it heavy? how many pages? how many failed?)."""
        return self._answer(
            ("count_runs", project_name, status),
            lambda conn: listing.count_runs(conn, project_name, status=status),
        )

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
        return self._answer(
            ("best", project_name, metric_key, stage_name, higher_is_better, aggregation),
            lambda conn: best_queries.best_run(
                conn,
                project_name,
                metric_key,
                stage_name=stage_name,
                higher_is_better=higher_is_better,
                aggregation=aggregation,
            ),
        )

    def build_multi_run_report(
        self, run_ids: Sequence[str], *, higher_is_better: Mapping[str, bool] | None = None
    ) -> ReportDocument:
        """A comparison of the given runs: ``Multi Run Report: N runs``. ``higher_is_better`` (metric
        key → direction) overrides what a metric's name implies when marking each column's best."""
        if isinstance(run_ids, str):
            raise QueryError(
                "run_ids must be a list of run ids, not a single string", code="run_ids_not_a_list"
            )
        ids = tuple(run_ids)
        directions = dict(higher_is_better or {})
        return self._answer(
            ("report", ids, tuple(sorted(directions.items()))),
            lambda conn: report_document(
                report_queries.build_multi_run_report(conn, ids, higher_is_better=directions)
            ),
        )

    def project_report(
        self,
        project_name: str,
        metric: str | None = None,
        stage_name: str | None = None,
        higher_is_better: bool | None = None,
    ) -> ReportDocument:
        """The report over every run of a project, its metric's best marked the way the project (or
        the caller) reads it. Built once per data version however many files and pages use it."""
        name = self.resolve_project_name(project_name)
        if metric is not None or stage_name is not None:  # a named metric must exist: say so
            wanted, _ = self.resolve_scope(name, metric, stage_name, higher_is_better)
        else:  # a project without its default metric still has a report
            wanted = self.resolve_defaults(name, None, None, higher_is_better)
        directions = {wanted.metric_key: wanted.higher_is_better}
        return self._answer(
            ("project_report", name, tuple(directions.items())),
            lambda conn: report_document(
                report_queries.build_project_report(conn, name, higher_is_better=directions)
            ),
        )

    # -- the five answers ----------------------------------------------------------------------

    def get_metric_trend(
        self, metric_key: str, project_name: str, stage_name: str | None = None, aggregation: str = "latest"
    ) -> MetricTrend:
        """Every run's value of a metric in run start order (stage None: wherever it is recorded)."""
        with self._db.reading() as conn, gc_paused():
            return self._cached_trend(
                self._db.data_version(conn),
                conn,
                metric_key,
                project_name=project_name,
                stage_name=stage_name,
                aggregation=aggregation,
            )

    def get_run_snapshot(self, run_id: str) -> RunSnapshot:
        with self._db.reading() as conn:
            return snapshot.get_run_snapshot(conn, run_id)

    def compare_runs(self, left: str, right: str) -> RunComparison:
        with self._db.reading() as conn:
            return snapshot.compare_runs(conn, left, right)

    def onboarding_summary(
        self,
        project_name: str,
        metric: str | None = None,
        stage_name: str | None = None,
        higher_is_better: bool | None = None,
        *,
        limit: int = 20,
    ) -> OnboardingSummary:
        """All five answers; unset arguments come from the project's defaults."""
        return self._answer_reading_trends(
            ("onboarding", project_name, metric, stage_name, higher_is_better, limit),
            lambda conn, read_trend: onboarding.onboarding_summary(
                conn,
                project_name,
                metric=metric,
                stage_name=stage_name,
                higher_is_better=higher_is_better,
                limit=limit,
                read_trend=read_trend,
            ),
        )

    def resolve_project_name(self, text: str) -> str:
        """The stored name of a project typed loosely (case, ref form), or UnknownProjectError."""
        with self._db.reading() as conn:
            return resolve_project(conn, text).name

    def vocabulary(self, *, hidden: frozenset[str] = frozenset()) -> Vocabulary:
        """The workspace's own names (projects, metrics, stages, runs, deployments), ready to be
        found in what people type; read once per data version. The ``hidden`` projects' names are
        left out entirely, so they are neither found nor offered nor make another name ambiguous."""
        return self._answer(
            ("vocabulary", hidden), lambda conn: Vocabulary(read_workspace_names(conn).without(hidden))
        )

    def visible_run_refs(self, run_ids: Sequence[str], *, hidden: frozenset[str]) -> list[str]:
        """The full refs of ``run_ids`` as someone who cannot see the ``hidden`` projects reads them;
        their runs are unknown runs (UnknownRunError, suggesting only runs that person may see)."""
        with self._db.reading() as conn:
            return [row.ref for row in resolve_runs(conn, run_ids, hidden=hidden)]

    def as_seen_by(self, tenant: Tenant, viewer: Viewer) -> VisibleContexta:
        """This workspace as ``viewer`` in ``tenant`` may see it: restricted projects they may not see
        (``contexta_core.access``) do not exist there. Operators (``Viewer.OPERATOR``) see everything."""
        return VisibleContexta(self, lambda: self.access.hidden_projects(tenant, viewer), viewer)

    def get_project_defaults(self, project_name: str) -> ProjectDefaults:
        with self._db.reading() as conn:
            return onboarding.get_project_defaults(conn, project_name)

    def resolve_defaults(
        self,
        project_name: str,
        metric: str | None = None,
        stage_name: str | None = None,
        higher_is_better: bool | None = None,
        aggregation: str = "latest",
    ) -> MetricScope:
        """What a question means before its metric is looked up: what it says, else the project's
        defaults (a named metric brings the direction its name implies: loss and error are
        lower-is-better)."""
        with self._db.reading() as conn:
            return onboarding.resolve_defaults(
                conn, project_name, metric, stage_name, higher_is_better, aggregation
            )

    def resolve_scope(
        self,
        project_name: str,
        metric: str | None = None,
        stage_name: str | None = None,
        higher_is_better: bool | None = None,
        aggregation: str = "latest",
    ) -> tuple[MetricScope, MetricTrend]:
        """The scope of a question, resolved once (the metric, the stage it was found in, the
        direction, the aggregation) and the metric's trend in it: a metric named without a stage is
        looked for in the project's stage, then wherever it is."""
        return self._answer_reading_trends(
            ("scope", project_name, metric, stage_name, higher_is_better, aggregation),
            lambda conn, read_trend: onboarding.resolve_scope(
                conn, project_name, metric, stage_name, higher_is_better, aggregation, read_trend=read_trend
            ),
        )

    def locate_scope(
        self,
        project_name: str,
        metric: str | None = None,
        stage_name: str | None = None,
        higher_is_better: bool | None = None,
        aggregation: str = "latest",
    ) -> MetricScope:
        """`resolve_scope`'s scope alone, found with a few index seeks instead of reading the trend
        (what best and deployments answers need: cheap however long the project's history)."""
        return self._answer(
            ("located", project_name, metric, stage_name, higher_is_better, aggregation),
            lambda conn: onboarding.locate_scope(
                conn, project_name, metric, stage_name, higher_is_better, aggregation
            ),
        )

    def deployment_answers(
        self, project_name: str, scope: MetricScope | None
    ) -> tuple[DeploymentAnswer, ...]:
        """The project's deployments with their runs' values in ``scope`` (none when it is None) and
        which one is live."""
        return self._answer(
            ("deployment_answers", project_name, scope),
            lambda conn: onboarding.deployment_answers(conn, project_name, scope),
        )

    def set_project_defaults(
        self,
        project_name: str,
        *,
        metric_key: str,
        stage_name: str | None = "evaluate",
        higher_is_better: bool = True,
    ) -> ProjectDefaults:
        """Store what "best" and "trend" mean for this project when a question does not say."""
        check_metric_key(metric_key)
        if stage_name is not None:
            check_slug(stage_name, field="stage_name")
        if not isinstance(higher_is_better, bool):
            raise QueryError("higher_is_better must be true or false", code="invalid_direction")
        with self._db.reading() as conn:
            project = resolve_project(conn, project_name)
        settings = self.metadata_store.projects.get_settings(project.ref)
        settings.update(metric_key=metric_key, stage_name=stage_name, higher_is_better=higher_is_better)
        self.metadata_store.projects.set_settings(project.ref, settings)
        return ProjectDefaults(metric_key, stage_name, higher_is_better)

    # -- small shared state, per chat tenant (contexta_core.tenancy) ------------------------------

    def get_preference(self, scope: str, key: str, *, tenant: Tenant = Tenant.LEGACY) -> Any | None:
        return self._preferences.get(scope, key, tenant=tenant)

    def set_preference(self, scope: str, key: str, value: Any, *, tenant: Tenant = Tenant.LEGACY) -> None:
        self._preferences.set(scope, key, value, tenant=tenant)

    def remember_question(
        self, conversation: str, question: dict[str, Any], *, tenant: Tenant = Tenant.LEGACY
    ) -> None:
        """Keep what ``conversation``'s latest question was about, for its follow-ups."""
        self._conversations.remember(conversation, question, tenant=tenant)

    def recall_question(self, conversation: str, *, tenant: Tenant = Tenant.LEGACY) -> dict[str, Any] | None:
        """What ``conversation``'s previous question was about, while fresh (30 minutes), else None."""
        return self._conversations.recall(conversation, tenant=tenant)

    def claim_once(self, key: str, *, tenant: Tenant = Tenant.LEGACY, holder: str | None = None) -> bool:
        """True only for the first claim of ``key`` for ``tenant`` across every process sharing the workspace."""
        return self._claims.claim_once(key, tenant=tenant, holder=holder)

    def release_claim(self, key: str, *, tenant: Tenant = Tenant.LEGACY) -> None:
        self._claims.release(key, tenant=tenant)

    def tenants(self) -> list[Tenant]:
        """Every chat tenant with state or an installation here (``Tenant.LEGACY`` when it owns rows)."""
        return known_tenants(self._db)

    def team_names(self) -> dict[Tenant, str]:
        """Team names recorded by installations (multi-workspace installs only), for listings."""
        return team_names(self._db)

    def resolve_tenant(self, given: str | None = None) -> Tenant:
        """The team an operator names (``--team``: id, ``ENTERPRISE:TEAM`` or installed name), else
        the only one; raises ``team_ambiguous`` / ``unknown_team`` naming the teams there are."""
        return resolve_tenant(self._db, given)

    def adopt_legacy_rows(self, tenant: Tenant) -> dict[str, int]:
        """Hand the rows written before teams existed to ``tenant`` (the single-workspace bot's own
        team), in one transaction; idempotent. Returns the rows adopted per table."""
        return adopt_legacy_rows(self._db, tenant)

    def prune_claims(self, prefix: str, older_than: timedelta = timedelta(days=2)) -> int:
        """Forget claims under ``prefix`` older than ``older_than`` (event ids are redelivered for
        minutes, so a day or two of memory is plenty); returns how many were dropped."""
        return self._claims.prune(older_than, prefix)

    # -- capture (training code) ---------------------------------------------------------------

    def run(
        self,
        name: str,
        *,
        run_id: str | None = None,
        project: str | None = None,
        description: str | None = None,
    ) -> RunScope:
        """``with ctx.run("churn-v7") as run:`` — records a run that every query sees at once."""
        return RunScope(
            self, name, run_id=run_id, project=project or self.project_name, description=description
        )

    def bulk_import(self):
        """``with ctx.bulk_import():`` marks the writes of this thread inside the block as history
        brought in wholesale (importers, backfills, seeds): they raise no alerts."""
        return self._db.bulk_import()

    def record_deployment(self, name: str, run_id: str, **kwargs: Any) -> DeploymentRecord:
        """Record that ``run_id`` went to production as deployment ``name``."""
        return record_deployment(self, name, run_id, **kwargs)
